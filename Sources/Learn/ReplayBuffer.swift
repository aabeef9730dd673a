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

    /// Contents as archive records (checkpoints keep the replay): the `count` rows held, not the
    /// whole capacity, so a checkpoint early in a run with a large replay stays small. Rows
    /// 0 ..< count are the held ones (until the buffer is full `next == count`; after, every row is).
    public func records(prefix: String) -> [ParameterArchive.Record] {
        let rows = count
        func floats(_ name: String, _ b: FloatBuffer, _ width: Int) -> ParameterArchive.Record {
            .init(name: "\(prefix).\(name)", shape: [rows, width], values: Array(UnsafeBufferPointer(start: b.base, count: rows * width)))
        }
        return [
            floats("states", states, stateSize), floats("actions", actions, actionSize), floats("nextStates", nextStates, stateSize),
            floats("rewards", rewards, 1), floats("logProbabilities", logProbabilities, 1), floats("terminals", terminals, 1),
            .init(name: "\(prefix).episodes", shape: [rows], values: (0..<rows).map { Float(bitPattern: UInt32(bitPattern: episodes[$0])) }),
            .init(name: "\(prefix).steps", shape: [rows], values: (0..<rows).map { Float(bitPattern: UInt32(bitPattern: steps[$0])) }),
            .init(name: "\(prefix).cursor", shape: [3], values: [count, next, added].map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }),
        ]
    }

    /// Restores the contents from `records(prefix:)` of a buffer of the same capacity and widths.
    /// The records hold the `count` rows of the cursor, or every row of the capacity (checkpoints
    /// written before the prefix was); a cursor that cannot belong to this buffer is refused
    /// before anything is changed.
    public func load(from archive: ParameterArchive, prefix: String, path: String) throws(ParameterArchiveError) {
        let cursorName = "\(prefix).cursor"
        let cursor = try archive.record(named: cursorName, in: path).values.map { Int(Int32(bitPattern: $0.bitPattern)) }
        guard cursor.count == 3 else { throw .valueCountMismatch(path: path, record: cursorName, expected: 3, found: cursor.count) }
        let (held, nextIndex, everAdded) = (cursor[0], cursor[1], cursor[2])
        guard (0...capacity).contains(held), (0..<capacity).contains(nextIndex),
              held == capacity || nextIndex == held else {
            throw .invalidValues(path: path, record: cursorName, reason: "holds count \(held), next \(nextIndex), added \(everAdded): "
                                    + "not a replay of \(capacity) transitions")
        }
        // The rows the records hold: the cursor's count, or the whole capacity (older checkpoints).
        let rows = try archive.record(named: "\(prefix).episodes", in: path).values.count
        guard rows == held || rows == capacity else {
            throw .invalidValues(path: path, record: "\(prefix).episodes", reason: "holds \(rows) rows; the cursor's count is \(held) "
                                    + "and the capacity \(capacity)")
        }
        // Every record is checked before any row is written.
        let columns: [(String, FloatBuffer, Int)] = [("states", states, stateSize), ("actions", actions, actionSize),
                                                     ("nextStates", nextStates, stateSize), ("rewards", rewards, 1),
                                                     ("logProbabilities", logProbabilities, 1), ("terminals", terminals, 1)]
        var floats: [[Float]] = []
        for (name, _, width) in columns {
            let r = try archive.record(named: "\(prefix).\(name)", in: path)
            guard r.shape == [rows, width], r.values.count == rows * width else {
                throw .shapeMismatch(path: path, record: r.name, expected: [rows, width], found: r.shape)
            }
            floats.append(r.values)
        }
        var indices: [[Float]] = []
        for name in ["episodes", "steps"] {
            let r = try archive.record(named: "\(prefix).\(name)", in: path)
            guard r.values.count == rows else { throw .shapeMismatch(path: path, record: r.name, expected: [rows], found: r.shape) }
            indices.append(r.values)
        }
        for (k, (_, buffer, _)) in columns.enumerated() {
            for (i, v) in floats[k].enumerated() { buffer[i] = v }
        }
        for (k, target) in [episodes, steps].enumerated() {
            for (i, v) in indices[k].enumerated() { target[i] = Int32(bitPattern: v.bitPattern) }
        }
        count = held; next = nextIndex; added = everAdded
    }
}
