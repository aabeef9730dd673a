import XCTest
import Learn
import Net
import Plants
import Training
import _AllocationCounter

final class AlgorithmPropertyTests: XCTestCase {
    /// Sampling η, acting, then inferring η from (s, a) gives η back; likewise ξ through the model.
    func testNoiseInferenceRoundTrips() {
        for (squash, stateDependent) in [(false, false), (true, false), (true, true)] {
            let l = SmallLearner(plant: Pendulum(), seed: 3, squash: squash, stateDependentStd: stateDependent)
            var g = Xoshiro256StarStar(seed: 8)
            var worstEta: Float = 0, worstXi: Float = 0
            for _ in 0..<200 {
                let s: [Float] = [g.nextUniform(-1, 1), g.nextUniform(-1, 1), g.nextUniform(-8, 8)]
                var a: [Float] = [0]
                var copy = g
                let eta = Float(copy.nextGaussian())
                l.policy.act(s, into: &a, generator: &g)
                // Inference as the updates do it: forward the mean on the same state.
                let row = l.policy.mean.input(sample: 0)
                for i in 0..<3 { row[i] = s[i] }
                l.policy.forwardMean(batch: 1)
                worstEta = max(worstEta, abs((a[0] - l.policy.meanRow(0)[0]) / l.policy.sampleStd(0, 0) - eta))
                // ξ: s' = s + μ̂(s, a) + σ̂ ξ, then inferred back.
                s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { l.model.setInput(sample: 0, state: sp.baseAddress!, action: $0.baseAddress!) } }
                l.model.forward(batch: 1)
                for i in 0..<3 {
                    let xi = Float(g.nextGaussian())
                    let next = s[i] + l.model.predictedChange(sample: 0, dimension: i) + l.model.std(i) * xi
                    let inferred = (next - s[i] - l.model.predictedChange(sample: 0, dimension: i)) / l.model.std(i)
                    worstXi = max(worstXi, abs(inferred - xi))
                }
            }
            XCTAssertLessThanOrEqual(worstEta, 1e-5)
            XCTAssertLessThanOrEqual(worstXi, 1e-4)
        }
    }

    func testImportanceWeightIsOneOnPolicyAndTruncated() {
        XCTAssertEqual(truncatedImportanceWeight(logDensityNow: -1.3, logDensityThen: -1.3, maximum: 5), 1)
        XCTAssertEqual(truncatedImportanceWeight(logDensityNow: 10, logDensityThen: -10, maximum: 5), 5)
        XCTAssertEqual(truncatedImportanceWeight(logDensityNow: -2, logDensityThen: -1, maximum: 5), Float(Foundation.exp(-1.0)), accuracy: 1e-6)
        // On-policy through the learner: data logged by the current policy has weight 1.
        let l = SmallLearner(plant: Pendulum(), seed: 4)
        let replay = ReplayBuffer(capacity: 64, stateSize: 3, actionSize: 1)
        var g = Xoshiro256StarStar(seed: 9)
        for _ in 0..<64 {
            let s: [Float] = [g.nextUniform(-1, 1), g.nextUniform(-1, 1), g.nextUniform(-2, 2)]
            var a: [Float] = [0]
            let logp = l.policy.act(s, into: &a, generator: &g)
            replay.add(s, a, next: s, logProbability: logp)
        }
        let batch = Minibatch(capacity: 64, stateSize: 3, actionSize: 1)
        batch.take(0..<64, from: replay)
        let step = ValueGradientPolicyStep(policy: l.policy, model: l.model, reward: l.reward, maxBatch: 64)
        let meanWeight = step.computeGradient(batch, gamma: 0.9, maximumWeight: 5)
        XCTAssertEqual(meanWeight, 1, accuracy: 1e-4)
    }

    /// A linear plant with quadratic reward and a linear Gaussian policy a = K s + σ η: the
    /// SVG(1) estimate with the true model and value gradient converges to the analytic
    /// ∇_K E[r(s, a) + γ V(s')] = −2 R K − 2γ Bᵀ P (A + B K)  (s ~ N(0, I), V(s') = −s'ᵀ P s').
    func testLinearQuadraticGradientConvergesToAnalytic() {
        let S = 2, Ad = 1
        let A: [[Float]] = [[1, 0.1], [0, 1]], B: [[Float]] = [[0], [0.1]]
        let P: [[Float]] = [[2, 0.5], [0.5, 1]], K: [[Float]] = [[-0.5, -0.8]]
        let Rw: Float = 0.5, gamma: Float = 0.95
        final class Quadratic: TaskReward {
            let observationSize = 2, actionSize = 1
            func reward(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>) -> Double {
                -(s[0] * s[0] + s[1] * s[1]) - 0.5 * a[0] * a[0]
            }
            func rewardGradient(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>,
                                dObservation ds: UnsafeMutableBufferPointer<Double>, dAction da: UnsafeMutableBufferPointer<Double>) {
                ds[0] = -2 * s[0]; ds[1] = -2 * s[1]; da[0] = -a[0]
            }
            func terminalReward(observation: UnsafeBufferPointer<Double>) -> Double { 0 }
            func terminalRewardGradient(observation: UnsafeBufferPointer<Double>, dObservation: UnsafeMutableBufferPointer<Double>) {}
        }
        var g = Xoshiro256StarStar(seed: 1)
        let n = 1024
        let policy = GaussianPolicy(observationSize: S, actionSize: Ad, hidden: [], maxBatch: n, initialStd: 0.3, learningRate: 0, generator: &g)
        policy.mean.parameters.zero()
        for i in 0..<S { policy.mean.parameters[policy.mean.layers[0].weightIndex(output: 0, input: i)] = K[0][i] }
        // The true model: linear sub-networks predicting (A − I) s + B a.
        let model = DynamicsModel(stateSize: S, actionSize: Ad, hidden: [], maxBatch: n, learningRate: 0, generator: &g)
        for d in 0..<S {
            let layer = model.networks[d].layers[0]
            model.networks[d].parameters.zero()
            for i in 0..<S { model.networks[d].parameters[layer.weightIndex(output: 0, input: i)] = A[d][i] - (d == i ? 1 : 0) }
            model.networks[d].parameters[layer.weightIndex(output: 0, input: S)] = B[d][0]
        }
        let step = ValueGradientPolicyStep(policy: policy, model: model, reward: Quadratic(), maxBatch: n)
        let batch = Minibatch(capacity: n, stateSize: S, actionSize: Ad)
        let replay = ReplayBuffer(capacity: n, stateSize: S, actionSize: Ad)
        // Analytic gradient: −2 R K − 2γ Bᵀ P (A + B K).
        var analytic = [Float](repeating: 0, count: S)
        for j in 0..<S {
            var bpa: Float = 0
            for r in 0..<S {
                var pa: Float = 0
                for c in 0..<S { pa += P[r][c] * (A[c][j] + B[c][0] * K[0][j]) }
                bpa += B[r][0] * pa
            }
            analytic[j] = -2 * Rw * K[0][j] - 2 * gamma * bpa
        }
        var sum = [Double](repeating: 0, count: S)
        var errors: [Double] = []
        var batches = 0
        for checkpoint in [1, 16, 256] {
            while batches < checkpoint {
                replay.clear()
                for _ in 0..<n {
                    let s: [Float] = [Float(g.nextGaussian()), Float(g.nextGaussian())]
                    let a: [Float] = [K[0][0] * s[0] + K[0][1] * s[1] + policy.dimensionStd(0) * Float(g.nextGaussian())]
                    let next = (0..<S).map { d in A[d][0] * s[0] + A[d][1] * s[1] + B[d][0] * a[0] + 0.1 * Float(g.nextGaussian()) }
                    replay.add(s, a, next: next)
                }
                batch.take(0..<n, from: replay)
                // V_s'(s') = −2 P s'.
                for b in 0..<n {
                    for r in 0..<S {
                        var v: Float = 0
                        for c in 0..<S { v += P[r][c] * batch.nextState(b)[c] }
                        step.valueGradients[b * S + r] = -2 * v
                    }
                }
                step.computeGradient(batch, gamma: gamma, maximumWeight: nil)
                for j in 0..<S { sum[j] -= Double(policy.mean.gradients[policy.mean.layers[0].weightIndex(output: 0, input: j)]) }
                batches += 1
            }
            let estimate = sum.map { $0 / Double(batches) }
            errors.append(relativeError(estimate, analytic.map(Double.init)))
        }
        XCTAssertLessThan(errors[2], errors[0], "error did not shrink with samples: \(errors)")
        XCTAssertLessThan(errors[2], 0.02, "\(errors)")
    }

    /// Every agent's updates, and the trainer's steps around them, allocate nothing after warm-up:
    /// SVG(1)-ER (plain, with the KL regulariser, with state-dependent σ), SVG(0), and the
    /// episodic SVG(1), SVG(∞) and planner.
    func testUpdatesAllocateNothing() throws {
        let cases: [(String, TrainingConfiguration)] = [
            ("SVG(1)-ER", try configuration("pendulum", .svg1ER, hyperparameters: ["warmupSteps": .int(64)])),
            ("SVG(1)-ER with the KL regulariser", try configuration("pendulum", .svg1ER, hyperparameters: ["klWeight": .double(0.5)])),
            ("SVG(1)-ER with a tuned entropy bonus", try configuration("pendulum", .svg1ER, hyperparameters: ["targetEntropy": .double(-1), "warmupSteps": .int(64)])),
            ("SVG(1)-ER with state-dependent σ", try configuration("pendulum", .svg1ER, policy: ["stateDependentStd": .bool(true)])),
            ("SVG(0)", try configuration("pendulum", .svg0, hyperparameters: ["warmupSteps": .int(64)])),
            ("SVG(1)", try configuration("pendulum", .svg1, hyperparameters: ["modelStepsPerEpisode": .int(5)])),
            ("SVG(∞)", try configuration("pendulum", .svgInfinity, hyperparameters: ["modelStepsPerEpisode": .int(5)])),
            ("planner", try configuration("pendulum", .planner, hyperparameters: ["modelStepsPerEpisode": .int(5)])),
            ("SAC-SVG(2)", try configuration("pendulum", .sacSVG, hyperparameters: ["warmupSteps": .int(64), "modelFreeUpdates": .int(0)])),
            ("SAC (SAC-SVG(0))", try configuration("pendulum", .sacSVG, hyperparameters: ["warmupSteps": .int(64), "horizon": .int(0)])),
            ("SAC-SVG(3) on Hopper-v5", try configuration("Hopper-v5", .sacSVG,
                                                           hyperparameters: ["warmupSteps": .int(64), "modelFreeUpdates": .int(0), "horizon": .int(3),
                                                                             "batchSize": .int(64)])),
        ]
        for (name, c) in cases {
            let trainer = try Trainer(c)
            while trainer.episode < 2 { trainer.step() }
            let before = svgrt_thread_allocation_count()
            switch trainer.agent.schedule {
            case .everyStep: for _ in 0..<20 { trainer.agent.update() }
            case .everyEpisode: trainer.agent.endEpisode(length: 200)
            }
            let updateAllocations = svgrt_thread_allocation_count() - before
            XCTAssertEqual(updateAllocations, 0, "\(name): update")
            let stepsBefore = svgrt_thread_allocation_count()
            while trainer.episode < 3 { trainer.step() }  // acting, storing, the agent's updates
            let stepAllocations = svgrt_thread_allocation_count() - stepsBefore
            XCTAssertEqual(stepAllocations, 0, "\(name): steps and updates of a whole episode")
            XCTAssertGreaterThan(trainer.agent.updates, 0, name)
        }
    }
}

import Foundation
import TestSupport
