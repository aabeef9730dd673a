import Foundation
import XCTest
import Learn
import Net
import Training

/// SVG(1)-ER's entropy bonus tuned towards a target entropy (eq. 24): α rises while the policy's
/// entropy is below the target and falls while above; σ then stays near the target's; the
/// tuned α is part of a bit-exact resume.
final class EntropyTemperatureTests: XCTestCase {
    func testTemperatureFollowsTheTargetAndHoldsSigma() throws {
        for (target, rises) in [(Float(3), true), (Float(-12), false)] {
            let c = try configuration("swimmer3", .svg1ER, hyperparameters: ["targetEntropy": .double(Double(target)), "entropyBonus": .double(0.01),
                                                                            "warmupSteps": .int(100)])
            let t = try Trainer(c)
            for _ in 0..<1_500 { t.step() }
            let agent = t.agent as! SVG1ER
            XCTAssertEqual(agent.entropyBonus > 0.01, rises, "target \(target): α 0.01 → \(agent.entropyBonus)")
        }
    }

    func testTunedTemperatureResumesBitForBit() throws {
        let c = try configuration("pendulum", .svg1ER, hyperparameters: ["targetEntropy": .double(0), "entropyBonus": .double(0.1)])
        let (original, resumed) = try originalAndResumed(c)
        XCTAssertEqual((resumed.agent as! SVG1ER).entropyBonus.bitPattern, (original.agent as! SVG1ER).entropyBonus.bitPattern)
        XCTAssertEqual(checkpointBits(resumed), checkpointBits(original))
    }
}
