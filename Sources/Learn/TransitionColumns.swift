import Net

/// Transitions stored column-wise in preallocated buffers: s, a (as sampled, before
/// saturation), r, s', log π(a|s; θ_then) and a terminal flag (1: no bootstrapping past s').
/// The one layout of a transition in memory: `ReplayBuffer` and `Minibatch` are both these
/// columns, so a row moves between them with `copyRow`. States and actions are unpadded
/// (`stateSize` and `actionSize` floats per row). Real-time safe after `init`.
public class TransitionColumns {
    public final let capacity: Int, stateSize: Int, actionSize: Int
    public final let states: FloatBuffer, actions: FloatBuffer, nextStates: FloatBuffer
    public final let rewards: FloatBuffer, logProbabilities: FloatBuffer, terminals: FloatBuffer

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
    }

    @inline(__always) public final func state(_ i: Int) -> UnsafeMutablePointer<Float> { states.base + i * stateSize }
    @inline(__always) public final func nextState(_ i: Int) -> UnsafeMutablePointer<Float> { nextStates.base + i * stateSize }
    @inline(__always) public final func action(_ i: Int) -> UnsafeMutablePointer<Float> { actions.base + i * actionSize }

    /// Copies row `j` of `other` (same sizes) into row `i`.
    @inline(__always)
    public final func copyRow(_ i: Int, from other: TransitionColumns, row j: Int) {
        state(i).update(from: other.state(j), count: stateSize)
        nextState(i).update(from: other.nextState(j), count: stateSize)
        action(i).update(from: other.action(j), count: actionSize)
        rewards[i] = other.rewards[j]
        logProbabilities[i] = other.logProbabilities[j]
        terminals[i] = other.terminals[j]
    }

    /// Writes one transition into row `i`.
    @inline(__always)
    public final func setRow(_ i: Int, state s: UnsafeBufferPointer<Float>, action a: UnsafeBufferPointer<Float>, reward r: Float,
                             nextState s2: UnsafeBufferPointer<Float>, logProbability: Float, terminal: Bool) {
        for j in 0..<stateSize {
            states[i * stateSize + j] = s[j]
            nextStates[i * stateSize + j] = s2[j]
        }
        for j in 0..<actionSize { actions[i * actionSize + j] = a[j] }
        rewards[i] = r
        logProbabilities[i] = logProbability
        terminals[i] = terminal ? 1 : 0
    }
}
