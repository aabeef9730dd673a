import ArgumentParser
import Foundation
import Learn
import Plants
import Training

/// The learning curve of `svgrt train`: one row per episode (its return) and per evaluation
/// (the deterministic policy's mean return), with the agent's losses at that moment.
/// Written as curve.csv: steps,episode,episode_return,evaluation_return,<the agent's losses>,seconds
/// (wall time since the run started, across resumes).
final class TrainingCurve {
    let agent: any Agent
    private(set) var rows: [String] = []
    private(set) var evaluations: [(steps: Int, value: Double)] = []
    private(set) var episodes: [(steps: Int, value: Double)] = []
    var header: String { "steps,episode,episode_return,evaluation_return," + agent.lossNames.joined(separator: ",") + ",seconds" }

    /// Seconds the kept rows of a resumed run had run for: `add` counts on from it.
    private(set) var secondsBefore = 0.0

    init(agent: any Agent) { self.agent = agent }

    var losses: String { agent.lossNames.indices.map { "\(agent.loss($0))" }.joined(separator: ",") }

    /// `seconds`: since this invocation started.
    func add(steps: Int, episode: Int, episodeReturn: Double, seconds: Double) {
        rows.append("\(steps),\(episode),\(episodeReturn),,\(losses),\(secondsBefore + seconds)")
        episodes.append((steps, episodeReturn))
    }

    func add(steps: Int, episode: Int, evaluation: Double, seconds: Double) {
        rows.append("\(steps),\(episode),,\(evaluation),\(losses),\(secondsBefore + seconds)")
        evaluations.append((steps, evaluation))
    }

    /// Keeps the rows of a resumed run's curve up to its checkpoint (when the file is there).
    func keepRows(of path: String, upTo steps: Int) throws {
        guard let old = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let lines = old.split(separator: "\n").map(String.init)
        guard lines.first == header else {
            throw ValidationError("\(path) has other columns than this algorithm's (\(header)): resume with the run's own algorithm")
        }
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let s = Int(fields.first ?? ""), s <= steps else { continue }
            rows.append(line)
            if let t = Double(fields.last ?? "") { secondsBefore = max(secondsBefore, t) }
            if fields.count > 3, let e = Double(fields[2]) { episodes.append((s, e)) }
            if fields.count > 3, let v = Double(fields[3]) { evaluations.append((s, v)) }
        }
    }

    /// Writes curve.csv atomically.
    func write(to path: String) throws {
        try ([header] + rows).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// report.md and learning-curve.svg of a `svgrt train` run: what ran, how fast, where the
/// evaluations went, and when they first reached the plant's success return.
struct TrainReport {
    let output: String
    let configuration: TrainingConfiguration
    let plant: any Plant
    let curve: TrainingCurve
    let seconds: Double
    let steps: Int
    /// How often each network's gradient clip bound in this invocation (`ClipActivity.summary`).
    let clipping: String

    func write() throws {
        let c = configuration
        // The plant's known controllers, the zero action and random actions, on the same starts
        // and under the same conditions as the evaluations.
        let yardsticks = Evaluation.yardsticks(plant: plant, episodes: c.evaluationEpisodes, conditions: c.conditions)
        var series = [SVGChart.Series(label: "episode return (stochastic policy)", points: curve.episodes.map { (Double($0.steps), $0.value) },
                                      color: "#1f77b4"),
                      .init(label: "evaluation (deterministic policy)", points: curve.evaluations.map { (Double($0.steps), $0.value) },
                            color: "#d62728", dots: true)]
        if let last = curve.evaluations.last?.steps {
            if let success = plant.successReturn {
                series.append(.init(label: "success (\(success))", points: [(0, success), (Double(last), success)], color: "#2ca02c"))
            }
            for (k, y) in yardsticks.enumerated() {
                series.append(.init(label: "\(y.name) (\(y.return))", points: [(0, y.return), (Double(last), y.return)],
                                    color: ["#7f7f7f", "#bcbd22", "#17becf", "#9467bd", "#8c564b"][k % 5]))
            }
        }
        try SVGChart.lines(title: "\(c.plant): \(c.algorithm.rawValue), seed \(c.seed)", xLabel: "environment steps", yLabel: "return",
                           series: series).write(toFile: output + "/learning-curve.svg", atomically: true, encoding: .utf8)
        var md = "# svgrt train: \(c.plant), \(c.algorithm.rawValue), seed \(c.seed)\n\n![learning curve](learning-curve.svg)\n\n| | |\n|---|---|\n"
        md += "| build | \(BuildInfo.line) |\n"
        md += "| budget | \(c.steps) environment steps; this invocation \(steps) in \(String(format: "%.1f", seconds)) s "
            + "(\(String(format: "%.3f", seconds * 1000 / Double(max(steps, 1)))) ms per step including updates) |\n"
        if let last = curve.evaluations.last {
            md += "| last evaluation | \(String(format: "%.1f", last.value)) at \(last.steps) steps |\n"
            let best = curve.evaluations.max { $0.value < $1.value }!
            md += "| best evaluation | \(String(format: "%.1f", best.value)) at \(best.steps) steps |\n"
        }
        if let success = plant.successReturn {
            let first = curve.evaluations.first { $0.value >= success }
            md += "| success (evaluation ≥ \(success), \(plant.successMeaning)) | "
                + (first.map { "first at \($0.steps) steps (\(String(format: "%.1f", $0.value)))" } ?? "not reached") + " |\n"
        }
        md += "| gradient clip V_max = \(c.hyperparameters.clipNorm) bound on | \(clipping) of each network's steps, this invocation |\n"
        for y in yardsticks { md += "| yardstick: \(y.name) | \(y.return) |\n" }
        md += "| configuration | config.json (`svgrt train --resume \(output) --steps N` continues it) |\n"
        try md.write(toFile: output + "/report.md", atomically: true, encoding: .utf8)
    }
}
