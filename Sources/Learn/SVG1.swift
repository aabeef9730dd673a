import Net

/// SVG(1), on-policy (Heess et al. 2015, Algorithm 2 without replay of the policy step;
/// docs/algorithms.md §3.2). After each episode:
///   1. model steps on replay minibatches (eq. 4);
///   2. value steps on replay minibatches (eqs. 11–13);
///   3. one policy step from the whole episode: at each real transition, with η and ξ inferred
///      (eq. 5), [r_a + γ V̂_{s'}(s') f̂_a] π_θ (eq. 9, w = 1), plus the pre-squash penalty
///      (eq. 19), averaged, clipped (eq. 14), one Adam ascent step.
/// Zero heap allocations per update.
public final class SVG1: Agent {
    public struct Hyperparameters: Sendable, Codable, Equatable {
        /// Discount γ (the paper's per task).
        public var gamma: Float = 0.99
        /// Transitions per model and value minibatch.
        public var batchSize = 64
        /// Adam step sizes of policy, critic and model.
        public var policyLearningRate: Float = 1e-3
        public var valueLearningRate: Float = 1e-3
        public var modelLearningRate: Float = 1e-3
        /// Truncation w_max of the critic's importance weights (eq. 13; paper: 5).
        public var maximumImportanceWeight: Float = 5
        /// Value steps between target copies, C, or τ of soft updates (eq. 12).
        public var targetCopyInterval = 50
        public var polyak: Float? = nil
        /// Gradient-norm clip V_max (eq. 14).
        public var clipNorm: Float = 10
        /// Weight ρ of the pre-squash penalty (eq. 19; 0: off).
        public var preSquashPenalty: Float = 0
        /// Model steps, then value steps, after each episode (nil: the episode's length).
        public var modelStepsPerEpisode: Int? = nil
        /// Hidden widths of each model sub-network and of the critic (paper Table 1).
        public var modelHidden = [20, 20]
        public var valueHidden = [200, 100]
        /// Scale of the critic's output (`ValueFunction.outputScale`).
        public var valueScale: Float = 100
        public init() {}
    }

    public let algorithm = Algorithm.svg1
    public let hyperparameters: Hyperparameters
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let value: ValueFunction
    public let replay: ReplayBuffer
    public let policyStep: ValueGradientPolicyStep
    let batch: Minibatch, segment: Minibatch
    public var generator: Xoshiro256StarStar
    public let schedule = AgentSchedule.everyEpisode
    public private(set) var modelLoss: Float = 0, valueLoss: Float = 0
    public private(set) var updates = 0
    public let lossNames = ["model_loss", "value_loss"]
    public func loss(_ index: Int) -> Float { index == 0 ? modelLoss : valueLoss }
    public var clipActivity: [ClipActivity] {
        [.init(network: "policy", optimizers: [policy.meanOptimizer]), .init(network: "value", optimizers: [value.optimizer]),
         .init(network: "model", optimizers: model.optimizers)]
    }

    /// Builds the model and critic from `generator` (in that order), then draws this agent's own
    /// generator's seed from it. `episodeLength` bounds an episode.
    public init(policy: GaussianPolicy, replay: ReplayBuffer, reward: any TaskReward, actionLow: [Float], actionHigh: [Float],
                hyperparameters h: Hyperparameters, episodeLength: Int, generator: inout Xoshiro256StarStar) {
        self.policy = policy
        self.replay = replay
        hyperparameters = h
        let S = replay.stateSize, A = replay.actionSize, maxBatch = max(h.batchSize, episodeLength)
        model = DynamicsModel(stateSize: S, actionSize: A, hidden: h.modelHidden, maxBatch: maxBatch,
                              learningRate: h.modelLearningRate, actionLow: actionLow, actionHigh: actionHigh, generator: &generator)
        value = ValueFunction(stateSize: S, hidden: h.valueHidden, maxBatch: maxBatch, learningRate: h.valueLearningRate,
                              targetCopyInterval: h.targetCopyInterval, generator: &generator)
        value.outputScale = h.valueScale
        value.polyak = h.polyak
        policyStep = ValueGradientPolicyStep(policy: policy, model: model, reward: reward, maxBatch: episodeLength,
                                             regularisers: PolicyRegularisers(policy: policy, maxBatch: episodeLength,
                                                                              preSquashPenalty: h.preSquashPenalty))
        batch = Minibatch(capacity: h.batchSize, stateSize: S, actionSize: A)
        segment = Minibatch(capacity: episodeLength, stateSize: S, actionSize: A)
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    public func endEpisode(length: Int) {
        let h = hyperparameters, fitSteps = h.modelStepsPerEpisode ?? length
        // 1. The model (eq. 4).
        modelLoss = model.fit(steps: fitSteps, from: replay, batch: batch, generator: &generator, clipNorm: h.clipNorm) ?? modelLoss
        // 2. The critic (eqs. 11–13).
        for _ in 0..<fitSteps {
            batch.sample(h.batchSize, from: replay, generator: &generator)
            batch.computeImportanceWeights(policy: policy, maximum: h.maximumImportanceWeight)
            valueLoss = value.fitStep(batch, gamma: h.gamma, clipNorm: h.clipNorm)
        }
        // 3. One policy step along the episode's real transitions (eq. 9, w = 1).
        let first = replay.index(age: length - 1)
        segment.take(first..<(first + length), from: replay)
        value.valueGradient(count: length, states: segment.nextStates.base, into: policyStep.valueGradients.base)
        policyStep.computeGradient(segment, gamma: h.gamma, maximumWeight: nil)
        policyStep.applyGradient(clipNorm: h.clipNorm, batch: length)
        updates += 1
    }

    public func records() -> [ParameterArchive.Record] {
        model.records(prefix: "agent.model") + value.records(prefix: "agent.value")
            + [generator.record(named: "agent.generator"), countersRecord("agent.updates", [updates])]
    }

    public func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try model.load(from: archive, prefix: "agent.model", path: path)
        try value.load(from: archive, prefix: "agent.value", path: path)
        generator = try .load("agent.generator", from: archive, path: path)
        updates = try loadCounters("agent.updates", count: 1, from: archive, path: path)[0]
    }
}
