import Net

/// The chosen algorithm's hyperparameters: exactly one agent's, so a configuration holds no
/// setting its algorithm does not use. Encodes as that agent's `Hyperparameters` alone.
public enum AgentHyperparameters: Sendable, Equatable, Encodable {
    case svg1ER(SVG1ER.Hyperparameters)
    case svg1(SVG1.Hyperparameters)
    case svgInfinity(SVGInfinity.Hyperparameters)
    case planner(Planner.Hyperparameters)
    case svg0(SVG0.Hyperparameters)
    case sacSVG(SACSVG.Hyperparameters)

    /// The defaults of `algorithm`'s agent.
    public init(defaultsFor algorithm: Algorithm) {
        switch algorithm {
        case .svg1ER: self = .svg1ER(.init())
        case .svg1: self = .svg1(.init())
        case .svgInfinity: self = .svgInfinity(.init())
        case .planner: self = .planner(.init())
        case .svg0: self = .svg0(.init())
        case .sacSVG: self = .sacSVG(.init())
        }
    }

    /// Decodes `algorithm`'s hyperparameters.
    public init(_ algorithm: Algorithm, from decoder: any Decoder) throws {
        switch algorithm {
        case .svg1ER: self = .svg1ER(try .init(from: decoder))
        case .svg1: self = .svg1(try .init(from: decoder))
        case .svgInfinity: self = .svgInfinity(try .init(from: decoder))
        case .planner: self = .planner(try .init(from: decoder))
        case .svg0: self = .svg0(try .init(from: decoder))
        case .sacSVG: self = .sacSVG(try .init(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .svg1ER(let h): try h.encode(to: encoder)
        case .svg1(let h): try h.encode(to: encoder)
        case .svgInfinity(let h), .planner(let h): try h.encode(to: encoder)
        case .svg0(let h): try h.encode(to: encoder)
        case .sacSVG(let h): try h.encode(to: encoder)
        }
    }

    public var algorithm: Algorithm {
        switch self {
        case .svg1ER: .svg1ER
        case .svg1: .svg1
        case .svgInfinity: .svgInfinity
        case .planner: .planner
        case .svg0: .svg0
        case .sacSVG: .sacSVG
        }
    }

    /// The gradient-norm clip V_max of every network the agent trains (eq. 14).
    public var clipNorm: Float {
        switch self {
        case .svg1ER(let h): h.clipNorm
        case .svg1(let h): h.clipNorm
        case .svgInfinity(let h), .planner(let h): h.clipNorm
        case .svg0(let h): h.clipNorm
        case .sacSVG(let h): h.clipNorm
        }
    }

    /// Whether the agent's updates use the reward r(s, a): not the model-free SVG(0) and SAC-SVG(0).
    public var usesReward: Bool {
        switch self {
        case .svg0: false
        case .sacSVG(let h): h.horizon > 0
        default: true
        }
    }

    /// The policy's Adam step size (every agent has one; the policy is built before the agent).
    public var policyLearningRate: Float {
        switch self {
        case .svg1ER(let h): h.policyLearningRate
        case .svg1(let h): h.policyLearningRate
        case .svgInfinity(let h), .planner(let h): h.policyLearningRate
        case .svg0(let h): h.policyLearningRate
        case .sacSVG(let h): h.policyLearningRate
        }
    }

    /// Transitions per minibatch (sizes the policy's batch buffers).
    public var batchSize: Int {
        switch self {
        case .svg1ER(let h): h.batchSize
        case .svg1(let h): h.batchSize
        case .svgInfinity(let h), .planner(let h): h.batchSize
        case .svg0(let h): h.batchSize
        case .sacSVG(let h): h.batchSize
        }
    }

    /// Rows the policy network needs for one update: the minibatch, or for SAC-SVG(H) the
    /// minibatch of every rollout step (`SACSVG.Hyperparameters.rolloutRows`).
    public var policyRows: Int {
        if case .sacSVG(let h) = self { return h.rolloutRows }
        return batchSize
    }

    /// Builds the agent, its networks drawn from `generator`. `actionLow`/`actionHigh` are the
    /// plant's actuator limits (the model sees saturated actions), `episodeLength` its longest episode.
    public func makeAgent(policy: GaussianPolicy, replay: ReplayBuffer, reward: any TaskReward, actionLow: [Float], actionHigh: [Float],
                          episodeLength: Int, generator: inout Xoshiro256StarStar) -> any Agent {
        switch self {
        case .svg1ER(let h):
            SVG1ER(policy: policy, replay: replay, reward: reward, actionLow: actionLow, actionHigh: actionHigh, hyperparameters: h,
                   maxBatch: max(h.batchSize, episodeLength), generator: &generator)
        case .svg1(let h):
            SVG1(policy: policy, replay: replay, reward: reward, actionLow: actionLow, actionHigh: actionHigh, hyperparameters: h,
                 episodeLength: episodeLength, generator: &generator)
        case .svgInfinity(let h):
            SVGInfinity(policy: policy, replay: replay, reward: reward, actionLow: actionLow, actionHigh: actionHigh, hyperparameters: h,
                        episodeLength: episodeLength, generator: &generator)
        case .planner(let h):
            Planner(policy: policy, replay: replay, reward: reward, actionLow: actionLow, actionHigh: actionHigh, hyperparameters: h,
                    episodeLength: episodeLength, generator: &generator)
        case .svg0(let h):
            SVG0(policy: policy, replay: replay, hyperparameters: h, generator: &generator)
        case .sacSVG(let h):
            SACSVG(policy: policy, replay: replay, reward: reward, actionLow: actionLow, actionHigh: actionHigh, hyperparameters: h,
                   generator: &generator)
        }
    }
}
