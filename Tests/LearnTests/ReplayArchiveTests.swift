import Learn
import Net
import XCTest

/// The replay in a checkpoint: only the rows it holds are written, older checkpoints that wrote
/// the whole capacity still load, and a cursor that cannot belong to the buffer is refused
/// before anything changes.
final class ReplayArchiveTests: XCTestCase {
    let capacity = 100, S = 3, A = 2

    /// A buffer with `n` transitions added; every value depends on the transition's number.
    func filled(_ n: Int) -> ReplayBuffer {
        let replay = ReplayBuffer(capacity: capacity, stateSize: S, actionSize: A)
        for k in 0..<n {
            let x = Float(k)
            let s = (0..<S).map { x + Float($0) / 10 }, a = (0..<A).map { -x - Float($0) / 10 }, s2 = s.map { $0 + 0.5 }
            s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { ap in s2.withUnsafeBufferPointer { np in
                replay.add(state: sp, action: ap, reward: x * 2, nextState: np, logProbability: -x, terminal: k % 7 == 0,
                           episode: k / 10, step: k % 10)
            } } }
        }
        return replay
    }

    /// Everything a sample can read: the held rows of every column and the cursor.
    func contents(_ r: ReplayBuffer) -> [Float] {
        var v: [Float] = [Float(r.count), Float(r.next), Float(r.added)]
        for i in 0..<r.count {
            v += (0..<S).map { r.state(i)[$0] } + (0..<A).map { r.action(i)[$0] } + (0..<S).map { r.nextState(i)[$0] }
            v += [r.rewards[i], r.logProbabilities[i], r.terminals[i], Float(r.episodes[i]), Float(r.steps[i])]
        }
        return v
    }

    func testOnlyTheHeldRowsAreWrittenAndLoadBack() throws {
        for n in [0, 40, 100, 130] {
            let original = filled(n)
            let archive = ParameterArchive(records: original.records(prefix: "replay"))
            let rows = min(n, capacity)
            XCTAssertEqual(try archive.record(named: "replay.states").shape, [rows, S], "\(n) added")
            XCTAssertEqual(try archive.record(named: "replay.episodes").values.count, rows, "\(n) added")
            let loaded = ReplayBuffer(capacity: capacity, stateSize: S, actionSize: A)
            try loaded.load(from: archive, prefix: "replay", path: "test")
            XCTAssertEqual(contents(loaded), contents(original), "\(n) added")
        }
    }

    /// A checkpoint written before the prefix held every row of the capacity.
    func testACheckpointWithEveryRowStillLoads() throws {
        let original = filled(40)
        let records = original.records(prefix: "replay").map { r -> ParameterArchive.Record in
            guard r.name != "replay.cursor" else { return r }
            let width = r.shape.count == 2 ? r.shape[1] : 1
            let padded = r.values + [Float](repeating: 0, count: (capacity - 40) * width)
            return .init(name: r.name, shape: r.shape.count == 2 ? [capacity, width] : [capacity], values: padded)
        }
        let loaded = ReplayBuffer(capacity: capacity, stateSize: S, actionSize: A)
        try loaded.load(from: ParameterArchive(records: records), prefix: "replay", path: "test")
        XCTAssertEqual(contents(loaded), contents(original))
    }

    func testACursorThatCannotBelongToTheBufferIsRefusedAndChangesNothing() throws {
        let target = filled(30)
        let before = contents(target)
        func withCursor(_ cursor: [Int], rows: Int = 40) -> ParameterArchive {
            let records = filled(rows).records(prefix: "replay").map { r -> ParameterArchive.Record in
                r.name == "replay.cursor" ? .init(name: r.name, shape: [3], values: cursor.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }) : r
            }
            return ParameterArchive(records: records)
        }
        // A later record of the wrong width, after the ones before it were read.
        var wideTerminals = filled(40).records(prefix: "replay")
        let t = wideTerminals.firstIndex { $0.name == "replay.terminals" }!
        wideTerminals[t] = .init(name: "replay.terminals", shape: [40, 2], values: [Float](repeating: 1, count: 80))
        let cases: [(ParameterArchive, String)] = [
            (ParameterArchive(records: wideTerminals), "record 'replay.terminals' has shape [40, 2] but this network needs [40, 1]"),
            (withCursor([150, 50, 150]), "record 'replay.cursor' holds count 150, next 50, added 150: not a replay of 100 transitions"),
            (withCursor([40, 100, 40]), "record 'replay.cursor' holds count 40, next 100, added 40: not a replay of 100 transitions"),
            (withCursor([-1, 0, 0]), "record 'replay.cursor' holds count -1, next 0, added 0: not a replay of 100 transitions"),
            (withCursor([40, 7, 40]), "record 'replay.cursor' holds count 40, next 7, added 40: not a replay of 100 transitions"),
            (withCursor([20, 20, 20]), "record 'replay.episodes' holds 40 rows; the cursor's count is 20 and the capacity 100"),
        ]
        for (archive, message) in cases {
            XCTAssertThrowsError(try target.load(from: archive, prefix: "replay", path: "ckpt")) {
                XCTAssertEqual("\($0)", "ckpt: " + message)
            }
            XCTAssertEqual(contents(target), before, message)
        }
    }
}
