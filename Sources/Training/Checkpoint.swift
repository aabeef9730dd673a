import Learn
import Net
import Plants

/// Why a checkpoint cannot be resumed, beyond a damaged file (`ParameterArchiveError`).
public enum CheckpointError: Error, CustomStringConvertible {
    case layoutVersion(path: String, found: Int)
    case otherAlgorithm(path: String, found: String, expected: String)

    public var description: String {
        switch self {
        case let .layoutVersion(path, found):
            "\(path): checkpoint layout \(found) (this build resumes layout \(Trainer.checkpointLayout), "
                + "one agent per checkpoint); its policy can still be evaluated (svgrt evaluate)"
        case let .otherAlgorithm(path, found, expected):
            "\(path): a checkpoint of \(found), not \(expected)"
        }
    }
}

/// Everything a training run needs to continue bit for bit: the policy (with its optimisers and
/// θ̄), the replay, the acting and reset generators and the counters, and the agent's own
/// records (`Agent.records()`). Written atomically (`ParameterArchive`) at an episode boundary,
/// before the next reset, so that resuming replays that reset from the restored generator.
extension Trainer {
    /// The layout of the records written here. Layout 1 held every algorithm's networks at once;
    /// `restorePolicy` still reads its policy.
    public static let checkpointLayout = 2

    public func checkpointArchive() -> ParameterArchive {
        var records: [ParameterArchive.Record] = [
            countersRecord("checkpoint.layout", [Self.checkpointLayout, Algorithm.allCases.firstIndex(of: agent.algorithm)!]),
        ]
        records += policy.records(prefix: "policy")
        records += policy.meanOptimizer.records(prefix: "policy.mean.adam")
        records += policy.logStdOptimizer.records(prefix: "policy.logStd.adam")
        if let averagePolicy { records.append(averagePolicy.mean.parameterRecord(named: "policy.average.mean")) }
        records += replay.records(prefix: "replay")
        records += [actingGenerator.record(named: "trainer.acting"), resetGenerator.record(named: "trainer.reset"),
                    wordsRecord("trainer.counters", [environmentSteps, episode, episodeStart].map { UInt64(bitPattern: Int64($0)) }
                                + [episodeReturn.bitPattern])]
        if let disturbances { records.append(wordsRecord("trainer.disturbances", disturbances.generatorWords)) }
        if let learnedReward { records += learnedReward.records(prefix: "reward") }
        return ParameterArchive(records: records + agent.records())
    }

    /// Writes the checkpoint to `path` atomically.
    public func writeCheckpoint(to path: String) throws(ParameterArchiveError) {
        try checkpointArchive().write(to: path)
    }

    /// Restores only the policy (mean network, log σ, and θ̄ with `policy.averaging`) from a
    /// checkpoint of any layout, which is all evaluating a run needs, and returns the
    /// environment steps it had taken.
    public func restorePolicy(from path: String) throws(ParameterArchiveError) -> Int {
        let archive = try ParameterArchive.read(from: path)
        try loadPolicy(from: archive, path: path)
        // Layout 1 kept the environment steps first in "counters".
        let name = archive.records.contains { $0.name == "trainer.counters" } ? "trainer.counters" : "counters"
        let count = try archive.record(named: name, in: path).values.count / 2
        guard count >= 1 else { throw .valueCountMismatch(path: path, record: name, expected: 2, found: 0) }
        return Int(Int64(bitPattern: try loadWords(name, count: count, from: archive, path: path)[0]))
    }

    /// Restores a checkpoint written by a trainer of the same configuration.
    public func restore(from path: String) throws {
        let archive = try ParameterArchive.read(from: path)
        guard archive.records.contains(where: { $0.name == "checkpoint.layout" }) else {
            throw CheckpointError.layoutVersion(path: path, found: 1)
        }
        let layout = try loadCounters("checkpoint.layout", count: 2, from: archive, path: path)
        guard layout[0] == Self.checkpointLayout else { throw CheckpointError.layoutVersion(path: path, found: layout[0]) }
        let algorithm = Algorithm.allCases.indices.contains(layout[1]) ? Algorithm.allCases[layout[1]].rawValue : "algorithm #\(layout[1])"
        guard algorithm == agent.algorithm.rawValue else {
            throw CheckpointError.otherAlgorithm(path: path, found: algorithm, expected: agent.algorithm.rawValue)
        }
        try loadPolicy(from: archive, path: path)
        try policy.meanOptimizer.load(from: archive, prefix: "policy.mean.adam", path: path)
        try policy.logStdOptimizer.load(from: archive, prefix: "policy.logStd.adam", path: path)
        try replay.load(from: archive, prefix: "replay", path: path)
        actingGenerator = try .load("trainer.acting", from: archive, path: path)
        resetGenerator = try .load("trainer.reset", from: archive, path: path)
        let c = try loadWords("trainer.counters", count: 4, from: archive, path: path)
        environmentSteps = Int(Int64(bitPattern: c[0]))
        episode = Int(Int64(bitPattern: c[1]))
        episodeStart = Int(Int64(bitPattern: c[2]))
        episodeReturn = Double(bitPattern: c[3])
        if disturbances != nil {
            let words = try loadWords("trainer.disturbances", count: 6, from: archive, path: path)
            guard disturbances!.continueGenerator(from: words) else {
                throw ParameterArchiveError.valueCountMismatch(path: path, record: "trainer.disturbances", expected: 6, found: 0)
            }
        }
        try agent.load(from: archive, path: path)
        try learnedReward?.load(from: archive, prefix: "reward", path: path)
        plant.reset(using: &resetGenerator)
    }

    /// The policy's mean network and log σ, as `records(prefix: "policy")` wrote them, and the
    /// averaged mean network when the configuration has one.
    func loadPolicy(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try policy.mean.load("policy.mean", from: archive, path: path)
        try policy.logStd.load("policy.logStd", from: archive, path: path)
        if let averagePolicy { try averagePolicy.mean.load("policy.average.mean", from: archive, path: path) }
    }
}
