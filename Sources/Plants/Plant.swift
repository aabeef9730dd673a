import Random

/// A plant the controller acts on: fixed time step, saturating actuators, a seeded reset
/// distribution, and the task's reward r(s, a) with analytic gradients r_s and r_a.
///
/// "State" for learning is the plant's observation (what a controller sees on the wire); the
/// physical state (what `reset(to:)` takes and `physicalState(into:)` gives) may differ, e.g.
/// the pendulum observes (cos θ, sin θ, θ̇) of the state (θ, θ̇).
///
/// Conventions: `step` returns r(s_t, a_t) of the observation before the step and the action
/// after saturation (gymnasium's convention); a task with a terminal reward adds
/// `terminalReward(observation:)` of the final observation s_T. Every method after `init` is
/// real-time safe: buffers are the caller's, nothing allocates. One thread per plant.
public protocol Plant: AnyObject {
    /// Registry name, e.g. "pendulum".
    var name: String { get }
    /// Length of the observation vector s.
    var observationSize: Int { get }
    /// Length of the action vector a.
    var actionSize: Int { get }
    /// Length of the physical state (explicit RESET payload).
    var physicalStateSize: Int { get }
    /// Seconds of plant time per `step`.
    var timeStep: Double { get }
    /// Steps per episode.
    var episodeLength: Int { get }
    /// The task's discount γ (docs/algorithms.md §5 lists the paper's per task).
    var discount: Double { get }
    /// Actuator limits; `step` saturates every action to [actionLow, actionHigh].
    var actionLow: [Double] { get }
    var actionHigh: [Double] { get }
    /// Steps taken since the last reset.
    var stepIndex: Int { get }
    /// Whether the last step reached a terminal state (gymnasium's `terminated`: a fall, a pole
    /// past its limit): the episode ends there and nothing is bootstrapped past it. Running out
    /// of steps (`stepIndex == episodeLength`) is a truncation, not a termination.
    var isTerminated: Bool { get }
    /// Whether `reward(observation:action:)` equals what `step` returns. False where the task's
    /// reward needs what the observation lacks (a MuJoCo walker's x position): `reward` is then
    /// the learner's differentiable model of it.
    var rewardIsExact: Bool { get }

    /// Draws an initial state from the task's reset distribution.
    func reset(using generator: inout Xoshiro256StarStar)
    /// Starts from an explicit physical state (`physicalStateSize` values).
    func reset(to state: UnsafeBufferPointer<Double>)
    /// Writes the physical state.
    func physicalState(into state: UnsafeMutableBufferPointer<Double>)
    /// Writes the current observation.
    func observe(into observation: UnsafeMutableBufferPointer<Double>)
    /// Saturates `action`, advances one time step, returns r(s, a) of the pre-step observation.
    func step(action: UnsafeBufferPointer<Double>) -> Double

    /// r(s, a) for an observation and an (unsaturated) action.
    func reward(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>) -> Double
    /// r_s and r_a at (s, a).
    func rewardGradient(
        observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>,
        dObservation: UnsafeMutableBufferPointer<Double>, dAction: UnsafeMutableBufferPointer<Double>)
    /// Reward of the final observation of an episode (0 for tasks without one).
    func terminalReward(observation: UnsafeBufferPointer<Double>) -> Double
    /// Gradient of `terminalReward` with respect to the observation.
    func terminalRewardGradient(observation: UnsafeBufferPointer<Double>, dObservation: UnsafeMutableBufferPointer<Double>)
    /// The evaluation return that counts as solving the task (reports mark when the
    /// deterministic policy first reaches it), and what it means; nil where none is set.
    var successReturn: Double? { get }
    var successMeaning: String { get }
    /// Fixed start states (physical states, for `reset(to:)`) that evaluations use instead of
    /// seeded resets, so returns compare with published ones; nil: seeded resets.
    var referenceStarts: [[Double]]? { get }
    /// Returns of known controllers on this plant, to read learned returns against (drawn on
    /// the train report's chart); empty where none is measured.
    var yardsticks: [(name: String, return: Double)] { get }
}

extension Plant {
    public var successReturn: Double? { nil }
    public var successMeaning: String { "" }
    public var referenceStarts: [[Double]]? { nil }
    public var yardsticks: [(name: String, return: Double)] { [] }
    public var isTerminated: Bool { false }
    public var rewardIsExact: Bool { true }
    public func terminalReward(observation: UnsafeBufferPointer<Double>) -> Double { 0 }
    public func terminalRewardGradient(observation: UnsafeBufferPointer<Double>, dObservation: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dObservation.count { dObservation[i] = 0 }
    }

    /// `value` clamped to the actuator range of dimension `i`.
    @inlinable public func saturate(_ value: Double, dimension i: Int) -> Double {
        min(max(value, actionLow[i]), actionHigh[i])
    }

    /// Whether the current episode is over: terminated, or run its length (truncated).
    public var isEpisodeOver: Bool { isTerminated || stepIndex >= episodeLength }

    /// The largest actuator half-range, (high − low)/2 over the action dimensions: the scale of
    /// the initial exploration σ and of the σ floor.
    public var largestActionHalfRange: Double { zip(actionLow, actionHigh).map { ($1 - $0) / 2 }.max() ?? 1 }
}

/// Every plant svg-rt ships, by name: its own plants, and gymnasium's MuJoCo tasks by their
/// gymnasium ids (present where the MuJoCo library is, `MuJoCoLibrary`).
public enum PlantRegistry {
    /// svg-rt's own plants (pure Swift, always there).
    public static let ownNames = ["pendulum", "cartpole", "hand", "swimmer3", "swimmer5", "swimmer7", "reacher3"]
    /// gymnasium's MuJoCo tasks.
    public static let mujocoNames = GymnasiumTask.all.map(\.id)
    /// Every name `plant(named:)` knows.
    public static let names = ownNames + mujocoNames
    /// The plants that can be made here: own plants, and the MuJoCo tasks when MuJoCo loads.
    public static var availableNames: [String] {
        if case .success = MuJoCoLibrary.status { return names }
        return ownNames
    }

    /// A new plant called `name`. Throws, in one line, for an unknown name or a MuJoCo task
    /// without the MuJoCo library.
    public static func plant(named name: String) throws(PlantUnavailable) -> any Plant {
        switch name {
        case "pendulum": return Pendulum()
        case "cartpole": return CartPole()
        case "hand": return Hand()
        case "swimmer3": return Swimmer(links: 3)
        case "swimmer5": return Swimmer(links: 5)
        case "swimmer7": return Swimmer(links: 7)
        case "reacher3": return Reacher()
        default:
            if mujocoNames.contains(name) { return try MuJoCoPlant(name) }
            if name.hasPrefix(WirePlant.prefix) {
                throw PlantUnavailable("\(name) is a plant on the wire: only svgrt run --connect, which reads its HELLO, can learn it")
            }
            throw PlantUnavailable("unknown plant '\(name)'; known: \(names.joined(separator: ", "))")
        }
    }

    /// Throws what `plant(named:)` would for `name`, without making the plant.
    public static func check(_ name: String) throws(PlantUnavailable) {
        if ownNames.contains(name) || name.hasPrefix(WirePlant.prefix) { return }
        guard mujocoNames.contains(name) else {
            throw PlantUnavailable("unknown plant '\(name)'; known: \(names.joined(separator: ", "))")
        }
        if case .failure(let reason) = MuJoCoLibrary.status { throw PlantUnavailable("\(name) needs MuJoCo: \(reason)") }
    }

    /// A new plant called `name`, or nil where `plant(named:)` throws.
    public static func make(_ name: String) -> (any Plant)? { try? plant(named: name) }
}
