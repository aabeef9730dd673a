import ArgumentParser
import Learn
import Training

/// The algorithm, its hyperparameters and the policy, as `svgrt train` and `svgrt run` both
/// take them: each option sets the configuration field of the same name (the one mapping, in
/// `fields`). Unset options keep the plant's defaults, or the resumed run's, or the --config
/// file's; an option the chosen algorithm does not use is refused, naming those that do.
///
/// Every numeric option of svgrt and firmware-sim parses `.unconditional`: the word after it is
/// its value even when it starts with "-", so `--target-entropy -2` is −2 and `--steps -5` is
/// refused by its range check, where ArgumentParser's default would report the value missing.
struct AgentOptions: ParsableArguments {
    @Option(name: .customLong("algo"), help: "Algorithm: \(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")) (default: the plant's).")
    var algorithm: String?

    @Option(help: "JSON configuration file: any of config.json's fields (see --print-config); the options here override it.")
    var config: String?

    @Option(parsing: .unconditional, help: "Discount γ.") var gamma: Float?
    @Option(parsing: .unconditional, help: "Minibatch size (1 to 4,096).") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Learning rate of every network the algorithm has.") var learningRate: Float?
    @Option(parsing: .unconditional, help: "Policy learning rate.") var policyLearningRate: Float?
    @Option(parsing: .unconditional, help: "Critic learning rate.") var valueLearningRate: Float?
    @Option(parsing: .unconditional, help: "Model learning rate.") var modelLearningRate: Float?
    @Option(parsing: .unconditional, help: "Gradient-norm clip V_max.") var clipNorm: Float?
    @Option(parsing: .unconditional, help: "Critic output scale (about the magnitude of returns).") var valueScale: Float?
    @Option(parsing: .unconditional, help: "Soft target update τ (instead of copying every C steps).") var polyak: Float?
    @Option(parsing: .unconditional, help: "Truncation w_max of the importance weights.") var maximumImportanceWeight: Float?
    @Option(parsing: .unconditional, help: "Entropy bonus α of the policy objective.") var entropyBonus: Float?
    @Option(parsing: .unconditional, help: "Weight λ of the KL regulariser on replayed policy steps (0: off).") var klWeight: Float?
    @Option(parsing: .unconditional, help: "Weight ρ of the penalty on the squashed policy's pre-squash mean (0: off).") var preSquashPenalty: Float?
    @Option(parsing: .unconditional, help: "Value steps per update.") var valueSteps: Int?
    @Option(parsing: .unconditional, help: "Updates per environment step (online: at most, per control step).") var updatesPerStep: Int?
    @Option(parsing: .unconditional, help: "Transitions stored before the first update.") var warmupSteps: Int?
    @Option(help: "Hidden widths of each model sub-network, e.g. 20x20.") var modelHidden: String?
    @Option(help: "Hidden widths of the critic, e.g. 200x100.") var valueHidden: String?
    @Option(parsing: .unconditional, help: "Policy steps after each episode (default 1, as Algorithm 1).") var policyStepsPerEpisode: Int?
    @Option(parsing: .unconditional, help: "Model (and critic) steps after each episode (default: the episode length).") var modelStepsPerEpisode: Int?

    @Option(parsing: .unconditional, help: "sac-svg: model transitions in the actor's expansion, SAC-SVG(H) (0: SAC).") var horizon: Int?
    @Option(help: "svg0: draw fresh noise for the policy step (true) or infer it from replayed actions, importance-weighted (false).") var freshActions: Bool?
    @Option(parsing: .unconditional, help: "sac-svg: initial temperature α.") var initialTemperature: Float?
    @Option(parsing: .unconditional, help: "sac-svg, svg1-er with --target-entropy: Adam step size of log α.") var temperatureLearningRate: Float?
    @Option(parsing: .unconditional, help: "Target entropy of the policy, nats (sac-svg: the initial one, default −dim A; svg1-er, svg0: tunes --entropy-bonus towards it).") var targetEntropy: Float?
    @Option(parsing: .unconditional, help: "sac-svg: final target entropy (default −dim A).") var finalTargetEntropy: Float?
    @Option(parsing: .unconditional, help: "sac-svg: exponent of the target entropy's decay (0: constant).") var targetEntropyDecay: Float?
    @Option(parsing: .unconditional, help: "sac-svg: updates over which the target entropy decays.") var targetEntropySteps: Int?
    @Option(parsing: .unconditional, help: "sac-svg: sequences per model step (1 to 4,096).") var modelBatchSize: Int?
    @Option(parsing: .unconditional, help: "Model steps per update.") var modelSteps: Int?
    @Option(parsing: .unconditional, help: "sac-svg: updates with plain SAC actor steps before the model expansion starts.") var modelFreeUpdates: Int?

    @Option(help: "The learners' reward: plant (the plant's known r(s, a)) or learned (a model fitted to the rewards the plant reports).") var reward: String?
    @Option(help: "Hidden widths of the learned reward model, e.g. 64x64.") var rewardHidden: String?

    @Option(help: "Hidden widths of the policy, e.g. 100x100.") var policyHidden: String?
    @Option(parsing: .unconditional, help: "Initial exploration σ as a fraction of the actuator half-range.") var initialStd: Float?
    @Option(parsing: .unconditional, help: "Floor of the exploration σ as a fraction of the actuator half-range.") var minStd: Float?
    @Option(help: "Squash the policy mean into the actuator limits (true/false).") var squashMean: Bool?
    @Option(help: "σ as a function of the state, a second policy head (true/false).") var stateDependentStd: Bool?
    @Option(help: "Squash each sampled action, a = c + h tanh(u) (SAC's policy; true/false).") var squashSamples: Bool?
    @Option(parsing: .unconditional, help: "τ of the Polyak average of the policy that evaluations play (0: off).") var policyAveraging: Float?

    /// "20x20" or "20,20" → [20, 20].
    static func widths(_ text: String, option: String) throws -> JSONValue {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "x" }).map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--\(option) wants positive widths separated by x or commas, e.g. 20x20 (got '\(text)')")
        }
        return .array(parts.map { .int(Int64($0!)) })
    }

    /// The options given, as configuration fields (section nil: the top level). The one place an
    /// option is tied to its field. `--learning-rate` sets the rates `algorithm` has; the explicit
    /// rate options override it (and are refused where the algorithm lacks them).
    func fields(for algorithm: Algorithm) throws -> [(section: String?, field: String, option: String, value: JSONValue)] {
        var f: [(String?, String, String, JSONValue)] = []
        func h(_ field: String, _ option: String, _ value: Float?) { if let value { f.append(("hyperparameters", field, option, .double(Double(value)))) } }
        func h(_ field: String, _ option: String, _ value: Int?) { if let value { f.append(("hyperparameters", field, option, .int(Int64(value)))) } }
        func p(_ field: String, _ option: String, _ value: JSONValue?) { if let value { f.append(("policy", field, option, value)) } }
        if let algorithm = self.algorithm { f.append((nil, "algorithm", "algo", .string(algorithm))) }
        let has = AgentHyperparameters(defaultsFor: algorithm).fieldNames
        for (field, option, explicit) in [("policyLearningRate", "policy-learning-rate", policyLearningRate),
                                          ("valueLearningRate", "value-learning-rate", valueLearningRate),
                                          ("modelLearningRate", "model-learning-rate", modelLearningRate)] {
            if let explicit { h(field, option, explicit) } else if has.contains(field) { h(field, "learning-rate", learningRate) }
        }
        h("gamma", "gamma", gamma)
        h("batchSize", "batch-size", batchSize)
        h("clipNorm", "clip-norm", clipNorm)
        h("valueScale", "value-scale", valueScale)
        h("polyak", "polyak", polyak)
        h("maximumImportanceWeight", "maximum-importance-weight", maximumImportanceWeight)
        h("entropyBonus", "entropy-bonus", entropyBonus)
        h("klWeight", "kl-weight", klWeight)
        h("preSquashPenalty", "pre-squash-penalty", preSquashPenalty)
        h("valueStepsPerUpdate", "value-steps", valueSteps)
        h("updatesPerStep", "updates-per-step", updatesPerStep)
        h("warmupSteps", "warmup-steps", warmupSteps)
        if let modelHidden { f.append(("hyperparameters", "modelHidden", "model-hidden", try Self.widths(modelHidden, option: "model-hidden"))) }
        if let valueHidden { f.append(("hyperparameters", "valueHidden", "value-hidden", try Self.widths(valueHidden, option: "value-hidden"))) }
        h("policyStepsPerEpisode", "policy-steps-per-episode", policyStepsPerEpisode)
        h("modelStepsPerEpisode", "model-steps-per-episode", modelStepsPerEpisode)
        if let freshActions { f.append(("hyperparameters", "freshActions", "fresh-actions", .bool(freshActions))) }
        h("horizon", "horizon", horizon)
        h("initialTemperature", "initial-temperature", initialTemperature)
        h("temperatureLearningRate", "temperature-learning-rate", temperatureLearningRate)
        h(AgentHyperparameters(defaultsFor: algorithm).fieldNames.contains("targetEntropy") ? "targetEntropy" : "initialTargetEntropy",
          "target-entropy", targetEntropy)
        h("finalTargetEntropy", "final-target-entropy", finalTargetEntropy)
        h("targetEntropyDecay", "target-entropy-decay", targetEntropyDecay)
        h("targetEntropySteps", "target-entropy-steps", targetEntropySteps)
        h("modelBatchSize", "model-batch-size", modelBatchSize)
        h("modelStepsPerUpdate", "model-steps", modelSteps)
        h("modelFreeUpdates", "model-free-updates", modelFreeUpdates)
        if let policyHidden { p("hidden", "policy-hidden", try Self.widths(policyHidden, option: "policy-hidden")) }
        p("initialStdFraction", "initial-std", initialStd.map { .double(Double($0)) })
        p("minStdFraction", "min-std", minStd.map { .double(Double($0)) })
        p("squashMean", "squash-mean", squashMean.map { .bool($0) })
        p("stateDependentStd", "state-dependent-std", stateDependentStd.map { .bool($0) })
        p("squashSamples", "squash-samples", squashSamples.map { .bool($0) })
        p("averaging", "policy-averaging", policyAveraging.map { .double(Double($0)) })
        if let reward { f.append(("reward", "source", "reward", .string(reward))) }
        if let rewardHidden { f.append(("reward", "hidden", "reward-hidden", try Self.widths(rewardHidden, option: "reward-hidden"))) }
        // nan and inf parse as Floats; no field takes them.
        for (_, _, option, value) in f {
            if case .double(let x) = value, !x.isFinite { throw ValidationError("--\(option) must be a finite number (got \(x))") }
        }
        return f
    }

    /// The configuration: defaults of the plant and algorithm, then `base` layers (a resumed
    /// run's config.json), the --config file, then these options and `extra` top-level fields
    /// (named in errors by `extraNames`). Errors name the option where the command line set the field.
    func resolve(base: [TrainingConfiguration.Layer], extra: [String: JSONValue],
                 extraNames: [String: String] = [:]) throws -> TrainingConfiguration {
        var layers = base
        if let config { layers.append(try .file(config)) }
        var top = extra
        if let algorithm { top["algorithm"] = .string(algorithm) }
        let chosen = try TrainingConfiguration.plantAndAlgorithm(layers + [.init(source: "the command line", fields: top)]).algorithm
        var policy: [String: JSONValue] = [:], hyper: [String: JSONValue] = [:], rewardFields: [String: JSONValue] = [:]
        var names = extraNames
        for item in try fields(for: chosen) {
            switch item.section {
            case nil: top[item.field] = item.value; names[item.field] = "--\(item.option)"
            case "policy": policy[item.field] = item.value; names["policy.\(item.field)"] = "--\(item.option)"
            case "reward": rewardFields[item.field] = item.value; names["reward.\(item.field)"] = "--\(item.option)"
            default: hyper[item.field] = item.value; names["hyperparameters.\(item.field)"] = "--\(item.option)"
            }
        }
        if !policy.isEmpty { top["policy"] = .object(policy) }
        if !hyper.isEmpty { top["hyperparameters"] = .object(hyper) }
        if !rewardFields.isEmpty { top["reward"] = .object(rewardFields) }
        layers.append(.init(source: "the command line", fields: top, names: names))
        do {
            return try TrainingConfiguration.resolve(layers)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
