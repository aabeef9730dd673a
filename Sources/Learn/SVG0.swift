import Net

/// SVG(0) (Algorithm 3; SVG-SPEC §3): model-free, with a Q critic, from replay.
///   Critic: y = r + γ Q̂(s', π(s', η'); ν⁻) with fresh η', importance-weighted as in Alg. 4,
///           target copied every C steps (or Polyak).
///   Policy: infer η from (s, a); v_θ = Q̂_a(s, π(s, η; θ)) π_θ (σ learned through the η term);
///           clip; Adam ascent.
/// Zero heap allocations per update after warm-up.
public final class SVG0 {
    public var hyperparameters: SVG1ER.Hyperparameters
    public let policy: GaussianPolicy
    public let critic: QFunction
    public let replay: ReplayBuffer
    let batch: Minibatch
    let nextActions: FloatBuffer, actionGradients: FloatBuffer, scratchState: FloatBuffer
    public var generator: Xoshiro256StarStar
    public private(set) var criticLoss: Float = 0
    public private(set) var updates = 0

    public init(policy: GaussianPolicy, critic: QFunction, replay: ReplayBuffer, hyperparameters: SVG1ER.Hyperparameters, seed: UInt64) {
        self.policy = policy
        self.critic = critic
        self.replay = replay
        self.hyperparameters = hyperparameters
        let n = hyperparameters.batchSize
        batch = Minibatch(capacity: n, stateSize: replay.stateSize, actionSize: replay.actionSize)
        nextActions = FloatBuffer(count: n * replay.actionSize)
        actionGradients = FloatBuffer(count: n * replay.actionSize)
        scratchState = FloatBuffer(count: replay.stateSize)
        generator = Xoshiro256StarStar(seed: seed)
    }

    /// Restores the update count (checkpoints).
    public func restore(updates: Int) { self.updates = updates }

    public func update() {
        let n = hyperparameters.batchSize, S = replay.stateSize, A = replay.actionSize
        // Critic step.
        batch.sample(n, from: replay, generator: &generator)
        batch.computeImportanceWeights(policy: policy, maximum: hyperparameters.maximumImportanceWeight)
        let mean = policy.mean
        for b in 0..<n {
            let row = mean.input(sample: b)
            for i in 0..<S { row[i] = batch.nextState(b)[i] }
        }
        policy.forwardMean(batch: n)
        for b in 0..<n {
            for i in 0..<A { nextActions[b * A + i] = policy.meanRow(b)[i] + policy.sampleStd(b, i) * Float(generator.nextGaussian()) }
        }
        criticLoss = critic.fitStep(batch, nextActions: nextActions.base, gamma: hyperparameters.gamma, clipNorm: hyperparameters.clipNorm)

        // Policy step on a fresh minibatch.
        batch.sample(n, from: replay, generator: &generator)
        critic.actionGradient(batch, into: actionGradients.base)
        for b in 0..<n {
            let row = mean.input(sample: b)
            for i in 0..<S { row[i] = batch.state(b)[i] }
        }
        policy.forwardMean(batch: n)
        policy.logStdGradient.zero()
        let scale = 1 / Float(n)
        for b in 0..<n {
            for i in 0..<A {
                let sigma = policy.sampleStd(b, i)
                let eta = (batch.action(b)[i] - policy.meanRow(b)[i]) / sigma
                let qa = actionGradients[b * A + i]
                policy.setMeanCotangent(sample: b, dimension: i, -qa * scale)
                policy.addLogStdGradient(sample: b, dimension: i, -qa * sigma * eta * scale)
            }
        }
        mean.backward(batch: n, parameterGradients: .overwrite, inputGradient: false)
        GradientClipping.clip(mean.gradients, maxNorm: hyperparameters.clipNorm)
        GradientClipping.clip(policy.logStdGradient, maxNorm: hyperparameters.clipNorm)
        policy.step()
        updates += 1
    }
}
