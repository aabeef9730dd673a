import FirmwareLauncher
import Foundation
import Link
import XCTest

/// `svgrt run --connect` with no `--plant`: the plant is learned as its HELLO describes it, with a
/// learned reward, and the run folder says so; the same board resumes; a board of another
/// plant is refused on resume; a HELLO that describes no drivable plant, or a board unlike the
/// plant `--plant` names, is refused.
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

    /// A board whose HELLO decodes but describes no plant (no actuators, no observations, an
    /// empty action range, a zero step or episode) is refused in one line naming the field,
    /// before a run folder is made. The board here is this test answering HELLOs.
    func testABoardWhoseHelloDescribesNoPlantIsRefused() throws {
        let good = PlantDescription(name: "arm", observationSize: 3, actionSize: 1, physicalStateSize: 2, stepMicroseconds: 10_000,
                                    tickMicroseconds: 10_000, episodeLength: 200, mode: .realTime, actionLow: [-2], actionHigh: [2])
        let cases: [(String, (inout PlantDescription) -> Void)] = [
            ("it has no actuators (A = 0)", { $0.actionSize = 0; $0.actionLow = []; $0.actionHigh = [] }),
            ("it has 0 observations", { $0.observationSize = 0 }),
            ("actuator 0's limits [2.0, -2.0] hold no action", { $0.actionLow = [2]; $0.actionHigh = [-2] }),
            ("its step is 0 µs", { $0.stepMicroseconds = 0 }),
            ("its episodes are 0 steps long", { $0.episodeLength = 0 }),
        ]
        for (message, spoil) in cases {
            var description = good
            spoil(&description)
            let folder = NSTemporaryDirectory() + "svgrt-wire-bad-\(UUID().uuidString)"
            let (status, text) = try Self.svgrtAgainstBoard(answering: description, ["run", "--duration", "2", "--output", folder])
            XCTAssertNotEqual(status, 0, "\(message): \(text)")
            XCTAssertTrue(text.contains("cannot be learned from its HELLO: \(message)"), "\(message): \(text)")
            XCTAssertEqual(text.split(separator: "\n").filter { $0.contains("Error") }.count, 1, text)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "\(message): a run folder was made")
        }
    }

    /// A board that names itself as one of svg-rt's plants (`--plant pendulum`) but has other
    /// actuator limits or another step is refused, naming the difference, before a run folder is made.
    func testABoardUnlikeTheNamedPlantIsRefused() throws {
        let pendulum = PlantDescription(name: "pendulum", observationSize: 3, actionSize: 1, physicalStateSize: 2, stepMicroseconds: 50_000,
                                        tickMicroseconds: 10_000, episodeLength: 200, mode: .realTime, actionLow: [-2], actionHigh: [2])
        var weaker = pendulum
        weaker.actionLow = [-1]
        weaker.actionHigh = [1]
        var faster = pendulum
        faster.stepMicroseconds = 10_000
        for (description, message) in [(weaker, "its actuator 0 takes [-1.0, 1.0], svg-rt's [-2.0, 2.0]"),
                                        (faster, "its step is 10000 µs of plant time, svg-rt's 50000 µs")] {
            let folder = NSTemporaryDirectory() + "svgrt-wire-unlike-\(UUID().uuidString)"
            let (status, text) = try Self.svgrtAgainstBoard(answering: description, ["run", "--plant", "pendulum", "--duration", "2", "--output", folder])
            XCTAssertNotEqual(status, 0, text)
            XCTAssertTrue(text.contains("is not svg-rt's pendulum: \(message); run with no --plant"), text)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "a run folder was made")
        }
    }

    /// Runs svgrt with `arguments` plus `--connect` to a board that is this test: it answers each
    /// HELLO with `description` (and sends nothing else) until svgrt exits (20 s at most).
    static func svgrtAgainstBoard(answering description: PlantDescription, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let board = try UDPTransport(port: 0)
        defer { board.close() }
        let process = svgrtProcess(arguments + ["--connect", "127.0.0.1:\(board.localPort)"])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var buffer = [UInt8](repeating: 0, count: Frame.maximumSize + 1), reply = [UInt8](repeating: 0, count: Frame.maximumSize)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { board.receive(into: $0, timeoutMicroseconds: 50_000) }
            guard let n, case .success(let header) = buffer.withUnsafeBytes({ Frame.decodeHeader(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }),
                  header.type == .hello else { continue }
            let length = reply.withUnsafeMutableBytes {
                Frame.encode(FrameHeader(type: .hello, sequence: 1, plantTimeMicroseconds: 0), into: $0) { Messages.writeHelloReply(&$0, description) }
            }
            _ = reply.withUnsafeBytes { board.sendToLastSender(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
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
