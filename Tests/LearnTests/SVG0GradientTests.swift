import XCTest
import Learn
import Net
import Training

/// SVG(0)'s policy gradient against central finite differences of the objective it ascends,
/// (1/n) Σ_b w_b Q̂(s_b, μ(s_b) + σ(s_b) η_b) with η fixed, for fresh and for replayed actions,
/// and with the KL and pre-squash regularisers.
final class SVG0GradientTests: XCTestCase {
    func testPolicyGradientMatchesFiniteDifferences() throws {
        // The last case adds the KL and the pre-squash penalty (§4), with π_ref moved off the policy.
        for (plant, fresh, stateDependent, regularised) in [("pendulum", true, false, false), ("reacher3", true, true, false),
                                                            ("cartpole", false, false, false), ("reacher3", true, true, true)] {
            let regularisers: [String: JSONValue] = regularised ? ["klWeight": .double(0.5), "preSquashPenalty": .double(0.3)] : [:]
            let c = try configuration(plant, .svg0, hyperparameters: ["warmupSteps": .int(100), "batchSize": .int(16),
                                                                     "freshActions": .bool(fresh),
                                                                     "valueHidden": .array([.int(32), .int(32)])].merging(regularisers) { $1 },
                                      policy: ["hidden": .array([.int(32), .int(32)]), "stateDependentStd": .bool(stateDependent)])
            let trainer = try Trainer(c)
            for _ in 0..<300 { trainer.step() }
            let agent = trainer.agent as! SVG0, policy = agent.policy
            if let reference = agent.regularisers.klReference {
                var kg = Xoshiro256StarStar(seed: 77)
                for k in 0..<reference.mean.parameters.count { reference.mean.parameters[k] += 0.05 * kg.nextUniform(-1, 1) }
                for i in 0..<reference.actionSize { reference.logStd[i] += 0.2 }
            }
            XCTAssertEqual(agent.regularisers.preSquashPenalty > 0, regularised, plant)
            let batch = Minibatch(capacity: 16, stateSize: trainer.plant.observationSize, actionSize: trainer.plant.actionSize)
            var g = Xoshiro256StarStar(seed: 3)
            batch.sample(16, from: agent.replay, generator: &g)
            for b in 0..<16 { batch.weights[b] = Float(0.5 + 0.1 * Double(b % 5)) }
            agent.policyGradientAtCurrentNoise(batch)
            let count = policy.mean.parameters.count, A = policy.actionSize
            let gradient = (0..<count).map { policy.mean.gradients[$0] } + (0..<A).map { policy.logStdGradient[$0] }
            let theta = (0..<count).map { policy.mean.parameters[$0] } + (0..<A).map { policy.logStd[$0] }
            func set(_ x: [Float]) {
                for i in 0..<count { policy.mean.parameters[i] = x[i] }
                for i in 0..<A { policy.logStd[i] = x[count + i] }
            }
            let norm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
            XCTAssertGreaterThan(norm, 1e-4, plant)
            var rng = Xoshiro256StarStar(seed: 8)
            var directions = [gradient.map { $0 / norm }]
            for _ in 0..<4 {
                let v = theta.map { _ in Float(rng.nextGaussian()) }
                let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                directions.append(v.map { $0 / n })
            }
            for (k, d) in directions.enumerated() {
                let epsilon: Float = 1e-2
                set(zip(theta, d).map { $0 + epsilon * $1 })
                let plus = -agent.policyObjective(batch)
                set(zip(theta, d).map { $0 - epsilon * $1 })
                let minus = -agent.policyObjective(batch)
                set(theta)
                let analytic = zip(gradient, d).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(analytic, (plus - minus) / (2 * epsilon), accuracy: 0.03 * norm + 2e-4, "\(plant), fresh \(fresh), regularised \(regularised), direction \(k)")
            }
        }
    }
}
