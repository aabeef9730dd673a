import Learn
import Net
import Plants

/// Everything a training run needs to continue bit for bit: every network (target included),
/// every optimiser's moments and step count, the replay, every generator's state and the
/// counters. Written atomically (`ParameterArchive`) at an episode boundary, before the next
/// reset, so that resuming replays that reset from the restored generator.
extension Trainer {
    public func checkpointArchive() -> ParameterArchive {
        var records: [ParameterArchive.Record] = []
        records += policy.records(prefix: "policy")
        records += policy.meanOptimizer.records(prefix: "policy.mean.adam")
        records += policy.logStdOptimizer.records(prefix: "policy.logStd.adam")
        if let averagePolicy { records.append(averagePolicy.mean.parameterRecord(named: "policy.average.mean")) }
        records += model.records(prefix: "model")
        for (i, adam) in model.optimizers.enumerated() { records += adam.records(prefix: "model.dimension\(i).adam") }
        records += model.logStdOptimizer.records(prefix: "model.logStd.adam")
        records.append(value.network.parameterRecord(named: "value"))
        records.append(value.target.parameterRecord(named: "value.target"))
        records += value.optimizer.records(prefix: "value.adam")
        records += replay.records(prefix: "replay")
        records.append(svg0.critic.network.parameterRecord(named: "q"))
        records.append(svg0.critic.target.parameterRecord(named: "q.target"))
        records += svg0.critic.optimizer.records(prefix: "q.adam")
        let generators = [svg1er.generator, episodic.generator, actingGenerator, resetGenerator, svg0.generator]
        records.append(words("generators", generators.flatMap(\.words)))
        records.append(words("counters", [environmentSteps, episode, episodeStart, svg1er.updates, value.steps,
                                          svg0.updates, svg0.critic.steps].map { UInt64(bitPattern: Int64($0)) }
                                         + [episodeReturn.bitPattern]))
        return ParameterArchive(records: records)
    }

    /// Writes the checkpoint to `path` atomically.
    public func writeCheckpoint(to path: String) throws(ParameterArchiveError) {
        try checkpointArchive().write(to: path)
    }

    /// Restores only the policy (mean network, log σ, and θ̄ with `policyAveraging`) from a
    /// checkpoint, which is all evaluating a run needs, and returns the environment steps it had
    /// taken; loads checkpoints whose other records are laid out differently (older versions).
    public func restorePolicy(from path: String) throws(ParameterArchiveError) -> Int {
        let archive = try ParameterArchive.read(from: path)
        try loadPolicy(from: archive, path: path)
        // The first counter is the environment steps in every layout so far.
        let count = try archive.record(named: "counters", in: path).values.count / 2
        guard count >= 1 else { throw .valueCountMismatch(path: path, record: "counters", expected: 2, found: 0) }
        return Int(Int64(bitPattern: try words(archive, "counters", path: path, count: count)[0]))
    }

    /// Restores a checkpoint written by a trainer of the same configuration.
    public func restore(from path: String) throws(ParameterArchiveError) {
        let archive = try ParameterArchive.read(from: path)
        func network(_ net: MLP, _ name: String) throws(ParameterArchiveError) { try load(net, name, archive, path) }
        func vector(_ buffer: FloatBuffer, _ name: String) throws(ParameterArchiveError) { try load(buffer, name, archive, path) }
        try loadPolicy(from: archive, path: path)
        try policy.meanOptimizer.load(from: archive, prefix: "policy.mean.adam", path: path)
        try policy.logStdOptimizer.load(from: archive, prefix: "policy.logStd.adam", path: path)
        for (i, net) in model.networks.enumerated() {
            try network(net, "model.dimension\(i)")
            try model.optimizers[i].load(from: archive, prefix: "model.dimension\(i).adam", path: path)
        }
        try vector(model.logStd, "model.logStd")
        try model.logStdOptimizer.load(from: archive, prefix: "model.logStd.adam", path: path)
        try network(value.network, "value")
        try network(value.target, "value.target")
        try value.optimizer.load(from: archive, prefix: "value.adam", path: path)
        try replay.load(from: archive, prefix: "replay", path: path)
        try network(svg0.critic.network, "q")
        try network(svg0.critic.target, "q.target")
        try svg0.critic.optimizer.load(from: archive, prefix: "q.adam", path: path)
        let g = try words(archive, "generators", path: path, count: 30)
        func generator(_ k: Int) throws(ParameterArchiveError) -> Xoshiro256StarStar {
            guard let generator = Xoshiro256StarStar(words: Array(g[(6 * k)..<(6 * k + 6)])) else {
                throw .valueCountMismatch(path: path, record: "generators", expected: 6, found: 0)
            }
            return generator
        }
        svg1er.generator = try generator(0)
        episodic.generator = try generator(1)
        actingGenerator = try generator(2)
        resetGenerator = try generator(3)
        svg0.generator = try generator(4)
        let c = try words(archive, "counters", path: path, count: 8)
        environmentSteps = Int(Int64(bitPattern: c[0]))
        episode = Int(Int64(bitPattern: c[1]))
        episodeStart = Int(Int64(bitPattern: c[2]))
        svg1er.restore(updates: Int(Int64(bitPattern: c[3])))
        value.restore(steps: Int(Int64(bitPattern: c[4])))
        svg0.restore(updates: Int(Int64(bitPattern: c[5])))
        svg0.critic.restore(steps: Int(Int64(bitPattern: c[6])))
        episodeReturn = Double(bitPattern: c[7])
        plant.reset(using: &resetGenerator)
    }
}

extension Trainer {
    /// The policy's mean network and log σ, as `records(prefix: "policy")` wrote them, and the
    /// averaged mean network when the configuration has one.
    func loadPolicy(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try load(policy.mean, "policy.mean", archive, path)
        try load(policy.logStd, "policy.logStd", archive, path)
        if let averagePolicy { try load(averagePolicy.mean, "policy.average.mean", archive, path) }
    }
}

/// Loads the network record `name`.
func load(_ net: MLP, _ name: String, _ archive: ParameterArchive, _ path: String) throws(ParameterArchiveError) {
    try net.loadParameters(from: archive.record(named: name, in: path), path: path)
}

/// Loads the vector record `name` into the front of `buffer` (at most its count).
func load(_ buffer: FloatBuffer, _ name: String, _ archive: ParameterArchive, _ path: String) throws(ParameterArchiveError) {
    let r = try archive.record(named: name, in: path)
    guard r.values.count <= buffer.count else {
        throw .valueCountMismatch(path: path, record: name, expected: buffer.count, found: r.values.count)
    }
    for (i, v) in r.values.enumerated() { buffer[i] = v }
}

/// 64-bit words stored as pairs of float bit patterns.
func words(_ name: String, _ values: [UInt64]) -> ParameterArchive.Record {
    .init(name: name, shape: [values.count, 2], values: values.flatMap {
        [Float(bitPattern: UInt32(truncatingIfNeeded: $0)), Float(bitPattern: UInt32(truncatingIfNeeded: $0 >> 32))]
    })
}

func words(_ archive: ParameterArchive, _ name: String, path: String, count: Int) throws(ParameterArchiveError) -> [UInt64] {
    let r = try archive.record(named: name, in: path)
    guard r.values.count == 2 * count else {
        throw .valueCountMismatch(path: path, record: name, expected: 2 * count, found: r.values.count)
    }
    return (0..<count).map { UInt64(r.values[2 * $0].bitPattern) | UInt64(r.values[2 * $0 + 1].bitPattern) << 32 }
}
