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
        let r = try svgrt(["run", "--connect", "127.0.0.1:\(firmware.port)", "--duration", "4", "--rate", "500", "--output", folder,
                           "--evaluation-episode-every", "2"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("no --plant: learning 'reacher3' as its HELLO describes it (10 observations, 3 actions"), r.output)
        // Its only evaluations: episodes played on the board with the mean action (episodes of 1 s here).
        XCTAssertTrue(r.output.contains("one episode in 2 played on the mean as an evaluation"), r.output)
        XCTAssertNotNil(r.output.range(of: #"evaluation episode 1 on the plant at \d+ s: -?\d+\.\d"#, options: .regularExpression), r.output)
        let evaluations = try String(contentsOfFile: folder + "/plant-evaluations.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(evaluations.first, "time_s,episode,return,steps_missing")
        XCTAssertTrue(evaluations.dropFirst().allSatisfy { Int($0.split(separator: ",")[1])! % 2 == 1 }, "\(evaluations)")
        XCTAssertGreaterThanOrEqual(evaluations.count, 2, "no evaluation episode in 4 s")
        let episodes = try String(contentsOfFile: folder + "/episodes.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertTrue(episodes.allSatisfy { Int($0.split(separator: ",")[1])! % 2 == 0 }, "an evaluation episode among the learning ones: \(episodes)")
        let config = try String(contentsOfFile: folder + "/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains("\"plant\" : \"wire:reacher3\""), config)
        XCTAssertTrue(config.contains("\"source\" : \"learned\""), config)
        let report = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("| evaluation episodes on the plant | one episode in 2 on the mean action, not learned from: "), report)
        let refusedOption = try svgrt(["run", "--connect", "127.0.0.1:\(firmware.port)", "--evaluation-episode-every", "1", "--output", folder + "-0"])
        XCTAssertNotEqual(refusedOption.status, 0)
        XCTAssertTrue(refusedOption.output.contains("--evaluation-episode-every must be 0 (never) or at least 2"), refusedOption.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "-0"))
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
