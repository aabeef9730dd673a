/// Every action passes this chain before it leaves the controller, in this order:
/// NaN/Inf guard (→ the safe action) → action box → per-tick rate limit → configured limits.
/// A latched e-stop (only `resetEmergencyStop()` clears it) sends the safe action until reset;
/// a soft stop (`softStop = true`) does the same until it is cleared. Each intervention is counted.
///
/// Every buffer is allocated at `init` (one per bound, the safe action and the previous action);
/// the setters of the optional bounds copy into them and belong to set-up. `apply` is real-time
/// safe: in place, no allocation, no locks (checked by the compiler).
public final class SafetyChain: @unchecked Sendable {
    public let dimensions: Int
    let lowBound: UnsafeMutablePointer<Float>, highBound: UnsafeMutablePointer<Float>
    let safe: UnsafeMutablePointer<Float>, previous: UnsafeMutablePointer<Float>
    let rate: UnsafeMutablePointer<Float>, limitLowBound: UnsafeMutablePointer<Float>, limitHighBound: UnsafeMutablePointer<Float>
    var hasRateLimit = false, hasLimitLow = false, hasLimitHigh = false
    public private(set) var emergencyStopLatched = false
    public var softStop = false

    public private(set) var nonFiniteGuards = 0, boxClamps = 0, rateLimits = 0, limitClamps = 0, stopsApplied = 0

    /// All interventions so far (a change between two reads means the action was altered).
    public var interventions: Int { nonFiniteGuards + boxClamps + rateLimits + limitClamps + stopsApplied }

    /// The actuator box `low`…`high` (one bound per action dimension); the safe action defaults
    /// to the point of the box nearest 0.
    public init(low: [Float], high: [Float], safeAction: [Float]? = nil) {
        precondition(low.count == high.count, "one low and one high bound per action dimension")
        dimensions = low.count
        func buffer(_ values: [Float]) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
            p.initialize(repeating: 0, count: max(values.count, 1))
            for (i, v) in values.enumerated() { p[i] = v }
            return p
        }
        let safeValues = safeAction ?? zip(low, high).map { min(max(0, $0), $1) }
        lowBound = buffer(low)
        highBound = buffer(high)
        safe = buffer(safeValues)
        previous = buffer(safeValues)
        rate = buffer(low)
        limitLowBound = buffer(low)
        limitHighBound = buffer(high)
    }

    deinit {
        for p in [lowBound, highBound, safe, previous, rate, limitLowBound, limitHighBound] { p.deallocate() }
    }

    public var low: [Float] { (0..<dimensions).map { lowBound[$0] } }
    public var high: [Float] { (0..<dimensions).map { highBound[$0] } }

    /// The action sent when the chain overrides the policy.
    public var safeAction: [Float] {
        get { (0..<dimensions).map { safe[$0] } }
        set { for i in 0..<dimensions { safe[i] = newValue[i] } }
    }

    /// Largest change per tick per dimension (nil: no rate limit). Set-up only.
    public var maximumChange: [Float]? {
        get { hasRateLimit ? (0..<dimensions).map { rate[$0] } : nil }
        set { hasRateLimit = copy(newValue, into: rate) }
    }

    /// Configured limits, tighter than the box (nil: the box). Set-up only.
    public var limitLow: [Float]? {
        get { hasLimitLow ? (0..<dimensions).map { limitLowBound[$0] } : nil }
        set { hasLimitLow = copy(newValue, into: limitLowBound) }
    }
    public var limitHigh: [Float]? {
        get { hasLimitHigh ? (0..<dimensions).map { limitHighBound[$0] } : nil }
        set { hasLimitHigh = copy(newValue, into: limitHighBound) }
    }

    func copy(_ values: [Float]?, into buffer: UnsafeMutablePointer<Float>) -> Bool {
        guard let values else { return false }
        precondition(values.count == dimensions, "one value per action dimension")
        for i in 0..<dimensions { buffer[i] = values[i] }
        return true
    }

    /// Writes the safe action into `action`. Real-time safe.
    @_noAllocation @_noLocks
    public func writeSafeAction(into action: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<dimensions { action[i] = safe[i] }
    }

    public func emergencyStop() { emergencyStopLatched = true }
    public func resetEmergencyStop() { emergencyStopLatched = false }

    /// Filters `action` (`dimensions` values) in place.
    @_noAllocation @_noLocks
    public func apply(_ action: UnsafeMutableBufferPointer<Float>) {
        // Everything read into locals first: `||` and `&&` would capture self in an
        // autoclosure, which the checker counts as reference counting.
        let n = dimensions, latched = emergencyStopLatched, soft = softStop
        let low = lowBound, high = highBound, safe = safe, previous = previous
        let rate = rate, limitLow = limitLowBound, limitHigh = limitHighBound
        let rateLimited = hasRateLimit, lowLimited = hasLimitLow, highLimited = hasLimitHigh
        if latched || soft {
            for i in 0..<n { action[i] = safe[i] }
            stopsApplied += 1
            for i in 0..<n { previous[i] = action[i] }
            return
        }
        var finite = true
        for i in 0..<n where !action[i].isFinite { finite = false }
        if !finite {
            nonFiniteGuards += 1
            for i in 0..<n { action[i] = safe[i] }
        }
        for i in 0..<n {
            var a = action[i]
            if a < low[i] || a > high[i] {
                a = min(max(a, low[i]), high[i])
                boxClamps += 1
            }
            if rateLimited, abs(a - previous[i]) > rate[i] {
                a = a > previous[i] ? previous[i] + rate[i] : previous[i] - rate[i]
                rateLimits += 1
            }
            if lowLimited, a < limitLow[i] { a = limitLow[i]; limitClamps += 1 }
            if highLimited, a > limitHigh[i] { a = limitHigh[i]; limitClamps += 1 }
            action[i] = a
            previous[i] = a
        }
    }
}
