import Foundation
import XCTest

/// `svgrt run` with a scheduled change: from the change on, every evaluation plays the adapting
/// policy and its frozen twin under the new conditions; the report compares them and measures
/// adaptation against a from-scratch level trained under those conditions (cached).
final class AdaptationTests: XCTestCase {
    func testFrozenTwinAndFromScratchLevel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("svgrt-adapt-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = try svgrt(["run", "--duration", "9", "--actuator-gain", "0:1,4:0.6", "--evaluate-every", "1", "--yardstick-steps", "400",
                           "--output", folder])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("plant changed to gain 0.6; policy frozen as the twin"), r.output)
        let rows = try String(contentsOfFile: folder + "/evaluations.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let before = rows.filter { Double($0[0])! < 3.9 }, after = rows.filter { Double($0[0])! > 4.2 }
        XCTAssertFalse(after.isEmpty, "no evaluation after the change")
        XCTAssertTrue(before.allSatisfy { $0[2].isEmpty }, "a twin before any change")
        XCTAssertTrue(after.allSatisfy { Double($0[2]) != nil }, "an evaluation after the change without its twin")
        let report = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("| after it: adapting vs frozen twin | adapting"), report)
        XCTAssertTrue(report.contains("from-scratch level"), report)
        XCTAssertNotNil(report.range(of: #"\| gradient clip V_max = [0-9.]+ bound on \| policy \d+\.\d %, value \d+\.\d %, model \d+\.\d % of each network's steps, this run \|"#,
                                     options: .regularExpression), "the learner's clip counters, read after it stopped: \(report)")
        XCTAssertTrue(report.contains("--actuator-gain 0.6"), "the command that makes the level")
        let cache = folder + "/yardstick-gain0.6-noise0.0-400.json"
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache))
        // The cached level is what `svgrt train` under the same conditions reaches.
        let json = try String(contentsOfFile: cache, encoding: .utf8)
        XCTAssertTrue(json.contains("\"actuatorGain\" : 0.6"), json)
        let train = try svgrt(["train", "--actuator-gain", "0.6", "--steps", "400", "--print-config"])
        XCTAssertTrue(train.output.contains("\"actuatorGain\" : 0.6"), train.output)
        let refused = try svgrt(["run", "--connect", "127.0.0.1:9", "--actuator-gain", "0.6"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("with --connect the board sets its own"), refused.output)
    }
}
