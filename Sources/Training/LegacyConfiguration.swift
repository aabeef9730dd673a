import Learn
import Plants
#if canImport(Glibc)
import Glibc
#endif

/// Reads the `config.json` of runs written before configurations held one agent's
/// hyperparameters (layout 1: flat fields and an "svg" object shared by every algorithm), as a
/// layer of today's fields, so such runs still evaluate (their checkpoints' policies load;
/// their full state does not resume, `Trainer.restore` says so).
extension TrainingConfiguration.Layer {
    /// True for a layout-1 configuration object.
    static func isLayoutOne(_ object: [String: JSONValue]) -> Bool { object["svg"]?.object != nil }

    /// The layout-1 object as today's fields; the hyperparameters the algorithm does not have are dropped.
    static func fromLayoutOne(_ old: [String: JSONValue], source: String) throws -> TrainingConfiguration.Layer {
        var top: [String: JSONValue] = [:]
        for key in ["plant", "algorithm", "seed", "steps", "replayCapacity", "evaluationInterval", "evaluationEpisodes"] {
            if let v = old[key], v != .null { top[key] = v }
        }
        var policy: [String: JSONValue] = [:]
        let policyFields = ["policyHidden": "hidden", "initialStdFraction": "initialStdFraction", "squashMean": "squashMean",
                            "stateDependentStd": "stateDependentStd", "policyAveraging": "averaging"]
        for (from, to) in policyFields { if let v = old[from], v != .null { policy[to] = v } }
        var hyper = old["svg"]?.object ?? [:]
        // The σ floor was stored as log σ; today it is a fraction of the half-range.
        if let minLogStd = hyper.removeValue(forKey: "minLogStd")?.number, minLogStd > -5,
           case .string(let name) = old["plant"] ?? .null, let plant = PlantRegistry.make(name) {
            policy["minStdFraction"] = .double(exp(minLogStd) / plant.largestActionHalfRange)
        }
        for key in ["valueScale", "preSquashPenalty", "policyStepsPerEpisode", "modelStepsPerEpisode", "valueHidden", "modelHidden",
                    "updatesPerStep", "warmupSteps"] {
            if let v = old[key], v != .null { hyper[key] = v }
        }
        // Keep only what the run's algorithm has (every algorithm carried every field).
        let algorithm: Algorithm
        if case .string(let a) = old["algorithm"] ?? .null, let known = Algorithm(rawValue: a) { algorithm = known } else {
            throw ConfigurationError("\(source): a layout-1 configuration without a known algorithm")
        }
        let names = AgentHyperparameters(defaultsFor: algorithm).fieldNames
        hyper = hyper.filter { names.contains($0.key) && $0.value != .null }
        // SVG(0) had no policy regularisers then: the values it carried did nothing.
        if algorithm == .svg0 { hyper = hyper.filter { !TrainingConfiguration.PolicyRegularisersFields.names.contains($0.key) } }
        top["policy"] = .object(policy)
        top["hyperparameters"] = .object(hyper)
        return .init(source: source + " (layout 1)", fields: top)
    }
}
