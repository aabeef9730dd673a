import Learn
import Net
import Plants

/// Synchronous training (DESIGN "synchronous mode"): one thread, lockstep, as fast as the CPU
/// goes, with the same acting and update code the real-time runtime uses. The same
/// configuration and seed give the same learning curve, bit for bit.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let plant: any Plant
    let evaluationPlant: any Plant
    public let reward: PlantReward
    public let policy: GaussianPolicy
    /// With `policyAveraging` τ > 0: θ̄, the Polyak average of `policy`'s mean network, updated
    /// after each episode. nil when off.
    public let averagePolicy: GaussianPolicy?
    /// The policy evaluations and `svgrt evaluate` play: `averagePolicy` when there is one, else `policy`.
    public var evaluationPolicy: GaussianPolicy { averagePolicy ?? policy }
    public let model: DynamicsModel
    public let value: ValueFunction
    public let replay: ReplayBuffer
    /// SVG(1)-ER, and the model and critic steps of the episodic algorithms: its `modelLoss` and
    /// `valueLoss` are the ones to report.
    public let svg1er: SVG1ER
    public let episodic: EpisodicSVG
    public let svg0: SVG0

    /// Exploration noise, and the reset distribution.
    var actingGenerator: Xoshiro256StarStar
    var resetGenerator: Xoshiro256StarStar

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

    public enum PlantError: Error, CustomStringConvertible {
        case unknown(String)
        public var description: String {
            switch self {
            case .unknown(let name): "unknown plant '\(name)'; known: \(PlantRegistry.names.joined(separator: ", "))"
            }
        }
    }

    public init(_ configuration: TrainingConfiguration) throws {
        guard let plant = PlantRegistry.make(configuration.plant), let evaluationPlant = PlantRegistry.make(configuration.plant) else {
            throw PlantError.unknown(configuration.plant)
        }
        self.configuration = configuration
        self.plant = plant
        self.evaluationPlant = evaluationPlant
        reward = PlantReward(plant)
        let S = plant.observationSize, A = plant.actionSize
        var generator = Xoshiro256StarStar(seed: configuration.seed)
        let halfRange = Float(plant.largestActionHalfRange)
        let batch = max(configuration.svg.batchSize, plant.episodeLength)
        policy = GaussianPolicy(observationSize: S, actionSize: A, hidden: configuration.policyHidden, maxBatch: batch,
                                initialStd: configuration.initialStdFraction * halfRange,
                                learningRate: configuration.svg.policyLearningRate,
                                actionLow: configuration.squashMean ? plant.actionLow.map(Float.init) : nil,
                                actionHigh: configuration.squashMean ? plant.actionHigh.map(Float.init) : nil,
                                stateDependentStd: configuration.stateDependentStd ?? false,
                                generator: &generator)
        model = DynamicsModel(stateSize: S, actionSize: A, hidden: configuration.modelHidden, maxBatch: batch,
                              learningRate: configuration.svg.modelLearningRate,
                              actionLow: plant.actionLow.map(Float.init), actionHigh: plant.actionHigh.map(Float.init),
                              generator: &generator)
        value = ValueFunction(stateSize: S, hidden: configuration.valueHidden, maxBatch: batch,
                              learningRate: configuration.svg.valueLearningRate,
                              targetCopyInterval: configuration.svg.targetCopyInterval, generator: &generator)
        policy.minLogStd = configuration.svg.minLogStd
        // A copy of the initial policy: θ̄ starts at θ₀ (its weight after n episodes is (1 − τ)ⁿ).
        averagePolicy = (configuration.policyAveraging ?? 0) > 0 ? GaussianPolicy(copying: policy, maxBatch: 1) : nil
        value.outputScale = configuration.valueScale
        value.polyak = configuration.svg.polyak
        replay = ReplayBuffer(capacity: configuration.replayCapacity, stateSize: S, actionSize: A)
        svg1er = SVG1ER(policy: policy, model: model, value: value, replay: replay, reward: reward,
                        hyperparameters: configuration.svg, seed: generator.next())
        episodic = EpisodicSVG(learner: svg1er, reward: reward, maxSteps: plant.episodeLength, seed: generator.next())
        svg1er.policyStep.preSquashPenalty = configuration.preSquashPenalty ?? 0
        episodic.policyStep.preSquashPenalty = configuration.preSquashPenalty ?? 0
        episodic.policyStepsPerEpisode = configuration.policyStepsPerEpisode ?? 1
        if let steps = configuration.modelStepsPerEpisode { episodic.fitStepsPerEpisode = steps }
        actingGenerator = Xoshiro256StarStar(seed: generator.next())
        resetGenerator = Xoshiro256StarStar(seed: generator.next())
        let critic = QFunction(stateSize: S, actionSize: A, hidden: configuration.valueHidden, maxBatch: batch,
                               learningRate: configuration.svg.valueLearningRate,
                               targetCopyInterval: configuration.svg.targetCopyInterval, generator: &generator)
        critic.outputScale = configuration.valueScale
        critic.polyak = configuration.svg.polyak
        svg0 = SVG0(policy: policy, critic: critic, replay: replay, hyperparameters: configuration.svg, seed: generator.next())
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
        case evaluated(steps: Int, return: Double)
    }

    func observe(into row: UnsafeMutableBufferPointer<Float>) {
        plant.observe(into: observation)
        for i in 0..<plant.observationSize { row[i] = Float(observation[i]) }
    }

    /// One environment step with exploration, stored in the replay, then the algorithm's updates.
    /// Returns true when the step ended an episode (the plant is then reset).
    @discardableResult
    public func step(onEpisodeEnd: (Event) -> Void = { _ in }) -> Bool {
        observe(into: state)
        let logProbability = policy.act(UnsafeBufferPointer(state), into: action, deterministic: false, generator: &actingGenerator)
        for i in 0..<plant.actionSize { actionDouble[i] = Double(action[i]) }
        var r = plant.step(action: UnsafeBufferPointer(actionDouble))
        observe(into: nextState)
        let over = plant.isEpisodeOver
        // A terminal reward belongs to the last transition, which then ends the return (hand).
        let terminalReward = over ? plant.terminalReward(observation: UnsafeBufferPointer(observation)) : 0
        r += terminalReward
        let terminal = over && terminalReward != 0
        replay.add(state: UnsafeBufferPointer(state), action: UnsafeBufferPointer(action), reward: Float(r),
                   nextState: UnsafeBufferPointer(nextState), logProbability: logProbability, terminal: terminal,
                   episode: episode, step: plant.stepIndex - 1)
        episodeReturn += r
        environmentSteps += 1
        if environmentSteps > configuration.warmupSteps {
            switch configuration.algorithm {
            case .svg1ER: for _ in 0..<configuration.updatesPerStep { svg1er.update() }
            case .svg0: for _ in 0..<configuration.updatesPerStep { svg0.update() }
            default: break
            }
        }
        if over {
            switch configuration.algorithm {
            case .svg1: episodic.update(algorithm: .svg1, length: environmentSteps - episodeStart)
            case .svgInfinity: episodic.update(algorithm: .svgInfinity, length: environmentSteps - episodeStart)
            case .planner: episodic.update(algorithm: .planner, length: environmentSteps - episodeStart)
            case .svg1ER, .svg0: break
            }
            if let averagePolicy, let tau = configuration.policyAveraging {
                averagePolicy.mean.blendParameters(from: policy.mean, fraction: tau)
            }
            onEpisodeEnd(.episodeEnded(episode: episode, steps: environmentSteps, return: episodeReturn))
            episode += 1
            episodeReturn = 0
            episodeStart = environmentSteps
            atEpisodeBoundary?(self)
            plant.reset(using: &resetGenerator)
        }
        return over
    }

    /// Mean return of the deterministic `evaluationPolicy` over the plant's evaluation starts (the pendulum's
    /// 10 reference states; `evaluationEpisodes` seeded resets, default 10, for the others). Does not touch the training plant.
    public func evaluate() -> Double {
        Evaluation.meanReturn(policy: evaluationPolicy, plant: evaluationPlant, episodes: configuration.evaluationEpisodes ?? EvaluationStarts.defaultEpisodes)
    }
}
