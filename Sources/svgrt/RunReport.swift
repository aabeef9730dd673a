import Foundation
import Link
import Plants
import Runtime

/// What `svgrt run` leaves behind: report.md, learning-curve.svg, latency-*.svg, CSVs.
struct RunReport {
    let output: String, plant: any Plant, lossName: String, rate: Double, elapsed: Double
    let control: ControlLoop, learner: Learner
    /// Each episode's return (the sum over the steps whose SENSE arrived) and the steps missing.
    let episodes: [(time: Double, episode: Int, value: Double, missing: Int)]
    /// The adapting policy's evaluations, and its frozen twin's (the policy at the latest change) under the same conditions.
    let evaluations: [(time: Double, value: Double, frozen: Double?)]
    /// Evaluation episodes played on the plant itself (one in `evaluationEpisodeEvery`; 0: none).
    let plantEvaluations: [(time: Double, episode: Int, value: Double, missing: Int)]
    let evaluationEpisodeEvery: Int
    let modelLoss: [(time: Double, value: Double)]
    let changes: [(Double, String)]
    /// The from-scratch level under each change's conditions, by change time.
    let yardsticks: [Double: AdaptationYardstick]
    let client: PlantClient
    let firmwareSummary: String
    /// How often each network's gradient clip bound in this run (`ClipActivity.summary`), and V_max.
    let clipping: String, clipNorm: Float

    /// Adaptation after a change at `t`: the return level over the 30 s before, the worst
    /// episode after, and when the rolling mean of 3 episodes is back within 10 % of the level;
    /// the model's one-step NLL before, its peak after, and when it is back within 10 %.
    func adaptation(at t: Double) -> String {
        let before = episodes.filter { $0.time < t && $0.time >= t - 30 }.map(\.value)
        let after = episodes.filter { $0.time >= t }
        guard !before.isEmpty, !after.isEmpty else { return "not enough episodes around \(Int(t)) s" }
        let level = before.reduce(0, +) / Double(before.count)
        let worst = after.prefix(10).map(\.value).min()!
        var recovered: Double?
        for k in 2..<max(after.count, 2) where k < after.count {
            let mean = (after[k].value + after[k - 1].value + after[k - 2].value) / 3
            if mean >= level - 0.1 * abs(level) { recovered = after[k].time - t; break }
        }
        let lossBefore = modelLoss.filter { $0.time < t && $0.time >= t - 30 }.map(\.value)
        let lossAfter = modelLoss.filter { $0.time >= t && $0.time < t + 60 }
        var modelText = ""
        if !lossBefore.isEmpty, let peak = lossAfter.max(by: { $0.value < $1.value }) {
            let base = lossBefore.reduce(0, +) / Double(lossBefore.count)
            let settle = lossAfter.first { $0.time > peak.time && $0.value <= base + 0.1 * abs(base) }
            modelText = String(format: "; \(lossName) %.2f before, peak %.2f at +%.0f s, ", base, peak.value, peak.time - t)
                + (settle.map { String(format: "back within 10 %% at +%.0f s", $0.time - t) } ?? "not back within 10 % in 60 s")
        }
        return String(format: "return level %.1f before; worst episode after %.1f (drop %.1f); ", level, worst, worst - level)
            + (recovered.map { String(format: "back within 10 %% after %.0f s", $0) } ?? "not back within 10 % by the end")
            + modelText
    }

    /// The adapting policy against its frozen twin after the change at `t` (until `end`): the mean
    /// of each over the evaluations of the last 30 s of the window, the gap, and when the adapting
    /// policy came within 10 % of the from-scratch level.
    func twinComparison(from t: Double, to end: Double) -> String {
        let window = evaluations.filter { $0.time > t && $0.time < end }
        guard let last = window.last else { return "no evaluation after the change" }
        let tail = window.filter { $0.time >= last.time - 30 }
        let adapting = tail.map(\.value).reduce(0, +) / Double(tail.count)
        let twins = tail.compactMap(\.frozen)
        var text = String(format: "adapting %.1f", adapting)
        if !twins.isEmpty {
            let twin = twins.reduce(0, +) / Double(twins.count)
            text += String(format: ", frozen twin %.1f (adapting %@ by %.1f) over the last %.0f s", twin, adapting >= twin ? "ahead" : "behind",
                           abs(adapting - twin), last.time - tail[0].time)
        }
        if let y = yardsticks[t] {
            let target = y.level - 0.1 * abs(y.level)
            let reached = window.first { $0.value >= target }
            text += String(format: "; from-scratch level %.1f (`%@`): ", y.level, y.command)
                + (reached.map { String(format: "adapting within 10 %% of it after %.0f s", $0.time - t) } ?? "adapting not within 10 % of it by the end")
        }
        return text
    }

    func write() throws {
        func save(_ text: String, _ name: String) throws {
            try text.write(toFile: output + "/" + name, atomically: true, encoding: .utf8)
        }
        try save("time_s,episode,return,steps_missing\n" + episodes.map { "\($0.time),\($0.episode),\($0.value),\($0.missing)" }.joined(separator: "\n") + "\n",
                 "episodes.csv")
        try save("time_s,evaluation_return,frozen_twin_return\n" + evaluations.map { "\($0.time),\($0.value),\($0.frozen.map { "\($0)" } ?? "")" }.joined(separator: "\n") + "\n",
                 "evaluations.csv")
        if evaluationEpisodeEvery > 0 {
            try save("time_s,episode,return,steps_missing\n" + plantEvaluations.map { "\($0.time),\($0.episode),\($0.value),\($0.missing)" }.joined(separator: "\n") + "\n",
                     "plant-evaluations.csv")
        }
        try save("time_s,\(lossName)\n" + modelLoss.map { "\($0.time),\($0.value)" }.joined(separator: "\n") + "\n", "model-loss.csv")
        var latency = "histogram,bucket_ns,count\n"
        for (name, h) in [("wakeup", control.wakeup), ("compute", control.compute), ("send", control.send), ("cycle", control.cycle)] {
            latency += h.buckets.map { "\(name),\($0.0),\($0.1)" }.joined(separator: "\n") + "\n"
        }
        try save(latency, "latency.csv")
        try save(SVGChart.lines(
            title: "\(plant.name): online learning at \(Int(rate)) Hz", xLabel: "wall time (s)", yLabel: "return",
            series: [.init(label: episodes.contains { $0.missing > 0 } ? "episode return (stochastic policy; steps received)" : "episode return (stochastic policy)",
                           points: episodes.map { ($0.time, $0.value) }, color: "#1f77b4"),
                     .init(label: "evaluation (deterministic policy)", points: evaluations.map { ($0.time, $0.value) }, color: "#d62728", dots: true)]
                + (plantEvaluations.isEmpty ? [] : [.init(label: "evaluation episode on the plant (mean action)",
                                                          points: plantEvaluations.map { ($0.time, $0.value) }, color: "#ff7f0e", dots: true)])
                + (evaluations.contains { $0.frozen != nil }
                    ? [.init(label: "frozen twin (the policy at the latest change)", points: evaluations.compactMap { e in e.frozen.map { (e.time, $0) } },
                             color: "#7f7f7f", dots: true)] : [])
                + changes.compactMap { t, label in
                    yardsticks[t].map { y in .init(label: "from scratch under \(label) (\(String(format: "%.1f", y.level)))",
                                                 points: [(t, y.level), (elapsed, y.level)], color: "#2ca02c") }
                },
            markers: changes), "learning-curve.svg")
        try save(SVGChart.lines(title: "the agent's \(lossName)", xLabel: "wall time (s)", yLabel: lossName,
                                series: [.init(label: lossName, points: modelLoss.map { ($0.time, $0.value) }, color: "#9467bd")],
                                markers: changes), "model-loss.svg")
        for (name, h) in [("wakeup", control.wakeup), ("compute", control.compute), ("send", control.send), ("cycle", control.cycle)] {
            try save(SVGChart.histogram(title: "\(name) latency, \(h.total) cycles", buckets: h.buckets,
                                        percentiles: [("p50", h.percentile(0.5)), ("p99", h.percentile(0.99)), ("p99.9", h.percentile(0.999))]),
                     "latency-\(name).svg")
        }
        var md = "# svgrt run: \(plant.name), \(Int(rate)) Hz, \(String(format: "%.0f", elapsed)) s\n\n"
        md += "![learning curve](learning-curve.svg)\n\n"
        md += "| | |\n|---|---|\n"
        md += "| build | \(BuildInfo.line) |\n"
        md += "| control thread | \(control.setupReport) |\n"
        md += "| cycles | \(control.cycles), SENSE timeouts \(control.senseTimeouts), safe actions \(control.safeActions) |\n"
        md += "| deadline misses | \(control.platformMisses) from the platform (late wakeup, late SENSE, slow sendto), \(control.overrunMisses) from the controller's own work |\n"
        md += "| wakeup latency | \(control.wakeup.summary) |\n"
        md += "| compute (SENSE in hand → ACT handed to the OS; our work) | \(control.compute.summary) |\n"
        md += "| send (the sendto syscall) | \(control.send.summary) |\n"
        md += "| cycle (wakeup → end) | \(control.cycle.summary) |\n"
        md += "| ring | \(learner.transitions.load(ordering: .relaxed)) transitions, \(control.ring.dropped) dropped |\n"
        md += "| learner | \(learner.updates.load(ordering: .relaxed)) updates, \(String(format: "%.0f", Double(learner.updates.load(ordering: .relaxed)) / elapsed)) per second, policy version \(learner.version.load(ordering: .relaxed)) |\n"
        md += "| gradient clip V_max = \(clipNorm) bound on | \(clipping) of each network's steps, this run |\n"
        md += "| safety chain | NaN guards \(control.safety.nonFiniteGuards), box clamps \(control.safety.boxClamps), rate limits \(control.safety.rateLimits) |\n"
        md += "| link | \(client.counters.summary) |\n"
        md += "| plant restarts | \(control.plantRestarts) re-handshakes (\(control.failedHandshakes) attempts failed), \(control.silentEpisodes) episodes closed by silence"
            + (control.plantChange.map { ", then it came back as another plant (\($0)): not controlled, the run stopped" } ?? "")
            + " |\n"
        if let success = plant.successReturn {
            let firstGood = evaluations.first { $0.value >= success }
            md += "| evaluation | " + (firstGood.map { String(format: "≥ %.0f (\(plant.successMeaning)) first at %.0f s (%.1f)", success, $0.time, $0.value) }
                                      ?? String(format: "never ≥ %.0f", success))
                + (evaluations.last.map { String(format: "; last %.1f", $0.value) } ?? "") + " |\n"
        } else if let last = evaluations.last {
            md += "| evaluation | " + String(format: "last %.1f", last.value) + " |\n"
        }
        if evaluationEpisodeEvery > 0 {
            md += "| evaluation episodes on the plant | one episode in \(evaluationEpisodeEvery) on the mean action, not learned from: \(plantEvaluations.count) played"
                + (plantEvaluations.isEmpty ? "" : String(format: ", first %.1f at %.0f s, last %.1f at %.0f s, best %.1f", plantEvaluations[0].value, plantEvaluations[0].time,
                                                          plantEvaluations.last!.value, plantEvaluations.last!.time, plantEvaluations.map(\.value).max()!))
                + " (plant-evaluations.csv) |\n"
        }
        if !firmwareSummary.isEmpty { md += "| plant | \(firmwareSummary) |\n" }
        for (k, (t, label)) in changes.enumerated() {
            md += "| change at \(Int(t)) s (\(label)) | \(adaptation(at: t)) |\n"
            md += "| after it: adapting vs frozen twin | \(twinComparison(from: t, to: k + 1 < changes.count ? changes[k + 1].0 : .infinity)) |\n"
        }
        md += "\n![model NLL](model-loss.svg)\n\n![wakeup](latency-wakeup.svg)\n\n![compute](latency-compute.svg)\n\n![cycle](latency-cycle.svg)\n"
        try save(md, "report.md")
    }
}
