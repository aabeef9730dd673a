/// The layout of one transition in the `SPSCRing` (floats): s (S), a (A), r, s' (S),
/// log π(a|s), terminal flag, episode, step (the last two as integer bit patterns).
public struct TransitionRecord: Sendable {
    public let stateSize: Int, actionSize: Int
    public init(stateSize: Int, actionSize: Int) {
        self.stateSize = stateSize
        self.actionSize = actionSize
    }
    public var width: Int { 2 * stateSize + actionSize + 5 }
    public var action: Int { stateSize }
    public var reward: Int { stateSize + actionSize }
    public var nextState: Int { stateSize + actionSize + 1 }
    public var logProbability: Int { 2 * stateSize + actionSize + 1 }
    public var terminal: Int { 2 * stateSize + actionSize + 2 }
    public var episode: Int { 2 * stateSize + actionSize + 3 }
    public var step: Int { 2 * stateSize + actionSize + 4 }
}

/// Per-episode progress the control thread hands to the main thread (through its own ring):
/// episode, return, steps, p99 compute ns, p99 wakeup ns, deadline misses, ring drops,
/// policy version, sense timeouts, policy age in cycles, how it closed (`ControlLoop.EpisodeClose`:
/// 0 ended, 1 the plant went silent, 2 the plant restarted), steps whose SENSE never arrived,
/// 1 for an evaluation episode played on the mean alone (`ControlLoop.Options.evaluationEpisodeEvery`), else 0.
public enum EpisodeReport {
    public static let width = 13
}
