import FirmwareLauncher
import Foundation
import TestSupport
import Training
import XCTest

/// `svgrt run --resume` end to end: a run on firmware-sim checkpoints at its clean
/// stop; a second run resumed from that folder starts controlling with exactly the saved policy
/// (not a fresh random one) and with the saved replay contents.
final class RunResumeTests: XCTestCase {
    /// Runs `svgrt run ARGS` to completion and returns what it printed.
    func svgrtRun(_ arguments: [String]) throws -> String {
        let r = try svgrt(["run"] + arguments)
        XCTAssertEqual(r.status, 0, r.output)
        return r.output
    }

    /// The fingerprint in "control starts from policy v1, fingerprint XXXXXXXX".
    func startFingerprint(_ log: String) -> String? {
        guard let range = log.range(of: #"control starts from policy v1, fingerprint [0-9a-f]{8}"#, options: .regularExpression)
        else { return nil }
        return String(log[range].suffix(8))
    }

    func testResumedRunStartsFromTheSavedPolicyAndReplay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("svgrt-resume-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try svgrtRun(["--duration", "5", "--output", folder + "/first", "--checkpoint-every", "0",
                                  "--evaluate-every", "100", "--seed", "4"])

        // What the first run saved at its clean stop.
        let saved = try Trainer(TrainingConfiguration.defaults(for: "pendulum"))
        try saved.restore(from: folder + "/first/checkpoint.svgp")
        let savedFingerprint = String(format: "%08x", saved.policy.parameterFingerprint())
        XCTAssertGreaterThan(saved.replay.count, 200, "the first run stored too few transitions:\n\(first)")
        let freshFingerprint = try XCTUnwrap(startFingerprint(first), first)
        XCTAssertNotEqual(freshFingerprint, savedFingerprint, "the first run's policy never changed:\n\(first)")

        let second = try svgrtRun(["--resume", folder + "/first", "--duration", "1", "--output", folder + "/second",
                                   "--evaluate-every", "100", "--seed", "4"])
        XCTAssertEqual(startFingerprint(second), savedFingerprint, second)
        XCTAssertTrue(second.contains("resumed the policy, the agent and \(saved.replay.count) replayed transitions"), second)
    }
}
