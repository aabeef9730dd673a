import FirmwareLauncher
import Foundation
import XCTest
import TestSupport

/// `svgrt evaluate` on a run `svgrt train` wrote: statistics for the number of episodes asked,
/// the CSV of returns, and a clear error for a folder that is not a finished run.
final class EvaluateCommandTests: XCTestCase {
    func testEvaluateATrainedRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("svgrt-evaluate-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let train = try svgrt(["train", "--plant", "pendulum", "--steps", "400", "--output", folder + "/run"])
        XCTAssertEqual(train.status, 0, train.output)
        let csv = folder + "/returns.csv"
        let evaluate = try svgrt(["evaluate", folder + "/run", folder + "/run", "--episodes", "7",
                                  "--success-return", "-100000", "--csv", csv])
        XCTAssertEqual(evaluate.status, 0, evaluate.output)
        XCTAssertTrue(evaluate.output.contains("(pendulum, svg1-er, seed 1, 400 steps)"), evaluate.output)
        XCTAssertTrue(evaluate.output.contains("over 7 episodes"), evaluate.output)
        XCTAssertTrue(evaluate.output.contains("7 of 7 (100 %)"), evaluate.output)
        XCTAssertTrue(evaluate.output.contains("all 2 runs"), evaluate.output)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 1 + 14)
        XCTAssertEqual(rows[0], "run,episode,seed,return,final_s0,final_s1,final_s2", "the pendulum's final observation too")
        // The same run evaluated twice from the same seeds gives the same returns.
        let returns = rows.dropFirst().map { $0.split(separator: ",") }
        XCTAssertEqual(returns[0][2], "20000")
        XCTAssertEqual(returns[0][3], returns[7][3])
        XCTAssertNotEqual(returns[0][3], returns[1][3])

        // The final observation is the pendulum's (cos θ, sin θ, θ̇).
        let final = returns[0][4...].map { Double($0)! }
        XCTAssertEqual(final[0] * final[0] + final[1] * final[1], 1, accuracy: 1e-9)

        // Runs of two plants: refused before anything is played.
        let cartpole = try svgrt(["train", "--plant", "cartpole", "--steps", "1000", "--evaluation-interval", "1000", "--output", folder + "/cartpole"])
        XCTAssertEqual(cartpole.status, 0, cartpole.output)
        let mixed = try svgrt(["evaluate", folder + "/run", folder + "/cartpole", "--episodes", "2"])
        XCTAssertNotEqual(mixed.status, 0)
        XCTAssertTrue(mixed.output.contains("evaluate one plant at a time"), mixed.output)
        XCTAssertFalse(mixed.output.contains("over 2 episodes"), "nothing played: \(mixed.output)")

        let missing = try svgrt(["evaluate", folder])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.output.contains("is not a finished `svgrt train` run"), missing.output)
    }
}
