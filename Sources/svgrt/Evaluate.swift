import ArgumentParser
import Foundation
import Training

/// `svgrt evaluate RUN...`: the deterministic policy of each trained run (`svgrt train --output`
/// folder), over many seeded episodes: return statistics, how many episodes reached a threshold,
/// a text histogram, and optionally every return as CSV.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the deterministic policy of trained runs over many seeded episodes.",
        discussion: """
            Each RUN is an `svgrt train --output` folder (config.json, checkpoint.svgp). Episodes start \
            from the plant's random reset with seeds FIRST-SEED, FIRST-SEED + 1, …, the same for every \
            run, so runs compare episode by episode. The evaluations during training use seeds 10000, \
            10001, … (one per evaluation episode); the default first seed, 20000, keeps clear of them.
            """)

    @Argument(help: "Run folders written by `svgrt train --output`.")
    var runs: [String]

    @Option(parsing: .unconditional, help: "Episodes per run.")
    var episodes = 100

    @Option(parsing: .unconditional, help: "Seed of the first episode's reset.")
    var firstSeed: UInt64 = 20_000

    @Option(parsing: .unconditional, help: "Count the episodes whose return is at least this (e.g. -1 for the Hand's target reached, 500 for the cart-pole balanced).")
    var successReturn: Double?

    @Option(help: "Write every episode's return and final observation to this CSV file (run,episode,seed,return,final_s0,…).")
    var csv: String?

    @Flag(help: "Also print the plant's yardsticks (its known controllers, the zero action, random actions) on the starts and under the conditions of the first run's training evaluations, as its report.md lists them.")
    var yardsticks = false

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run folder") }
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1") }
    }

    func run() throws {
        let seeds = EvaluationStarts.seeds(count: episodes, from: firstSeed)
        var all: [Double] = []
        var rows = ""
        // Every run checked before any is played: nothing is half done on a bad argument.
        let configurations = try runs.map(Self.configuration(of:))
        for (folder, c) in zip(runs, configurations) where c.plant != configurations[0].plant {
            throw CommandError("\(folder) is a run on \(c.plant), \(runs[0]) on \(configurations[0].plant): evaluate one plant at a time")
        }
        for (folder, configuration) in zip(runs, configurations) {
            let trainer = try Trainer(configuration)
            let steps = try trainer.restorePolicy(from: folder + "/checkpoint.svgp")
            let episodes = Evaluation.episodes(policy: trainer.evaluationPolicy, plant: trainer.plant, starts: .seeds(seeds))
            let returns = episodes.map(\.totalReturn)
            let c = configuration
            print("\(folder) (\(c.plant), \(c.algorithm.rawValue), seed \(c.seed), \(steps) steps): \(line(ReturnSummary(returns)))")
            if rows.isEmpty {
                rows = "run,episode,seed,return" + (0..<trainer.plant.observationSize).map { ",final_s\($0)" }.joined() + "\n"
            }
            for (k, e) in episodes.enumerated() {
                rows += "\(folder),\(k),\(seeds[k]),\(e.totalReturn)" + e.finalObservation.map { ",\($0)" }.joined() + "\n"
            }
            all += returns
        }
        if yardsticks {
            let c = configurations[0], trainer = try Trainer(c)
            for y in Evaluation.yardsticks(plant: trainer.plant, episodes: c.evaluationEpisodes, conditions: c.conditions) {
                print("yardstick: \(y.name): \(y.return)")
            }
        }
        let pooled = ReturnSummary(all)
        if runs.count > 1 { print("all \(runs.count) runs: \(line(pooled))") }
        print(histogram(pooled))
        if let csv {
            try rows.write(toFile: csv, atomically: true, encoding: .utf8)
            FileHandle.standardError.write("returns: \(csv)\n".data(using: .utf8)!)
        }
    }

    /// The configuration of a finished run (its checkpoint must be there too).
    static func configuration(of folder: String) throws -> TrainingConfiguration {
        let configPath = folder + "/config.json", checkpointPath = folder + "/checkpoint.svgp"
        for path in [configPath, checkpointPath] where !FileManager.default.fileExists(atPath: path) {
            throw CommandError("\(folder) is not a finished `svgrt train` run: \(path) is missing")
        }
        do {
            return try TrainingConfiguration.resolve([.run(folder)])
        } catch {
            // Errors that name the file already (invalid JSON, another plant revision) stand as they are.
            let text = "\(error)"
            throw CommandError(text.hasPrefix(configPath) ? text : "\(configPath) is not a training configuration: \(text)")
        }
    }

    func line(_ s: ReturnSummary) -> String {
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        var text = "mean \(f(s.mean)) ± \(f(s.standardDeviation)) (sd) over \(s.returns.count) episodes; min \(f(s.minimum)), p10 \(f(s.quantile(0.1))), median \(f(s.quantile(0.5))), p90 \(f(s.quantile(0.9))), max \(f(s.maximum))"
        if let successReturn {
            let n = s.count(atLeast: successReturn)
            text += "; return ≥ \(successReturn): \(n) of \(s.returns.count) (\(String(format: "%.0f", 100 * Double(n) / Double(s.returns.count))) %)"
        }
        return text
    }

    /// Ten bins over the returns' range, a bar of up to 40 `#` each.
    func histogram(_ s: ReturnSummary) -> String {
        let (edges, counts) = s.histogram(bins: 10)
        let fullest = max(counts.max() ?? 1, 1)
        return (0..<counts.count).map { k in
            let bar = String(repeating: "#", count: (counts[k] * 40 + fullest - 1) / fullest)
            let close = k == counts.count - 1 ? "]" : ")"
            return String(format: "[%9.2f, %9.2f", edges[k], edges[k + 1]) + close + String(format: " %5d ", counts[k]) + bar
        }.joined(separator: "\n")
    }
}
