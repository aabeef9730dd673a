/// When `svgrt train` writes its checkpoint (with config.json and curve.csv) at an episode
/// boundary: once `every` seconds have passed since the last write (0: never for that reason),
/// and at each boundary within one episode of the budget, since any of them may be the run's
/// last. On a plant whose episodes end early (a Hopper that falls after 20 steps) that window
/// holds dozens of boundaries, so there a write waits until ten of the last write's durations
/// have passed: writing takes at most about a tenth of the window's time.
public struct CheckpointSchedule: Sendable {
    /// Seconds between periodic writes (`--checkpoint-every`; 0: only near the end).
    public let every: Double
    /// When the last write ended and how long it took (seconds, any common origin).
    public private(set) var lastWriteEnd: Double, lastWriteDuration = 0.0

    /// A schedule whose clock starts at `start` (as if a write of no duration ended then).
    public init(every: Double, start: Double) {
        self.every = every
        lastWriteEnd = start
    }

    /// Whether a boundary at `now`, with `stepsLeft` steps to the budget on a plant of episodes
    /// of at most `episodeLength` steps, writes.
    public func isDue(now: Double, stepsLeft: Int, episodeLength: Int) -> Bool {
        let since = now - lastWriteEnd
        if every > 0 && since >= every { return true }
        return stepsLeft < episodeLength && since >= 10 * lastWriteDuration
    }

    /// Records a write from `start` to `end`.
    public mutating func wrote(start: Double, end: Double) {
        lastWriteEnd = end
        lastWriteDuration = max(0, end - start)
    }
}
