import Net

/// Fixed-capacity storage of real transitions, allocated once (docs/algorithms.md §3): the
/// `TransitionColumns`, plus the episode and step indices so contiguous segments can be read
/// back for the episodic algorithms. When full, the oldest
/// transition is overwritten. Real-time safe after `init`.
public final class ReplayBuffer: TransitionColumns {
    public let episodes: UnsafeMutableBufferPointer<Int32>, steps: UnsafeMutableBufferPointer<Int32>
    /// Transitions held (≤ capacity) and where the next one goes.
    public private(set) var count = 0, next = 0
    /// Transitions ever added.
    public private(set) var added = 0

    /// Bytes a buffer of `capacity` transitions allocates: states, next states, actions, reward,
    /// log π and terminal as `Float`, episode and step indices as `Int32`.
    public static func bytes(capacity: Int, stateSize: Int, actionSize: Int) -> Int {
        capacity * ((2 * stateSize + actionSize + 3) * MemoryLayout<Float>.stride + 2 * MemoryLayout<Int32>.stride)
    }

    public override init(capacity: Int, stateSize: Int, actionSize: Int) {
        episodes = .allocate(capacity: capacity)
        steps = .allocate(capacity: capacity)
        episodes.initialize(repeating: 0)
        steps.initialize(repeating: 0)
        super.init(capacity: capacity, stateSize: stateSize, actionSize: actionSize)
    }

    deinit {
        episodes.deallocate()
        steps.deallocate()
    }

    /// Appends one transition.
    public func add(state s: UnsafeBufferPointer<Float>, action a: UnsafeBufferPointer<Float>, reward r: Float,
                    nextState s2: UnsafeBufferPointer<Float>, logProbability: Float, terminal: Bool,
                    episode: Int, step: Int) {
        let i = next
        setRow(i, state: s, action: a, reward: r, nextState: s2, logProbability: logProbability, terminal: terminal)
        episodes[i] = Int32(truncatingIfNeeded: episode)
        steps[i] = Int32(truncatingIfNeeded: step)
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
        added += 1
    }

    /// The storage index of the transition added `age` additions ago (0: the newest).
    public func index(age: Int) -> Int { (next - 1 - age + 2 * capacity) % capacity }

    /// A uniformly random stored index.
    @inline(__always) public func sampleIndex(_ generator: inout Xoshiro256StarStar) -> Int {
        Int(generator.next() % UInt64(count))
    }

    /// Forgets everything (the storage stays allocated).
    public func clear() {
        count = 0
        next = 0
        added = 0
    }

    /// Contents as archive records (checkpoints keep the replay).
    public func records(prefix: String) -> [ParameterArchive.Record] {
        func floats(_ name: String, _ b: FloatBuffer, _ width: Int) -> ParameterArchive.Record {
            .init(name: "\(prefix).\(name)", shape: [capacity, width], values: Array(UnsafeBufferPointer(start: b.base, count: capacity * width)))
        }
        return [
            floats("states", states, stateSize), floats("actions", actions, actionSize), floats("nextStates", nextStates, stateSize),
            floats("rewards", rewards, 1), floats("logProbabilities", logProbabilities, 1), floats("terminals", terminals, 1),
            .init(name: "\(prefix).episodes", shape: [capacity], values: (0..<capacity).map { Float(bitPattern: UInt32(bitPattern: episodes[$0])) }),
            .init(name: "\(prefix).steps", shape: [capacity], values: (0..<capacity).map { Float(bitPattern: UInt32(bitPattern: steps[$0])) }),
            .init(name: "\(prefix).cursor", shape: [3], values: [count, next, added].map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }),
        ]
    }

    /// Restores the contents from `records(prefix:)` of a buffer of the same shape.
    public func load(from archive: ParameterArchive, prefix: String, path: String) throws(ParameterArchiveError) {
        func fill(_ name: String, _ b: FloatBuffer, _ width: Int) throws(ParameterArchiveError) {
            let r = try archive.record(named: "\(prefix).\(name)", in: path)
            guard r.shape == [capacity, width] else {
                throw .shapeMismatch(path: path, record: r.name, expected: [capacity, width], found: r.shape)
            }
            for (i, v) in r.values.enumerated() { b[i] = v }
        }
        try fill("states", states, stateSize)
        try fill("actions", actions, actionSize)
        try fill("nextStates", nextStates, stateSize)
        try fill("rewards", rewards, 1)
        try fill("logProbabilities", logProbabilities, 1)
        try fill("terminals", terminals, 1)
        for (name, target) in [("episodes", episodes), ("steps", steps)] {
            let r = try archive.record(named: "\(prefix).\(name)", in: path)
            guard r.values.count == capacity else {
                throw .shapeMismatch(path: path, record: r.name, expected: [capacity], found: r.shape)
            }
            for (i, v) in r.values.enumerated() { target[i] = Int32(bitPattern: v.bitPattern) }
        }
        let cursor = try archive.record(named: "\(prefix).cursor", in: path).values.map { Int(Int32(bitPattern: $0.bitPattern)) }
        guard cursor.count == 3 else { throw .valueCountMismatch(path: path, record: "\(prefix).cursor", expected: 3, found: cursor.count) }
        count = cursor[0]; next = cursor[1]; added = cursor[2]
    }
}
