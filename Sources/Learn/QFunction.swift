import Net

/// The action-value critic Q̂(s, a; ν) of SVG(0) (Algorithm 3; docs/algorithms.md eq. 15): a tanh MLP on (s, a)
/// with a target network, output scaled like `ValueFunction`'s. Real-time safe after `init`.
public final class QFunction: FittedCritic {
    public let network: MLP, target: MLP
    public let optimizer: Adam
    public let stateSize: Int, actionSize: Int
    public var outputScale: Float = 1
    public var targetCopyInterval: Int
    public var polyak: Float?
    public internal(set) var steps = 0
    /// y of `fitStep(_:nextActions:gamma:clipNorm:)`, one per sample.
    let targetValues: FloatBuffer

    public init(stateSize: Int, actionSize: Int, hidden: [Int], maxBatch: Int, learningRate: Float,
                targetCopyInterval: Int, generator: inout Xoshiro256StarStar) {
        self.stateSize = stateSize
        self.actionSize = actionSize
        network = MLP(layerSizes: [stateSize + actionSize] + hidden + [1], maxBatch: maxBatch)
        network.initializeParameters(using: &generator)
        target = MLP(copying: network)
        targetValues = FloatBuffer(count: maxBatch)
        optimizer = Adam(for: network, learningRate: learningRate)
        self.targetCopyInterval = targetCopyInterval
    }

    @inline(__always)
    func setInput(_ net: MLP, sample b: Int, state s: UnsafePointer<Float>, action a: UnsafePointer<Float>) {
        let row = net.input(sample: b)
        for i in 0..<stateSize { row[i] = s[i] }
        for i in 0..<actionSize { row[stateSize + i] = a[i] }
    }


    /// One fitted step: y = r + γ Q̂(s', a'; ν⁻) with a' = `nextActions` rows (fresh draws of the
    /// current policy at s'), loss (w/2)(y − Q̂(s, a))². Returns the mean loss (scaled units).
    @discardableResult
    public func fitStep(_ batch: Minibatch, nextActions: UnsafePointer<Float>, gamma: Float, clipNorm: Float) -> Float {
        let n = batch.count
        for b in 0..<n { setInput(target, sample: b, state: batch.nextState(b), action: nextActions + b * actionSize) }
        target.forward(batch: n)
        for b in 0..<n {
            targetValues[b] = batch.rewards[b] + (batch.terminals[b] != 0 ? 0 : gamma * outputScale * target.output(sample: b)[0])
        }
        return fitStep(batch, targets: targetValues.base, clipNorm: clipNorm)
    }

    /// One step towards given targets y (row b: `targets[b]`, in return units), loss
    /// (w/2)(y − Q̂(s, a))² with the batch's weights; soft or copied target update after it.
    /// Returns the mean loss (scaled units).
    @discardableResult
    public func fitStep(_ batch: Minibatch, targets: UnsafePointer<Float>, clipNorm: Float) -> Float {
        let n = batch.count
        for b in 0..<n { setInput(network, sample: b, state: batch.state(b), action: batch.action(b)) }
        network.forward(batch: n)
        var loss: Float = 0
        let scale = 1 / Float(n)
        for b in 0..<n {
            let error = (outputScale * network.output(sample: b)[0] - targets[b]) / outputScale
            loss += 0.5 * batch.weights[b] * error * error * scale
            network.outputGradient(sample: b)[0] = batch.weights[b] * error * scale
        }
        network.backward(batch: n, parameterGradients: .overwrite, inputGradient: false)
        optimizer.clipAndStep(parameters: network.parameters, gradients: network.gradients, maxNorm: clipNorm)
        steps += 1
        updateTarget(target, from: network, step: steps, polyak: polyak, copyInterval: targetCopyInterval)
        return loss
    }

    /// Q̂_a at the batch's states and `actions` rows (the batch's own actions when nil) into
    /// `gradients` (rows of `actionSize`).
    public func actionGradient(_ batch: Minibatch, actions: UnsafePointer<Float>? = nil, into gradients: UnsafeMutablePointer<Float>) {
        let n = batch.count
        for b in 0..<n {
            setInput(network, sample: b, state: batch.state(b), action: actions.map { $0 + b * actionSize } ?? UnsafePointer(batch.action(b)))
            network.outputGradient(sample: b)[0] = outputScale
        }
        network.forward(batch: n)
        network.backward(batch: n, parameterGradients: .skip, inputGradient: true)
        for b in 0..<n {
            let g = network.inputGradient(sample: b)
            for i in 0..<actionSize { gradients[b * actionSize + i] = g[stateSize + i] }
        }
    }
}
