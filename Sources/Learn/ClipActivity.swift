import Net

/// How often one network's gradient-norm clip V_max (docs/algorithms.md eq. 14) bound: the steps
/// whose gradient was scaled down or zeroed, out of all its optimiser steps, summed over the
/// optimisers that make it up (the twin critics, the model's per-dimension networks).
/// Counted since the agent was made or loaded (`Adam.clippedStepCount`); not a real-time path.
public struct ClipActivity: Sendable, Equatable {
    /// The network, as reports name it: "actor", "critics", "value", "model", "policy".
    public var network: String
    public var clippedSteps: Int
    public var steps: Int

    public init(network: String, clippedSteps: Int, steps: Int) {
        self.network = network
        self.clippedSteps = clippedSteps
        self.steps = steps
    }

    public init(network: String, optimizers: [Adam]) {
        self.init(network: network, clippedSteps: optimizers.reduce(0) { $0 + $1.clippedStepCount },
                  steps: optimizers.reduce(0) { $0 + $1.stepCount })
    }

    /// The share of the steps taken after `earlier` (the same network, read before) that were
    /// clipped; nil when no step was taken. With no `earlier`, over every step counted.
    public func fraction(since earlier: ClipActivity? = nil) -> Double? {
        let steps = self.steps - (earlier?.steps ?? 0), clipped = clippedSteps - (earlier?.clippedSteps ?? 0)
        return steps > 0 ? Double(clipped) / Double(steps) : nil
    }

    /// "actor 34.1 %, critics 0.0 %, model —": each network's `fraction(since:)` against the
    /// same network in `earlier` (read from the same agent), "—" where it took no step.
    public static func summary(_ now: [ClipActivity], since earlier: [ClipActivity] = []) -> String {
        now.map { n in
            let f = n.fraction(since: earlier.first { $0.network == n.network })
            return n.network + " " + (f.map { formatPercent($0) } ?? "—")
        }.joined(separator: ", ")
    }

    /// One decimal without Foundation: 0.3414 → "34.1 %".
    static func formatPercent(_ x: Double) -> String {
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10) %"
    }
}
