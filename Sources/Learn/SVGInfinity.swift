import Net

/// SVG(∞) (Heess et al. 2015, Algorithm 1; docs/algorithms.md §3.3). After each episode:
///   1. model steps on replay minibatches (eq. 4);
///   2. `policyStepsPerEpisode` policy steps, each the backward recursion (eqs. 6–8) along the
///      real episode with η re-inferred under the current policy (eq. 5), clipped (eq. 14), one
///      Adam ascent step.
/// No critic. Zero heap allocations per update.
public final class SVGInfinity: Agent {
    /// SVG(∞)'s settings; the planner baseline (`Planner`) takes the same.
    public struct Hyperparameters: Sendable, Codable, Equatable {
        /// Discount γ (paper: the Hand's is 1).
        public var gamma: Float = 0.99
        /// Transitions per model minibatch.
        public var batchSize = 64
        /// Adam step sizes of policy and model. With one policy step per episode a larger
        /// policy step than the replay algorithms' suits (the Hand's default is 3e-3).
        public var policyLearningRate: Float = 1e-3
        public var modelLearningRate: Float = 1e-3
        /// Gradient-norm clip V_max (eq. 14).
        public var clipNorm: Float = 10
        /// Model steps after each episode (nil: the episode's length).
        public var modelStepsPerEpisode: Int? = nil
        /// Policy steps after each episode, each a fresh recursion (Algorithm 1 takes one).
        public var policyStepsPerEpisode = 1
        /// Hidden widths of each model sub-network (paper Table 1: 20-20 on the Hand).
        public var modelHidden = [20, 20]
        public init() {}
    }

    public let algorithm = Algorithm.svgInfinity
    public let hyperparameters: Hyperparameters
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let replay: ReplayBuffer
    public let recursion: ValueGradientRecursion
    let batch: Minibatch, segment: Minibatch
    public var generator: Xoshiro256StarStar
    public let schedule = AgentSchedule.everyEpisode
    public private(set) var modelLoss: Float = 0
    public private(set) var updates = 0
    public let lossNames = ["model_loss"]
    public func loss(_ index: Int) -> Float { modelLoss }
    public var clipActivity: [ClipActivity] { [.init(network: "policy", optimizers: [policy.meanOptimizer]), .init(network: "model", optimizers: model.optimizers)] }

    /// Builds the model from `generator`, then draws this agent's own generator's seed from it.
    public init(policy: GaussianPolicy, replay: ReplayBuffer, reward: any TaskReward, actionLow: [Float], actionHigh: [Float],
                hyperparameters h: Hyperparameters, episodeLength: Int, generator: inout Xoshiro256StarStar) {
        self.policy = policy
        self.replay = replay
        hyperparameters = h
        let S = replay.stateSize, A = replay.actionSize
        model = DynamicsModel(stateSize: S, actionSize: A, hidden: h.modelHidden, maxBatch: max(h.batchSize, episodeLength),
                              learningRate: h.modelLearningRate, actionLow: actionLow, actionHigh: actionHigh, generator: &generator)
        recursion = ValueGradientRecursion(policy: policy, model: model, reward: reward, maxSteps: episodeLength)
        batch = Minibatch(capacity: h.batchSize, stateSize: S, actionSize: A)
        segment = Minibatch(capacity: episodeLength, stateSize: S, actionSize: A)
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    public func endEpisode(length: Int) {
        let h = hyperparameters, S = replay.stateSize, A = replay.actionSize
        // 1. The model (eq. 4).
        modelLoss = model.fit(steps: h.modelStepsPerEpisode ?? length, from: replay, batch: batch, generator: &generator,
                              clipNorm: h.clipNorm) ?? modelLoss
        // 2. Policy steps along the real episode (eqs. 6–8).
        let first = replay.index(age: length - 1)
        segment.take(first..<(first + length), from: replay)
        let states = segment.states.base, actions = segment.actions.base
        for _ in 0..<h.policyStepsPerEpisode {
            recursion.computeGradient(steps: length, gamma: h.gamma, state: { UnsafePointer(states + $0 * S) },
                                      action: { UnsafePointer(actions + $0 * A) }, finalState: segment.nextState(length - 1))
            policy.step(clipNorm: h.clipNorm)
        }
        updates += 1
    }

    public func records() -> [ParameterArchive.Record] {
        model.records(prefix: "agent.model") + [generator.record(named: "agent.generator"), countersRecord("agent.updates", [updates])]
    }

    public func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try model.load(from: archive, prefix: "agent.model", path: path)
        generator = try .load("agent.generator", from: archive, path: path)
        updates = try loadCounters("agent.updates", count: 1, from: archive, path: path)[0]
    }
}
