import Learn
import Net
import Plants
#if canImport(Glibc)
import Glibc
#endif

/// Synchronous training (docs/architecture.md "Synchronous training"): one thread, lockstep, as
/// fast as the CPU goes, with the same acting code and the same agent the real-time runtime
/// drives. The same configuration and seed give the same learning curve, bit for bit.
///
/// The seed's stream, in order: the policy's network, the agent (its networks, then its
/// generator's seed), one unused word, the acting generator's seed, the reset generator's seed.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let plant: any Plant
    let evaluationPlant: any Plant
    public let reward: PlantReward
    /// The reward model the agent learns from instead of `reward` (`reward.source` "learned").
    public let learnedReward: LearnedReward?
    public let policy: GaussianPolicy
    /// With `policy.averaging` τ > 0: θ̄, the Polyak average of `policy`'s mean network (eq. 20),
    /// updated after each episode. nil when off.
    public let averagePolicy: GaussianPolicy?
    /// The policy evaluations and `svgrt evaluate` play: `averagePolicy` when there is one, else `policy`.
    public var evaluationPolicy: GaussianPolicy { averagePolicy ?? policy }
    public let replay: ReplayBuffer
    /// The chosen algorithm; nothing else is built.
    public let agent: any Agent

    /// Exploration noise, and the reset distribution.
    var actingGenerator: Xoshiro256StarStar
    var resetGenerator: Xoshiro256StarStar
    /// The plant's disturbances under `configuration.conditions` (nil when nominal); seeded apart
    /// from the seed's stream, so nominal runs draw exactly what they always did.
    var disturbances: Disturbances?

    public internal(set) var environmentSteps = 0
    public internal(set) var episode = 0
    public internal(set) var episodeReturn = 0.0
    public internal(set) var episodeStart = 0
    /// Called at every episode boundary, after the episode's bookkeeping and before the next
    /// reset: the one place a checkpoint can be taken that resumes bit for bit.
    public var atEpisodeBoundary: ((Trainer) -> Void)?

    // Per-step scratch (no allocation in the loop).
    let observation: UnsafeMutableBufferPointer<Double>
    let actionDouble: UnsafeMutableBufferPointer<Double>
    let state: UnsafeMutableBufferPointer<Float>
    let nextState: UnsafeMutableBufferPointer<Float>
    let action: UnsafeMutableBufferPointer<Float>

    /// A trainer for `configuration`; `plant` is the plant itself where the registry cannot make
    /// it (a `WirePlant`, known from its HELLO), else nil.
    public init(_ configuration: TrainingConfiguration, plant given: (any Plant)? = nil) throws {
        try configuration.validate()
        let plant: any Plant, evaluationPlant: any Plant
        if let given {
            guard given.name == configuration.plant else {
                throw ConfigurationError("the plant given is \(given.name), the configuration's \(configuration.plant)")
            }
            plant = given
            evaluationPlant = given
        } else {
            do {
                plant = try PlantRegistry.plant(named: configuration.plant)
                evaluationPlant = try PlantRegistry.plant(named: configuration.plant)
            } catch { throw ConfigurationError(error.description) }
        }
        self.configuration = configuration
        self.plant = plant
        self.evaluationPlant = evaluationPlant
        reward = PlantReward(plant)
        let S = plant.observationSize, A = plant.actionSize
        if given != nil { try configuration.checkReplayFits(stateSize: S, actionSize: A) }
        let h = configuration.hyperparameters, p = configuration.policy
        var generator = Xoshiro256StarStar(seed: configuration.seed)
        let halfRange = Float(plant.largestActionHalfRange)
        let low = plant.actionLow.map(Float.init), high = plant.actionHigh.map(Float.init)
        // With squashed samples σ is in units of u (a = c + h tanh u), so its fractions are not scaled.
        let stdUnit = p.squashSamples ? 1 : halfRange
        let bounded = p.squashMean || p.squashSamples
        policy = GaussianPolicy(observationSize: S, actionSize: A, hidden: p.hidden, maxBatch: max(h.policyRows, plant.episodeLength),
                                initialStd: p.initialStdFraction * stdUnit, learningRate: h.policyLearningRate,
                                actionLow: bounded ? low : nil, actionHigh: bounded ? high : nil,
                                stateDependentStd: p.stateDependentStd, squashSamples: p.squashSamples, generator: &generator)
        if let floor = p.minStdFraction { policy.minLogStd = logf(floor * stdUnit) }
        // SAC's bound on log σ of u (official code: [−5, 2]).
        if p.squashSamples { policy.maxLogStd = 2 }
        // θ̄ starts at θ₀ (its weight after n episodes is (1 − τ)ⁿ).
        averagePolicy = p.averaging > 0 ? GaussianPolicy(copying: policy, maxBatch: 1) : nil
        replay = ReplayBuffer(capacity: configuration.replayCapacity, stateSize: S, actionSize: A)
        // Its own generator, so a learned reward leaves the seed stream of everything else as it is.
        if configuration.reward.source == "learned" {
            let r = configuration.reward
            var rewardGenerator = Xoshiro256StarStar(seed: configuration.seed ^ 0x5EA4_D0DE)
            learnedReward = LearnedReward(observationSize: S, actionSize: A, hidden: r.hidden, batchSize: r.batchSize,
                                          learningRate: r.learningRate, outputScale: r.scale, actionLow: low, actionHigh: high,
                                          generator: &rewardGenerator)
        } else {
            learnedReward = nil
        }
        agent = h.makeAgent(policy: policy, replay: replay, reward: learnedReward ?? reward, actionLow: low, actionHigh: high,
                            episodeLength: plant.episodeLength, generator: &generator)
        _ = generator.next()
        actingGenerator = Xoshiro256StarStar(seed: generator.next())
        resetGenerator = Xoshiro256StarStar(seed: generator.next())
        disturbances = configuration.conditions.isNominal ? nil : configuration.conditions.disturbances(seed: configuration.seed ^ 0xD157)
        observation = .allocate(capacity: S)
        actionDouble = .allocate(capacity: A)
        state = .allocate(capacity: S)
        nextState = .allocate(capacity: S)
        action = .allocate(capacity: A)
        for b in [observation, actionDouble] { b.initialize(repeating: 0) }
        for b in [state, nextState, action] { b.initialize(repeating: 0) }
        plant.reset(using: &resetGenerator)
    }

    deinit {
        observation.deallocate(); actionDouble.deallocate(); state.deallocate(); nextState.deallocate(); action.deallocate()
    }

    /// What the loop reports.
    public enum Event {
        case episodeEnded(episode: Int, steps: Int, return: Double)
    }

    /// The observation as the sensors report it (sensor noise under `conditions`).
    func observe(into row: UnsafeMutableBufferPointer<Float>) {
        plant.observe(into: observation)
        disturbances?.sense(observation)
        for i in 0..<plant.observationSize { row[i] = Float(observation[i]) }
    }

    /// One environment step with exploration, stored in the replay, then the agent's updates
    /// (after the step, or after the episode, as its schedule says). Returns true when the step
    /// ended an episode (the plant is then reset).
    @discardableResult
    public func step(onEpisodeEnd: (Event) -> Void = { _ in }) -> Bool {
        observe(into: state)
        let logProbability = policy.act(UnsafeBufferPointer(state), into: action, deterministic: false, generator: &actingGenerator)
        for i in 0..<plant.actionSize { actionDouble[i] = Double(action[i]) }
        disturbances?.actuate(actionDouble, plant: plant)
        var r = plant.step(action: UnsafeBufferPointer(actionDouble))
        observe(into: nextState)
        let over = plant.isEpisodeOver
        // A terminal reward belongs to the last transition, which then ends the return (hand);
        // it is the task's, of the true final state (not the one sensor noise shows).
        if over && disturbances != nil { plant.observe(into: observation) }
        let terminalReward = over ? plant.terminalReward(observation: UnsafeBufferPointer(observation)) : 0
        r += terminalReward
        // No bootstrapping past a terminal state (a fall) or past a terminal reward (hand).
        let terminal = plant.isTerminated || (over && terminalReward != 0)
        replay.add(state: UnsafeBufferPointer(state), action: UnsafeBufferPointer(action), reward: Float(r),
                   nextState: UnsafeBufferPointer(nextState), logProbability: logProbability, terminal: terminal,
                   episode: episode, step: plant.stepIndex - 1)
        episodeReturn += r
        environmentSteps += 1
        learnedReward?.fitStep(from: replay)
        if case .everyStep(let updates, let warmup) = agent.schedule, environmentSteps > warmup {
            for _ in 0..<updates { agent.update() }
        }
        if over {
            if agent.schedule == .everyEpisode { agent.endEpisode(length: environmentSteps - episodeStart) }
            if let averagePolicy { averagePolicy.mean.blendParameters(from: policy.mean, fraction: configuration.policy.averaging) }
            onEpisodeEnd(.episodeEnded(episode: episode, steps: environmentSteps, return: episodeReturn))
            episode += 1
            episodeReturn = 0
            episodeStart = environmentSteps
            atEpisodeBoundary?(self)
            plant.reset(using: &resetGenerator)
        }
        return over
    }

    /// Mean return of the deterministic `evaluationPolicy` over the plant's evaluation starts,
    /// under `configuration.conditions`. Does not touch the training plant.
    public func evaluate() -> Double {
        Evaluation.meanReturn(policy: evaluationPolicy, plant: evaluationPlant, episodes: configuration.evaluationEpisodes,
                              conditions: configuration.conditions)
    }
}
