/// A multilayer perceptron with tanh hidden layers and a linear output layer, its sizes fixed
/// when it is made, e.g. `MLP(layerSizes: [8, 100, 100, 2], maxBatch: 64)` is the 2-hidden-layer
/// policy network 8→100→100→2.
///
/// Every buffer any operation needs (parameters, gradients, the activations and cotangents of
/// `maxBatch` samples) is allocated in `init`; `forward`, `backward` and the parameter copies
/// allocate nothing (proved by `AllocationTests`). Not thread-safe: one thread uses one network.
///
/// Use: write inputs through `input(sample:)`, call `forward(batch:)`, read `output(sample:)`.
/// For gradients, write dL/dy through `outputGradient(sample:)` (already divided by the batch
/// size if L is a mean) and call `backward(batch:parameterGradients:inputGradient:)` right after
/// the forward pass of the same batch; read `gradients` and `inputGradient(sample:)`.
public final class MLP {
    /// Widths from input to output, e.g. [8, 100, 100, 2].
    public let layerSizes: [Int]
    /// The largest batch `forward` and `backward` accept.
    public let maxBatch: Int
    /// One layout per layer, input side first.
    public let layers: [Dense]
    /// All weights and biases, in the `Dense` layout (padding lanes zero).
    public let parameters: FloatBuffer
    /// dL/dθ in the same layout, written by `backward`.
    public let gradients: FloatBuffer
    /// activations[0] holds the inputs; activations[l + 1] the outputs of layer l. Rows padded to 8.
    let activations: [FloatBuffer]
    /// cotangents[l] is dL/d(activations[l]), same shape.
    let cotangents: [FloatBuffer]
    /// Row stride of activations[l].
    let strides: [Int]
    /// Room for one layer's weights untransposed, for the input VJPs (`Dense.inputGradient`).
    let weightScratch: FloatBuffer

    /// What `backward` does with the parameter gradients.
    public enum GradientMode: Sendable {
        /// Leave `gradients` untouched (only the input VJP is wanted, e.g. V_s of a critic).
        case skip
        /// `gradients = dL/dθ`.
        case overwrite
        /// `gradients += dL/dθ`.
        case accumulate
    }

    /// A network with the given widths (at least input and output) and zero parameters; call
    /// `initializeParameters(using:)` or load parameters before use.
    public init(layerSizes: [Int], maxBatch: Int) {
        precondition(layerSizes.count >= 2, "MLP needs at least input and output sizes, got \(layerSizes)")
        precondition(layerSizes.allSatisfy { $0 > 0 }, "MLP sizes must be positive, got \(layerSizes)")
        precondition(maxBatch > 0, "MLP maxBatch must be positive, got \(maxBatch)")
        self.layerSizes = layerSizes
        self.maxBatch = maxBatch
        var layers: [Dense] = []
        var offset = 0
        for l in 0..<(layerSizes.count - 1) {
            let layer = Dense(inputs: layerSizes[l], outputs: layerSizes[l + 1], offset: offset)
            layers.append(layer)
            offset += layer.storedCount
        }
        self.layers = layers
        parameters = FloatBuffer(count: offset)
        gradients = FloatBuffer(count: offset)
        strides = layerSizes.map(paddedToLanes)
        activations = strides.map { FloatBuffer(count: $0 * maxBatch) }
        cotangents = strides.map { FloatBuffer(count: $0 * maxBatch) }
        weightScratch = FloatBuffer(count: layers.map { $0.untransposedCount }.max() ?? 0)
    }

    /// A network of the same sizes and batch capacity, parameters copied.
    public convenience init(copying other: MLP) {
        self.init(layerSizes: other.layerSizes, maxBatch: other.maxBatch)
        copyParameters(from: other)
    }

    public var inputSize: Int { layerSizes[0] }
    public var outputSize: Int { layerSizes[layerSizes.count - 1] }
    /// Real parameters (no padding).
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    /// Multiply-adds of one forward pass for one sample.
    public var multiplyAddsPerSample: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }

    /// PyTorch's `nn.Linear` default: weights and biases uniform in ±1/√inputs.
    public func initializeParameters(using generator: inout Xoshiro256StarStar) {
        parameters.zero()
        for layer in layers {
            let bound = 1 / Float(layer.inputs).squareRoot()
            for i in 0..<layer.inputs {
                for o in 0..<layer.outputs {
                    parameters[layer.weightIndex(output: o, input: i)] = generator.nextUniform(-bound, bound)
                }
            }
            for o in 0..<layer.outputs {
                parameters[layer.biasIndex(output: o)] = generator.nextUniform(-bound, bound)
            }
        }
    }

    // MARK: Sample access (views into the preallocated blocks; real-time safe)

    /// Where to write sample `sample`'s input (`inputSize` floats).
    @inlinable public func input(sample: Int) -> UnsafeMutableBufferPointer<Float> {
        row(activationsBase(0), sample: sample, stride: rowStride(0), count: inputSize)
    }

    /// Sample `sample`'s output after `forward` (`outputSize` floats).
    @inlinable public func output(sample: Int) -> UnsafeMutableBufferPointer<Float> {
        let last = layerSizes.count - 1
        return row(activationsBase(last), sample: sample, stride: rowStride(last), count: outputSize)
    }

    /// Where to write dL/dy for sample `sample` before `backward` (`outputSize` floats).
    @inlinable public func outputGradient(sample: Int) -> UnsafeMutableBufferPointer<Float> {
        let last = layerSizes.count - 1
        return row(cotangentsBase(last), sample: sample, stride: rowStride(last), count: outputSize)
    }

    /// dL/dx for sample `sample` after `backward(…, inputGradient: true)` (`inputSize` floats).
    @inlinable public func inputGradient(sample: Int) -> UnsafeMutableBufferPointer<Float> {
        row(cotangentsBase(0), sample: sample, stride: rowStride(0), count: inputSize)
    }

    @usableFromInline func activationsBase(_ l: Int) -> UnsafeMutablePointer<Float> { activations[l].base }
    @usableFromInline func cotangentsBase(_ l: Int) -> UnsafeMutablePointer<Float> { cotangents[l].base }
    @usableFromInline func rowStride(_ l: Int) -> Int { strides[l] }

    @inlinable func row(_ base: UnsafeMutablePointer<Float>, sample: Int, stride: Int, count: Int)
        -> UnsafeMutableBufferPointer<Float>
    {
        precondition(sample >= 0 && sample < maxBatch, "MLP: sample \(sample) outside 0..<\(maxBatch)")
        return UnsafeMutableBufferPointer(start: base + sample * stride, count: count)
    }

    // MARK: Forward and backward

    /// When set, `forward` reads the parameters from this block (same layout and count as
    /// `parameters`) instead of its own: the control thread runs the policy straight from the
    /// hand-off block it holds, without copying 40 KB per new version. The caller keeps the
    /// block valid and unchanged while it is set.
    public var parameterOverride: UnsafePointer<Float>?

    /// Runs samples `first ..< first + batch` (the first `batch` by default) through the network,
    /// leaving every other row's activations as they were (so several batches can be kept for
    /// one backward pass each). Real-time safe.
    public func forward(batch: Int, from first: Int = 0) {
        precondition(batch > 0 && first >= 0 && first + batch <= maxBatch,
                     "MLP.forward: rows \(first)..<\(first + batch) outside 0..<\(maxBatch)")
        let p = parameterOverride ?? UnsafePointer(parameters.base)
        let hiddenLayers = layers.count - 1
        for l in 0..<layers.count {
            let y = activations[l + 1].base + first * strides[l + 1]
            layers[l].forward(parameters: p, batch: batch, x: activations[l].base + first * strides[l], inputStride: strides[l], y: y)
            if l < hiddenLayers { Tanh.apply(y, count: batch * strides[l + 1]) }
        }
    }

    /// Back-propagates the output cotangents of the first `batch` samples (written through
    /// `outputGradient(sample:)`) through the last `forward(batch:)`. Computes the parameter
    /// gradients as `mode` says and, if `inputGradient`, the VJP with respect to the inputs.
    /// Real-time safe.
    /// With `first`, samples `first ..< first + batch`, through their activations of the last
    /// `forward` that covered them, their output cotangents written at the same rows.
    public func backward(batch: Int, from first: Int = 0, parameterGradients mode: GradientMode, inputGradient: Bool) {
        precondition(batch > 0 && first >= 0 && first + batch <= maxBatch,
                     "MLP.backward: rows \(first)..<\(first + batch) outside 0..<\(maxBatch)")
        let p = UnsafePointer(parameters.base)
        let g = gradients.base
        var l = layers.count - 1
        while l >= 0 {
            let layer = layers[l]
            let dy = cotangents[l + 1].base + first * strides[l + 1]
            let x = activations[l].base + first * strides[l]
            if l < layers.count - 1 {
                // Through tanh: dL/dz = dL/dy ⊙ (1 − y²).
                Tanh.multiplyByDerivative(dy, outputs: activations[l + 1].base + first * strides[l + 1], count: batch * strides[l + 1])
            }
            if mode != .skip {
                layer.accumulateParameterGradients(
                    gradients: g, batch: batch, x: x, inputStride: strides[l],
                    dy: dy, accumulate: mode == .accumulate)
            }
            if l > 0 || inputGradient {
                layer.inputGradient(
                    parameters: p, batch: batch, dy: dy, dx: cotangents[l].base + first * strides[l], inputStride: strides[l],
                    scratch: weightScratch.base)
            }
            l -= 1
        }
    }

    // MARK: Parameters

    /// Copies the parameters of a network of the same sizes (target networks, policy hand-off).
    /// Real-time safe.
    public func copyParameters(from other: MLP) {
        precondition(other.layerSizes == layerSizes, "MLP.copyParameters: \(other.layerSizes) into \(layerSizes)")
        parameters.copy(from: other.parameters)
    }

    /// Polyak averaging θ ← (1 − τ) θ + τ θ_other, for soft target networks. Real-time safe.
    public func blendParameters(from other: MLP, fraction tau: Float) {
        precondition(other.layerSizes == layerSizes, "MLP.blendParameters: \(other.layerSizes) into \(layerSizes)")
        let a = parameters.base, b = UnsafePointer(other.parameters.base)
        let keep = Float8(repeating: 1 - tau), take = Float8(repeating: tau)
        var i = 0
        while i < parameters.count {
            store8(keep * load8(a + i) + take * load8(b + i), a + i)
            i += 8
        }
    }
}
