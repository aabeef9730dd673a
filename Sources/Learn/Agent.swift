import Net

/// The algorithms, by the names the command line and configuration files use.
public enum Algorithm: String, Codable, Sendable, CaseIterable {
    case svg1ER = "svg1-er", svg1 = "svg1", svgInfinity = "svg-inf", planner = "planner", svg0 = "svg0", sacSVG = "sac-svg"
}

/// When an agent learns.
public enum AgentSchedule: Sendable, Equatable {
    /// `update()` after each stored transition, `updatesPerStep` times, once `warmup` transitions
    /// are stored (the replay algorithms; online: at most `updatesPerStep` per control step).
    case everyStep(updatesPerStep: Int, warmup: Int)
    /// `endEpisode(length:)` after each episode, from that episode (the episodic algorithms).
    case everyEpisode
}

/// One learning algorithm, as the synchronous `Trainer`, the online learner thread, checkpoints
/// and evaluation drive it (docs/architecture.md "Agents"). An agent updates the policy and
/// reads the replay it is given, and owns everything else it uses (model, critics, optimisers,
/// its generator, scratch) and nothing it does not. After `init` its updates allocate nothing.
public protocol Agent: AnyObject {
    var algorithm: Algorithm { get }
    /// The policy it trains (the acting loop draws from it; evaluations play its mean).
    var policy: GaussianPolicy { get }
    /// Where the acting loop stores the transitions it learns from.
    var replay: ReplayBuffer { get }
    var schedule: AgentSchedule { get }
    /// One update from the replay (`.everyStep` agents; needs a non-empty replay).
    func update()
    /// The update after an episode of `length` transitions, the newest `length` in the replay
    /// (`.everyEpisode` agents).
    func endEpisode(length: Int)
    /// Policy updates taken so far.
    var updates: Int { get }
    /// The losses it reports, by column name (fixed at `init`; the first is the one the online
    /// monitor follows), and their values after the last update.
    var lossNames: [String] { get }
    func loss(_ index: Int) -> Float
    /// How often each network's gradient clip has bound so far (`ClipActivity`), policy first.
    /// Reads counters the updates write: call it between updates, not beside them.
    var clipActivity: [ClipActivity] { get }
    /// Everything besides the policy and the replay that a bit-exact resume needs (networks,
    /// targets, optimiser moments, generator, counters), as archive records named `agent.*`.
    func records() -> [ParameterArchive.Record]
    /// Restores `records()` written by an agent of the same algorithm and sizes.
    func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError)
}

extension Agent {
    public func update() {}
    public func endEpisode(length: Int) {}
}
