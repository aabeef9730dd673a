import Plants

/// The conditions a plant runs under, as firmware-sim's perturbations set them: actuator gain
/// (1 nominal, 0.6 a weak motor), actuator noise (standard deviation as a fraction of the
/// actuator range) and sensor noise (standard deviation in observation units). Training under
/// them gives the from-scratch level an adapting policy is measured against; evaluations under
/// them compare an adapting policy with its frozen twin.
public struct PlantConditions: Codable, Sendable, Equatable {
    public var actuatorGain = 1.0
    public var actuatorNoise = 0.0
    public var sensorNoise = 0.0
    /// One weak actuator (−1: none) and its own gain on top of `actuatorGain`.
    public var weakActuator = -1
    public var weakActuatorGain = 1.0
    public init(actuatorGain: Double = 1, actuatorNoise: Double = 0, sensorNoise: Double = 0, weakActuator: Int = -1,
                weakActuatorGain: Double = 1) {
        self.actuatorGain = actuatorGain
        self.actuatorNoise = actuatorNoise
        self.sensorNoise = sensorNoise
        self.weakActuator = weakActuator
        self.weakActuatorGain = weakActuatorGain
    }

    enum CodingKeys: String, CodingKey { case actuatorGain, actuatorNoise, sensorNoise, weakActuator, weakActuatorGain }

    /// Decodes; a configuration written before the weak actuator existed has none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        actuatorGain = try c.decode(Double.self, forKey: .actuatorGain)
        actuatorNoise = try c.decode(Double.self, forKey: .actuatorNoise)
        sensorNoise = try c.decode(Double.self, forKey: .sensorNoise)
        weakActuator = try c.decodeIfPresent(Int.self, forKey: .weakActuator) ?? -1
        weakActuatorGain = try c.decodeIfPresent(Double.self, forKey: .weakActuatorGain) ?? 1
    }

    /// The plant as built, without disturbances (a weak actuator at gain 1 is not weak).
    public var isNominal: Bool {
        actuatorGain == 1 && actuatorNoise == 0 && sensorNoise == 0 && (weakActuator < 0 || weakActuatorGain == 1)
    }

    /// Disturbances with these settings, seeded.
    public func disturbances(seed: UInt64) -> Disturbances {
        Disturbances(seed: seed, actuatorGain: actuatorGain, actuatorNoise: actuatorNoise, sensorNoise: sensorNoise,
                     weakActuator: weakActuator, weakActuatorGain: weakActuatorGain)
    }

    /// "gain 0.6, actuator noise 0.25" (the settings that differ from nominal).
    public var label: String {
        var parts: [String] = []
        if actuatorGain != 1 { parts.append("gain \(actuatorGain)") }
        if actuatorNoise != 0 { parts.append("actuator noise \(actuatorNoise)") }
        if sensorNoise != 0 { parts.append("sensor noise \(sensorNoise)") }
        if weakActuator >= 0 && weakActuatorGain != 1 { parts.append("actuator \(weakActuator) at gain \(weakActuatorGain)") }
        return parts.isEmpty ? "nominal" : parts.joined(separator: ", ")
    }
}
