import Link
/// A time schedule of plant perturbations: "30:gain=0.6,60:noise=0.25,90:delay=2".
/// Times are seconds since the firmware started (wall clock in real-time mode, plant time in
/// lockstep). Keys: noise (actuator noise, fraction of range), gain (actuator gain), sensor
/// (sensor noise), delay (observation delay, ticks), stuck (0/1), drop-observation (probability),
/// weak-actuator (index, −1 none) and weak-gain (that actuator's own gain).
struct Schedule {
    struct Entry: Equatable {
        var seconds: Double
        var parameter: ConfigureParameterName
        var value: Double
    }

    enum ConfigureParameterName: String, CaseIterable {
        case noise, gain, sensor, delay, stuck, dropObservation = "drop-observation"
        case weakActuator = "weak-actuator", weakGain = "weak-gain"

        /// The CONFIGURE parameter it sets (and whose range it must keep to).
        var configureParameter: ConfigureParameter {
            switch self {
            case .noise: .actuatorNoise
            case .gain: .actuatorGain
            case .sensor: .sensorNoise
            case .delay: .observationDelayTicks
            case .stuck: .stuckObservation
            case .dropObservation: .dropObservationProbability
            case .weakActuator: .weakActuator
            case .weakGain: .weakActuatorGain
            }
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var entries: [Entry]
    private(set) var next = 0

    /// Parses `text`; every value must be one a plant with `actionSize` actuators accepts over
    /// CONFIGURE (`ConfigureParameter.accepts`).
    init(_ text: String, actionSize: Int = Int.max) throws {
        entries = []
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let seconds = Double(parts[0]), seconds >= 0 else {
                throw ParseError(description: "schedule entry '\(item)': expected SECONDS:KEY=VALUE, e.g. 60:gain=0.6")
            }
            let assignment = parts[1].split(separator: "=", maxSplits: 1)
            guard assignment.count == 2, let key = ConfigureParameterName(rawValue: String(assignment[0])),
                  let value = Double(assignment[1]), value.isFinite
            else {
                throw ParseError(description: "schedule entry '\(item)': expected KEY=VALUE with KEY one of "
                    + ConfigureParameterName.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let range = key.configureParameter.validRange
            guard key.configureParameter.accepts(value, actionSize: actionSize) else {
                if key == .weakActuator && value == value.rounded() && value >= 0 && value <= range.upperBound {
                    throw ParseError(description: "schedule entry '\(item)': weak-actuator must be an actuator's index below \(actionSize), or -1 for none")
                }
                let kind = range.contains(value) ? "a whole number " : ""
                throw ParseError(description: "schedule entry '\(item)': \(key.rawValue) must be \(kind)in [\(range.lowerBound), \(range.upperBound)]")
            }
            entries.append(Entry(seconds: seconds, parameter: key, value: value))
        }
        entries.sort { $0.seconds < $1.seconds }
    }

    /// The entries due by `seconds`, each once.
    mutating func due(at seconds: Double) -> ArraySlice<Entry> {
        let start = next
        while next < entries.count && entries[next].seconds <= seconds { next += 1 }
        return entries[start..<next]
    }
}
