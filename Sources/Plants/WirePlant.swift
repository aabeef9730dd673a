import Random

/// A plant known only by what its HELLO says (docs/protocol.md): name, sizes, actuator limits,
/// step and episode length — what `svgrt run --connect HOST:PORT` learns when no `--plant`
/// names one of svg-rt's own. It has no physics and no reward here: it is never stepped or
/// evaluated in-process (its `step` returns 0 and `observe` writes zeros), and a learner uses a
/// reward model fitted to the rewards the plant reports (`reward.source` "learned").
/// Its registry name is "wire:" followed by the HELLO's name.
public final class WirePlant: Plant {
    public let name: String
    public let observationSize: Int, actionSize: Int, physicalStateSize: Int
    public let timeStep: Double
    public let episodeLength: Int
    public let discount = 0.99
    public let actionLow: [Double], actionHigh: [Double]
    public let stepIndex = 0
    public var rewardIsExact: Bool { false }

    /// The prefix of a wire plant's registry name.
    public static let prefix = "wire:"

    public init(helloName: String, observationSize: Int, actionSize: Int, physicalStateSize: Int, timeStep: Double,
                episodeLength: Int, actionLow: [Double], actionHigh: [Double]) {
        name = Self.prefix + helloName
        self.observationSize = observationSize
        self.actionSize = actionSize
        self.physicalStateSize = physicalStateSize
        self.timeStep = timeStep
        self.episodeLength = episodeLength
        self.actionLow = actionLow
        self.actionHigh = actionHigh
    }

    public func reset(using generator: inout Xoshiro256StarStar) {}
    public func reset(to state: UnsafeBufferPointer<Double>) {}
    public func physicalState(into state: UnsafeMutableBufferPointer<Double>) { for i in 0..<state.count { state[i] = 0 } }
    public func observe(into observation: UnsafeMutableBufferPointer<Double>) { for i in 0..<observation.count { observation[i] = 0 } }
    public func step(action: UnsafeBufferPointer<Double>) -> Double { 0 }
    public func reward(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>) -> Double { 0 }
    public func rewardGradient(observation: UnsafeBufferPointer<Double>, action: UnsafeBufferPointer<Double>,
                               dObservation: UnsafeMutableBufferPointer<Double>, dAction: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<dObservation.count { dObservation[i] = 0 }
        for i in 0..<dAction.count { dAction[i] = 0 }
    }
}
