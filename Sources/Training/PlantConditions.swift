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
    public init(actuatorGain: Double = 1, actuatorNoise: Double = 0, sensorNoise: Double = 0) {
        self.actuatorGain = actuatorGain
        self.actuatorNoise = actuatorNoise
        self.sensorNoise = sensorNoise
    }

    /// The plant as built, without disturbances.
    public var isNominal: Bool { self == PlantConditions() }

    /// Disturbances with these settings, seeded.
    public func disturbances(seed: UInt64) -> Disturbances {
        Disturbances(seed: seed, actuatorGain: actuatorGain, actuatorNoise: actuatorNoise, sensorNoise: sensorNoise)
    }

    /// "gain 0.6, actuator noise 0.25" (the settings that differ from nominal).
    public var label: String {
        var parts: [String] = []
        if actuatorGain != 1 { parts.append("gain \(actuatorGain)") }
        if actuatorNoise != 0 { parts.append("actuator noise \(actuatorNoise)") }
        if sensorNoise != 0 { parts.append("sensor noise \(sensorNoise)") }
        return parts.isEmpty ? "nominal" : parts.joined(separator: ", ")
    }
}
