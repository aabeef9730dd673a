/// Adam (Kingma & Ba, 2015) on one flat parameter vector, with PyTorch's update form:
///
///     m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
///     θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
///
/// The moments are allocated once, the size of the parameter vector; `step` descends (negate the
/// gradient for ascent). Real-time safe: `step` allocates nothing and takes no lock.
public final class Adam {
    /// Step size (default 1e-3, the paper's and PyTorch's).
    public var learningRate: Float
    /// Decay of the first moment (default 0.9).
    public let beta1: Float
    /// Decay of the second moment (default 0.999).
    public let beta2: Float
    /// Added to √v̂ (default 1e-8).
    public let epsilon: Float
    /// Steps taken so far (t in the bias corrections).
    public private(set) var stepCount: Int = 0
    /// Steps of `clipAndStep` whose gradient norm exceeded its bound or was not finite (and so
    /// was scaled down or zeroed), counted since this optimiser was made: how often V_max binds.
    /// Not checkpointed (a resumed optimiser counts from 0 again).
    public private(set) var clippedStepCount: Int = 0
    /// First and second moment estimates, same layout as the parameters.
    public let firstMoment: FloatBuffer
    public let secondMoment: FloatBuffer

    /// An optimiser for a parameter vector of `count` floats.
    public init(count: Int, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = FloatBuffer(count: count)
        secondMoment = FloatBuffer(count: count)
    }

    /// An optimiser for `network`'s parameters.
    public convenience init(for network: MLP, learningRate: Float = 1e-3) {
        self.init(count: network.parameters.count, learningRate: learningRate)
    }

    /// One step of `parameters` along `gradients` (both `firstMoment.count` floats).
    public func step(parameters: FloatBuffer, gradients: FloatBuffer) {
        precondition(parameters.count == firstMoment.count && gradients.count == firstMoment.count,
                     "Adam.step: buffers of \(parameters.count)/\(gradients.count) floats, moments of \(firstMoment.count)")
        stepCount += 1
        // Bias corrections in Double: β^t underflows gracefully and stays accurate for large t.
        let correction1 = Float(1 - pow(Double(beta1), stepCount))
        let correction2 = Float(1 - pow(Double(beta2), stepCount))
        let b1 = Float8(repeating: beta1), c1 = Float8(repeating: 1 - beta1)
        let b2 = Float8(repeating: beta2), c2 = Float8(repeating: 1 - beta2)
        let inverseCorrection1 = Float8(repeating: 1 / correction1)
        let inverseCorrection2 = Float8(repeating: 1 / correction2)
        let lr = Float8(repeating: learningRate), eps = Float8(repeating: epsilon)
        let p = parameters.base, g = gradients.base, m = firstMoment.base, v = secondMoment.base
        var i = 0
        while i < firstMoment.count {
            let gi = load8(g + i)
            let mi = b1 * load8(m + i) + c1 * gi
            let vi = b2 * load8(v + i) + c2 * (gi * gi)
            store8(mi, m + i)
            store8(vi, v + i)
            let mHat = mi * inverseCorrection1
            let vHat = vi * inverseCorrection2
            store8(load8(p + i) - lr * mHat / (vHat.squareRoot() + eps), p + i)
            i += 8
        }
    }

    /// Clips `gradients` to the Euclidean norm `maxNorm` (`GradientClipping.clip`), counts the
    /// step in `clippedStepCount` when the clip bound, then takes one step: the clip-then-step of
    /// every network update. Real-time safe.
    @inline(__always)
    public func clipAndStep(parameters: FloatBuffer, gradients: FloatBuffer, maxNorm: Float) {
        let norm = GradientClipping.clip(gradients, maxNorm: maxNorm)
        if !(norm <= maxNorm) { clippedStepCount &+= 1 }
        step(parameters: parameters, gradients: gradients)
    }

    /// Forgets the moments, the step count and the clip count.
    public func reset() {
        firstMoment.zero()
        secondMoment.zero()
        stepCount = 0
        clippedStepCount = 0
    }

    /// Moments and step count as archive records (checkpoints).
    public func records(prefix: String) -> [ParameterArchive.Record] {
        [.init(name: prefix + ".m", shape: [firstMoment.count], values: Array(UnsafeBufferPointer(start: firstMoment.base, count: firstMoment.count))),
         .init(name: prefix + ".v", shape: [secondMoment.count], values: Array(UnsafeBufferPointer(start: secondMoment.base, count: secondMoment.count))),
         .init(name: prefix + ".t", shape: [2], values: [Float(bitPattern: UInt32(truncatingIfNeeded: stepCount)),
                                                          Float(bitPattern: UInt32(truncatingIfNeeded: stepCount >> 32))])]
    }

    /// Restores what `records(prefix:)` saved.
    public func load(from archive: ParameterArchive, prefix: String, path: String) throws(ParameterArchiveError) {
        for (name, buffer) in [("m", firstMoment), ("v", secondMoment)] {
            let r = try archive.record(named: "\(prefix).\(name)", in: path)
            guard r.values.count == buffer.count else {
                throw .valueCountMismatch(path: path, record: r.name, expected: buffer.count, found: r.values.count)
            }
            for (i, v) in r.values.enumerated() { buffer[i] = v }
        }
        let t = try archive.record(named: prefix + ".t", in: path).values.map { Int($0.bitPattern) }
        guard t.count == 2 else { throw .valueCountMismatch(path: path, record: prefix + ".t", expected: 2, found: t.count) }
        stepCount = t[0] | (t[1] << 32)
    }
}

/// x^n for n ≥ 0 by repeated squaring: exact operations, no libm.
@usableFromInline func pow(_ x: Double, _ n: Int) -> Double {
    var result = 1.0, base = x, e = n
    while e > 0 {
        if e & 1 == 1 { result *= base }
        base *= base
        e >>= 1
    }
    return result
}
