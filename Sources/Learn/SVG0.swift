import Net

/// SVG(0) (Heess et al. 2015, Algorithm 3; docs/algorithms.md §3.5): model-free, with an
/// action-value critic, from replay. Each `update()`:
///   1. a critic step: y = r + γ Q̂(s', π(s', η'); ν⁻) with fresh η' (eq. 15), importance-
///      weighted (eq. 13), targets copied every C steps or Polyak-averaged (eq. 12);
///   2. a policy step on a fresh minibatch of replayed states: Q̂_a(s, π(s, η; θ)) π_θ (eq. 16;
///      σ learned through the η term), with the regularisers of §4 (`PolicyRegularisers`: KL,
///      pre-squash penalty, entropy bonus or a tuned temperature; off by default), clipped
///      (eq. 14), one Adam ascent step. With
///      `freshActions` (the default) η is drawn anew, so the action is the current policy's;
///      otherwise η is inferred from the stored action (eq. 5) and the sample weighted by the
///      truncated importance weight (eq. 13). Inferred η reproduces the stored action exactly,
///      so Q̂_a is taken where the old policy acted: unweighted, the step does not depend on the
///      current policy and its mean drifts until the tanh saturates (pendulum, 5 seeds: −1,297
///      at 10,000 steps); the weight makes it learn (mean ≥ −200 at 7,500 steps), fresh η faster
///      (5,000; docs/results/matrix.md), so fresh η is the default.
/// Zero heap allocations per update.
public final class SVG0: Agent {
    public struct Hyperparameters: Sendable, Codable, Equatable {
        /// Discount γ (the paper's per task).
        public var gamma: Float = 0.99
        /// Transitions per minibatch.
        public var batchSize = 64
        /// Adam step sizes of policy and critic.
        public var policyLearningRate: Float = 1e-3
        public var valueLearningRate: Float = 1e-3
        /// Truncation w_max of the critic's importance weights (eq. 13; paper: 5).
        public var maximumImportanceWeight: Float = 5
        /// Critic steps between target copies, C, or τ of soft updates (eq. 12).
        public var targetCopyInterval = 50
        public var polyak: Float? = nil
        /// Gradient-norm clip V_max (eq. 14).
        public var clipNorm: Float = 10
        /// Updates per environment step (online: at most, per control step), and transitions
        /// stored before the first.
        public var updatesPerStep = 1
        public var warmupSteps = 200
        /// Draw fresh η for the policy step (true) or infer it from the replayed action and
        /// weight the sample by its truncated importance weight (false; see above).
        public var freshActions = true
        /// The policy regularisers of docs/algorithms.md §4, as SVG(1)-ER's (all off by default):
        /// entropy bonus α (eq. 17), tuned towards `targetEntropy` when set (eq. 24) with Adam
        /// step `temperatureLearningRate`; KL weight λ to the policy at the start of each burst of
        /// `klBurst` policy steps (eq. 18); pre-squash penalty ρ (eq. 19).
        public var entropyBonus: Float = 0
        public var targetEntropy: Float? = nil
        public var temperatureLearningRate: Float = 3e-3
        public var klWeight: Float = 0
        public var klBurst = 10
        public var preSquashPenalty: Float = 0
        /// Hidden widths of the critic Q̂(s, a) (paper Table 1: 200-100 or 400-200).
        public var valueHidden = [200, 100]
        /// Scale of the critic's output (`QFunction.outputScale`).
        public var valueScale: Float = 100
        public init() {}
    }

    public let algorithm = Algorithm.svg0
    public let hyperparameters: Hyperparameters
    public let policy: GaussianPolicy
    public let critic: QFunction
    public let replay: ReplayBuffer
    /// KL, pre-squash penalty and the (tuned) entropy bonus of the policy step.
    public let regularisers: PolicyRegularisers
    let batch: Minibatch
    let nextActions: FloatBuffer, actionGradients: FloatBuffer, noise: FloatBuffer
    public var generator: Xoshiro256StarStar
    public var schedule: AgentSchedule {
        .everyStep(updatesPerStep: hyperparameters.updatesPerStep, warmup: hyperparameters.warmupSteps)
    }
    public private(set) var criticLoss: Float = 0
    public private(set) var updates = 0
    public let lossNames = ["critic_loss"]
    public func loss(_ index: Int) -> Float { criticLoss }
    public var clipActivity: [ClipActivity] { [.init(network: "policy", optimizers: [policy.meanOptimizer]), .init(network: "critic", optimizers: [critic.optimizer])] }

    /// Builds the critic from `generator`, then draws this agent's own generator's seed from it.
    public init(policy: GaussianPolicy, replay: ReplayBuffer, hyperparameters h: Hyperparameters, generator: inout Xoshiro256StarStar) {
        self.policy = policy
        self.replay = replay
        hyperparameters = h
        let n = h.batchSize, S = replay.stateSize, A = replay.actionSize
        critic = QFunction(stateSize: S, actionSize: A, hidden: h.valueHidden, maxBatch: n, learningRate: h.valueLearningRate,
                           targetCopyInterval: h.targetCopyInterval, generator: &generator)
        critic.outputScale = h.valueScale
        critic.polyak = h.polyak
        batch = Minibatch(capacity: n, stateSize: S, actionSize: A)
        nextActions = FloatBuffer(count: n * A)
        actionGradients = FloatBuffer(count: n * A)
        noise = FloatBuffer(count: n * A)
        regularisers = PolicyRegularisers(policy: policy, maxBatch: n, klWeight: h.klWeight, klBurst: h.klBurst,
                                          preSquashPenalty: h.preSquashPenalty, entropyBonus: h.entropyBonus,
                                          targetEntropy: h.targetEntropy, temperatureLearningRate: h.temperatureLearningRate)
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    public func update() {
        let h = hyperparameters, n = h.batchSize, S = replay.stateSize, A = replay.actionSize
        // 1. Critic step (eqs. 15, 13, 12).
        batch.sample(n, from: replay, generator: &generator)
        batch.computeImportanceWeights(policy: policy, maximum: h.maximumImportanceWeight)
        policy.forwardMean(states: batch.nextStates.base, stride: S, batch: n)
        for b in 0..<n {
            for i in 0..<A { nextActions[b * A + i] = policy.meanRow(b)[i] + policy.sampleStd(b, i) * Float(generator.nextGaussian()) }
        }
        criticLoss = critic.fitStep(batch, nextActions: nextActions.base, gamma: h.gamma, clipNorm: h.clipNorm)

        // 2. Policy step on a fresh minibatch (eqs. 16; 5 and 13 with replayed actions), with the
        // regularisers of §4.
        regularisers.beginStep(updates, policy: policy)
        batch.sample(n, from: replay, generator: &generator)
        if h.freshActions {
            for b in 0..<n { batch.weights[b] = 1 }
            policy.forwardMean(states: batch.states.base, stride: S, batch: n)
        } else {
            // Its forward of the policy at the batch's states is the one the step needs.
            batch.computeImportanceWeights(policy: policy, maximum: h.maximumImportanceWeight)
        }
        for b in 0..<n {
            for i in 0..<A {
                let sigma = policy.sampleStd(b, i)
                let eta = h.freshActions ? Float(generator.nextGaussian()) : (batch.action(b)[i] - policy.meanRow(b)[i]) / sigma
                noise[b * A + i] = eta
                nextActions[b * A + i] = policy.meanRow(b)[i] + sigma * eta
            }
        }
        critic.actionGradient(batch, actions: nextActions.base, into: actionGradients.base)
        policyGradient(batch)
        regularisers.step(policy, clipNorm: h.clipNorm, batch: n)
        updates += 1
    }

    /// −(1/n) Σ_b w_b Q̂_a(s_b, a_b) ∂a_b/∂θ with a_b = μ(s_b) + σ(s_b) η_b (`noise` rows,
    /// `actionGradients` = Q̂_a at those actions) into the policy's gradients, after its
    /// `forwardMean` on the batch's states. (The gradient of the loss; `policyObjective` is its objective.)
    public func policyGradient(_ batch: Minibatch) {
        let n = batch.count, S = replay.stateSize, A = replay.actionSize
        policy.logStdGradient.zero()
        let scale = 1 / Float(n)
        let kl = regularisers.klReference != nil
        if kl { regularisers.prepare(states: batch.states.base, stride: S, batch: n) }
        for b in 0..<n {
            for i in 0..<A {
                let sigma = policy.sampleStd(b, i)
                let qa = batch.weights[b] * actionGradients[b * A + i]
                var meanCotangent = -qa
                if kl { meanCotangent += regularisers.klMeanCotangent(sample: b, dimension: i, policy: policy, scale: scale) }
                policy.setMeanCotangent(sample: b, dimension: i, meanCotangent * scale)
                policy.addLogStdGradient(sample: b, dimension: i, -qa * sigma * noise[b * A + i] * scale)
                regularisers.addPreSquashPenalty(sample: b, dimension: i, policy: policy, scale: scale)
            }
        }
        policy.mean.backward(batch: n, parameterGradients: .overwrite, inputGradient: false)
    }

    /// (1/n) Σ_b w_b Q̂(s_b, μ(s_b) + σ(s_b) η_b) with the noise of the last policy step, plus the
    /// KL and pre-squash terms (`PolicyRegularisers.objective`) (finite-difference checks).
    public func policyObjective(_ batch: Minibatch) -> Float {
        let n = batch.count, S = replay.stateSize, A = replay.actionSize
        policy.forwardMean(states: batch.states.base, stride: S, batch: n)
        for b in 0..<n {
            for i in 0..<A { nextActions[b * A + i] = policy.meanRow(b)[i] + policy.sampleStd(b, i) * noise[b * A + i] }
            critic.setInput(critic.network, sample: b, state: batch.state(b), action: nextActions.base + b * A)
        }
        critic.network.forward(batch: n)
        var total: Float = 0
        for b in 0..<n { total += batch.weights[b] * critic.outputScale * critic.network.output(sample: b)[0] }
        if regularisers.klReference != nil { regularisers.prepare(states: batch.states.base, stride: S, batch: n) }
        return total / Float(n) + regularisers.objective(policy: policy, batch: n)
    }

    /// The policy step's gradient at the batch's states with the current noise (tests).
    public func policyGradientAtCurrentNoise(_ batch: Minibatch) {
        _ = policyObjective(batch)  // the policy's forward at the batch's states, the actions
        critic.actionGradient(batch, actions: nextActions.base, into: actionGradients.base)
        policyGradient(batch)
    }

    public func records() -> [ParameterArchive.Record] {
        critic.records(prefix: "agent.q") + [generator.record(named: "agent.generator"), countersRecord("agent.updates", [updates])]
            + regularisers.records()
    }

    public func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try critic.load(from: archive, prefix: "agent.q", path: path)
        generator = try .load("agent.generator", from: archive, path: path)
        updates = try loadCounters("agent.updates", count: 1, from: archive, path: path)[0]
        try regularisers.load(from: archive, path: path)
    }
}
