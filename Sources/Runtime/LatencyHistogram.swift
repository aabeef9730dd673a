/// A preallocated log-linear histogram of durations in nanoseconds (HdrHistogram's layout with
/// 32 sub-buckets per power of two: ≤ 3.2 % relative error per value), from 1 ns to about 9 s.
/// `record` is real-time safe (no allocation, no lock); one thread records at a time.
public final class LatencyHistogram {
    static let subBucketBits = 5
    static let subBuckets = 1 << subBucketBits
    static let bucketCount = 34 * subBuckets
    let counts: UnsafeMutablePointer<Int>
    public private(set) var total = 0
    public private(set) var minimum = Int.max, maximum = 0
    public private(set) var sum = 0

    public init() {
        counts = .allocate(capacity: Self.bucketCount)
        counts.initialize(repeating: 0, count: Self.bucketCount)
    }

    deinit { counts.deallocate() }

    /// Lower edge of bucket `i`.
    static func value(at i: Int) -> Int { histogramBucketValue(i) }

    /// Adds one duration. Real-time safe.
    @_noAllocation @_noLocks
    @inline(__always) public func record(_ nanoseconds: Int) {
        counts[histogramIndex(nanoseconds)] += 1
        total += 1
        sum += nanoseconds
        if nanoseconds < minimum { minimum = nanoseconds }
        if nanoseconds > maximum { maximum = nanoseconds }
    }

    /// The value below which a fraction `p` of the recorded values fall (bucket lower edge,
    /// clamped to the recorded maximum).
    @_noAllocation @_noLocks
    public func percentile(_ p: Double) -> Int {
        guard total > 0 else { return 0 }
        // ⌈p · total⌉, at least 1 (no rounding-rule metadata, so the checker accepts it).
        let exact = p * Double(total)
        var rank = Int(exact)
        if Double(rank) < exact { rank += 1 }
        rank = max(1, rank)
        var seen = 0
        for i in 0..<LatencyHistogram.bucketCount {
            seen += counts[i]
            if seen >= rank { return min(histogramBucketValue(i), maximum) }
        }
        return maximum
    }

    /// Non-empty buckets as (lower edge ns, count), for reports.
    public var buckets: [(Int, Int)] {
        (0..<Self.bucketCount).compactMap { counts[$0] > 0 ? (Self.value(at: $0), counts[$0]) : nil }
    }

    public func reset() {
        counts.update(repeating: 0, count: Self.bucketCount)
        total = 0; sum = 0; minimum = Int.max; maximum = 0
    }

    /// "min 12 µs, p50 80 µs, p99 2.1 ms, p99.9 7.9 ms, max 15 ms (n = 6000)"
    public var summary: String {
        guard total > 0 else { return "no samples" }
        return "min \(format(minimum)), p50 \(format(percentile(0.5))), p99 \(format(percentile(0.99))), "
            + "p99.9 \(format(percentile(0.999))), max \(format(maximum)) (n = \(total))"
    }
}

/// A duration in ns as a short human string.
public func format(_ nanoseconds: Int) -> String {
    if nanoseconds < 10_000 { return "\(nanoseconds) ns" }
    if nanoseconds < 10_000_000 { return "\(nanoseconds / 1000) µs" }
    return "\(nanoseconds / 1_000_000) ms"
}

/// Bucket of a value: values below 32 have their own; above, 32 sub-buckets per power of two
/// (literals rather than the type's constants, so the real-time `record` touches no metadata).
@inline(__always) private func histogramIndex(_ value: Int) -> Int {
    let v = max(value, 0)
    if v < 32 { return v }
    let exponent = Int.bitWidth - 1 - v.leadingZeroBitCount  // floor(log2 v) ≥ 5
    let i = (exponent - 4) * 32 + ((v >> (exponent - 5)) & 31)
    return min(i, 34 * 32 - 1)
}

/// Lower edge of bucket `i` of a `LatencyHistogram` (a free function: the allocation checker
/// treats a static member's use as type metadata).
@inline(__always) func histogramBucketValue(_ i: Int) -> Int {
    let subBuckets = 1 << 5
    if i < subBuckets { return i }
    let exponent = i / subBuckets - 1 + 5
    return (subBuckets + i % subBuckets) << (exponent - 5)
}
