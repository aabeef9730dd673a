import Net

/// SVG(0) (Heess et al. 2015, Algorithm 3; docs/algorithms.md §3.5): model-free, with an
/// action-value critic, from replay. Each `update()`:
///   1. a critic step: y = r + γ Q̂(s', π(s', η'); ν⁻) with fresh η' (eq. 15), importance-
///      weighted (eq. 13), targets copied every C steps or Polyak-averaged (eq. 12);
///   2. a policy step on a fresh minibatch: infer η from (s, a) (eq. 5),
///      Q̂_a(s, π(s, η; θ)) π_θ (eq. 16; σ learned through the η term), clipped (eq. 14), one
///      Adam ascent step.
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
    let batch: Minibatch
    let nextActions: FloatBuffer, actionGradients: FloatBuffer
    public var generator: Xoshiro256StarStar
    public var schedule: AgentSchedule {
        .everyStep(updatesPerStep: hyperparameters.updatesPerStep, warmup: hyperparameters.warmupSteps)
    }
    public private(set) var criticLoss: Float = 0
    public private(set) var updates = 0
    public let lossNames = ["critic_loss"]
    public func loss(_ index: Int) -> Float { criticLoss }

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
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    public func update() {
        let h = hyperparameters, n = h.batchSize, S = replay.stateSize, A = replay.actionSize
        let mean = policy.mean
        // 1. Critic step (eqs. 15, 13, 12).
        batch.sample(n, from: replay, generator: &generator)
        batch.computeImportanceWeights(policy: policy, maximum: h.maximumImportanceWeight)
        for b in 0..<n {
            let row = mean.input(sample: b)
            for i in 0..<S { row[i] = batch.nextState(b)[i] }
        }
        policy.forwardMean(batch: n)
        for b in 0..<n {
            for i in 0..<A { nextActions[b * A + i] = policy.meanRow(b)[i] + policy.sampleStd(b, i) * Float(generator.nextGaussian()) }
        }
        criticLoss = critic.fitStep(batch, nextActions: nextActions.base, gamma: h.gamma, clipNorm: h.clipNorm)

        // 2. Policy step on a fresh minibatch (eqs. 5, 16).
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
        policy.step(clipNorm: h.clipNorm)
        updates += 1
    }

    public func records() -> [ParameterArchive.Record] {
        critic.records(prefix: "agent.q") + [generator.record(named: "agent.generator"), countersRecord("agent.updates", [updates])]
    }

    public func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try critic.load(from: archive, prefix: "agent.q", path: path)
        generator = try .load("agent.generator", from: archive, path: path)
        updates = try loadCounters("agent.updates", count: 1, from: archive, path: path)[0]
    }
}
