import Net

// The record helpers of checkpoints: generators, counters, networks and vectors as
// `ParameterArchive` records, and their loaders with named errors.

extension Xoshiro256StarStar {
    /// The generator's state as a record (six floats holding its 64-bit words' bit patterns).
    public func record(named name: String) -> ParameterArchive.Record { wordsRecord(name, words) }

    /// The generator stored by `record(named:)`.
    public static func load(_ name: String, from archive: ParameterArchive, path: String) throws(ParameterArchiveError) -> Xoshiro256StarStar {
        let w = try loadWords(name, count: 6, from: archive, path: path)
        guard let generator = Xoshiro256StarStar(words: w) else {
            throw .valueCountMismatch(path: path, record: name, expected: 6, found: 0)
        }
        return generator
    }
}

/// 64-bit words stored as pairs of float bit patterns.
public func wordsRecord(_ name: String, _ values: [UInt64]) -> ParameterArchive.Record {
    .init(name: name, shape: [values.count, 2], values: values.flatMap {
        [Float(bitPattern: UInt32(truncatingIfNeeded: $0)), Float(bitPattern: UInt32(truncatingIfNeeded: $0 >> 32))]
    })
}

/// Integer counters as a words record.
public func countersRecord(_ name: String, _ values: [Int]) -> ParameterArchive.Record {
    wordsRecord(name, values.map { UInt64(bitPattern: Int64($0)) })
}

/// The `count` words of record `name`.
public func loadWords(_ name: String, count: Int, from archive: ParameterArchive, path: String) throws(ParameterArchiveError) -> [UInt64] {
    let r = try archive.record(named: name, in: path)
    guard r.values.count == 2 * count else {
        throw .valueCountMismatch(path: path, record: name, expected: 2 * count, found: r.values.count)
    }
    return (0..<count).map { UInt64(r.values[2 * $0].bitPattern) | UInt64(r.values[2 * $0 + 1].bitPattern) << 32 }
}

/// The `count` integer counters of record `name`.
public func loadCounters(_ name: String, count: Int, from archive: ParameterArchive, path: String) throws(ParameterArchiveError) -> [Int] {
    try loadWords(name, count: count, from: archive, path: path).map { Int(Int64(bitPattern: $0)) }
}

extension MLP {
    /// Loads the network record `name`.
    public func load(_ name: String, from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try loadParameters(from: archive.record(named: name, in: path), path: path)
    }
}

extension FloatBuffer {
    /// Loads the vector record `name` into the front of this buffer (at most its count).
    public func load(_ name: String, from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        let r = try archive.record(named: name, in: path)
        guard r.values.count <= count else {
            throw .valueCountMismatch(path: path, record: name, expected: count, found: r.values.count)
        }
        for (i, v) in r.values.enumerated() { self[i] = v }
    }
}
