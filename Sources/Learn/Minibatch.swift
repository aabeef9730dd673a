import Net

/// A minibatch gathered from the replay into preallocated `TransitionColumns` rows, with the
/// importance weight of each row. Real-time safe after `init`.
public final class Minibatch: TransitionColumns {
    /// Importance weights, filled by the update that uses them.
    public let weights: FloatBuffer
    public private(set) var count = 0

    public override init(capacity: Int, stateSize: Int, actionSize: Int) {
        weights = FloatBuffer(count: capacity)
        super.init(capacity: capacity, stateSize: stateSize, actionSize: actionSize)
    }

    /// Fills `size` rows with uniformly drawn replay transitions.
    public func sample(_ size: Int, from replay: ReplayBuffer, generator: inout Xoshiro256StarStar) {
        precondition(size <= capacity && replay.count > 0)
        for b in 0..<size { copyRow(b, from: replay, row: replay.sampleIndex(&generator)) }
        count = size
    }

    /// Fills rows from a contiguous run of replay indices (an episode segment).
    public func take(_ indices: Range<Int>, from replay: ReplayBuffer) {
        precondition(indices.count <= capacity)
        for (b, i) in indices.enumerated() { copyRow(b, from: replay, row: i % replay.capacity) }
        count = indices.count
    }
}
