/// Where one fully connected layer `y = W x + b` keeps its parameters inside a network's flat
/// parameter vector, and how it runs forward and backward on preallocated blocks.
///
/// Storage: the weights transposed, `Wᵀ[input][output]`, one row of `paddedOutputs` floats per
/// input (`paddedOutputs` = `outputs` rounded up to 8), then the bias row of `paddedOutputs`
/// floats. Padding lanes are zero and stay zero (their gradients are zero). Activations are
/// row-major, one row per sample, rows padded to a multiple of 8 floats.
public struct Dense: Sendable, Equatable {
    public let inputs: Int
    public let outputs: Int
    /// `outputs` rounded up to a multiple of 8: the row length of `Wᵀ`, of the bias and of outputs.
    public let paddedOutputs: Int
    /// Offset of `Wᵀ[0][0]` in the parameter vector.
    public let weightOffset: Int
    /// Offset of `b[0]` in the parameter vector.
    public let biasOffset: Int

    /// A layer whose parameters start at `offset`.
    public init(inputs: Int, outputs: Int, offset: Int) {
        precondition(inputs > 0 && outputs > 0, "Dense: sizes must be positive, got \(inputs)→\(outputs)")
        self.inputs = inputs
        self.outputs = outputs
        paddedOutputs = paddedToLanes(outputs)
        weightOffset = offset
        biasOffset = offset + inputs * paddedOutputs
    }

    /// Floats this layer occupies in the parameter vector, padding included.
    public var storedCount: Int { (inputs + 1) * paddedOutputs }
    /// Real parameters (weights and biases, no padding): `(inputs + 1) · outputs`.
    public var parameterCount: Int { (inputs + 1) * outputs }
    /// Multiply-adds of one forward pass for one sample.
    public var multiplyAdds: Int { inputs * outputs }

    /// Index of weight W[output][input] in the parameter vector.
    @inlinable public func weightIndex(output: Int, input: Int) -> Int {
        weightOffset + input * paddedOutputs + output
    }

    /// Index of bias b[output] in the parameter vector.
    @inlinable public func biasIndex(output: Int) -> Int { biasOffset + output }

    /// `y[s] = W x[s] + b` for `batch` samples. `x` rows are `inputStride` floats apart, `y` rows
    /// `paddedOutputs`. Real-time safe.
    public func forward(
        parameters: UnsafePointer<Float>, batch: Int,
        x: UnsafePointer<Float>, inputStride: Int, y: UnsafeMutablePointer<Float>
    ) {
        if batch == 1 {
            MatrixKernels.rowTimesMatrix(
                k: inputs, a: x, aStride: 1, b: parameters + weightOffset, ldb: paddedOutputs,
                n: paddedOutputs, c: y, initial: parameters + biasOffset)
        } else {
            MatrixKernels.multiply(
                m: batch, n: paddedOutputs, k: inputs,
                a: x, aRowStride: inputStride, aColumnStride: 1,
                b: parameters + weightOffset, ldb: paddedOutputs,
                c: y, ldc: paddedOutputs, initial: parameters + biasOffset, initialRowStride: 0)
        }
    }

    /// Parameter gradients from the output cotangents `dy` (rows `paddedOutputs` apart):
    /// `dWᵀ (+)= xᵀ · dy`, `db (+)= Σ_s dy[s]`. Real-time safe.
    public func accumulateParameterGradients(
        gradients: UnsafeMutablePointer<Float>, batch: Int,
        x: UnsafePointer<Float>, inputStride: Int, dy: UnsafePointer<Float>, accumulate: Bool
    ) {
        let dW = gradients + weightOffset
        MatrixKernels.multiply(
            m: inputs, n: paddedOutputs, k: batch,
            a: x, aRowStride: 1, aColumnStride: inputStride,
            b: dy, ldb: paddedOutputs,
            c: dW, ldc: paddedOutputs,
            initial: accumulate ? UnsafePointer(dW) : nil, initialRowStride: paddedOutputs)
        MatrixKernels.sumRows(
            m: batch, n: paddedOutputs, rows: dy, ld: paddedOutputs,
            into: gradients + biasOffset, accumulate: accumulate)
    }

    /// `inputs` rounded up to a multiple of 8: the row length of the untransposed copy of W.
    public var paddedInputs: Int { paddedToLanes(inputs) }
    /// Floats `inputGradient` needs in its `scratch`: W untransposed, `outputs` rows of `paddedInputs`.
    public var untransposedCount: Int { outputs * paddedInputs }

    /// Input cotangents `dx[s] = dy[s] · W` (the vector-Jacobian product with respect to the
    /// layer's input); `dx` rows are `inputStride` (≥ `paddedInputs`) floats apart, padding lanes
    /// set to zero. W is first copied untransposed into `scratch` (`untransposedCount` floats,
    /// 8×8 blocks), so the product runs in the broadcast kernel of the forward pass: on the
    /// 64-wide model layers at batch 64 that is ≈ 4× the dot-product kernel it replaces, on
    /// 256×256 at batch 256 1.4×, the copy included (docs/results/network-core.md). The copy is
    /// made on every call, so it can never be stale. Real-time safe.
    public func inputGradient(
        parameters: UnsafePointer<Float>, batch: Int,
        dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, inputStride: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        precondition(inputStride >= paddedInputs, "Dense.inputGradient: stride \(inputStride) below \(paddedInputs)")
        copyWeightsUntransposed(parameters: parameters, into: scratch)
        MatrixKernels.multiply(
            m: batch, n: paddedInputs, k: outputs,
            a: dy, aRowStride: paddedOutputs, aColumnStride: 1,
            b: scratch, ldb: paddedInputs,
            c: dx, ldc: inputStride, initial: nil, initialRowStride: 0)
    }

    /// `w[o * paddedInputs + i] = W[o][i]` for `o < outputs`, `i < inputs`, and zero in the padding
    /// columns `inputs..<paddedInputs`. Copies 8×8 blocks so that neither side strides through
    /// memory a row at a time. Real-time safe.
    public func copyWeightsUntransposed(parameters: UnsafePointer<Float>, into w: UnsafeMutablePointer<Float>) {
        let wt = parameters + weightOffset, ld = paddedInputs
        var i0 = 0
        while i0 < inputs {
            let i1 = min(i0 + 8, inputs)
            var o0 = 0
            while o0 < outputs {
                let o1 = min(o0 + 8, outputs)
                for i in i0..<i1 {
                    let from = wt + i * paddedOutputs
                    for o in o0..<o1 { w[o * ld + i] = from[o] }
                }
                o0 += 8
            }
            i0 += 8
        }
        if ld > inputs {
            for o in 0..<outputs {
                for i in inputs..<ld { w[o * ld + i] = 0 }
            }
        }
    }
}
