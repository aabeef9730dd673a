import Net

/// A minibatch gathered from the replay into preallocated rows (states and actions unpadded,
/// `stateSize` and `actionSize` floats per row). Real-time safe after `init`.
public final class Minibatch {
    public let capacity: Int, stateSize: Int, actionSize: Int
    public let states: FloatBuffer, actions: FloatBuffer, nextStates: FloatBuffer
    public let rewards: FloatBuffer, logProbabilities: FloatBuffer, terminals: FloatBuffer
    /// Importance weights, filled by the update that uses them.
    public let weights: FloatBuffer
    public private(set) var count = 0

    public init(capacity: Int, stateSize: Int, actionSize: Int) {
        self.capacity = capacity
        self.stateSize = stateSize
        self.actionSize = actionSize
        states = FloatBuffer(count: capacity * stateSize)
        actions = FloatBuffer(count: capacity * actionSize)
        nextStates = FloatBuffer(count: capacity * stateSize)
        rewards = FloatBuffer(count: capacity)
        logProbabilities = FloatBuffer(count: capacity)
        terminals = FloatBuffer(count: capacity)
        weights = FloatBuffer(count: capacity)
    }

    @inline(__always) public func state(_ b: Int) -> UnsafeMutablePointer<Float> { states.base + b * stateSize }
    @inline(__always) public func nextState(_ b: Int) -> UnsafeMutablePointer<Float> { nextStates.base + b * stateSize }
    @inline(__always) public func action(_ b: Int) -> UnsafeMutablePointer<Float> { actions.base + b * actionSize }

    /// Copies replay transition `index` into row `b`.
    public func set(_ b: Int, from replay: ReplayBuffer, index i: Int) {
        state(b).update(from: replay.state(i), count: stateSize)
        nextState(b).update(from: replay.nextState(i), count: stateSize)
        action(b).update(from: replay.action(i), count: actionSize)
        rewards[b] = replay.rewards[i]
        logProbabilities[b] = replay.logProbabilities[i]
        terminals[b] = replay.terminals[i]
    }

    /// Fills `size` rows with uniformly drawn replay transitions.
    public func sample(_ size: Int, from replay: ReplayBuffer, generator: inout Xoshiro256StarStar) {
        precondition(size <= capacity && replay.count > 0)
        for b in 0..<size { set(b, from: replay, index: replay.sampleIndex(&generator)) }
        count = size
    }

    /// Fills rows from a contiguous run of replay indices (an episode segment).
    public func take(_ indices: Range<Int>, from replay: ReplayBuffer) {
        precondition(indices.count <= capacity)
        for (b, i) in indices.enumerated() { set(b, from: replay, index: i % replay.capacity) }
        count = indices.count
    }
}
