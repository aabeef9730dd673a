import Learn
import Plants

/// A plant's reward as the learner's `TaskReward` (the signatures are the same).
public final class PlantReward: TaskReward {
    public let plant: any Plant
    public init(_ plant: any Plant) { self.plant = plant }
    public var observationSize: Int { plant.observationSize }
    public var actionSize: Int { plant.actionSize }
    public func reward(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>) -> Double {
        plant.reward(observation: observation, action: action)
    }
    public func rewardGradient(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>,
                               dObservation: UnsafeMutableBufferPointer<Double>, dAction: UnsafeMutableBufferPointer<Double>) {
        plant.rewardGradient(observation: observation, action: action, dObservation: dObservation, dAction: dAction)
    }
    public func terminalReward(observation: UnsafeBufferPointer<Double>) -> Double { plant.terminalReward(observation: observation) }
    public func terminalRewardGradient(observation: UnsafeBufferPointer<Double>, dObservation: UnsafeMutableBufferPointer<Double>) {
        plant.terminalRewardGradient(observation: observation, dObservation: dObservation)
    }
}
