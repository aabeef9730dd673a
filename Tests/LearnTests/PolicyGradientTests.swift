import XCTest
import Learn
import Net
import TestSupport
import Plants
import Training

/// The SVG policy gradients against central finite differences of the objectives they
/// differentiate, computed in Double with the inferred noises held fixed.
final class PolicyGradientTests: XCTestCase {
    /// SVG(1) on one real transition: ∇_θ of w·(r(s, π(s, η; θ)) + γ V̂(s + μ̂(s, π(s, η; θ)) + σ̂ ⊙ ξ)).
    func testSVG1PolicyGradientMatchesFiniteDifference() throws {
        // (plant, squashed mean, KL regulariser weight, state-dependent σ, pre-squash penalty)
        let cases: [(any Plant, Bool, Float, Bool, Float)] = [
            (Pendulum(), false, 0, false, 0), (Pendulum(), true, 0, false, 0), (Reacher(), true, 0, false, 0),
            (Swimmer(links: 3), false, 0, false, 0), (Pendulum(), true, 0.7, false, 0), (Reacher(), false, 0.3, false, 0),
            (Pendulum(), true, 0, true, 0), (Reacher(), true, 0.5, true, 0), (Swimmer(links: 3), false, 0, true, 0),
            (Pendulum(), true, 0, false, 0.4), (Reacher(), true, 0.2, true, 0.6),
        ]
        for (plantIndex, (plant, squash, klWeight, stateDependent, penalty)) in cases.enumerated() {
            let l = SmallLearner(plant: plant, seed: 10 + UInt64(plantIndex), squash: squash, stateDependentStd: stateDependent)
            let S = plant.observationSize, A = plant.actionSize
            var g = Xoshiro256StarStar(seed: 5)
            plant.reset(using: &g)
            var s = [Double](repeating: 0, count: S)
            s.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
            let sF = s.map(Float.init)
            // An action inside the actuator range, and some next state.
            var aF = [Float](repeating: 0, count: A)
            l.policy.act(sF, into: &aF, generator: &g)
            for i in 0..<A { aF[i] = min(max(aF[i], Float(plant.actionLow[i]) * 0.9), Float(plant.actionHigh[i]) * 0.9) }
            _ = aF.map(Double.init).withUnsafeBufferPointer { plant.step(action: $0) }
            var s2 = [Double](repeating: 0, count: S)
            s2.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
            let s2F = s2.map(Float.init)

            let batch = Minibatch(capacity: 1, stateSize: S, actionSize: A)
            let replay = ReplayBuffer(capacity: 1, stateSize: S, actionSize: A)
            // Logged by an older policy: w = exp(log π_now − log π_then) = e^−0.5, untruncated.
            let input = l.policy.mean.input(sample: 0)
            for i in 0..<S { input[i] = sF[i] }
            l.policy.forwardMean(batch: 1)
            let logThen = aF.withUnsafeBufferPointer { l.policy.logDensity(action: $0, sample: 0) } + 0.5
            replay.add(sF, aF, next: s2F, logProbability: logThen)
            batch.take(0..<1, from: replay)
            let regularisers = PolicyRegularisers(policy: l.policy, maxBatch: 1, klWeight: klWeight, preSquashPenalty: penalty)
            let step = ValueGradientPolicyStep(policy: l.policy, model: l.model, reward: l.reward, maxBatch: 1, regularisers: regularisers)
            // A reference policy near the current one, for the KL term.
            let reference = GaussianPolicy(copying: l.policy, maxBatch: 1)
            var kg = Xoshiro256StarStar(seed: 77)
            for k in 0..<reference.mean.parameters.count { reference.mean.parameters[k] += 0.05 * kg.nextUniform(-1, 1) }
            for i in 0..<A { reference.logStd[i] += 0.2 }
            regularisers.klReference?.copyParameters(from: reference)
            let gamma: Float = 0.9
            l.value.valueGradient(count: 1, states: batch.nextStates.base, into: step.valueGradients.base)
            step.computeGradient(batch, gamma: gamma, maximumWeight: 5)
            let w = Double(batch.weights[0])
            XCTAssertLessThan(w, 5, "the test wants an untruncated weight")

            // The objective in Double, η and ξ inferred at the current parameters.
            let policyRef = l.policyReference, models = l.modelReferences, valueRef = l.valueReference
            let sD = sF.map(Double.init), aD = aF.map(Double.init), s2D = s2F.map(Double.init)
            let offset = (0..<A).map { Double(l.policy.logStd[$0]) }
            let std = l.logStds(policyRef, sD, offset: offset).map { Foundation.exp($0) }
            let mu0 = l.mean(policyRef, sD)
            let eta = (0..<A).map { (aD[$0] - mu0[$0]) / std[$0] }
            let change0 = models.map { $0.forward(sD + aD)[0] }
            let modelStd = (0..<S).map { Double(l.model.std($0)) }
            let xi = (0..<S).map { (s2D[$0] - sD[$0] - change0[$0]) / modelStd[$0] }
            let referenceMean = l.mean(ReferenceMLP(reference.mean), sD)
            let logStd0 = l.logStds(ReferenceMLP(reference.mean), sD, offset: (0..<A).map { Double(reference.logStd[$0]) })
            func objective(_ p: ReferenceMLP, logStdOffset: [Double]) -> Double {
                let mu = l.mean(p, sD)
                let logStd = l.logStds(p, sD, offset: logStdOffset)
                let a = (0..<A).map { mu[$0] + Foundation.exp(logStd[$0]) * eta[$0] }
                let change = models.map { $0.forward(sD + a)[0] }
                let next = (0..<S).map { sD[$0] + change[$0] + modelStd[$0] * xi[$0] }
                // KL(N(μ, σ²) ‖ N(μ₀, σ₀²)) per dimension, summed.
                var kl = 0.0
                for i in 0..<A {
                    let variance: Double = Foundation.exp(2 * logStd[i])
                    let variance0: Double = Foundation.exp(2 * logStd0[i])
                    let difference: Double = mu[i] - referenceMean[i]
                    kl += logStd0[i] - logStd[i] + (variance + difference * difference) / (2 * variance0) - 0.5
                }
                // (ρ/2) ‖z‖² on the pre-squash mean.
                let z = p.forward(sD).prefix(A)
                let zSquared = z.map { $0 * $0 }.reduce(0, +)
                return w * (l.r(sD, a) + Double(gamma) * valueRef.forward(next)[0]) - Double(klWeight) * kl
                    - Double(penalty) / 2 * zSquared
            }
            let (analytic, numeric) = l.policyGradients(against: objective)
            let error = relativeError(analytic, numeric)
            XCTAssertLessThan(error, 1e-3, "\(plant.name) (squash \(squash), KL \(klWeight), state-dependent σ \(stateDependent), ρ \(penalty)): relative error \(error)")
            XCTAssertGreaterThan(numeric.map(abs).max()!, 1e-3, "\(plant.name): the gradient is trivially small")
        }
    }

    /// SVG(∞) along a 20-step real segment: ∇_θ of Σ γᵗ r(s_t, a_t) + γᵀ r_T(s_T) along the
    /// re-parameterised model rollout with the inferred η_t, ξ_t held fixed.
    func testSVGInfinityRecursionMatchesFiniteDifference() throws {
        // (plant, γ, squashed mean, state-dependent σ)
        let cases: [(any Plant, Float, Bool, Bool)] = [(Pendulum(), 0.9, false, false), (Hand(), 1, true, false),
                                                        (Pendulum(), 0.9, true, true)]
        for (plantIndex, (plant, gamma, squash, stateDependent)) in cases.enumerated() {
            let l = SmallLearner(plant: plant, seed: 20 + UInt64(plantIndex), squash: squash, stateDependentStd: stateDependent)
            let S = plant.observationSize, A = plant.actionSize, T = 20
            var g = Xoshiro256StarStar(seed: 6)
            plant.reset(using: &g)
            // A real segment driven by the stochastic policy.
            var states: [[Float]] = [], actions: [[Float]] = []
            var s = [Double](repeating: 0, count: S)
            for _ in 0..<T {
                s.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
                let sF = s.map(Float.init)
                var aF = [Float](repeating: 0, count: A)
                l.policy.act(sF, into: &aF, generator: &g)
                for i in 0..<A { aF[i] = min(max(aF[i], Float(plant.actionLow[i]) * 0.95), Float(plant.actionHigh[i]) * 0.95) }
                states.append(sF)
                actions.append(aF)
                _ = aF.map(Double.init).withUnsafeBufferPointer { plant.step(action: $0) }
            }
            s.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
            states.append(s.map(Float.init))

            let infinity = ValueGradientRecursion(policy: l.policy, model: l.model, reward: l.reward, maxSteps: T)
            let flatStates = states.flatMap { $0 }, flatActions = actions.flatMap { $0 }
            flatStates.withUnsafeBufferPointer { sp in
                flatActions.withUnsafeBufferPointer { ap in
                    infinity.computeGradient(steps: T, gamma: gamma, state: { sp.baseAddress! + $0 * S },
                                             action: { ap.baseAddress! + $0 * A }, finalState: sp.baseAddress! + T * S)
                }
            }

            let policyRef = l.policyReference, models = l.modelReferences
            let offset = (0..<A).map { Double(l.policy.logStd[$0]) }
            let modelStd = (0..<S).map { Double(l.model.std($0)) }
            let sD = states.map { $0.map(Double.init) }, aD = actions.map { $0.map(Double.init) }
            let eta = (0..<T).map { t in
                let mu = l.mean(policyRef, sD[t])
                let std = l.logStds(policyRef, sD[t], offset: offset).map { Foundation.exp($0) }
                return (0..<A).map { (aD[t][$0] - mu[$0]) / std[$0] }
            }
            let xi = (0..<T).map { t in
                let change = models.map { $0.forward(sD[t] + aD[t])[0] }
                return (0..<S).map { (sD[t + 1][$0] - sD[t][$0] - change[$0]) / modelStd[$0] }
            }
            func rollout(_ p: ReferenceMLP, logStdOffset: [Double]) -> Double {
                var state = sD[0], total = 0.0, discount = 1.0
                for t in 0..<T {
                    let mu = l.mean(p, state)
                    let logStd = l.logStds(p, state, offset: logStdOffset)
                    let a = (0..<A).map { mu[$0] + Foundation.exp(logStd[$0]) * eta[t][$0] }
                    total += discount * l.r(state, a)
                    let change = models.map { $0.forward(state + a)[0] }
                    state = (0..<S).map { state[$0] + change[$0] + modelStd[$0] * xi[t][$0] }
                    discount *= Double(gamma)
                }
                return total + discount * l.terminal(state)
            }
            let (analytic, numeric) = l.policyGradients(against: rollout)
            let error = relativeError(analytic, numeric)
            XCTAssertLessThan(error, 1e-3, "\(plant.name) (state-dependent σ \(stateDependent)): relative error \(error)")
            XCTAssertGreaterThan(numeric.map(abs).max()!, 1e-3, "\(plant.name): the gradient is trivially small")
        }
    }
}

import Foundation
