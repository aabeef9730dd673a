/// Every action passes this chain before it leaves the controller, in this order:
/// NaN/Inf guard (→ the safe action) → action box → per-tick rate limit → configured limits.
/// A latched e-stop (only `resetEmergencyStop()` clears it) sends the safe action until reset;
/// a soft stop does the same until `resume()`. Each intervention is counted.
/// Real-time safe: in place, no allocation.
public struct SafetyChain: Sendable {
    public let low: [Float], high: [Float]
    /// Largest change per tick per dimension (nil: no rate limit).
    public var maximumChange: [Float]?
    /// Configured limits, tighter than the box (nil: the box).
    public var limitLow: [Float]?, limitHigh: [Float]?
    public var safeAction: [Float]
    public private(set) var previous: [Float]
    public private(set) var emergencyStopLatched = false
    public var softStop = false

    public private(set) var nonFiniteGuards = 0, boxClamps = 0, rateLimits = 0, limitClamps = 0, stopsApplied = 0

    /// All interventions so far (a change between two reads means the action was altered).
    public var interventions: Int { nonFiniteGuards + boxClamps + rateLimits + limitClamps + stopsApplied }

    public init(low: [Float], high: [Float], safeAction: [Float]? = nil) {
        self.low = low
        self.high = high
        self.safeAction = safeAction ?? zip(low, high).map { min(max(0, $0), $1) }
        // Its own buffer: sharing safeAction's, the first write in `apply` would copy it (a heap
        // allocation in the first control cycle, found by scripts/rtsan-check).
        previous = [Float](repeating: 0, count: low.count)
        for i in 0..<low.count { previous[i] = self.safeAction[i] }
    }

    public mutating func emergencyStop() { emergencyStopLatched = true }
    public mutating func resetEmergencyStop() { emergencyStopLatched = false }

    /// Filters `action` in place.
    public mutating func apply(_ action: UnsafeMutableBufferPointer<Float>) {
        if emergencyStopLatched || softStop {
            for i in 0..<action.count { action[i] = safeAction[i] }
            stopsApplied += 1
            for i in 0..<action.count { previous[i] = action[i] }
            return
        }
        var finite = true
        for i in 0..<action.count where !action[i].isFinite { finite = false }
        if !finite {
            nonFiniteGuards += 1
            for i in 0..<action.count { action[i] = safeAction[i] }
        }
        for i in 0..<action.count {
            var a = action[i]
            if a < low[i] || a > high[i] {
                a = min(max(a, low[i]), high[i])
                boxClamps += 1
            }
            if let step = maximumChange?[i], abs(a - previous[i]) > step {
                a = a > previous[i] ? previous[i] + step : previous[i] - step
                rateLimits += 1
            }
            if let lo = limitLow?[i], a < lo { a = lo; limitClamps += 1 }
            if let hi = limitHigh?[i], a > hi { a = hi; limitClamps += 1 }
            action[i] = a
            previous[i] = a
        }
    }
}
