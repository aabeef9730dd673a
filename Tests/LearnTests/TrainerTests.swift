import Foundation
import XCTest
import Learn
import Net
import Plants
import Training

final class TrainerTests: XCTestCase {
    func parameters(_ t: Trainer) -> [UInt32] {
        var bits: [UInt32] = []
        for buffer in [t.policy.mean.parameters, t.policy.logStd, t.value.network.parameters, t.value.target.parameters,
                       t.svg0.critic.network.parameters, t.svg0.critic.target.parameters]
            + t.model.networks.map(\.parameters) + [t.averagePolicy?.mean.parameters].compactMap({ $0 }) {
            bits += (0..<buffer.count).map { buffer[$0].bitPattern }
        }
        return bits
    }

    func testSameSeedSameLearningCurveBitForBit() throws {
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.steps = 800
        let a = try Trainer(c), b = try Trainer(c)
        var curveA: [Double] = [], curveB: [Double] = []
        for _ in 0..<800 {
            a.step { if case let .episodeEnded(_, _, r) = $0 { curveA.append(r) } }
            b.step { if case let .episodeEnded(_, _, r) = $0 { curveB.append(r) } }
        }
        XCTAssertEqual(curveA.count, 4)
        XCTAssertEqual(curveA.map(\.bitPattern), curveB.map(\.bitPattern))
        XCTAssertEqual(a.evaluate().bitPattern, b.evaluate().bitPattern)
        XCTAssertEqual(parameters(a), parameters(b))
        c.seed = 2
        let other = try Trainer(c)
        for _ in 0..<800 { other.step() }
        XCTAssertNotEqual(parameters(a), parameters(other))
    }

    /// A run checkpointed at an episode boundary and resumed in a new trainer continues exactly
    /// as the uninterrupted run: same parameters, optimiser state, replay and returns.
    func testResumeFromCheckpointIsBitExact() throws {
        for (algorithm, averaging) in [(TrainingConfiguration.Algorithm.svg1ER, nil), (.svgInfinity, nil), (.svg0, nil),
                                       (.svgInfinity, Float(0.3))] {
            var c = TrainingConfiguration.defaults(for: "pendulum")
            c.algorithm = algorithm
            c.policyAveraging = averaging
            c.replayCapacity = 2_000
            let path = NSTemporaryDirectory() + "svgrt-resume-\(UUID().uuidString).svgp"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let original = try Trainer(c)
            original.atEpisodeBoundary = { t in
                if t.environmentSteps == 600 { try! t.writeCheckpoint(to: path) }
            }
            var originalReturns: [Double] = []
            while original.environmentSteps < 1_200 {
                original.step { if case let .episodeEnded(_, steps, r) = $0, steps > 600 { originalReturns.append(r) } }
            }
            let resumed = try Trainer(c)
            try resumed.restore(from: path)
            XCTAssertEqual(resumed.environmentSteps, 600)
            var resumedReturns: [Double] = []
            while resumed.environmentSteps < 1_200 {
                resumed.step { if case let .episodeEnded(_, _, r) = $0 { resumedReturns.append(r) } }
            }
            XCTAssertEqual(resumedReturns.map(\.bitPattern), originalReturns.map(\.bitPattern), "\(algorithm)")
            XCTAssertEqual(parameters(resumed), parameters(original), "\(algorithm)")
            XCTAssertEqual(resumed.policy.meanOptimizer.stepCount, original.policy.meanOptimizer.stepCount)
            // And the resumed policy is the saved one, not a fresh random one.
            let fresh = try Trainer(c)
            XCTAssertNotEqual(parameters(fresh), parameters(resumed))
        }
    }

    /// `restorePolicy` loads the policy and the step count alone, also from a checkpoint whose
    /// other records have another layout (an older version's), which a full restore refuses.
    func testRestorePolicyAlone() throws {
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.replayCapacity = 2_000
        let trained = try Trainer(c)
        while trained.environmentSteps < 600 { trained.step() }
        var records = trained.checkpointArchive().records
        let index = try XCTUnwrap(records.firstIndex { $0.name == "generators" })
        records[index].values += [Float](repeating: 0, count: 12)  // one generator more
        records[index].shape[0] += 6
        let path = NSTemporaryDirectory() + "svgrt-policy-\(UUID().uuidString).svgp"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParameterArchive(records: records).write(to: path)
        let fresh = try Trainer(c)
        XCTAssertThrowsError(try fresh.restore(from: path))
        let evaluator = try Trainer(c)
        XCTAssertEqual(try evaluator.restorePolicy(from: path), 600)
        XCTAssertEqual(evaluator.policy.parameterFingerprint(), trained.policy.parameterFingerprint())
        XCTAssertEqual(evaluator.evaluate().bitPattern, trained.evaluate().bitPattern)
        XCTAssertNotEqual(try Trainer(c).policy.parameterFingerprint(), trained.policy.parameterFingerprint())
    }

    /// With `policyAveraging` τ the evaluations play θ̄ = the Polyak average of the policy's mean
    /// network after each episode, starting from the initial network; acting and training are
    /// those of the run without it; the checkpoint carries θ̄ to `restorePolicy`.
    func testPolicyAveragingEvaluatesThePolyakAverage() throws {
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.algorithm = .svgInfinity
        c.replayCapacity = 2_000
        let plain = try Trainer(c)
        XCTAssertNil(plain.averagePolicy)
        XCTAssertTrue(plain.evaluationPolicy === plain.policy)
        let tau: Float = 0.3
        c.policyAveraging = tau
        let averaged = try Trainer(c)
        let average = try XCTUnwrap(averaged.averagePolicy)
        XCTAssertTrue(averaged.evaluationPolicy === average)
        func weights(_ p: GaussianPolicy) -> [Float] { (0..<p.mean.parameters.count).map { p.mean.parameters[$0] } }
        var expected = weights(averaged.policy)  // θ̄₀ = θ₀
        var returnsPlain: [Double] = [], returnsAveraged: [Double] = []
        while averaged.episode < 3 {
            plain.step { if case let .episodeEnded(_, _, r) = $0 { returnsPlain.append(r) } }
            let ended = averaged.step { if case let .episodeEnded(_, _, r) = $0 { returnsAveraged.append(r) } }
            if ended {
                let theta = weights(averaged.policy)
                for i in expected.indices { expected[i] = (1 - tau) * expected[i] + tau * theta[i] }
            }
        }
        // Training is untouched: the same returns and the same trained policy as without averaging.
        XCTAssertEqual(returnsAveraged.map(\.bitPattern), returnsPlain.map(\.bitPattern))
        XCTAssertEqual(averaged.policy.parameterFingerprint(), plain.policy.parameterFingerprint())
        let got = weights(average)
        var worst: Float = 0
        for i in expected.indices { worst = max(worst, abs(got[i] - expected[i]) / max(1e-3, abs(expected[i]))) }
        XCTAssertLessThan(worst, 1e-5, "θ̄ is not the Polyak average of the episodes' policies")
        XCTAssertNotEqual(got, weights(averaged.policy), "θ̄ should lag θ")
        XCTAssertNotEqual(averaged.evaluate().bitPattern, plain.evaluate().bitPattern)
        XCTAssertEqual(averaged.evaluate().bitPattern,
                       Evaluation.meanReturn(policy: average, plant: PlantRegistry.make("pendulum")!, episodes: 10).bitPattern)
        // restorePolicy brings θ̄ back, and `svgrt evaluate` plays it.
        let path = NSTemporaryDirectory() + "svgrt-average-\(UUID().uuidString).svgp"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try averaged.writeCheckpoint(to: path)
        let evaluator = try Trainer(c)
        _ = try evaluator.restorePolicy(from: path)
        XCTAssertEqual(weights(try XCTUnwrap(evaluator.averagePolicy)).map(\.bitPattern), got.map(\.bitPattern))
        XCTAssertEqual(evaluator.evaluate().bitPattern, averaged.evaluate().bitPattern)
        // A checkpoint without θ̄ (written with averaging off) is refused by a configuration that wants it.
        try plain.writeCheckpoint(to: path)
        XCTAssertThrowsError(try evaluator.restorePolicy(from: path))
    }

    /// `policyStepsPerEpisode` and `modelStepsPerEpisode` set how many policy and model steps
    /// SVG(∞) and the planner take after an episode, and the losses reported are the ones of
    /// the learner that took them.
    func testEpisodicStepCountsAreTaken() throws {
        for algorithm in [TrainingConfiguration.Algorithm.svgInfinity, .planner] {
            var c = TrainingConfiguration.defaults(for: "pendulum")
            c.algorithm = algorithm
            c.policyStepsPerEpisode = 3
            c.modelStepsPerEpisode = 7
            let t = try Trainer(c)
            while t.episode < 2 { t.step() }
            XCTAssertEqual(t.policy.meanOptimizer.stepCount, 6, "\(algorithm)")
            XCTAssertEqual(t.model.optimizers[0].stepCount, 14, "\(algorithm)")
            XCTAssertTrue(t.svg1er === t.episodic.learner, "one learner fits the model for every algorithm")
            XCTAssertNotEqual(t.svg1er.modelLoss, 0, "\(algorithm)")
        }
    }

    /// The σ floor is a fraction of the actuator half-range (the pendulum's is 2 N·m) and reaches
    /// the policy the trainer builds.
    func testStdFloorIsAFractionOfTheHalfRange() throws {
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.setStdFloor(fractionOfHalfRange: 0.05)
        XCTAssertEqual(c.svg.minLogStd, logf(0.1), accuracy: 1e-6)
        let t = try Trainer(c)
        XCTAssertEqual(t.policy.minLogStd, logf(0.1), accuracy: 1e-6)
        var hand = TrainingConfiguration.defaults(for: "hand")
        hand.setStdFloor(fractionOfHalfRange: 0.5)
        XCTAssertEqual(hand.svg.minLogStd, logf(0.5), accuracy: 1e-6)
    }

    func testUnknownPlantIsAClearError() {
        var c = TrainingConfiguration()
        c.plant = "segway"
        XCTAssertThrowsError(try Trainer(c)) { error in
            XCTAssertTrue("\(error)".contains("unknown plant 'segway'"), "\(error)")
        }
    }
}
