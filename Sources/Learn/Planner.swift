import Net

/// The model-rollout planner, the paper's baseline for SVG(∞) (docs/algorithms.md §3.4): the
/// same model steps and the same backward recursion (eqs. 6–8), but along a trajectory the
/// learned model simulates from the episode's first state with sampled η and ξ, so the policy
/// gradient rests on the model alone where SVG(∞)'s rests on the real states and actions.
/// Zero heap allocations per update.
public final class Planner: Agent {
    /// The planner takes SVG(∞)'s settings, so that the two compare with one model.
    public typealias Hyperparameters = SVGInfinity.Hyperparameters

    public let algorithm = Algorithm.planner
    public let hyperparameters: Hyperparameters
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let replay: ReplayBuffer
    public let recursion: ValueGradientRecursion
    let batch: Minibatch
    /// Minibatches, then the simulated noise.
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
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    public func endEpisode(length: Int) {
        let h = hyperparameters
        // 1. The model (eq. 4).
        modelLoss = model.fit(steps: h.modelStepsPerEpisode ?? length, from: replay, batch: batch, generator: &generator,
                              clipNorm: h.clipNorm) ?? modelLoss
        // 2. Policy steps along simulated trajectories from the episode's first state.
        let start = replay.state(replay.index(age: length - 1))
        for _ in 0..<h.policyStepsPerEpisode {
            recursion.computePlannerGradient(steps: length, gamma: h.gamma, start: start, generator: &generator)
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
