import ArgumentParser
import Plants

/// What every command that trains takes, with one meaning and one unit everywhere: the plant,
/// the seed, the run folder, resuming it, and how often to checkpoint (wall-clock seconds).
struct RunFolderOptions: ParsableArguments {
    @Option(help: "Plant: \(PlantRegistry.names.joined(separator: ", ")) (default: pendulum, or the resumed run's).")
    var plant: String?

    @Option(parsing: .unconditional, help: "Seed (the same seed gives the same run; default 1, or the resumed run's).")
    var seed: UInt64?

    @Option(help: "Output folder, the run folder (svgrt train: default runs/train, or the resumed folder; svgrt run: runs/online). An earlier run there is moved to FOLDER.1, never overwritten.")
    var output: String?

    @Option(help: "Resume from a run folder (its config.json and checkpoint.svgp).")
    var resume: String?

    @Option(parsing: .unconditional, help: "Seconds of wall time between checkpoints (0: only at the end).")
    var checkpointEvery = 60.0

    func validate() throws {
        guard checkpointEvery >= 0, checkpointEvery.isFinite else {
            throw ValidationError("--checkpoint-every must be a non-negative number of seconds (got \(checkpointEvery))")
        }
        if let plant {
            guard PlantRegistry.names.contains(plant) else {
                throw ValidationError("unknown --plant '\(plant)'; known: \(PlantRegistry.names.joined(separator: ", "))")
            }
            do { try PlantRegistry.check(plant) } catch { throw ValidationError("--plant: \(error)") }
        }
    }
}
