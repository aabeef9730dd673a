import Net
#if canImport(Glibc)
import Glibc
#endif

/// The learned dynamics (docs/algorithms.md eqs. 3–4): s' = s + μ̂(s, a) + σ̂ ⊙ ξ, one tanh sub-network per state
/// dimension (each sees the whole (s, a) and predicts μ̂_i) and a learned constant log σ̂_i per
/// dimension, trained by Gaussian negative log-likelihood on replayed transitions.
/// Jacobians: f̂_s = I + μ̂_s, f̂_a = μ̂_a (ξ does not enter them).
///
/// Real-time safe after `init`: every method allocates nothing.
public final class DynamicsModel {
    public let stateSize: Int, actionSize: Int
    /// networks[i] predicts the change of state dimension i.
    public let networks: [MLP]
    public let optimizers: [Adam]
    public let logStd: FloatBuffer, logStdGradient: FloatBuffer
    public let logStdOptimizer: Adam
    /// Input cotangents summed over the sub-networks: row b holds (v μ̂_s, v μ̂_a) of sample b.
    public let inputGradient: FloatBuffer
    public let inputStride: Int
    /// Observed changes of `fitStep`'s batch.
    let deltas: FloatBuffer

    /// Actuator limits: the model sees the saturated action, as the plant does (nil: none).
    public let actionLow: [Float]?, actionHigh: [Float]?

    public init(stateSize: Int, actionSize: Int, hidden: [Int], maxBatch: Int, learningRate: Float,
                actionLow: [Float]? = nil, actionHigh: [Float]? = nil, generator: inout Xoshiro256StarStar) {
        self.actionLow = actionLow
        self.actionHigh = actionHigh
        self.stateSize = stateSize
        self.actionSize = actionSize
        networks = (0..<stateSize).map { _ in
            let net = MLP(layerSizes: [stateSize + actionSize] + hidden + [1], maxBatch: maxBatch)
            net.initializeParameters(using: &generator)
            return net
        }
        optimizers = networks.map { Adam(for: $0, learningRate: learningRate) }
        logStd = FloatBuffer(count: stateSize)
        logStdGradient = FloatBuffer(count: stateSize)
        for i in 0..<stateSize { logStd[i] = logf(0.1) }
        logStdOptimizer = Adam(count: stateSize, learningRate: learningRate)
        inputStride = paddedToLanes(stateSize + actionSize)
        inputGradient = FloatBuffer(count: inputStride * maxBatch)
        deltas = FloatBuffer(count: maxBatch * stateSize)
    }

    @inline(__always) public func std(_ i: Int) -> Float { expf(logStd[i]) }

    /// The action as the plant applies it.
    @inline(__always) public func saturate(_ a: Float, dimension i: Int) -> Float {
        guard let low = actionLow, let high = actionHigh else { return a }
        return min(max(a, low[i]), high[i])
    }

    /// d saturate(a)/da: 1 inside the limits, 0 outside.
    @inline(__always) public func saturationSlope(_ a: Float, dimension i: Int) -> Float {
        guard let low = actionLow, let high = actionHigh else { return 1 }
        return a > low[i] && a < high[i] ? 1 : 0
    }

    /// Writes (s, a) as sample `b`'s input of every sub-network.
    @inline(__always)
    public func setInput(sample b: Int, state s: UnsafePointer<Float>, action a: UnsafePointer<Float>) {
        for net in networks {
            let row = net.input(sample: b)
            for i in 0..<stateSize { row[i] = s[i] }
            for i in 0..<actionSize { row[stateSize + i] = saturate(a[i], dimension: i) }
        }
    }

    /// μ̂ for the first `batch` samples; read with `predictedChange(sample:dimension:)`.
    /// With `first`, samples `first ..< first + batch` only; the other rows keep their activations.
    public func forward(batch: Int, from first: Int = 0) {
        for net in networks { net.forward(batch: batch, from: first) }
    }

    @inline(__always) public func predictedChange(sample b: Int, dimension i: Int) -> Float {
        networks[i].output(sample: b)[0]
    }

    /// One NLL step towards the observed changes `delta` (row b: s'_b − s_b, `stateSize` floats
    /// at `delta + b * deltaStride`) after `setInput` of the same batch. Returns the mean NLL
    /// per dimension (without the constant ½ log 2π).
    @discardableResult
    public func trainStep(batch: Int, delta: UnsafePointer<Float>, deltaStride: Int, clipNorm: Float) -> Float {
        forward(batch: batch)
        var loss: Float = 0
        let scale = 1 / Float(batch)
        for i in 0..<stateSize {
            let net = networks[i]
            let sigma = std(i)
            var dLogStd: Float = 0
            for b in 0..<batch {
                let z = (delta[b * deltaStride + i] - net.output(sample: b)[0]) / sigma
                loss += (0.5 * z * z + logStd[i]) * scale
                // ∂NLL/∂μ̂ = −z/σ; ∂NLL/∂log σ = 1 − z².
                net.outputGradient(sample: b)[0] = -z / sigma * scale
                dLogStd += (1 - z * z) * scale
            }
            logStdGradient[i] = dLogStd
            net.backward(batch: batch, parameterGradients: .overwrite, inputGradient: false)
            optimizers[i].clipAndStep(parameters: net.parameters, gradients: net.gradients, maxNorm: clipNorm)
        }
        logStdOptimizer.step(parameters: logStd, gradients: logStdGradient)
        for i in 0..<stateSize { logStd[i] = min(max(logStd[i], -7), 2) }
        return loss / Float(stateSize)
    }

    /// One NLL step (eq. 4) on the transitions of `batch`, towards their observed changes
    /// s' − s. Returns the mean NLL per dimension. Real-time safe.
    @discardableResult
    public func fitStep(_ batch: Minibatch, clipNorm: Float) -> Float {
        let n = batch.count, S = stateSize
        for b in 0..<n {
            setInput(sample: b, state: batch.state(b), action: batch.action(b))
            for i in 0..<S { deltas[b * S + i] = batch.nextState(b)[i] - batch.state(b)[i] }
        }
        return trainStep(batch: n, delta: deltas.base, deltaStride: S, clipNorm: clipNorm)
    }

    /// `steps` NLL steps (eq. 4), each on a fresh minibatch of `batch.capacity` replay
    /// transitions drawn with `generator`. Returns the last step's loss (nil when `steps` is 0).
    public func fit(steps: Int, from replay: ReplayBuffer, batch: Minibatch, generator: inout Xoshiro256StarStar,
                    clipNorm: Float) -> Float? {
        var loss: Float?
        for _ in 0..<steps {
            batch.sample(batch.capacity, from: replay, generator: &generator)
            loss = fitStep(batch, clipNorm: clipNorm)
        }
        return loss
    }

    /// The VJP v · (μ̂_s, μ̂_a) for the first `batch` samples of the last `forward`, with the
    /// cotangent of sample b's predicted change at `cotangent + b * cotangentStride`.
    /// Result in `inputGradient` rows (stride `inputStride`). No parameter gradients.
    /// With `first`, samples `first ..< first + batch` of the last `forward` that covered them:
    /// the cotangent of sample `first + b` at `cotangent + b * cotangentStride`, its result in
    /// `inputGradient` row b.
    public func vectorJacobianProduct(batch: Int, from first: Int = 0, cotangent: UnsafePointer<Float>, cotangentStride: Int) {
        inputGradient.zero()
        for i in 0..<stateSize {
            let net = networks[i]
            for b in 0..<batch { net.outputGradient(sample: first + b)[0] = cotangent[b * cotangentStride + i] }
            net.backward(batch: batch, from: first, parameterGradients: .skip, inputGradient: true)
            for b in 0..<batch {
                let g = net.inputGradient(sample: first + b)
                let row = inputGradient.base + b * inputStride
                for j in 0..<(stateSize + actionSize) { row[j] += g[j] }
            }
        }
    }

    /// The sub-networks, log σ̂ and every optimiser's state as archive records (checkpoints).
    public func records(prefix: String) -> [ParameterArchive.Record] {
        var records: [ParameterArchive.Record] = []
        for (i, net) in networks.enumerated() {
            records.append(net.parameterRecord(named: "\(prefix).dimension\(i)"))
            records += optimizers[i].records(prefix: "\(prefix).dimension\(i).adam")
        }
        records.append(.init(name: prefix + ".logStd", shape: [stateSize], values: (0..<stateSize).map { logStd[$0] }))
        return records + logStdOptimizer.records(prefix: prefix + ".logStd.adam")
    }

    /// Restores `records(prefix:)` of a model of the same sizes.
    public func load(from archive: ParameterArchive, prefix: String, path: String) throws(ParameterArchiveError) {
        for (i, net) in networks.enumerated() {
            try net.load("\(prefix).dimension\(i)", from: archive, path: path)
            try optimizers[i].load(from: archive, prefix: "\(prefix).dimension\(i).adam", path: path)
        }
        try logStd.load(prefix + ".logStd", from: archive, path: path)
        try logStdOptimizer.load(from: archive, prefix: prefix + ".logStd.adam", path: path)
    }
}
