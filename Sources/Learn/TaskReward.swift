/// The task's known, differentiable reward (docs/algorithms.md §1): r(s, a) with r_s and r_a,
/// and an optional terminal reward of the final state. The signatures are the plants' own, so
/// any `Plants.Plant` serves through a one-line adapter; Learn does not depend on Plants.
/// Implementations used by the learner must be real-time safe (no allocation).
public protocol TaskReward: AnyObject {
    var observationSize: Int { get }
    var actionSize: Int { get }
    func reward(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>) -> Double
    func rewardGradient(
        observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>,
        dObservation: UnsafeMutableBufferPointer<Double>, dAction: UnsafeMutableBufferPointer<Double>)
    func terminalReward(observation: UnsafeBufferPointer<Double>) -> Double
    func terminalRewardGradient(observation: UnsafeBufferPointer<Double>, dObservation: UnsafeMutableBufferPointer<Double>)
}

/// Scratch space to call a `TaskReward` on Float rows without allocating.
public final class RewardScratch {
    public let observation: UnsafeMutableBufferPointer<Double>
    public let action: UnsafeMutableBufferPointer<Double>
    public let dObservation: UnsafeMutableBufferPointer<Double>
    public let dAction: UnsafeMutableBufferPointer<Double>

    public init(observationSize: Int, actionSize: Int) {
        observation = .allocate(capacity: observationSize)
        action = .allocate(capacity: actionSize)
        dObservation = .allocate(capacity: observationSize)
        dAction = .allocate(capacity: actionSize)
        for b in [observation, action, dObservation, dAction] { b.initialize(repeating: 0) }
    }

    deinit { for b in [observation, action, dObservation, dAction] { b.deallocate() } }

    /// r_a (and r_s) at Float rows `s`, `a`; results in `dAction`, `dObservation`.
    @inline(__always)
    public func gradient(_ reward: any TaskReward, s: UnsafeBufferPointer<Float>, a: UnsafeBufferPointer<Float>) {
        for i in 0..<observation.count { observation[i] = Double(s[i]) }
        for i in 0..<action.count { action[i] = Double(a[i]) }
        reward.rewardGradient(observation: UnsafeBufferPointer(observation), action: UnsafeBufferPointer(action),
                              dObservation: dObservation, dAction: dAction)
    }

    /// r(s, a) at Float rows.
    @inline(__always)
    public func value(_ reward: any TaskReward, s: UnsafeBufferPointer<Float>, a: UnsafeBufferPointer<Float>) -> Double {
        for i in 0..<observation.count { observation[i] = Double(s[i]) }
        for i in 0..<action.count { action[i] = Double(a[i]) }
        return reward.reward(observation: UnsafeBufferPointer(observation), action: UnsafeBufferPointer(action))
    }
}
