import Net

/// SVG(1) with experience replay (Heess et al. 2015, Algorithm 2 with the critic of
/// Algorithm 4; docs/algorithms.md §3.1), the main algorithm of this runtime. Each `update()`:
///   1. model steps on replay minibatches (Gaussian NLL, eq. 4);
///   2. value steps (fitted policy evaluation, importance-weighted, eqs. 11–13);
///   3. a policy step on a fresh minibatch: infer η and ξ (eq. 5), per sample
///      w [r_a + γ V̂_{s'}(s') f̂_a] π_θ (eq. 9), with the regularisers of §4, averaged, clipped
///      (eq. 14), one Adam ascent step.
/// The state distribution is not importance-weighted. Zero heap allocations per update
/// (`AlgorithmPropertyTests.testUpdatesAllocateNothing`).
public final class SVG1ER: Agent {
    /// Every hyperparameter, with its default and where it comes from. Per-plant values are in
    /// `TrainingConfiguration.defaults(for:algorithm:)`.
    public struct Hyperparameters: Sendable, Codable, Equatable {
        /// Discount γ (the paper's per task; 0.99 is the peers' pendulum value).
        public var gamma: Float = 0.99
        /// Transitions per minibatch (paper: 32–64 by task).
        public var batchSize = 64
        /// Adam step sizes of policy, critic and model (paper: 1e-4–1e-3).
        public var policyLearningRate: Float = 1e-3
        public var valueLearningRate: Float = 1e-3
        public var modelLearningRate: Float = 1e-3
        /// Truncation w_max of the importance weights (eq. 13; paper: 5).
        public var maximumImportanceWeight: Float = 5
        /// Value steps between target copies, C (eq. 12; paper: 50).
        public var targetCopyInterval = 50
        /// τ of soft target updates (eq. 12) instead of copying every C steps; nil: copy.
        public var polyak: Float? = nil
        /// Gradient-norm clip V_max of every network (eq. 14; paper App. D).
        public var clipNorm: Float = 10
        /// Entropy bonus α (eq. 17; the paper has none): 0 is off. With `targetEntropy` it is the
        /// starting value of α, which is then tuned (eq. 24).
        public var entropyBonus: Float = 0
        /// Target entropy H̄ of the policy's Gaussian in nats, Σ_i (log σ_i + ½ log 2πe) in action
        /// units (nil: α fixed): α rises while the entropy is below H̄ and falls while above, as
        /// SAC's temperature (eq. 24), so σ cannot collapse where the value gradient leaves it alone.
        public var targetEntropy: Float? = nil
        /// Adam step of log α when tuned.
        public var temperatureLearningRate: Float = 3e-3
        /// Weight λ of the KL regulariser (eq. 18; 0: off), and the policy steps per burst: the
        /// reference policy is renewed every `klBurst` updates.
        public var klWeight: Float = 0
        public var klBurst = 10
        /// Weight ρ of the pre-squash penalty (eq. 19; 0: off).
        public var preSquashPenalty: Float = 0
        /// Model and value steps per update (the policy step follows a fitted model and critic).
        public var modelStepsPerUpdate = 1
        public var valueStepsPerUpdate = 1
        /// Updates per environment step (online: at most, per control step), and transitions
        /// stored before the first.
        public var updatesPerStep = 1
        public var warmupSteps = 200
        /// Hidden widths of each model sub-network (paper Table 1: 20-20 to 50-50) and of the
        /// critic (200-100 or 400-200).
        public var modelHidden = [20, 20]
        public var valueHidden = [200, 100]
        /// Scale of the critic's output, about the magnitude of the returns (`ValueFunction.outputScale`).
        public var valueScale: Float = 100
        public init() {}
    }

    public let algorithm = Algorithm.svg1ER
    public var hyperparameters: Hyperparameters
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let value: ValueFunction
    public let replay: ReplayBuffer
    public let policyStep: ValueGradientPolicyStep
    let batch: Minibatch
    public var generator: Xoshiro256StarStar
    public var schedule: AgentSchedule {
        .everyStep(updatesPerStep: hyperparameters.updatesPerStep, warmup: hyperparameters.warmupSteps)
    }

    /// Losses of the last update, and the mean importance weight of its policy step.
    public private(set) var modelLoss: Float = 0, valueLoss: Float = 0, meanWeight: Float = 0
    public private(set) var updates = 0
    public let lossNames = ["model_loss", "value_loss"]
    public func loss(_ index: Int) -> Float { index == 0 ? modelLoss : valueLoss }
    public var clipActivity: [ClipActivity] {
        [.init(network: "policy", optimizers: [policy.meanOptimizer]), .init(network: "value", optimizers: [value.optimizer]),
         .init(network: "model", optimizers: model.optimizers)]
    }

    /// Builds the model and critic from `generator` (in that order), then draws this agent's own
    /// generator's seed from it.
    public init(policy: GaussianPolicy, replay: ReplayBuffer, reward: any TaskReward, actionLow: [Float], actionHigh: [Float],
                hyperparameters h: Hyperparameters, maxBatch: Int, generator: inout Xoshiro256StarStar) {
        self.policy = policy
        self.replay = replay
        hyperparameters = h
        let S = replay.stateSize, A = replay.actionSize
        model = DynamicsModel(stateSize: S, actionSize: A, hidden: h.modelHidden, maxBatch: maxBatch,
                              learningRate: h.modelLearningRate, actionLow: actionLow, actionHigh: actionHigh, generator: &generator)
        value = ValueFunction(stateSize: S, hidden: h.valueHidden, maxBatch: maxBatch, learningRate: h.valueLearningRate,
                              targetCopyInterval: h.targetCopyInterval, generator: &generator)
        value.outputScale = h.valueScale
        value.polyak = h.polyak
        regularisers = PolicyRegularisers(policy: policy, maxBatch: h.batchSize, klWeight: h.klWeight, klBurst: h.klBurst,
                                          preSquashPenalty: h.preSquashPenalty, entropyBonus: h.entropyBonus,
                                          targetEntropy: h.targetEntropy, temperatureLearningRate: h.temperatureLearningRate)
        policyStep = ValueGradientPolicyStep(policy: policy, model: model, reward: reward, maxBatch: h.batchSize, regularisers: regularisers)
        batch = Minibatch(capacity: h.batchSize, stateSize: S, actionSize: A)
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    /// KL, pre-squash penalty and the (tuned) entropy bonus of the policy step (docs/algorithms.md §4).
    public let regularisers: PolicyRegularisers

    /// The entropy bonus the next policy step uses: α fixed, or tuned towards `targetEntropy`.
    public var entropyBonus: Float { regularisers.entropyBonus }

    /// Step 1: the model's NLL (eq. 4) on a replay minibatch.
    public func modelStep() {
        modelLoss = model.fit(steps: 1, from: replay, batch: batch, generator: &generator, clipNorm: hyperparameters.clipNorm) ?? modelLoss
    }

    /// Step 2: one fitted value step (eq. 11), importance-weighted with the current policy (eq. 13).
    public func valueStep() {
        batch.sample(hyperparameters.batchSize, from: replay, generator: &generator)
        batch.computeImportanceWeights(policy: policy, maximum: hyperparameters.maximumImportanceWeight)
        valueLoss = value.fitStep(batch, gamma: hyperparameters.gamma, clipNorm: hyperparameters.clipNorm)
    }

    /// Step 3: the SVG(1) policy step (eq. 9) on a fresh minibatch, V̂_{s'} from the critic.
    public func policyUpdate() {
        let n = hyperparameters.batchSize
        regularisers.beginStep(updates, policy: policy)  // a new KL reference at the start of a burst (eq. 18)
        batch.sample(n, from: replay, generator: &generator)
        value.valueGradient(count: n, states: batch.nextStates.base, into: policyStep.valueGradients.base)
        meanWeight = policyStep.computeGradient(batch, gamma: hyperparameters.gamma, maximumWeight: hyperparameters.maximumImportanceWeight)
        policyStep.applyGradient(clipNorm: hyperparameters.clipNorm, batch: n)  // with α, and α's step (eq. 24)
    }

    /// One SVG(1)-ER update: model, value, policy.
    public func update() {
        for _ in 0..<hyperparameters.modelStepsPerUpdate { modelStep() }
        for _ in 0..<hyperparameters.valueStepsPerUpdate { valueStep() }
        policyUpdate()
        updates += 1
    }

    public func records() -> [ParameterArchive.Record] {
        model.records(prefix: "agent.model") + value.records(prefix: "agent.value")
            + [generator.record(named: "agent.generator"), countersRecord("agent.updates", [updates])]
            + regularisers.records()
    }

    public func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try model.load(from: archive, prefix: "agent.model", path: path)
        try value.load(from: archive, prefix: "agent.value", path: path)
        generator = try .load("agent.generator", from: archive, path: path)
        updates = try loadCounters("agent.updates", count: 1, from: archive, path: path)[0]
        try regularisers.load(from: archive, path: path)
    }
}
