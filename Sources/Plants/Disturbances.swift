import Random

/// What stands between a commanded action and the plant, and between the plant and its
/// sensors, on a real board: actuator gain (a weak motor or a sagging supply), actuator noise,
/// sensor noise. All changeable while running; seeded, so a run reproduces.
/// Real-time safe: no allocation, no lock.
public struct Disturbances: Sendable {
    /// Multiplies the saturated command (1 = nominal, 0.6 = a motor at 60 %).
    public var actuatorGain: Double = 1
    /// One weak actuator (−1: none) and its own gain, applied on top of `actuatorGain`
    /// (the paper's monoped with one motor at 60 %: `weakActuator` 0, `weakActuatorGain` 0.6).
    public var weakActuator = -1
    public var weakActuatorGain: Double = 1
    /// Standard deviation of Gaussian actuator noise as a fraction of the actuator range
    /// (high − low) per dimension; 0.05 is 5 % of the range.
    public var actuatorNoise: Double = 0
    /// Standard deviation of Gaussian sensor noise added to every observation value, in the
    /// observation's units.
    public var sensorNoise: Double = 0
    var generator: Xoshiro256StarStar

    /// The noise generator's state (checkpoints), and a copy that continues from it.
    public var generatorWords: [UInt64] { generator.words }
    public mutating func continueGenerator(from words: [UInt64]) -> Bool {
        guard let g = Xoshiro256StarStar(words: words) else { return false }
        generator = g
        return true
    }

    public init(seed: UInt64, actuatorGain: Double = 1, actuatorNoise: Double = 0, sensorNoise: Double = 0,
                weakActuator: Int = -1, weakActuatorGain: Double = 1) {
        generator = Xoshiro256StarStar(seed: seed)
        self.actuatorGain = actuatorGain
        self.weakActuator = weakActuator
        self.weakActuatorGain = weakActuatorGain
        self.actuatorNoise = actuatorNoise
        self.sensorNoise = sensorNoise
    }

    /// command → saturate → × gain (× the weak actuator's own) → + noise; the plant saturates
    /// the result again.
    public mutating func actuate(_ action: UnsafeMutableBufferPointer<Double>, plant: any Plant) {
        for i in 0..<action.count {
            let gain = i == weakActuator ? actuatorGain * weakActuatorGain : actuatorGain
            var value = plant.saturate(action[i], dimension: i) * gain
            if actuatorNoise > 0 {
                value += actuatorNoise * (plant.actionHigh[i] - plant.actionLow[i]) * generator.nextGaussian()
            }
            action[i] = value
        }
    }

    /// Adds sensor noise to an observation.
    public mutating func sense(_ observation: UnsafeMutableBufferPointer<Double>) {
        guard sensorNoise > 0 else { return }
        for i in 0..<observation.count { observation[i] += sensorNoise * generator.nextGaussian() }
    }
}
