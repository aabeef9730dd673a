import ArgumentParser
import Foundation
import Learn
import Plants
import Training

/// `svgrt train`: synchronous training as fast as the CPU allows, with progress on stderr, a CSV
/// learning curve, evaluations of the deterministic policy, and checkpoints.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a policy synchronously on an in-process plant.",
        discussion: "Every hyperparameter has a per-plant default (see `--print-config`); a JSON file from --config overrides them, and the options below override both.")

    @Option(help: "Plant: \(PlantRegistry.names.joined(separator: ", ")).")
    var plant = "pendulum"

    @Option(name: .customLong("algo"), help: "Algorithm: \(TrainingConfiguration.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")).")
    var algorithm: String?

    @Option(help: "Environment steps.")
    var steps: Int?

    @Option(help: "Seed (the same seed gives the same learning curve, bit for bit).")
    var seed: UInt64?

    @Option(help: "JSON configuration file (see --print-config for the fields).")
    var config: String?

    @Option(help: "SVG(1)-ER updates per environment step.")
    var updatesPerStep: Int?

    @Option(help: "Environment steps between evaluations.")
    var evaluationInterval: Int?

    @Option(help: "Episodes per evaluation (seeded resets; the pendulum always uses its 10 reference starts).")
    var evaluationEpisodes: Int?

    @Option(help: "Discount γ.")
    var gamma: Float?

    @Option(help: "Minibatch size.")
    var batchSize: Int?

    @Option(help: "Policy, value and model learning rate (all three).")
    var learningRate: Float?

    @Option(help: "Policy learning rate.")
    var policyLearningRate: Float?

    @Option(help: "Value (critic) learning rate.")
    var valueLearningRate: Float?

    @Option(help: "Model learning rate.")
    var modelLearningRate: Float?

    @Option(help: "Steps before the first update.")
    var warmupSteps: Int?

    @Option(help: "Initial exploration σ as a fraction of the actuator half-range.")
    var initialStd: Float?

    @Option(help: "Gradient-norm clip V_max.")
    var clipNorm: Float?

    @Option(help: "Critic output scale (about the magnitude of returns).")
    var valueScale: Float?

    @Option(help: "Soft target update τ (instead of copying every C steps).")
    var polyak: Float?

    @Option(help: "Squash the policy mean into the actuator limits (true/false).")
    var squashMean: Bool?

    @Option(help: "σ as a function of the state, a second policy head (true/false; default false: one σ per action dimension).")
    var stateDependentStd: Bool?

    @OptionGroup var regularisation: PolicyRegularisationOptions

    @Option(help: "Entropy bonus α of the policy objective.")
    var entropyBonus: Float?

    @Option(help: "Value steps per update.")
    var valueSteps: Int?

    @Option(help: "Hidden widths of each model sub-network, separated by x or commas (e.g. 20x20).")
    var modelHidden: String?

    @Option(help: "SVG(∞), planner: policy steps after each episode (default 1, as Algorithm 1).")
    var policyStepsPerEpisode: Int?

    @Option(help: "SVG(1), SVG(∞), planner: model (and critic) steps after each episode (default: the episode length).")
    var modelStepsPerEpisode: Int?

    @Option(help: "τ of the Polyak average of the policy that evaluations play, updated after each episode (0: off, play the trained policy; default: the plant's).")
    var policyAveraging: Float?

    @Option(help: "Output folder: curve.csv, config.json, checkpoint.svgp.")
    var output = "runs/train"

    @Option(help: "Environment steps between checkpoints (written at the next episode boundary; 0: only the last boundary).")
    var checkpointEvery: Int?

    @Option(help: "Resume from a run folder (its config.json and checkpoint.svgp); --steps is the new total.")
    var resume: String?

    @Flag(help: "Print the effective configuration as JSON and exit.")
    var printConfig = false

    func run() throws {
        var c = TrainingConfiguration.defaults(for: plant)
        if let resume {
            c = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: resume + "/config.json")))
        }
        if let config {
            c = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: config)))
        }
        if let algorithm {
            guard let a = TrainingConfiguration.Algorithm(rawValue: algorithm) else {
                throw ValidationError("unknown --algo '\(algorithm)'; known: \(TrainingConfiguration.Algorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            c.algorithm = a
        }
        if let steps { c.steps = steps }
        if let seed { c.seed = seed }
        if let updatesPerStep { c.updatesPerStep = updatesPerStep }
        if let evaluationInterval { c.evaluationInterval = evaluationInterval }
        if let evaluationEpisodes {
            guard evaluationEpisodes >= 1 else { throw ValidationError("--evaluation-episodes must be at least 1") }
            c.evaluationEpisodes = evaluationEpisodes
        }
        if let gamma { c.svg.gamma = gamma }
        if let batchSize { c.svg.batchSize = batchSize }
        if let learningRate {
            c.svg.policyLearningRate = learningRate
            c.svg.valueLearningRate = learningRate
            c.svg.modelLearningRate = learningRate
        }
        if let policyLearningRate { c.svg.policyLearningRate = policyLearningRate }
        if let valueLearningRate { c.svg.valueLearningRate = valueLearningRate }
        if let modelLearningRate { c.svg.modelLearningRate = modelLearningRate }
        if let warmupSteps { c.warmupSteps = warmupSteps }
        if let initialStd { c.initialStdFraction = initialStd }
        if let clipNorm { c.svg.clipNorm = clipNorm }
        if let valueSteps { c.svg.valueStepsPerUpdate = valueSteps }
        if let policyStepsPerEpisode {
            guard policyStepsPerEpisode >= 1 else { throw ValidationError("--policy-steps-per-episode must be at least 1") }
            c.policyStepsPerEpisode = policyStepsPerEpisode
        }
        if let modelStepsPerEpisode {
            guard modelStepsPerEpisode >= 0 else { throw ValidationError("--model-steps-per-episode must not be negative") }
            c.modelStepsPerEpisode = modelStepsPerEpisode
        }
        if let policyAveraging {
            guard policyAveraging >= 0, policyAveraging <= 1 else { throw ValidationError("--policy-averaging must be in [0, 1] (got \(policyAveraging))") }
            c.policyAveraging = policyAveraging
        }
        if let modelHidden {
            let widths = modelHidden.split(whereSeparator: { $0 == "," || $0 == "x" }).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                throw ValidationError("--model-hidden wants positive widths separated by x or commas, e.g. 20x20 (got '\(modelHidden)')")
            }
            c.modelHidden = widths.map { $0! }
        }
        if let valueScale { c.valueScale = valueScale }
        if let squashMean { c.squashMean = squashMean }
        if let stateDependentStd { c.stateDependentStd = stateDependentStd }
        if let entropyBonus { c.svg.entropyBonus = entropyBonus }
        try regularisation.apply(to: &c)
        if let checkpointEvery { c.checkpointInterval = checkpointEvery }
        if let polyak { c.svg.polyak = polyak }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if printConfig {
            print(String(decoding: try encoder.encode(c), as: UTF8.self))
            return
        }
        let trainer = try Trainer(c)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var curve = "steps,episode,episode_return,evaluation_return,model_loss,value_loss,seconds\n"
        if let resume {
            try trainer.restore(from: resume + "/checkpoint.svgp")
            // Keep the learning curve up to the checkpoint.
            if let old = try? String(contentsOfFile: resume + "/curve.csv", encoding: .utf8) {
                curve = old.split(separator: "\n").enumerated().filter { index, line in
                    index == 0 || (Int(line.split(separator: ",").first ?? "") ?? Int.max) <= trainer.environmentSteps
                }.map { String($0.element) }.joined(separator: "\n") + "\n"
            }
            FileHandle.standardError.write("svgrt train: resumed \(resume) at \(trainer.environmentSteps) steps, episode \(trainer.episode)\n".data(using: .utf8)!)
        }
        try encoder.encode(c).write(to: URL(fileURLWithPath: output + "/config.json"))
        var nextCheckpoint = c.checkpointInterval > 0 ? (trainer.environmentSteps / c.checkpointInterval + 1) * c.checkpointInterval : Int.max
        var checkpointError: Error?
        trainer.atEpisodeBoundary = { t in
            let last = t.environmentSteps + t.plant.episodeLength > c.steps
            guard t.environmentSteps >= nextCheckpoint || last else { return }
            do {
                try t.writeCheckpoint(to: output + "/checkpoint.svgp")
                try curve.write(toFile: output + "/curve.csv", atomically: true, encoding: .utf8)
            } catch { checkpointError = error }
            while nextCheckpoint <= t.environmentSteps { nextCheckpoint += max(c.checkpointInterval, 1) }
        }
        let start = Date()
        var lastReport = Date()
        var lastSteps = 0
        var lastEpisodeReturn = Double.nan
        func log(_ line: String) { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }
        log("svgrt train: \(c.plant), \(c.algorithm.rawValue), \(c.steps) steps, seed \(c.seed) → \(output)")
        while trainer.environmentSteps < c.steps {
            trainer.step { event in
                if case let .episodeEnded(episode, steps, value) = event {
                    lastEpisodeReturn = value
                    curve += "\(steps),\(episode),\(value),,\(trainer.svg1er.modelLoss),\(trainer.svg1er.valueLoss),\(Date().timeIntervalSince(start))\n"
                    if Date().timeIntervalSince(lastReport) > 2 {
                        let rate = Double(steps - lastSteps) / Date().timeIntervalSince(lastReport)
                        log("episode \(episode)  steps \(steps)  return \(String(format: "%.1f", value))  model \(String(format: "%.4f", trainer.svg1er.modelLoss))  value \(String(format: "%.4f", trainer.svg1er.valueLoss))  \(String(format: "%.0f", rate)) steps/s")
                        lastReport = Date()
                        lastSteps = steps
                    }
                }
            }
            if trainer.environmentSteps % c.evaluationInterval == 0 {
                let value = trainer.evaluate()
                curve += "\(trainer.environmentSteps),\(trainer.episode),,\(value),\(trainer.svg1er.modelLoss),\(trainer.svg1er.valueLoss),\(Date().timeIntervalSince(start))\n"
                let sigma = (0..<trainer.policy.actionSize).map { String(format: "%.3f", trainer.policy.dimensionStd($0)) }.joined(separator: " ")
                log("evaluation at \(trainer.environmentSteps) steps: return \(String(format: "%.1f", value)) (last episode \(String(format: "%.1f", lastEpisodeReturn)), σ \(sigma), model NLL \(String(format: "%.3f", trainer.svg1er.modelLoss)), value loss \(String(format: "%.2f", trainer.svg1er.valueLoss)), w \(String(format: "%.2f", trainer.svg1er.meanWeight)))")
                try curve.write(toFile: output + "/curve.csv", atomically: true, encoding: .utf8)
            }
        }
        try curve.write(toFile: output + "/curve.csv", atomically: true, encoding: .utf8)
        if let checkpointError { throw checkpointError }
        let seconds = Date().timeIntervalSince(start)
        log("done: \(c.steps) steps in \(String(format: "%.1f", seconds)) s (\(String(format: "%.3f", seconds * 1000 / Double(c.steps))) ms per step including updates)")
    }
}
