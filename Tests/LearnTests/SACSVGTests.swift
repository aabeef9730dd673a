import XCTest
import Learn
import Net
import Training
import _AllocationCounter

/// SAC-SVG(H)'s actor gradient through the H-step expansion against central finite
/// differences of the objective it differentiates (noise held fixed), and H = 0 against SAC's
/// actor objective written out independently here.
final class SACSVGTests: XCTestCase {
    /// A small SAC-SVG(H) on `plant`, trained for 400 steps so model and critics are not at
    /// their initial values, and a minibatch of its replay.
    func agent(_ plant: String, horizon: Int) throws -> (Trainer, SACSVG, Minibatch) {
        let c = try configuration(plant, .sacSVG,
                                  hyperparameters: ["horizon": .int(Int64(horizon)), "batchSize": .int(16), "warmupSteps": .int(200),
                                                    "modelFreeUpdates": .int(0), "valueHidden": .array([.int(32), .int(32)]),
                                                    "modelHidden": .array([.int(16), .int(16)]), "modelBatchSize": .int(16)],
                                  policy: ["hidden": .array([.int(32), .int(32)])])
        let trainer = try Trainer(c)
        for _ in 0..<400 { trainer.step() }
        let agent = trainer.agent as! SACSVG
        let batch = Minibatch(capacity: 16, stateSize: trainer.plant.observationSize, actionSize: trainer.plant.actionSize)
        var g = Xoshiro256StarStar(seed: 99)
        batch.sample(16, from: agent.replay, generator: &g)
        return (trainer, agent, batch)
    }

    /// The policy's parameters (network, then the per-dimension log σ offset) as one vector.
    func parameters(_ p: GaussianPolicy) -> [Float] {
        (0..<p.mean.parameters.count).map { p.mean.parameters[$0] } + (0..<p.actionSize).map { p.logStd[$0] }
    }
    func setParameters(_ p: GaussianPolicy, _ x: [Float]) {
        for i in 0..<p.mean.parameters.count { p.mean.parameters[i] = x[i] }
        for i in 0..<p.actionSize { p.logStd[i] = x[p.mean.parameters.count + i] }
    }
    func gradient(_ p: GaussianPolicy) -> [Float] {
        (0..<p.mean.parameters.count).map { p.mean.gradients[$0] } + (0..<p.actionSize).map { p.logStdGradient[$0] }
    }

    /// Directional derivatives of the loss −J/(H + 1): along the gradient itself and along
    /// five random directions, each against the central difference of J with the noise fixed.
    func checkDirectionalDerivatives(_ name: String, agent: SACSVG, batch: Minibatch, horizon: Int,
                                     drawNoise: Bool = true, loss: (() -> Float)? = nil) {
        let policy = agent.policy
        agent.actorStep(batch, horizon: horizon, drawNoise: drawNoise, applyStep: false)
        let g = gradient(policy), theta = parameters(policy)
        let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertGreaterThan(norm, 1e-4, "\(name): a gradient to check")
        let objective = loss ?? { -agent.rolloutObjective(batch, horizon: horizon) / Float(horizon + 1) }
        var directions = [g.map { $0 / norm }]
        var rng = Xoshiro256StarStar(seed: 7)
        for _ in 0..<5 {
            let v = theta.map { _ in Float(rng.nextGaussian()) }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            directions.append(v.map { $0 / n })
        }
        for (k, d) in directions.enumerated() {
            let epsilon: Float = 1e-2
            setParameters(policy, zip(theta, d).map { $0 + epsilon * $1 })
            let plus = objective()
            setParameters(policy, zip(theta, d).map { $0 - epsilon * $1 })
            let minus = objective()
            setParameters(policy, theta)
            let numeric = (plus - minus) / (2 * epsilon)
            let analytic = zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }
            let tolerance = 0.03 * norm + 2e-4
            XCTAssertEqual(analytic, numeric, accuracy: tolerance, "\(name), direction \(k) (gradient norm \(norm))")
        }
    }

    func testExpansionGradientMatchesFiniteDifferences() throws {
        for (plant, horizon) in [("pendulum", 1), ("pendulum", 3), ("reacher3", 2), ("cartpole", 2)] {
            let (_, agent, batch) = try self.agent(plant, horizon: horizon)
            checkDirectionalDerivatives("\(plant), H = \(horizon)", agent: agent, batch: batch, horizon: horizon)
        }
    }

    /// H = 0: the gradient is SAC's, of mean_b [α log π(a_b|s_b) − min_j Q̂_j(s_b, a_b)] with
    /// a_b = c + h tanh(z(s_b) + σ(s_b) η_b), computed here from the networks directly.
    func testHorizonZeroIsSAC() throws {
        let (_, agent, batch) = try self.agent("reacher3", horizon: 2)
        let policy = agent.policy, (q1, q2) = agent.critics
        let n = batch.count, S = batch.stateSize, A = batch.actionSize, alpha = agent.temperature
        // The noise the agent's step draws: take it from the step itself.
        agent.actorStep(batch, horizon: 0, drawNoise: true, applyStep: false)
        let eta = (0..<(n * A)).map { agent.rolloutNoise(sample: $0 / A, dimension: $0 % A) }
        func sacLoss() -> Float {
            for b in 0..<n { for i in 0..<S { policy.mean.input(sample: b)[i] = batch.state(b)[i] } }
            policy.forwardMean(batch: n)
            var total: Float = 0
            for b in 0..<n {
                var action = [Float](repeating: 0, count: A), logDensity: Float = 0
                for i in 0..<A {
                    let u = policy.meanRow(b)[i] + policy.sampleStd(b, i) * eta[b * A + i]
                    let t = tanhf(u)
                    action[i] = policy.actionCenter![i] + policy.actionHalfRange![i] * t
                    logDensity += -0.5 * eta[b * A + i] * eta[b * A + i] - policy.sampleLogStd(b, i) - 0.5 * logf(2 * .pi)
                        - logf(policy.actionHalfRange![i] * (1 - t * t))
                }
                for (q, _) in [(q1, 0), (q2, 1)] {
                    let row = q.network.input(sample: 0)
                    for i in 0..<S { row[i] = batch.state(b)[i] }
                    for i in 0..<A { row[S + i] = action[i] }
                }
                q1.network.forward(batch: 1)
                q2.network.forward(batch: 1)
                let q = min(q1.outputScale * q1.network.output(sample: 0)[0], q2.outputScale * q2.network.output(sample: 0)[0])
                total += alpha * logDensity - q
            }
            return total / Float(n)
        }
        XCTAssertEqual(sacLoss(), -agent.rolloutObjective(batch, horizon: 0), accuracy: 1e-3 * abs(sacLoss()) + 1e-4,
                       "the expansion with H = 0 is SAC's objective")
        checkDirectionalDerivatives("H = 0 against SAC's objective", agent: agent, batch: batch, horizon: 0, drawNoise: false, loss: sacLoss)
    }

    /// The temperature follows the target entropy: above it α falls, below it α rises.
    /// Every network's clip counter against the number of steps it took: a bound of 10⁻⁶ binds
    /// on every step of every network, one of 10⁶ on none.
    func testClipActivityCountsTheStepsWhereTheClipBound() throws {
        for (bound, everyStep) in [(1e-6, true), (1e6, false)] {
            let c = try configuration("pendulum", .sacSVG, hyperparameters: ["warmupSteps": .int(100), "batchSize": .int(32),
                                                                          "clipNorm": .double(bound)])
            let trainer = try Trainer(c)
            let agent = trainer.agent as! SACSVG
            for _ in 0..<300 { trainer.step() }
            let activity = agent.clipActivity
            XCTAssertEqual(activity.map(\.network), ["actor", "critics", "model"])
            XCTAssertEqual(activity[0].steps, agent.updates, "one actor step per update")
            XCTAssertEqual(activity[1].steps, 2 * agent.updates, "two critics per update")
            XCTAssertGreaterThan(activity[2].steps, 0)
            for a in activity {
                XCTAssertEqual(a.clippedSteps, everyStep ? a.steps : 0, "V_max \(bound), \(a.network)")
                XCTAssertEqual(a.fraction(), everyStep ? 1 : 0)
            }
            XCTAssertEqual(ClipActivity.summary(activity), everyStep ? "actor 100.0 %, critics 100.0 %, model 100.0 %"
                                                                     : "actor 0.0 %, critics 0.0 %, model 0.0 %")
            XCTAssertEqual(ClipActivity.summary(activity, since: activity), "actor —, critics —, model —", "no step since")
        }
    }

    func testTemperatureMovesTowardsTheTargetEntropy() throws {
        for (target, rises) in [(Float(5), true), (Float(-20), false)] {
            let c = try configuration("pendulum", .sacSVG, hyperparameters: ["warmupSteps": .int(100), "batchSize": .int(32),
                                                                          "initialTargetEntropy": .double(Double(target)),
                                                                          "finalTargetEntropy": .double(Double(target))])
            let trainer = try Trainer(c)
            let agent = trainer.agent as! SACSVG
            let before = agent.temperature
            for _ in 0..<300 { trainer.step() }
            XCTAssertEqual(agent.temperature > before, rises, "target entropy \(target): α \(before) → \(agent.temperature)")
        }
    }
}
