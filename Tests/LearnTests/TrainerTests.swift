import Foundation
import XCTest
import Learn
import Net
import Plants
import Training

final class TrainerTests: XCTestCase {
    /// Every value a checkpoint holds (networks, targets, optimisers, replay, generators,
    /// counters), as bit patterns.
    func parameters(_ t: Trainer) -> [UInt32] {
        t.checkpointArchive().records.flatMap { $0.values.map(\.bitPattern) }
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
        for (algorithm, averaging, noise) in [(Algorithm.svg1ER, 0.0, 0.0), (.svg1, 0, 0), (.svgInfinity, 0, 0), (.planner, 0, 0), (.svg0, 0, 0),
                                              (.svgInfinity, 0.3, 0), (.svg1ER, 0, 0.1), (.sacSVG, 0, 0)] {
            // SAC-SVG(2): updates from step 200, the expansion from update 200 (before the checkpoint at 600).
            let sac: [String: JSONValue] = ["warmupSteps": .int(200), "modelFreeUpdates": .int(200), "batchSize": .int(64)]
            let c = try configuration("pendulum", algorithm, hyperparameters: algorithm == .sacSVG ? sac : [:],
                                      policy: algorithm == .sacSVG ? [:] : ["averaging": .double(averaging)],
                                      fields: ["replayCapacity": .int(2_000), "conditions": .object(["actuatorNoise": .double(noise)])])
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

    /// `restorePolicy` loads the policy and the step count alone, also from a checkpoint of
    /// layout 1 (every algorithm's networks, counters in "counters"), which a full restore
    /// refuses naming the layout; a checkpoint of another algorithm is refused naming both.
    func testRestorePolicyAlone() throws {
        let c = try configuration("pendulum", fields: ["replayCapacity": .int(2_000)])
        let trained = try Trainer(c)
        while trained.environmentSteps < 600 { trained.step() }
        var records = trained.checkpointArchive().records.filter { !$0.name.hasPrefix("checkpoint.") && !$0.name.hasPrefix("trainer.") }
        records.append(countersRecord("counters", [600, 3, 600, 0, 0, 0, 0, 0]))
        let path = NSTemporaryDirectory() + "svgrt-policy-\(UUID().uuidString).svgp"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ParameterArchive(records: records).write(to: path)
        let fresh = try Trainer(c)
        XCTAssertThrowsError(try fresh.restore(from: path)) { error in
            XCTAssertTrue("\(error)".contains("checkpoint layout 1"), "\(error)")
        }
        let evaluator = try Trainer(c)
        XCTAssertEqual(try evaluator.restorePolicy(from: path), 600)
        XCTAssertEqual(evaluator.policy.parameterFingerprint(), trained.policy.parameterFingerprint())
        XCTAssertEqual(evaluator.evaluate().bitPattern, trained.evaluate().bitPattern)
        XCTAssertNotEqual(try Trainer(c).policy.parameterFingerprint(), trained.policy.parameterFingerprint())
        try trained.writeCheckpoint(to: path)
        let other = try Trainer(try configuration("pendulum", .svg0, fields: ["replayCapacity": .int(2_000)]))
        XCTAssertThrowsError(try other.restore(from: path)) { error in
            XCTAssertTrue("\(error)".contains("a checkpoint of svg1-er, not svg0"), "\(error)")
        }
    }

    /// Only the chosen algorithm is built and checkpointed: each agent's records are its own
    /// (SVG(0) has a Q critic and no model, SVG(∞) and the planner a model and no critic).
    func testOnlyTheChosenAgentIsBuiltAndCheckpointed() throws {
        let expected: [(Algorithm, Any.Type, has: [String], hasNot: [String])] = [
            (.svg1ER, SVG1ER.self, ["agent.model.dimension0", "agent.value"], ["agent.q"]),
            (.svg1, SVG1.self, ["agent.model.dimension0", "agent.value"], ["agent.q"]),
            (.svgInfinity, SVGInfinity.self, ["agent.model.dimension0"], ["agent.value", "agent.q"]),
            (.planner, Planner.self, ["agent.model.dimension0"], ["agent.value", "agent.q"]),
            (.svg0, SVG0.self, ["agent.q"], ["agent.model.dimension0", "agent.value"]),
        ]
        for (algorithm, type, has, hasNot) in expected {
            let t = try Trainer(try configuration("pendulum", algorithm, fields: ["replayCapacity": .int(1_000)]))
            XCTAssertTrue(Swift.type(of: t.agent) == type, "\(algorithm): \(Swift.type(of: t.agent))")
            XCTAssertEqual(t.agent.algorithm, algorithm)
            let names = Set(t.checkpointArchive().records.map(\.name))
            for name in has { XCTAssertTrue(names.contains(name), "\(algorithm) lacks \(name)") }
            for name in hasNot { XCTAssertFalse(names.contains(name), "\(algorithm) has \(name)") }
        }
    }

    /// A partial configuration merges over the plant's defaults; a field that does not exist, a
    /// hyperparameter the algorithm does not use, a value of the wrong type and one out of
    /// range are refused with their names.
    /// A replay larger than the machine's memory is refused before it is allocated, also for a
    /// plant known only by its HELLO (sizes unknown until then).
    func testReplayTooLargeForTheMachineIsRefused() throws {
        let memory = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        // 40 observations and 10 actions: 372 bytes a transition; twice the machine's memory of them.
        let capacity = Int(2 * memory / 372)
        let board = WirePlant(helloName: "arm", observationSize: 40, actionSize: 10, physicalStateSize: 40, timeStep: 0.01,
                              episodeLength: 1_000, actionLow: Array(repeating: -1, count: 10), actionHigh: Array(repeating: 1, count: 10))
        var c = TrainingConfiguration.defaults(for: board.name)
        c.replayCapacity = capacity
        XCTAssertThrowsError(try Trainer(c, plant: board)) { error in
            XCTAssertTrue("\(error)".contains("replayCapacity (\(capacity)) needs"), "\(error)")
            XCTAssertTrue("\(error)".contains("GB for wire:arm's transitions; this machine has"), "\(error)")
        }
        c.replayCapacity = 1_000
        XCTAssertNoThrow(try Trainer(c, plant: board))
    }

    func testConfigurationLayersAndRefusals() throws {
        let c = try configuration("pendulum", hyperparameters: ["gamma": .double(0.9)], fields: ["steps": .int(300)])
        XCTAssertEqual(c.steps, 300)
        XCTAssertEqual(c.algorithm, .svg1ER)
        guard case .svg1ER(let h) = c.hyperparameters else { return XCTFail("\(c.hyperparameters)") }
        XCTAssertEqual(h.gamma, 0.9)
        XCTAssertEqual(h.batchSize, 64, "the pendulum's default stays")
        XCTAssertEqual(h.updatesPerStep, 4, "the pendulum's default stays")
        XCTAssertEqual(h.klWeight, 0.03, "the pendulum's default stays")
        // The plant's values reach only the algorithms that have them.
        guard case .svg0(let h0) = try configuration("pendulum", .svg0).hyperparameters else { return XCTFail() }
        XCTAssertEqual(h0.batchSize, 128)
        XCTAssertEqual(h0.updatesPerStep, 1, "SVG(1)-ER's pendulum values do not reach SVG(0)")
        XCTAssertEqual(h0.polyak, 0.01)
        func refused(_ make: @autoclosure () throws -> TrainingConfiguration, _ words: String..., line: UInt = #line) {
            XCTAssertThrowsError(try make(), line: line) { error in
                for w in words { XCTAssertTrue("\(error)".contains(w), "\(error) lacks '\(w)'", line: line) }
            }
        }
        XCTAssertEqual(h0.klWeight, 0, "the pendulum's SVG(1)-ER regularisers do not reach SVG(0)")
        // SAC-SVG(H) on the pendulum: 64-64 policy and critics; elsewhere SB3's SAC sizes, 256-256.
        let sacPendulum = try configuration("pendulum", .sacSVG)
        guard case .sacSVG(let hp) = sacPendulum.hyperparameters else { return XCTFail() }
        XCTAssertEqual(sacPendulum.policy.hidden, [64, 64])
        XCTAssertEqual(hp.valueHidden, [64, 64])
        XCTAssertEqual(try configuration("Hopper-v5").policy.hidden, [256, 256])
        XCTAssertEqual(try configuration("pendulum", .svg1ER).policy.hidden, [100, 100], "the paper's sizes for the SVG variants")
        // reacher3 trains with SAC-SVG(2) at its critic scale unless told otherwise; SVG(1)-ER keeps
        // its own scale there.
        let reacher = try configuration("reacher3")
        guard case .sacSVG(let hr) = reacher.hyperparameters else { return XCTFail("\(reacher.hyperparameters)") }
        XCTAssertEqual(hr.horizon, 2)
        XCTAssertEqual(hr.valueScale, 10)
        XCTAssertEqual(hr.gamma, 0.98, "the plant's discount")
        guard case .svg1ER(let he) = try configuration("reacher3", .svg1ER).hyperparameters else { return XCTFail() }
        XCTAssertEqual(he.valueScale, 100)
        XCTAssertEqual(try configuration("hand").algorithm, .svgInfinity)
        // The swimmers train with SVG(1)-ER at a slow policy step; SAC-SVG(2) on swimmer3 has reacher3's critic scale.
        for swimmer in ["swimmer3", "swimmer5", "swimmer7"] {
            guard case .svg1ER(let hs) = try configuration(swimmer).hyperparameters else { return XCTFail("\(swimmer) trains with SVG(1)-ER") }
            XCTAssertEqual(hs.policyLearningRate, 1e-6)
            XCTAssertEqual(hs.gamma, 0.995, "the plant's discount")
        }
        guard case .svg1ER(let pendulum) = try configuration("pendulum").hyperparameters else { return XCTFail() }
        XCTAssertEqual(pendulum.policyLearningRate, 3e-4, "the pendulum keeps its own step")
        // SVG(0) takes the same slow step on the swimmers, and its own 1e-3 elsewhere.
        for swimmer in ["swimmer3", "swimmer5", "swimmer7"] {
            guard case .svg0(let h0) = try configuration(swimmer, .svg0).hyperparameters else { return XCTFail() }
            XCTAssertEqual(h0.policyLearningRate, 1e-6, swimmer)
            XCTAssertEqual(h0.gamma, 0.995, "the plant's discount")
        }
        guard case .svg0(let reacherSVG0) = try configuration("reacher3", .svg0).hyperparameters else { return XCTFail() }
        XCTAssertEqual(reacherSVG0.policyLearningRate, 1e-3)
        // And on Hopper-v5 and HalfCheetah-v5 (SVG(1)-ER on HalfCheetah-v5 too), not on Walker2d-v5 or InvertedPendulum-v5.
        for (task, svg0Step, svg1ERStep) in [("Hopper-v5", 1e-6, 1e-3), ("HalfCheetah-v5", 1e-6, 1e-6),
                                             ("Walker2d-v5", 1e-3, 1e-3), ("InvertedPendulum-v5", 1e-3, 1e-3)] {
            guard case .svg0(let h0) = try configuration(task, .svg0).hyperparameters else { return XCTFail() }
            XCTAssertEqual(h0.policyLearningRate, Float(svg0Step), task)
            guard case .svg1ER(let he) = try configuration(task, .svg1ER).hyperparameters else { return XCTFail() }
            XCTAssertEqual(he.policyLearningRate, Float(svg1ERStep), task)
        }
        guard case .sacSVG(let hsac) = try configuration("swimmer3", .sacSVG).hyperparameters else { return XCTFail() }
        XCTAssertEqual(hsac.horizon, 2)
        XCTAssertEqual(hsac.valueScale, 10)
        for task in ["Hopper-v5", "HalfCheetah-v5", "Walker2d-v5", "InvertedPendulum-v5"] {
            XCTAssertEqual(try configuration(task).algorithm, .sacSVG, "gymnasium's \(task) trains with SAC-SVG(H) by default")
        }
        guard case .sacSVG(let cheetah) = try configuration("HalfCheetah-v5").hyperparameters,
              case .sacSVG(let hopper) = try configuration("Hopper-v5").hyperparameters else { return XCTFail() }
        XCTAssertEqual(cheetah.horizon, 0, "HalfCheetah-v5 learns best without the expansion")
        XCTAssertEqual(cheetah.clipNorm, 1_000_000, "HalfCheetah-v5 learns best with its gradients unclipped")
        XCTAssertEqual(hopper.clipNorm, 5, "V_max 5 elsewhere")
        XCTAssertEqual(hopper.horizon, 2)
        XCTAssertEqual([hopper.initialTargetEntropy, hopper.finalTargetEntropy], [1, 0], "the official schedule for Hopper")
        XCTAssertEqual(hopper.targetEntropyDecay, 32)
        XCTAssertEqual(try configuration("Hopper-v5").replayCapacity, 1_000_000)
        guard case .sacSVG(let walker) = try configuration("Walker2d-v5").hyperparameters else { return XCTFail() }
        XCTAssertEqual([walker.initialTargetEntropy, walker.finalTargetEntropy], [-2, -16], "the official schedule for Walker2d")
        XCTAssertEqual(walker.targetEntropyDecay, 0.015625)
        XCTAssertEqual(walker.horizon, 2)
        XCTAssertEqual(try configuration("Walker2d-v5").replayCapacity, 1_000_000)
        XCTAssertEqual(cheetah.initialTargetEntropy, nil, "−dim A elsewhere")
        XCTAssertEqual(try configuration("HalfCheetah-v5").replayCapacity, 100_000)
        XCTAssertEqual(h0.preSquashPenalty, 0)
        guard case .svg0(let asked) = try configuration("pendulum", .svg0, hyperparameters: ["klWeight": .double(0.1)]).hyperparameters
        else { return XCTFail() }
        XCTAssertEqual(asked.klWeight, 0.1, "SVG(0) takes a KL weight when asked")
        refused(try configuration("pendulum", .svg0, hyperparameters: ["modelHidden": .array([.int(5)])]),
                "svg0 does not use 'modelHidden'", "svg1-er")
        refused(try configuration("pendulum", .svgInfinity, hyperparameters: ["updatesPerStep": .int(2)]),
                "svg-inf does not use 'updatesPerStep'", "svg1-er, svg0")
        refused(try configuration("pendulum", fields: ["stpes": .int(3)]), "unknown field 'stpes'")
        refused(try configuration("pendulum", policy: ["width": .int(3)]), "unknown field 'policy.width'")
        refused(try configuration("pendulum", hyperparameters: ["batchSize": .string("many")]), "hyperparameters.batchSize")
        refused(try configuration("pendulum", hyperparameters: ["batchSize": .int(0)]), "hyperparameters.batchSize must be")
        refused(try configuration("pendulum", hyperparameters: ["gamma": .double(2)]), "hyperparameters.gamma must be in [0, 1]")
        refused(try configuration("pendulum", hyperparameters: ["policyLearningRate": .double(-1)]), "policyLearningRate must be")
        refused(try configuration("pendulum", policy: ["hidden": .array([.int(0)])]), "policy.hidden must be")
        refused(try configuration("pendulum", fields: ["replayCapacity": .int(10)]), "replayCapacity (10) must be at least")
        refused(try configuration("segway"), "unknown plant 'segway'")
        refused(try configuration("pendulum", fields: ["algorithm": .string("ppo")]), "unknown algorithm 'ppo'")
        // config.json round-trips.
        let again = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(c))
        XCTAssertEqual(again, c)
    }

    /// With `policyAveraging` τ the evaluations play θ̄ = the Polyak average of the policy's mean
    /// network after each episode, starting from the initial network; acting and training are
    /// those of the run without it; the checkpoint carries θ̄ to `restorePolicy`.
    func testPolicyAveragingEvaluatesThePolyakAverage() throws {
        let plain = try Trainer(try configuration("pendulum", .svgInfinity, fields: ["replayCapacity": .int(2_000)]))
        XCTAssertNil(plain.averagePolicy)
        XCTAssertTrue(plain.evaluationPolicy === plain.policy)
        let tau: Float = 0.3
        let c = try configuration("pendulum", .svgInfinity, policy: ["averaging": .double(0.3)], fields: ["replayCapacity": .int(2_000)])
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
        for algorithm in [Algorithm.svgInfinity, .planner] {
            let c = try configuration("pendulum", algorithm, hyperparameters: ["policyStepsPerEpisode": .int(3), "modelStepsPerEpisode": .int(7)])
            let t = try Trainer(c)
            while t.episode < 2 { t.step() }
            XCTAssertEqual(t.policy.meanOptimizer.stepCount, 6, "\(algorithm)")
            let model = try XCTUnwrap((t.agent as? SVGInfinity)?.model ?? (t.agent as? Planner)?.model)
            XCTAssertEqual(model.optimizers[0].stepCount, 14, "\(algorithm)")
            XCTAssertEqual(t.agent.lossNames, ["model_loss"])
            XCTAssertNotEqual(t.agent.loss(0), 0, "\(algorithm)")
        }
    }

    /// The σ floor is a fraction of the actuator half-range (the pendulum's is 2 N·m) and reaches
    /// the policy the trainer builds.
    func testStdFloorIsAFractionOfTheHalfRange() throws {
        let t = try Trainer(try configuration("pendulum", policy: ["minStdFraction": .double(0.05)]))
        XCTAssertEqual(t.policy.minLogStd, logf(0.1), accuracy: 1e-6)
        let hand = try Trainer(try configuration("hand", policy: ["minStdFraction": .double(0.5)]))
        XCTAssertEqual(hand.policy.minLogStd, logf(0.5), accuracy: 1e-6)
        XCTAssertEqual(try Trainer(try configuration("swimmer3")).policy.minLogStd, -5, "no floor: σ ≥ e⁻⁵")
    }

    func testUnknownPlantIsAClearError() {
        var c = TrainingConfiguration()
        c.plant = "segway"
        XCTAssertThrowsError(try Trainer(c)) { error in
            XCTAssertTrue("\(error)".contains("unknown plant 'segway'"), "\(error)")
        }
    }
}

/// Configurations of layout 1 (flat fields and one "svg" object for every algorithm), as the
/// stored benchmark runs have them, read as today's: the cart-pole's and the Hand's equal those
/// plants' defaults, which have not changed since.
final class LegacyConfigurationTests: XCTestCase {
    func testLayoutOneConfigurationsReadAsToday() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (run, plant, algorithm) in [("cartpole/svgrt-svg1-er-seed1", "cartpole", Algorithm.svg1ER),
                                        ("hand/svgrt-planner-seed1", "hand", .planner),
                                        ("cartpole/svgrt-svg0-seed2", "cartpole", .svg0)] {
            let path = root.appendingPathComponent("Benchmarks/results/\(run)/config.json").path
            let c = try TrainingConfiguration.resolve([.file(path)])
            var expected = TrainingConfiguration.defaults(for: plant, algorithm: algorithm)
            expected.seed = c.seed
            expected.steps = c.steps
            XCTAssertEqual(c.algorithm, algorithm, run)
            XCTAssertEqual(c.hyperparameters, expected.hyperparameters, run)
            XCTAssertEqual(c.policy.minStdFraction ?? 0, expected.policy.minStdFraction ?? 0, accuracy: 1e-6, run)
            expected.policy.minStdFraction = c.policy.minStdFraction
            XCTAssertEqual(c, expected, run)
        }
    }
}

/// Training and evaluating under plant conditions (gain, actuator and sensor noise): nominal
/// conditions change nothing; others change what the plant does, seeded, the same for every
/// policy evaluated alike.
final class PlantConditionsTests: XCTestCase {
    func testConditionsReachTrainingAndEvaluation() throws {
        let nominal = try Trainer(try configuration("pendulum"))
        let explicit = try Trainer(try configuration("pendulum", fields: ["conditions": .object(["actuatorGain": .double(1)])]))
        let weak = try Trainer(try configuration("pendulum", fields: ["conditions": .object(["actuatorGain": .double(0.6), "actuatorNoise": .double(0.1)])]))
        var a: [Double] = [], b: [Double] = [], w: [Double] = []
        while nominal.episode < 2 {
            nominal.step { if case let .episodeEnded(_, _, r) = $0 { a.append(r) } }
            explicit.step { if case let .episodeEnded(_, _, r) = $0 { b.append(r) } }
            weak.step { if case let .episodeEnded(_, _, r) = $0 { w.append(r) } }
        }
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "nominal conditions changed the run")
        XCTAssertNotEqual(a, w, "a weak, noisy motor changed nothing")
        let plant = PlantRegistry.make("pendulum")!
        let conditions = PlantConditions(actuatorGain: 0.6, actuatorNoise: 0.1)
        let once = Evaluation.meanReturn(policy: nominal.policy, plant: plant, conditions: conditions)
        XCTAssertEqual(once.bitPattern, Evaluation.meanReturn(policy: nominal.policy, plant: plant, conditions: conditions).bitPattern,
                       "the same policy under the same conditions gives the same evaluation")
        XCTAssertNotEqual(once, Evaluation.meanReturn(policy: nominal.policy, plant: plant))
        XCTAssertThrowsError(try configuration("pendulum", fields: ["conditions": .object(["actuatorGain": .double(-1)])])) { error in
            XCTAssertTrue("\(error)".contains("conditions.actuatorGain must be in [0, 10]"), "\(error)")
        }
    }
}


/// Termination against truncation in what the learners store: a fall (Hopper-v5) is a terminal
/// transition, the time limit (Reacher-v5's 50 steps) is not.
final class TerminationTests: XCTestCase {
    func terminals(_ plant: String, steps: Int) throws -> (terminals: Int, episodes: Int, stored: Int) {
        var c = TrainingConfiguration.defaults(for: plant)
        c.steps = steps
        let trainer = try Trainer(c)
        var episodes = 0
        for _ in 0..<steps { trainer.step { _ in episodes += 1 } }
        let replay = trainer.agent.replay
        return ((0..<replay.count).filter { replay.terminals[$0] != 0 }.count, episodes, replay.count)
    }

    func testFallsAreTerminalAndTimeLimitsAreNot() throws {
        let hopper = try terminals("Hopper-v5", steps: 600)
        XCTAssertGreaterThan(hopper.episodes, 3)
        XCTAssertEqual(hopper.terminals, hopper.episodes, "every Hopper episode of an untrained policy ends in a fall")
        let reacher = try terminals("Reacher-v5", steps: 150)
        XCTAssertEqual(reacher.episodes, 3)
        XCTAssertEqual(reacher.terminals, 0, "Reacher-v5 only truncates")
        XCTAssertEqual(reacher.stored, 150)
    }
}
