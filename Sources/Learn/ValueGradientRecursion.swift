import Net

/// The backward value-gradient recursion (docs/algorithms.md §2, eqs. 6–8) along one
/// trajectory: what `SVGInfinity` runs along a real episode and `Planner` along one the learned
/// model simulates. For t = T−1 … 0, with v' = v_s of step t + 1 (v_s at T = ∂r_T/∂s_T, the
/// terminal reward's gradient, 0 without one):
///
///     g_a = r_a + γ v' f̂_a                          (eq. 6, action cotangent)
///     v_s = r_s + γ v' f̂_s + g_a π_s                (eq. 7;  f̂_s = I + μ̂_s)
///     v_θ = g_a π_θ + γ v'_θ                         (eq. 8: v_θ⁰ = Σ_t γᵗ g_aᵗ π_θᵗ)
///
/// evaluated at the given (s_t, a_t) with η_t = (a_t − μ_θ(s_t))/σ. No critic. Real-time safe
/// after `init` (batch-1 network passes, preallocated vectors).
public final class ValueGradientRecursion {
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let reward: any TaskReward
    let scratch: RewardScratch
    let vNext: FloatBuffer, vState: FloatBuffer, actionCotangent: FloatBuffer, etaRow: FloatBuffer
    /// Simulated trajectory of the planner: states (T + 1 rows) and actions (T rows).
    public let simulatedStates: FloatBuffer, simulatedActions: FloatBuffer
    let maxSteps: Int
    let doubleState: UnsafeMutableBufferPointer<Double>

    public init(policy: GaussianPolicy, model: DynamicsModel, reward: any TaskReward, maxSteps: Int) {
        self.policy = policy
        self.model = model
        self.reward = reward
        self.maxSteps = maxSteps
        let S = policy.observationSize, A = policy.actionSize
        scratch = RewardScratch(observationSize: S, actionSize: A)
        vNext = FloatBuffer(count: S)
        vState = FloatBuffer(count: S)
        actionCotangent = FloatBuffer(count: A)
        etaRow = FloatBuffer(count: A)
        simulatedStates = FloatBuffer(count: (maxSteps + 1) * S)
        simulatedActions = FloatBuffer(count: maxSteps * A)
        doubleState = .allocate(capacity: S)
        doubleState.initialize(repeating: 0)
    }

    deinit { doubleState.deallocate() }

    /// Computes −v_θ⁰ (descent direction) into the policy's gradient buffers for the trajectory
    /// `state(t)`, `action(t)` (t < T) ending in `finalState`.
    public func computeGradient(
        steps T: Int, gamma: Float, state: (Int) -> UnsafePointer<Float>, action: (Int) -> UnsafePointer<Float>,
        finalState: UnsafePointer<Float>
    ) {
        let S = policy.observationSize, A = policy.actionSize
        let mean = policy.mean
        mean.gradients.zero()
        policy.logStdGradient.zero()
        // v_s at T: the terminal reward's gradient.
        for i in 0..<S { doubleState[i] = Double(finalState[i]) }
        reward.terminalRewardGradient(observation: UnsafeBufferPointer(doubleState), dObservation: scratch.dObservation)
        for i in 0..<S { vNext[i] = Float(scratch.dObservation[i]) }
        var discount = Float(1)
        for _ in 0..<T { discount *= gamma }  // γ^T, divided by γ each step back
        var t = T - 1
        while t >= 0 {
            if gamma != 0 { discount /= gamma } else { discount = t == 0 ? 1 : 0 }
            let s = state(t), a = action(t)
            // Model VJP with cotangent v': (v' μ̂_s, v' μ̂_a).
            model.setInput(sample: 0, state: s, action: a)
            model.forward(batch: 1)
            model.vectorJacobianProduct(batch: 1, cotangent: vNext.base, cotangentStride: S)
            let vmu = model.inputGradient.base
            scratch.gradient(reward, s: UnsafeBufferPointer(start: s, count: S), a: UnsafeBufferPointer(start: a, count: A))
            // Policy at s_t; η_t inferred.
            let input = mean.input(sample: 0)
            for i in 0..<S { input[i] = s[i] }
            policy.forwardMean(batch: 1)
            let mu = policy.meanRow(0)
            for i in 0..<A {
                etaRow[i] = (a[i] - mu[i]) / policy.sampleStd(0, i)
                actionCotangent[i] = Float(scratch.dAction[i]) + gamma * vmu[S + i] * model.saturationSlope(a[i], dimension: i)
                policy.setMeanCotangent(sample: 0, dimension: i, actionCotangent[i])
                // With state-dependent σ, π_s also has σ_s η: cotangent g_a σ η on the σ head.
                policy.setLogStdHeadCotangent(sample: 0, dimension: i, actionCotangent[i] * policy.sampleStd(0, i) * etaRow[i])
            }
            // g_a π_s.
            mean.backward(batch: 1, parameterGradients: .skip, inputGradient: true)
            let gaPiS = mean.inputGradient(sample: 0)
            for i in 0..<S {
                vState[i] = Float(scratch.dObservation[i]) + gamma * (vNext[i] + vmu[i]) + gaPiS[i]
            }
            // γᵗ g_a π_θ into the (descent) gradients.
            for i in 0..<A {
                policy.setMeanCotangent(sample: 0, dimension: i, -discount * actionCotangent[i])
                policy.setLogStdHeadCotangent(sample: 0, dimension: i, 0)
                policy.addLogStdGradient(sample: 0, dimension: i, -discount * actionCotangent[i] * policy.sampleStd(0, i) * etaRow[i])
            }
            mean.backward(batch: 1, parameterGradients: .accumulate, inputGradient: false)
            vNext.copy(from: vState)
            t -= 1
        }
    }

    /// The planner baseline (docs/algorithms.md §3.4): simulates `T` steps from `start` with the
    /// learned model, sampled η and ξ, then runs the recursion on that trajectory.
    public func computePlannerGradient(steps T: Int, gamma: Float, start: UnsafePointer<Float>,
                                       generator: inout Xoshiro256StarStar) {
        let S = policy.observationSize, A = policy.actionSize
        precondition(T <= maxSteps)
        simulatedStates.base.update(from: start, count: S)
        for t in 0..<T {
            let s = simulatedStates.base + t * S, a = simulatedActions.base + t * A
            policy.act(UnsafeBufferPointer(start: s, count: S), into: UnsafeMutableBufferPointer(start: a, count: A),
                       deterministic: false, generator: &generator)
            model.setInput(sample: 0, state: s, action: a)
            model.forward(batch: 1)
            let next = simulatedStates.base + (t + 1) * S
            for i in 0..<S {
                next[i] = s[i] + model.predictedChange(sample: 0, dimension: i) + model.std(i) * Float(generator.nextGaussian())
            }
        }
        let states = simulatedStates.base, actions = simulatedActions.base
        computeGradient(steps: T, gamma: gamma, state: { UnsafePointer(states + $0 * S) },
                        action: { UnsafePointer(actions + $0 * A) }, finalState: states + T * S)
    }
}
