import Foundation
import Learn
import Plants

/// The policy every algorithm trains (docs/algorithms.md §1).
public struct PolicyConfiguration: Codable, Sendable, Equatable {
    /// Hidden layer widths (paper Table 1: 100-100).
    public var hidden = [100, 100]
    /// Initial exploration σ as a fraction of the actuator half-range.
    public var initialStdFraction: Float = 0.5
    /// Floor of σ as a fraction of the (largest) actuator half-range; nil: σ ≥ e⁻⁵.
    public var minStdFraction: Float? = nil
    /// Squash the mean into the actuator limits, μ = c + h tanh z (eq. 1).
    public var squashMean = true
    /// σ as a function of the state (a second head) instead of one learned σ per action dimension (the paper's).
    public var stateDependentStd = false
    /// Squash each sample, a = c + h tanh(u), u ~ N(z(s), σ²) (SAC's policy; `squashMean` then
    /// does not apply); σ and its fractions are then in units of u, not of the action.
    public var squashSamples = false
    /// τ of the Polyak average θ̄ of the policy's mean network after each episode (eq. 20), which
    /// evaluations, checkpoints and `svgrt evaluate` play; acting and every gradient use θ. 0: off.
    public var averaging: Float = 0
    public init() {}
}

/// Where the learners' reward r(s, a) and its gradients come from.
public struct RewardConfiguration: Codable, Sendable, Equatable {
    /// "plant": the plant's known reward (the default); "learned": a reward model r̂(s, a)
    /// fitted to the rewards the plant reports (`LearnedReward`), one step per environment step.
    public var source = "plant"
    /// The learned model's hidden widths, minibatch, Adam step and output scale.
    public var hidden = [64, 64]
    public var batchSize = 64
    public var learningRate: Float = 1e-3
    public var scale: Float = 1
    public init() {}
}

/// Everything a training run needs: the plant, the algorithm and its agent's hyperparameters,
/// the policy, the budget and the evaluations. `defaults(for:algorithm:)` gives each plant's;
/// `resolve` merges partial JSON (a file, the command line) over them, refusing what the chosen
/// algorithm does not use. Encodes as JSON (`config.json` of a run).
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var plant = "pendulum"
    /// The revision of the plant's definition the run trains on (`PlantRevision`): the current
    /// one for a new run; `resolve` refuses a recorded one that differs (a run's config.json
    /// without the field, from before revisions were recorded, is revision 1: `Layer.run`).
    public var plantRevision = 1
    public var algorithm: Algorithm { hyperparameters.algorithm }
    public var seed: UInt64 = 1
    /// Environment steps to train for.
    public var steps = 10_000
    /// Replay capacity, transitions.
    public var replayCapacity = 100_000
    /// Environment steps between evaluations of the deterministic policy.
    public var evaluationInterval = 500
    /// Episodes per evaluation (seeded resets 10000, 10001, …; the pendulum always uses its 10
    /// reference starts).
    public var evaluationEpisodes = 10
    public var policy = PolicyConfiguration()
    public var hyperparameters = AgentHyperparameters.svg1ER(.init())
    /// The conditions the plant trains and is evaluated under (nominal by default).
    public var conditions = PlantConditions()
    /// The learners' reward: the plant's, or learned.
    public var reward = RewardConfiguration()

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case plant, plantRevision, algorithm, seed, steps, replayCapacity, evaluationInterval, evaluationEpisodes, policy, hyperparameters, conditions
        case reward
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        plant = try c.decode(String.self, forKey: .plant)
        plantRevision = try c.decodeIfPresent(Int.self, forKey: .plantRevision) ?? 1
        seed = try c.decode(UInt64.self, forKey: .seed)
        steps = try c.decode(Int.self, forKey: .steps)
        replayCapacity = try c.decode(Int.self, forKey: .replayCapacity)
        evaluationInterval = try c.decode(Int.self, forKey: .evaluationInterval)
        evaluationEpisodes = try c.decode(Int.self, forKey: .evaluationEpisodes)
        policy = try c.decode(PolicyConfiguration.self, forKey: .policy)
        conditions = try c.decodeIfPresent(PlantConditions.self, forKey: .conditions) ?? PlantConditions()
        reward = try c.decodeIfPresent(RewardConfiguration.self, forKey: .reward) ?? RewardConfiguration()
        hyperparameters = try AgentHyperparameters(c.decode(Algorithm.self, forKey: .algorithm),
                                                   from: c.superDecoder(forKey: .hyperparameters))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(plant, forKey: .plant)
        try c.encode(plantRevision, forKey: .plantRevision)
        try c.encode(algorithm, forKey: .algorithm)
        try c.encode(seed, forKey: .seed)
        try c.encode(steps, forKey: .steps)
        try c.encode(replayCapacity, forKey: .replayCapacity)
        try c.encode(evaluationInterval, forKey: .evaluationInterval)
        try c.encode(evaluationEpisodes, forKey: .evaluationEpisodes)
        try c.encode(policy, forKey: .policy)
        try c.encode(conditions, forKey: .conditions)
        try c.encode(reward, forKey: .reward)
        try hyperparameters.encode(to: c.superEncoder(forKey: .hyperparameters))
    }

    /// The algorithm a plant trains with unless told otherwise: SVG(∞) on the Hand (the paper's
    /// finding, docs/results/hand.md), SAC-SVG(2) on reacher3 (SVG(1)-ER does not learn it:
    /// docs/results/matrix.md), SVG(1)-ER everywhere else (on the swimmers with a slow policy step,
    /// `replayPolicyStepPlantHyperparameters`, it is ahead of SAC-SVG(2) and SVG(1): docs/results/matrix.md).
    public static func defaultAlgorithm(for plant: String) -> Algorithm {
        switch plant {
        case "hand": return .svgInfinity
        case "reacher3": return .sacSVG
        // gymnasium's MuJoCo tasks: SVG(1)-ER's σ collapses and it stays near the zero action on
        // Hopper-v5 (3 seeds, docs/results/matrix.md) and holds no balance on InvertedPendulum-v5.
        case let name where PlantRegistry.mujocoNames.contains(name): return .sacSVG
        default: return .svg1ER
        }
    }

    /// The policy an algorithm needs: SAC-SVG(H) acts with SAC's policy (squashed samples,
    /// state-dependent σ starting at 1 in units of u, 256-256 as SB3's SAC, 64-64 on the pendulum:
    /// `defaults(for:)`); the others with the paper's.
    public static func policyDefaults(for algorithm: Algorithm) -> PolicyConfiguration {
        var p = PolicyConfiguration()
        if algorithm == .sacSVG {
            p.squashSamples = true
            p.stateDependentStd = true
            p.initialStdFraction = 1
            p.hidden = [256, 256]
        }
        return p
    }

    /// Per-plant values of the agents' hyperparameters, each applied to the algorithms that have
    /// it. Why each was chosen, with the runs: docs/results/ (the page of each plant).
    static func plantHyperparameters(_ plant: String) -> [String: JSONValue] {
        // Soft target updates for every plant (docs/results/pendulum.md: 5 of 5 seeds against 2 of 5 with C = 50).
        var h: [String: JSONValue] = ["polyak": .double(0.01)]
        switch plant {
        case "pendulum":
            // Chosen on seeds 1–10, confirmed on seeds 11–20 (docs/results/pendulum.md).
            h["gamma"] = .double(0.99)
            h["preSquashPenalty"] = .double(0.01)
            h["klWeight"] = .double(0.03)
            h["batchSize"] = .int(128)
        case "cartpole":
            h["gamma"] = .double(0.99)  // the paper gives none
            h["updatesPerStep"] = .int(2)
            h["preSquashPenalty"] = .double(0.01)  // docs/results/cartpole.md
        case "hand":
            h["gamma"] = .double(1)  // paper
            h["policyLearningRate"] = .double(3e-3)  // one policy step per 1,000-step episode (docs/results/hand.md)
        case let name where name.hasPrefix("swimmer"):
            h["gamma"] = .double(0.995)  // paper
        case "reacher3":
            h["gamma"] = .double(0.98)  // paper
            h["valueHidden"] = .array([.int(400), .int(200)])  // paper Table 1
        case let name where PlantRegistry.mujocoNames.contains(name):
            h["gamma"] = .double(0.99)  // the common choice on gymnasium's MuJoCo tasks (SB3, CleanRL, SAC-SVG)
        default:
            break
        }
        return h
    }

    /// Per-plant values of SVG(1)-ER's hyperparameters over the plant's (docs/results/matrix.md
    /// has the runs; SVG(0) with the same values learns faster on some seeds and not at all on others).
    static func svg1ERPlantHyperparameters(_ plant: String) -> [String: JSONValue] {
        switch plant {
        case "pendulum":
            // Chosen on seeds 1–10, confirmed on seeds 11–30: four updates of 64 per step, a slower policy step.
            return ["batchSize": .int(64), "updatesPerStep": .int(4), "policyLearningRate": .double(3e-4)]
        default:
            return [:]
        }
    }

    /// Per-plant policy steps of the algorithms that take one policy step per env step from
    /// replay (SVG(1)-ER and SVG(0)), over their own plant values: both on the swimmers and
    /// HalfCheetah-v5, SVG(0) alone on Hopper-v5.
    static func replayPolicyStepPlantHyperparameters(_ plant: String, algorithm: Algorithm) -> [String: JSONValue] {
        switch plant {
        case let name where name.hasPrefix("swimmer"):
            // A policy step of 1e-6. SVG(1)-ER: chosen among 1e-3 … 1e-7 on swimmer3's seeds 1–3,
            // confirmed on its seeds 4–10, ahead of 1e-3 on swimmer5 and swimmer7. SVG(0): chosen
            // among 1e-3, 1e-5 and 1e-6 on swimmer3's seeds 1–3, confirmed on its seeds 4–10 and on
            // swimmer5 (docs/results/matrix-notes/swimmer3.md). With 1,000 steps per episode, one
            // Adam step per env step at 1e-3 moves the policy a thousand times as far per episode
            // as SVG(1)'s one step per episode, and σ collapses to its floor; at 1e-6 σ stays near
            // its start. Not every plant's: on reacher3 SVG(1)-ER is worse at 1e-6 than at 1e-3.
            return ["policyLearningRate": .double(1e-6)]
        case "HalfCheetah-v5":
            // The same step, for the same reason: at 1e-3 neither algorithm learns it (SVG(0)
            // −533 ± 120 with σ on its floor, SVG(1)-ER −578 ± 165), at 1e-6 both run forwards
            // (SVG(0) 2,287 ± 217, SVG(1)-ER 2,246 ± 416 on seeds 1–3 at 200k), confirmed on seeds 4–6
            // (docs/results/matrix-notes/HalfCheetah-v5.md).
            return ["policyLearningRate": .double(1e-6)]
        case "Hopper-v5" where algorithm == .svg0:
            // The swimmers' policy step of 1e-6 (as on HalfCheetah-v5, where SVG(1)-ER takes it
            // too): at 1e-3 σ falls to its floor (0.007) within 100k steps and the hopper does not
            // learn (82 ± 77, below the zero action's 144); at 1e-6 σ stays near its start of 0.5:
            // 563 ± 65 on seeds 1–3 at 200k, confirmed on seeds 4–6
            // (docs/results/matrix-notes/Hopper-v5.md). Not Walker2d-v5 (a little worse at 1e-6)
            // nor InvertedPendulum-v5 (too slow for its 20k steps); not SVG(1)-ER, whose 1e-6 was
            // better on seeds 1–3 and is not confirmed.
            return ["policyLearningRate": .double(1e-6)]
        default:
            return [:]
        }
    }

    /// Per-plant values of SAC-SVG(H)'s hyperparameters (docs/results/sac-svg.md has the runs).
    static func sacSVGPlantHyperparameters(_ plant: String) -> [String: JSONValue] {
        switch plant {
        case "pendulum":
            // Tuned on seeds 1–3 (docs/results/sac-svg.md): learn from 200 transitions on, the
            // expansion after 200 updates, a critic scale near the returns' size, α adapting fast;
            // two updates per step (seeds 1–5, confirmed on 6–10: docs/results/matrix.md); 64-64
            // critics with the 64-64 policy (set in `defaults(for:)`; the same page).
            return ["warmupSteps": .int(200), "modelFreeUpdates": .int(200), "valueScale": .double(10),
                    "temperatureLearningRate": .double(3e-3), "updatesPerStep": .int(2),
                    "valueHidden": .array([.int(64), .int(64)])]
        case "reacher3", "swimmer3":
            // A critic scale near the returns' size, as on the pendulum (3 seeds each: docs/results/matrix.md).
            return ["valueScale": .double(10)]
        case let name where PlantRegistry.mujocoNames.contains(name):
            // The official code on its MuJoCo tasks: 1,000 seed steps, 10,000 plain SAC updates.
            var h: [String: JSONValue] = ["warmupSteps": .int(1_000), "modelFreeUpdates": .int(10_000)]
            // HalfCheetah-v5: no model expansion (H = 0, SAC) does better than H = 2 on every seed
            // measured, and so does leaving the gradients unclipped (V_max 10⁶, as SB3, which does
            // not clip; a non-finite gradient is still zeroed): 4 seeds, docs/results/matrix.md,
            // HalfCheetah-v5.
            if name == "HalfCheetah-v5" {
                h["horizon"] = .int(0)
                h["clipNorm"] = .double(1_000_000)
            }
            // Hopper-v5: the official code's target-entropy schedule for this task (its poplin_hopper
            // config: H̄ from 1 to 0 as (1 − t/T)^32 over 200k updates), with the whole run in the
            // replay (3 seeds: docs/results/matrix.md, Hopper-v5).
            // Walker2d-v5: the official code's schedule for this task (its poplin_walker2d config:
            // H̄ from −2 to −16 as (1 − t/T)^(1/64) over 200k updates, so ≈ −2 until near the end),
            // with the whole run in the replay (3 seeds: docs/results/matrix.md, Walker2d-v5).
            let schedules: [String: (initial: Double, final: Double, decay: Double)] =
                ["Hopper-v5": (1, 0, 32), "Walker2d-v5": (-2, -16, 0.015625)]
            if let s = schedules[name] {
                h["initialTargetEntropy"] = .double(s.initial)
                h["finalTargetEntropy"] = .double(s.final)
                h["targetEntropyDecay"] = .double(s.decay)
                h["targetEntropySteps"] = .int(200_000)
            }
            return h
        default:
            return [:]
        }
    }

    /// The defaults for `plant` and `algorithm` (nil: the plant's default algorithm).
    public static func defaults(for plant: String, algorithm: Algorithm? = nil) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.plant = plant
        c.plantRevision = PlantRegistry.revision(of: plant).number
        let chosen = algorithm ?? defaultAlgorithm(for: plant)
        c.hyperparameters = AgentHyperparameters(defaultsFor: chosen)
        c.policy = policyDefaults(for: chosen)
        // A plant on the wire has no known reward: the model-based algorithms learn one.
        if plant.hasPrefix(WirePlant.prefix) && chosen != .svg0 { c.reward.source = "learned" }
        switch plant {
        case "pendulum":
            c.policy.minStdFraction = 0.05
            c.policy.initialStdFraction = 0.8
        case "cartpole":
            c.evaluationInterval = 2_000
            c.steps = 40_000
            c.policy.minStdFraction = 0.3
        case "hand":
            c.evaluationInterval = 10_000
            c.evaluationEpisodes = 100
            c.policy.averaging = 0.05
            c.policy.initialStdFraction = 0.2
        case let name where name.hasPrefix("swimmer"):
            c.evaluationInterval = 5_000
        case "reacher3":
            c.evaluationInterval = 2_500
        case "Reacher-v5":
            c.evaluationInterval = 2_500
        case let name where PlantRegistry.mujocoNames.contains(name):
            // 1,000-step episodes: fewer, rarer evaluations.
            c.evaluationInterval = 5_000
            c.evaluationEpisodes = 5
            // Hopper-v5 and Walker2d-v5 keep their whole run in the replay, as the official code
            // (with their entropy schedules).
            if name == "Hopper-v5" || name == "Walker2d-v5" { c.replayCapacity = 1_000_000 }
        default:
            break
        }
        // SAC-SVG(H) keeps SAC's policy and, of the plant's values, the discount and its own.
        var overrides = plantHyperparameters(plant)
        if chosen == .svg1ER { overrides.merge(svg1ERPlantHyperparameters(plant)) { $1 } }
        if chosen == .svg1ER || chosen == .svg0 { overrides.merge(replayPolicyStepPlantHyperparameters(plant, algorithm: chosen)) { $1 } }
        if chosen == .sacSVG {
            c.policy = policyDefaults(for: .sacSVG)
            // The pendulum: a 64-64 policy (and critics, below), a quarter of the work per step
            // of 256-256 for 250 more steps to −200 (docs/results/matrix.md, pendulum).
            if plant == "pendulum" { c.policy.hidden = [64, 64] }
            overrides = overrides.filter { $0.key == "gamma" }.merging(sacSVGPlantHyperparameters(plant)) { $1 }
        }
        // SVG(0) has the policy regularisers (docs/algorithms.md §4) but not the plants' values of
        // them, which were tuned for SVG(1)-ER: they stay off unless asked for.
        if chosen == .svg0 { overrides = overrides.filter { !PolicyRegularisersFields.names.contains($0.key) } }
        // Merging known keys over the agent's own defaults cannot fail.
        let names = c.hyperparameters.fieldNames
        var json = (try? c.json()) ?? [:]
        if var h = json["hyperparameters"]?.object {
            for (key, value) in overrides where names.contains(key) { h[key] = value }
            json["hyperparameters"] = .object(h)
        }
        return (try? TrainingConfiguration.decode(json)) ?? c
    }

    /// The hyperparameters of the policy regularisers (docs/algorithms.md §4).
    enum PolicyRegularisersFields {
        static let names: Set<String> = ["klWeight", "klBurst", "preSquashPenalty", "entropyBonus", "targetEntropy", "temperatureLearningRate"]
    }

    /// The names of every agent's hyperparameters, each with the algorithms that have it.
    public static var hyperparameterOwners: [String: [Algorithm]] {
        var owners: [String: [Algorithm]] = [:]
        for a in Algorithm.allCases {
            for key in AgentHyperparameters(defaultsFor: a).fieldNames { owners[key, default: []].append(a) }
        }
        return owners
    }
}

// MARK: Partial configurations

/// Why a configuration was refused: one line naming the field and where it came from.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension TrainingConfiguration {
    /// The configuration as a JSON object.
    public func json() throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(self))
    }

    /// The configuration as `config.json` has it: every field present (an unset optional as
    /// null, so `--print-config` shows every name there is), keys sorted, indented.
    public func jsonText() throws -> String {
        var json = try json()
        for (key, names) in [("policy", fieldNames(policy)), ("hyperparameters", hyperparameters.fieldNames)] {
            var inner = json[key]?.object ?? [:]
            for name in names where inner[name] == nil { inner[name] = .null }
            json[key] = .object(inner)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(json), as: UTF8.self) + "\n"
    }

    static func decode(_ json: [String: JSONValue]) throws -> TrainingConfiguration {
        try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(json))
    }

    /// A partial configuration: a JSON object with any of the configuration's fields, nested as
    /// in `config.json` ("policy" and "hyperparameters" objects), from `source` (a file name, or
    /// "the command line").
    public struct Layer: Sendable {
        public let source: String
        public let fields: [String: JSONValue]
        /// How this source spells a field in errors, by path ("hyperparameters.gamma" → "--gamma");
        /// a field not named here is shown by its path.
        public let names: [String: String]
        public init(source: String, fields: [String: JSONValue], names: [String: String] = [:]) {
            self.source = source
            self.fields = fields
            self.names = names
        }
        /// The configuration of the run in `folder` (its config.json), with the plant revision it
        /// trained on: 1 where the file records none (written before revisions were recorded).
        public static func run(_ folder: String) throws -> Layer {
            let layer = try file(folder + "/config.json")
            guard layer.fields["plantRevision"] == nil else { return layer }
            var fields = layer.fields
            fields["plantRevision"] = .int(1)
            return Layer(source: layer.source, fields: fields, names: layer.names)
        }

        /// The JSON object in the file at `path`.
        public static func file(_ path: String) throws -> Layer {
            guard let data = FileManager.default.contents(atPath: path) else {
                var folder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else {
                    throw ConfigurationError("\(path): no such file")
                }
                throw ConfigurationError(folder.boolValue ? "\(path): a folder, not a JSON file"
                                                          : "\(path): cannot be read (not a regular file, or no permission)")
            }
            do {
                guard let object = try JSONDecoder().decode(JSONValue.self, from: data).object else {
                    throw ConfigurationError("\(path): not a JSON object")
                }
                return isLayoutOne(object) ? try fromLayoutOne(object, source: path) : Layer(source: path, fields: object)
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw ConfigurationError("\(path): not valid JSON")
            }
        }
    }

    /// The defaults of the plant and algorithm the layers name (the last that names one wins;
    /// else pendulum and the plant's algorithm), with the layers merged over them in order, then
    /// validated. A field that does not exist, or a hyperparameter the chosen algorithm does
    /// not have, is refused with its name, its source, and which algorithms do use it.
    public static func resolve(_ layers: [Layer]) throws -> TrainingConfiguration {
        /// The field at `path` as the last layer that names it spells it.
        func display(_ path: String, _ fallback: String? = nil) -> String {
            layers.last { $0.names[path] != nil }?.names[path] ?? fallback ?? path
        }
        let (plant, algorithm) = try plantAndAlgorithm(layers)
        var json = try defaults(for: plant, algorithm: algorithm).json()
        for layer in layers {
            for (key, value) in layer.fields.sorted(by: { $0.key < $1.key }) {
                guard let current = json[key] else {
                    throw ConfigurationError("\(layer.source): unknown field '\(key)'; fields: \(json.keys.sorted().joined(separator: ", "))")
                }
                guard ["policy", "hyperparameters", "conditions", "reward"].contains(key) else { json[key] = value; continue }
                guard var inner = current.object, let given = value.object else {
                    throw ConfigurationError("\(layer.source): '\(key)' must be an object of fields")
                }
                let names = switch key {
                case "policy": fieldNames(PolicyConfiguration())
                case "conditions": fieldNames(PlantConditions())
                case "reward": fieldNames(RewardConfiguration())
                default: AgentHyperparameters(defaultsFor: algorithm).fieldNames
                }
                for (name, v) in given.sorted(by: { $0.key < $1.key }) {
                    guard names.contains(name) else {
                        let shown = display("\(key).\(name)", "'\(name)'")
                        if key == "hyperparameters", let owners = hyperparameterOwners[name] {
                            throw ConfigurationError("\(layer.source): \(algorithm.rawValue) does not use \(shown) "
                                                     + "(it is a hyperparameter of \(owners.map(\.rawValue).joined(separator: ", ")))")
                        }
                        throw ConfigurationError("\(layer.source): unknown field '\(key).\(name)'; fields: \(names.sorted().joined(separator: ", "))")
                    }
                    inner[name] = v
                }
                json[key] = .object(inner)
            }
        }
        let c: TrainingConfiguration
        do { c = try decode(json) } catch {
            throw ConfigurationError("a field has a value of the wrong type: \(describe(error, display))")
        }
        try c.validate(display)
        let current = PlantRegistry.revision(of: c.plant)
        if c.plantRevision != current.number {
            let source = layers.last { $0.fields["plantRevision"] != nil }?.source ?? "the configuration"
            let change = c.plantRevision < current.number && !current.change.isEmpty ? " (\(current.change))" : ""
            throw ConfigurationError("\(source): recorded for \(c.plant) revision \(c.plantRevision), and this build's \(c.plant) "
                                     + "is revision \(current.number)\(change): a policy learned on one does not fit the other; "
                                     + "train a new run (svgrt train --plant \(c.plant))")
        }
        return c
    }

    /// The plant and algorithm the layers name (the last that names one wins; else the
    /// pendulum, and the plant's default algorithm).
    public static func plantAndAlgorithm(_ layers: [Layer]) throws -> (plant: String, algorithm: Algorithm) {
        var plant = "pendulum", algorithmName: String?
        for layer in layers {
            if let value = layer.fields["plant"] {
                guard case .string(let p) = value else { throw ConfigurationError("\(layer.source): plant must be a name") }
                plant = p
            }
            if let value = layer.fields["algorithm"] {
                guard case .string(let a) = value else { throw ConfigurationError("\(layer.source): algorithm must be a name") }
                algorithmName = a
            }
        }
        do { try PlantRegistry.check(plant) } catch { throw ConfigurationError(error.description) }
        var algorithm = defaultAlgorithm(for: plant)
        if let algorithmName {
            guard let a = Algorithm(rawValue: algorithmName) else {
                throw ConfigurationError("unknown algorithm '\(algorithmName)'; known: \(Algorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            algorithm = a
        }
        return (plant, algorithm)
    }

    /// Checks every field's range; the error names the first out of range, as `display` spells
    /// its path.
    public func validate(_ display: (String, String?) -> String = { path, _ in path }) throws {
        let json = try json()
        func check(_ name: String, _ value: JSONValue) throws {
            func refuse(_ wanted: String) throws -> Never { throw ConfigurationError("\(display(name, nil)) must be \(wanted) (got \(value))") }
            let leaf = name.split(separator: ".").last.map(String.init) ?? name
            if case .array(let widths) = value {
                guard !widths.isEmpty, widths.allSatisfy({ ($0.number ?? 0) >= 1 && ($0.number ?? 0) <= 4096 }) else {
                    try refuse("a list of widths from 1 to 4096")
                }
                return
            }
            if case .null = value { return }
            guard let x = value.number else { return }
            guard x.isFinite else { try refuse("finite") }
            switch leaf {
            case "gamma": if !(0...1).contains(x) { try refuse("in [0, 1]") }
            case "polyak", "averaging": if !(0...1).contains(x) || (leaf == "polyak" && x == 0) { try refuse(leaf == "polyak" ? "in (0, 1]" : "in [0, 1]") }
            case "initialStdFraction", "minStdFraction": if !(x > 0 && x <= 10) { try refuse("in (0, 10]") }
            case _ where leaf.hasSuffix("LearningRate") || leaf == "learningRate": if !(x > 0 && x < 1) { try refuse("in (0, 1)") }
            case "clipNorm", "valueScale": if !(x > 0) { try refuse("positive") }
            case "maximumImportanceWeight": if !(x >= 1) { try refuse("at least 1") }
            // Every network holds the activations of a whole minibatch from the start: a batch
            // of 100,000 is ≈ 2.5 GB on the pendulum, so minibatches stop at 4,096 (the official
            // SAC-SVG code uses 1,024 on a GPU).
            case "batchSize", "modelBatchSize": if !(x >= 1 && x <= 4_096) { try refuse("an integer from 1 to 4,096") }
            // The replay's bound is the machine's memory (checked below).
            case "replayCapacity": if !(x >= 1 && x <= 1_000_000_000) { try refuse("an integer from 1 to 1,000,000,000") }
            case "targetCopyInterval", "klBurst", "evaluationInterval", "evaluationEpisodes",
                 "policyStepsPerEpisode":
                if !(x >= 1 && x <= 100_000_000) { try refuse("an integer from 1 to 100,000,000") }
            case "steps", "warmupSteps", "updatesPerStep", "modelStepsPerEpisode", "modelStepsPerUpdate", "valueStepsPerUpdate":
                if !(x >= 0 && x <= 1_000_000_000) { try refuse("a non-negative integer") }
            case "entropyBonus", "klWeight", "preSquashPenalty", "targetEntropyDecay": if !(x >= 0) { try refuse("non-negative") }
            case "horizon": if !(x >= 0 && x <= 16 && x == x.rounded()) { try refuse("an integer from 0 to 16") }
            case "initialTemperature": if !(x > 0 && x <= 1_000) { try refuse("in (0, 1000]") }
            case "targetEntropySteps": if !(x >= 1 && x <= 100_000_000) { try refuse("an integer from 1 to 100,000,000") }
            case "modelFreeUpdates": if !(x >= 0 && x <= 1_000_000_000) { try refuse("a non-negative integer") }
            case "initialTargetEntropy", "finalTargetEntropy", "targetEntropy": if !(abs(x) <= 1_000) { try refuse("in [−1000, 1000]") }
            // The ranges firmware-sim accepts for the same perturbations (docs/protocol.md).
            case "actuatorGain", "weakActuatorGain": if !(0...10).contains(x) { try refuse("in [0, 10]") }
            case "weakActuator": if !(x >= -1 && x <= 255 && x == x.rounded()) { try refuse("an actuator's index, or -1 for none") }
            case "actuatorNoise": if !(0...1).contains(x) { try refuse("in [0, 1]") }
            case "sensorNoise": if !(0...1_000).contains(x) { try refuse("in [0, 1000]") }
            default: break
            }
        }
        for (key, value) in json {
            if let inner = value.object {
                for (name, v) in inner { try check("\(key).\(name)", v) }
            } else {
                try check(key, value)
            }
        }
        guard ["plant", "learned"].contains(reward.source) else {
            throw ConfigurationError("\(display("reward.source", nil)) must be plant or learned (got \(reward.source))")
        }
        if reward.source == "learned" && [.svg0].contains(algorithm) {
            throw ConfigurationError("\(display("reward.source", nil)): svg0 is model-free and uses no reward model")
        }
        if plant.hasPrefix(WirePlant.prefix) && reward.source != "learned" && hyperparameters.usesReward {
            throw ConfigurationError("\(plant) is known only over the wire: its reward must be learned (--reward learned)")
        }
        if reward.source == "learned" && reward.scale <= 0 {
            throw ConfigurationError("\(display("reward.scale", nil)) must be positive")
        }
        let made = PlantRegistry.make(plant)
        if conditions.weakActuator >= 0, let made, conditions.weakActuator >= made.actionSize {
            throw ConfigurationError("\(display("conditions.weakActuator", nil)) must name one of \(plant)'s \(made.actionSize) actuators (0 to \(made.actionSize - 1)) or be -1 (got \(conditions.weakActuator))")
        }
        if replayCapacity < hyperparameters.batchSize {
            throw ConfigurationError("\(display("replayCapacity", nil)) (\(replayCapacity)) must be at least \(display("hyperparameters.batchSize", "the batch size")) (\(hyperparameters.batchSize))")
        }
        if let made {
            try checkReplayFits(stateSize: made.observationSize, actionSize: made.actionSize, name: display("replayCapacity", nil))
        }
    }

    /// The replay is allocated (and touched) in full when a run starts: refuses one that needs more
    /// than 80 % of this machine's memory, rather than be killed for memory later. `name` is how
    /// the error spells the field. (A plant known only by its HELLO is checked by `Trainer`.)
    public func checkReplayFits(stateSize: Int, actionSize: Int, name: String = "replayCapacity") throws {
        let bytes = ReplayBuffer.bytes(capacity: replayCapacity, stateSize: stateSize, actionSize: actionSize)
        let memory = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        if memory > 0 && Double(bytes) > 0.8 * memory {
            throw ConfigurationError(String(format: "%@ (%d) needs %.1f GB for %@'s transitions; this machine has %.1f GB of memory",
                                            name, replayCapacity, Double(bytes) / 1e9, plant, memory / 1e9))
        }
    }
}

/// The stored properties of a value (a hyperparameters struct), optional ones included.
func fieldNames(_ value: Any) -> Set<String> { Set(Mirror(reflecting: value).children.compactMap(\.label)) }

extension AgentHyperparameters {
    /// The names of this agent's hyperparameters, as JSON and the command line spell them.
    public var fieldNames: Set<String> {
        switch self {
        case .svg1ER(let h): Training.fieldNames(h)
        case .svg1(let h): Training.fieldNames(h)
        case .svgInfinity(let h), .planner(let h): Training.fieldNames(h)
        case .svg0(let h): Training.fieldNames(h)
        case .sacSVG(let h): Training.fieldNames(h)
        }
    }
}

/// A decoding error in one line, its field spelled by `display`.
func describe(_ error: any Error, _ display: (String, String?) -> String) -> String {
    guard let e = error as? DecodingError else { return "\(error)" }
    func path(_ c: DecodingError.Context) -> String { display(c.codingPath.map(\.stringValue).joined(separator: "."), nil) }
    switch e {
    case .typeMismatch(let type, let c): return "\(path(c)): expected \(type)"
    case .valueNotFound(let type, let c): return "\(path(c)): missing \(type)"
    case .keyNotFound(let key, let c): return "\(path(c)).\(key.stringValue): missing"
    case .dataCorrupted(let c): return "\(path(c)): \(c.debugDescription)"
    @unknown default: return "\(error)"
    }
}
