import FirmwareLauncher
import Foundation
import XCTest

/// `svgrt run --connect` with no `--plant`: the plant is learned as its HELLO describes it, with a
/// learned reward, and the run folder says so; the same board resumes; a board of another
/// plant is refused on resume.
final class WirePlantTests: XCTestCase {
    func testABoardWithNoPlantNameIsLearnedFromItsHello() throws {
        let folder = NSTemporaryDirectory() + "svgrt-wire-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let firmware = try FirmwareProcess(["--plant", "reacher3", "--mode", "realtime", "--tick-rate", "500", "--port", "0"])
        defer { firmware.stop() }
        let r = try svgrt(["run", "--connect", "127.0.0.1:\(firmware.port)", "--duration", "4", "--rate", "500", "--output", folder])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("no --plant: learning 'reacher3' as its HELLO describes it (10 observations, 3 actions"), r.output)
        let config = try String(contentsOfFile: folder + "/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains("\"plant\" : \"wire:reacher3\""), config)
        XCTAssertTrue(config.contains("\"source\" : \"learned\""), config)
        let report = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        XCTAssertFalse(report.isEmpty)
        // It resumes against the same board.
        let resumed = try svgrt(["run", "--connect", "127.0.0.1:\(firmware.port)", "--duration", "2", "--rate", "500",
                                 "--resume", folder, "--output", folder + "-2"])
        defer { try? FileManager.default.removeItem(atPath: folder + "-2") }
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssertTrue(resumed.output.contains("resumed the policy"), resumed.output)
        // Not against a board of another plant.
        let other = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--port", "0"])
        defer { other.stop() }
        let refused = try svgrt(["run", "--connect", "127.0.0.1:\(other.port)", "--duration", "2", "--resume", folder, "--output", folder + "-3"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("is wire:pendulum, the resumed run's plant wire:reacher3"), refused.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "-3"))
    }

    func testAKnownRewardIsRefusedForABoardWithNoPlantName() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--port", "0"])
        defer { firmware.stop() }
        let r = try svgrt(["run", "--connect", "127.0.0.1:\(firmware.port)", "--duration", "1", "--reward", "plant",
                           "--output", NSTemporaryDirectory() + "svgrt-wire-refused-\(UUID().uuidString)"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.output.contains("is known only over the wire: its reward must be learned"), r.output)
    }
}
