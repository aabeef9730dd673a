/// Statistics of a set of episode returns (`svgrt evaluate`): mean, spread, percentiles, how
/// many reached a threshold, and histogram counts.
public struct ReturnSummary: Sendable {
    public let returns: [Double]
    public let mean: Double
    /// Sample standard deviation (n − 1); 0 for a single return.
    public let standardDeviation: Double
    /// The returns sorted, for the quantiles.
    let sorted: [Double]

    public init(_ returns: [Double]) {
        precondition(!returns.isEmpty, "no returns to summarise")
        self.returns = returns
        sorted = returns.sorted()
        let mean = returns.reduce(0, +) / Double(returns.count)
        self.mean = mean
        let squares = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        standardDeviation = returns.count > 1 ? (squares / Double(returns.count - 1)).squareRoot() : 0
    }

    public var minimum: Double { sorted.first! }
    public var maximum: Double { sorted.last! }

    /// The `q` quantile (0 … 1), interpolated linearly between order statistics (numpy's default).
    public func quantile(_ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    /// How many returns are at least `threshold`.
    public func count(atLeast threshold: Double) -> Int { returns.count { $0 >= threshold } }

    /// Counts in `bins` equal bins over [minimum, maximum]: bin k is [edges[k], edges[k + 1]),
    /// the last one closed.
    public func histogram(bins: Int) -> (edges: [Double], counts: [Int]) {
        let size = maximum > minimum ? (maximum - minimum) / Double(bins) : 1
        var counts = [Int](repeating: 0, count: bins)
        for r in returns { counts[min(Int((r - minimum) / size), bins - 1)] += 1 }
        return ((0...bins).map { minimum + Double($0) * size }, counts)
    }
}
