import ArgumentParser
import Foundation
import Learn
import Plants
import Training

/// `svgrt train`: synchronous training as fast as the CPU allows, with progress on stderr, a
/// learning curve (CSV and chart), evaluations of the deterministic policy, checkpoints, and a
/// report.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a policy synchronously on an in-process plant.",
        discussion: """
            Every field has a per-plant default (--print-config shows them); a --config file with any \
            of the fields overrides them, and the options override both. The run folder gets config.json, \
            curve.csv, learning-curve.svg, report.md and checkpoint.svgp.
            """)

    @OptionGroup var folder: RunFolderOptions
    @OptionGroup var agent: AgentOptions

    @Option(parsing: .unconditional, help: "Environment steps (with --resume: the new total).")
    var steps: Int?

    @Option(parsing: .unconditional, help: "Environment steps between evaluations.")
    var evaluationInterval: Int?

    @Option(parsing: .unconditional, help: "Episodes per evaluation (seeded resets; the pendulum always uses its 10 reference starts).")
    var evaluationEpisodes: Int?

    @Option(parsing: .unconditional, help: "Transitions the replay holds (the oldest are overwritten); at least the batch size, and refused when it would need more than 80 % of the machine's memory. Fixed for a run: a resumed run keeps its own.")
    var replayCapacity: Int?

    @Option(parsing: .unconditional, help: "Train under an actuator gain (1 nominal, 0.6 a weak motor), as firmware-sim's --actuator-gain.")
    var actuatorGain: Double?

    @Option(parsing: .unconditional, help: "Train under actuator noise (standard deviation as a fraction of the actuator range).")
    var actuatorNoise: Double?

    @Option(parsing: .unconditional, help: "Train under sensor noise (standard deviation in observation units).")
    var sensorNoise: Double?

    @Option(parsing: .unconditional, help: "Train with one weak actuator (its index), at --weak-actuator-gain, as firmware-sim's options of the same names.")
    var weakActuator: Int?

    @Option(parsing: .unconditional, help: "The weak actuator's own gain (0.6 = a motor at 60 %).")
    var weakActuatorGain: Double?

    @Flag(help: "Print the effective configuration as JSON and exit.")
    var printConfig = false

    func log(_ line: String) { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }

    func run() throws {
        var extra: [String: JSONValue] = [:]
        if let plant = folder.plant { extra["plant"] = .string(plant) }
        if let seed = folder.seed { extra["seed"] = .unsigned(seed) }
        if let steps { extra["steps"] = .int(Int64(steps)) }
        if let evaluationInterval { extra["evaluationInterval"] = .int(Int64(evaluationInterval)) }
        if let evaluationEpisodes { extra["evaluationEpisodes"] = .int(Int64(evaluationEpisodes)) }
        if let replayCapacity { extra["replayCapacity"] = .int(Int64(replayCapacity)) }
        var conditions: [String: JSONValue] = [:]
        if let actuatorGain { conditions["actuatorGain"] = .double(actuatorGain) }
        if let actuatorNoise { conditions["actuatorNoise"] = .double(actuatorNoise) }
        if let sensorNoise { conditions["sensorNoise"] = .double(sensorNoise) }
        if let weakActuator { conditions["weakActuator"] = .int(Int64(weakActuator)) }
        if let weakActuatorGain { conditions["weakActuatorGain"] = .double(weakActuatorGain) }
        if !conditions.isEmpty { extra["conditions"] = .object(conditions) }
        let base = try folder.resume.map { [try TrainingConfiguration.Layer.run($0)] } ?? []
        // The checkpoint holds the replay at the run's own size.
        if let replayCapacity, let held = base.first?.fields["replayCapacity"], held != .int(Int64(replayCapacity)) {
            throw ValidationError("--replay-capacity cannot change when resuming: the run's replay holds \(held) transitions")
        }
        let c = try agent.resolve(base: base, extra: extra, extraNames: ["steps": "--steps", "evaluationInterval": "--evaluation-interval",
                                                                        "evaluationEpisodes": "--evaluation-episodes", "seed": "--seed",
                                                                        "replayCapacity": "--replay-capacity",
                                                                        "conditions.actuatorGain": "--actuator-gain", "conditions.actuatorNoise": "--actuator-noise",
                                                                        "conditions.sensorNoise": "--sensor-noise",
                                                                        "conditions.weakActuator": "--weak-actuator",
                                                                        "conditions.weakActuatorGain": "--weak-actuator-gain"])
        if printConfig {
            print(try c.jsonText(), terminator: "")
            return
        }
        let output = folder.output ?? folder.resume ?? "runs/train"  // a resumed run continues in its folder
        let trainer = try Trainer(c)
        let curve = TrainingCurve(agent: trainer.agent)
        if let resume = folder.resume {
            try trainer.restore(from: resume + "/checkpoint.svgp")
            try curve.keepRows(of: resume + "/curve.csv", upTo: trainer.environmentSteps)
            log("svgrt train: resumed \(resume) at \(trainer.environmentSteps) steps, episode \(trainer.episode)")
        }
        guard trainer.environmentSteps < c.steps else {
            throw ValidationError("nothing to do: the run is at \(trainer.environmentSteps) steps and --steps is \(c.steps)")
        }
        // The folder is created once the run is known to start; config.json and curve.csv are
        // written with each checkpoint (a run that fails before its first leaves an existing
        // folder byte for byte as it was; rows past a checkpoint would be dropped on resume anyway).
        if let moved = try RunFolder.prepare(output, resuming: folder.resume) {
            log("svgrt train: \(output) held an earlier run; moved it to \(moved)")
        }
        let configText = try c.jsonText()
        var schedule = CheckpointSchedule(every: folder.checkpointEvery, start: Date().timeIntervalSinceReferenceDate)
        var checkpointError: Error?
        let start = Date(), startSteps = trainer.environmentSteps
        var lastReport = Date(), lastSteps = trainer.environmentSteps
        var lastEpisodeReturn = Double.nan
        let agent = trainer.agent
        // The clip counters as this invocation found them, and at the last evaluation.
        let clipAtStart = agent.clipActivity
        var clipAtEvaluation = clipAtStart
        func clipping(since earlier: [ClipActivity]) -> String {
            ClipActivity.summary(agent.clipActivity, since: earlier)
        }
        func losses() -> String { agent.lossNames.indices.map { "\(agent.lossNames[$0]) \(String(format: "%.4f", agent.loss($0)))" }.joined(separator: "  ") }
        // Evaluates the policy when the step count is a multiple of the interval and the curve has
        // no evaluation at that step yet. Called at an episode boundary before the checkpoint is
        // written, so a checkpoint's curve holds its own step's evaluation, and after every step.
        // `resuming`: the evaluation a resumed curve lacks, timed at the resumed curve's end.
        func evaluateIfDue(resuming: Bool = false) {
            let steps = trainer.environmentSteps
            guard steps > 0, steps % c.evaluationInterval == 0, curve.evaluations.last?.steps != steps else { return }
            let value = trainer.evaluate()
            curve.add(steps: steps, episode: trainer.episode, evaluation: value, seconds: resuming ? 0 : Date().timeIntervalSince(start))
            if resuming {
                log("evaluation at \(steps) steps (missing from the resumed curve): return \(String(format: "%.1f", value))")
                return
            }
            let sigma = (0..<trainer.policy.actionSize).map { String(format: "%.3f", trainer.policy.dimensionStd($0)) }.joined(separator: " ")
            log("evaluation at \(steps) steps: return \(String(format: "%.1f", value)) (last episode \(String(format: "%.1f", lastEpisodeReturn)), σ \(sigma), \(losses()); clipped \(clipping(since: clipAtEvaluation)))")
            clipAtEvaluation = agent.clipActivity
        }
        trainer.atEpisodeBoundary = { t in
            evaluateIfDue()
            let writeStart = Date().timeIntervalSinceReferenceDate
            guard schedule.isDue(now: writeStart, stepsLeft: c.steps - t.environmentSteps, episodeLength: t.plant.episodeLength) else { return }
            // The curve before the checkpoint: a kill between the two leaves the curve ahead,
            // and a resume drops the rows past the checkpoint (the re-run writes them again).
            do {
                try RunFolder.write(configText, to: output + "/config.json")
                try curve.write(to: output + "/curve.csv")
                try t.writeCheckpoint(to: output + "/checkpoint.svgp")
            } catch { checkpointError = error }
            schedule.wrote(start: writeStart, end: Date().timeIntervalSinceReferenceDate)
        }
        log("svgrt train: \(c.plant), \(c.algorithm.rawValue), \(c.steps) steps, seed \(c.seed) → \(output)")
        // A checkpoint from an older build, which wrote it before that step's evaluation and
        // before the curve, can lack the evaluation. Evaluations are seeded and read only the
        // policy, so playing it now gives the row the uninterrupted run has.
        if folder.resume != nil { evaluateIfDue(resuming: true) }
        while trainer.environmentSteps < c.steps {
            trainer.step { event in
                guard case let .episodeEnded(episode, steps, value) = event else { return }
                lastEpisodeReturn = value
                curve.add(steps: steps, episode: episode, episodeReturn: value, seconds: Date().timeIntervalSince(start))
                if Date().timeIntervalSince(lastReport) > 2 {
                    let rate = Double(steps - lastSteps) / Date().timeIntervalSince(lastReport)
                    let left = Double(c.steps - steps) / max(rate, 1e-9)
                    log("episode \(episode)  steps \(steps)/\(c.steps)  return \(String(format: "%.1f", value))  \(losses())  \(String(format: "%.0f", rate)) steps/s, \(String(format: "%.0f", left)) s left")
                    lastReport = Date()
                    lastSteps = steps
                }
            }
            evaluateIfDue()
        }
        try curve.write(to: output + "/curve.csv")
        try RunFolder.write(configText, to: output + "/config.json")
        if let checkpointError { throw checkpointError }
        let seconds = Date().timeIntervalSince(start)
        let taken = c.steps - startSteps
        try TrainReport(output: output, configuration: c, plant: trainer.plant, curve: curve, seconds: seconds, steps: taken,
                        clipping: clipping(since: clipAtStart)).write()
        log("done: \(taken) steps in \(String(format: "%.1f", seconds)) s (\(String(format: "%.3f", seconds * 1000 / Double(max(taken, 1)))) ms per step including updates); report in \(output)/report.md")
    }
}
