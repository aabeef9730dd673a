import Checksum
import Net
#if canImport(Glibc)
import Glibc
#elseif canImport(CrossArchLibm)
import CrossArchLibm  // expf and logf for scripts/aarch64-check's bare Embedded Swift build
#endif

/// The re-parameterised Gaussian policy (docs/algorithms.md eqs. 1–2): a = μ_θ(s) + σ ⊙ η, η ~ N(0, I), with log σ
/// a learned per-dimension parameter (state-independent, as in the paper) or, as an option, a
/// function of the state. π_s = μ_s (+ σ_s η), π_θ = μ_θ, and ∂a_i/∂log σ_i = σ_i η_i.
///
/// With actuator limits the mean is squashed into them: μ = c + h ⊙ tanh(z_θ(s)), c and h the
/// centre and half-range of the box, z a tanh MLP. Without the squash the mean of an unbounded
/// MLP drifted past the limits, where the saturating plant gives no gradient back, and the
/// deterministic pendulum policy ended at full torque (measured: 2 of 5 seeds). Actions are
/// still μ + σ η and may leave the box; the plant saturates them.
///
/// State-dependent σ (`stateDependentStd`): the network gets a second head of A outputs ℓ(s)
/// and log σ_i(s) = clamp(logStd_i + ℓ_i(s), minLogStd, maxLogStd); `logStd` stays as a learned
/// per-dimension offset. The clamp passes no gradient where it is active.
///
/// Squashed samples (`squashesSamples`, SAC's policy and SAC-SVG(H)'s): a = c + h ⊙ tanh(u) with
/// u = z_θ(s) + σ ⊙ η, so every action is inside the box; the mean row holds z (unsquashed) and
/// the deterministic action is c + h tanh(z). log π(a|s) = Σ_i log N(u_i; z_i, σ_i²)
/// − log(h_i (1 − tanh² u_i)).
///
/// Per-sample σ: after `forwardMean(batch:)`, `sampleLogStd(b, i)` and `sampleStd(b, i)` hold
/// log σ_i(s_b) and σ_i(s_b) for either kind; gradients with respect to log σ_i(s_b) go through
/// `addLogStdGradient(sample:dimension:_:)`.
///
/// Real-time safe after `init`: acting, log-densities, noise inference and the gradient steps
/// allocate nothing.
public final class GaussianPolicy {
    /// The network: observation → z (the pre-squash mean, outputs 0..<A), then ℓ (the σ head,
    /// outputs A..<2A) when `stateDependentStd`.
    public let mean: MLP
    /// log σ per action dimension (the offset of the σ head when state-dependent), and its gradient.
    public let logStd: FloatBuffer
    public let logStdGradient: FloatBuffer
    public let meanOptimizer: Adam
    public let logStdOptimizer: Adam
    /// log σ is kept in [minLogStd, maxLogStd] (σ from e⁻⁵ ≈ 0.0067 to e¹ of the action unit).
    public var minLogStd: Float = -5, maxLogStd: Float = 1
    /// Centre and half-range of the squash (nil: μ = z, unbounded).
    public let actionCenter: [Float]?, actionHalfRange: [Float]?
    /// σ depends on the state (a second network head) rather than per dimension only.
    public let stateDependentStd: Bool
    /// Samples are squashed into the box (a = c + h tanh u), not the mean (see above).
    public let squashesSamples: Bool
    /// μ and dμ/dz of the last `forwardMean`, rows of `actionSize`.
    public let means: FloatBuffer, meanSlopes: FloatBuffer
    /// log σ(s) of the last `forwardMean`, rows of `actionSize`, and d log σ/dℓ (1, or 0 where clamped).
    public let logStds: FloatBuffer, logStdSlopes: FloatBuffer

    public var observationSize: Int { mean.inputSize }
    public let actionSize: Int

    /// A policy with hidden layers `hidden`, initial σ `initialStd`, Adam step `learningRate`.
    public init(observationSize: Int, actionSize: Int, hidden: [Int], maxBatch: Int, initialStd: Float,
                learningRate: Float, actionLow: [Float]? = nil, actionHigh: [Float]? = nil,
                stateDependentStd: Bool = false, squashSamples: Bool = false, generator: inout Xoshiro256StarStar) {
        precondition(!squashSamples || (actionLow != nil && actionHigh != nil), "squashed samples need actuator limits")
        if let actionLow, let actionHigh {
            actionCenter = zip(actionLow, actionHigh).map { ($0 + $1) / 2 }
            actionHalfRange = zip(actionLow, actionHigh).map { ($1 - $0) / 2 }
        } else {
            actionCenter = nil
            actionHalfRange = nil
        }
        self.actionSize = actionSize
        self.stateDependentStd = stateDependentStd
        squashesSamples = squashSamples
        means = FloatBuffer(count: maxBatch * actionSize)
        meanSlopes = FloatBuffer(count: maxBatch * actionSize)
        logStds = FloatBuffer(count: maxBatch * actionSize)
        logStdSlopes = FloatBuffer(count: maxBatch * actionSize)
        let outputs = stateDependentStd ? 2 * actionSize : actionSize
        mean = MLP(layerSizes: [observationSize] + hidden + [outputs], maxBatch: maxBatch)
        mean.initializeParameters(using: &generator)
        // Start near a zero mean and ℓ (small last layer), so early actions are the noise's.
        let last = mean.layers.last!
        for i in 0..<last.inputs {
            for o in 0..<last.outputs { mean.parameters[last.weightIndex(output: o, input: i)] *= 0.1 }
        }
        for o in 0..<last.outputs { mean.parameters[last.biasIndex(output: o)] = 0 }
        logStd = FloatBuffer(count: actionSize)
        logStdGradient = FloatBuffer(count: actionSize)
        for i in 0..<actionSize { logStd[i] = logf(initialStd) }
        meanOptimizer = Adam(for: mean, learningRate: learningRate)
        logStdOptimizer = Adam(count: logStd.count, learningRate: learningRate)
    }

    /// A policy of the same sizes and squash, its parameters copied from `other`.
    public convenience init(copying other: GaussianPolicy, maxBatch: Int) {
        var unused = Xoshiro256StarStar(seed: 0)
        let low = zip(other.actionCenter ?? [], other.actionHalfRange ?? []).map { $0 - $1 }
        let high = zip(other.actionCenter ?? [], other.actionHalfRange ?? []).map { $0 + $1 }
        let sizes = other.mean.layerSizes
        self.init(observationSize: sizes[0], actionSize: other.actionSize, hidden: Array(sizes.dropFirst().dropLast()),
                  maxBatch: maxBatch, initialStd: 1, learningRate: 0,
                  actionLow: other.actionCenter == nil ? nil : low, actionHigh: other.actionCenter == nil ? nil : high,
                  stateDependentStd: other.stateDependentStd, squashSamples: other.squashesSamples, generator: &unused)
        minLogStd = other.minLogStd
        maxLogStd = other.maxLogStd
        copyParameters(from: other)
    }

    /// Copies the mean network's parameters and log σ from a policy of the same sizes. Real-time safe.
    public func copyParameters(from other: GaussianPolicy) {
        mean.copyParameters(from: other.mean)
        logStd.copy(from: other.logStd)
    }

    /// σ_i of the per-dimension parameter (the whole σ when not state-dependent).
    @inline(__always) public func dimensionStd(_ i: Int) -> Float { expf(logStd[i]) }

    /// log σ_i(s_b) of row `b` after `forwardMean`.
    @inline(__always) public func sampleLogStd(_ b: Int, _ i: Int) -> Float { logStds[b * actionSize + i] }

    /// σ_i(s_b) of row `b` after `forwardMean`.
    @inline(__always) public func sampleStd(_ b: Int, _ i: Int) -> Float { expf(logStds[b * actionSize + i]) }

    /// Runs the network on the first `batch` rows of `mean.input` and fills `means`, `meanSlopes`,
    /// `logStds` and `logStdSlopes`; with a σ head, zeroes its output cotangents (ready for
    /// `addLogStdGradient`). With `first`, rows `first ..< first + batch` only (of `mean.input`
    /// and of every per-row buffer); the other rows keep what they held. Real-time safe.
    public func forwardMean(batch: Int, from first: Int = 0) {
        mean.forward(batch: batch, from: first)
        for b in first..<(first + batch) {
            let z = mean.output(sample: b)
            for i in 0..<actionSize {
                let k = b * actionSize + i
                if let c = actionCenter, let h = actionHalfRange, !squashesSamples {
                    let t = Tanh.value(z[i])
                    means[k] = c[i] + h[i] * t
                    meanSlopes[k] = h[i] * (1 - t * t)
                } else {
                    means[k] = z[i]
                    meanSlopes[k] = 1
                }
                if stateDependentStd {
                    let raw = logStd[i] + z[actionSize + i]
                    let clamped = min(max(raw, minLogStd), maxLogStd)
                    logStds[k] = clamped
                    logStdSlopes[k] = clamped == raw ? 1 : 0
                    mean.outputGradient(sample: b)[actionSize + i] = 0
                } else {
                    // `step()` keeps the parameter in range; nothing is clamped here.
                    logStds[k] = logStd[i]
                    logStdSlopes[k] = 1
                }
            }
        }
    }

    /// `forwardMean` at `batch` states: row b is the first `observationSize` floats at
    /// `states + b * stride` (a `TransitionColumns` column has stride `stateSize`), written into
    /// rows `first ..< first + batch`. Real-time safe.
    public func forwardMean(states: UnsafePointer<Float>, stride: Int, batch: Int, from first: Int = 0) {
        for b in 0..<batch {
            let row = mean.input(sample: first + b)
            for i in 0..<observationSize { row[i] = states[b * stride + i] }
        }
        forwardMean(batch: batch, from: first)
    }

    /// μ of row `b` after `forwardMean`.
    @inline(__always) public func meanRow(_ b: Int) -> UnsafeMutablePointer<Float> { means.base + b * actionSize }

    /// Sets dL/dμ_i of row `b` as the network's output cotangent (through the squash).
    @inline(__always) public func setMeanCotangent(sample b: Int, dimension i: Int, _ g: Float) {
        mean.outputGradient(sample: b)[i] = g * meanSlopes[b * actionSize + i]
    }

    /// Adds dL/d log σ_i(s_b) = `g`: to `logStdGradient[i]` and, with a σ head, to the head's
    /// output cotangent of row `b` (both through the clamp). Call after `forwardMean` and before
    /// the network's backward pass.
    @inline(__always) public func addLogStdGradient(sample b: Int, dimension i: Int, _ g: Float) {
        let dl = g * logStdSlopes[b * actionSize + i]
        logStdGradient[i] += dl
        if stateDependentStd { mean.outputGradient(sample: b)[actionSize + i] += dl }
    }

    /// Sets the σ head's output cotangent of row `b` to dL/d log σ_i(s_b) = `g` (through the
    /// clamp), leaving `logStdGradient` alone: for a backward pass that asks only the input
    /// gradient (π_s of SVG(∞)). No effect without a σ head.
    @inline(__always) public func setLogStdHeadCotangent(sample b: Int, dimension i: Int, _ g: Float) {
        if stateDependentStd { mean.outputGradient(sample: b)[actionSize + i] = g * logStdSlopes[b * actionSize + i] }
    }

    /// log N(a_i; μ_i, σ_i²) of one action dimension from its standardised noise η_i = (a_i − μ_i)/σ_i
    /// and log σ_i: −½ η_i² − log σ_i − ½ log 2π (docs/algorithms.md eq. 2). Every log-density
    /// of the policy is a sum of these.
    @inline(__always)
    public static func logDensity(eta: Float, logStd: Float) -> Float { -0.5 * eta * eta - logStd - 0.918_938_5 }

    /// Batch-1 action for `observation` into `action`: mean + σ η with fresh η (or the mean
    /// alone when `deterministic`). Returns log π(a|s). Real-time safe.
    @discardableResult
    public func act(_ observation: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>,
                    deterministic: Bool, generator: inout Xoshiro256StarStar) -> Float {
        let input = mean.input(sample: 0)
        for i in 0..<observationSize { input[i] = observation[i] }
        forwardMean(batch: 1)
        let mu = meanRow(0)
        var logDensity: Float = 0
        for i in 0..<actionSize {
            let eta: Float = deterministic ? 0 : Float(generator.nextGaussian())
            let u = mu[i] + sampleStd(0, i) * eta
            logDensity += Self.logDensity(eta: eta, logStd: sampleLogStd(0, i))
            if squashesSamples, let c = actionCenter, let h = actionHalfRange {
                let t = Tanh.value(u)
                action[i] = c[i] + h[i] * t
                logDensity -= Self.logSquashSlope(tanh: t, halfRange: h[i])
            } else {
                action[i] = u
            }
        }
        return logDensity
    }

    /// log(h (1 − tanh² u)), the log-slope of the squash a = c + h tanh u at t = tanh u, kept
    /// finite where t is ±1 in float (1 − t² floored at 1e-6).
    @inline(__always)
    public static func logSquashSlope(tanh t: Float, halfRange h: Float) -> Float { logf(h * max(1 - t * t, 1e-6)) }

    /// log π(a|s_b) of row `b` after `forwardMean` (with squashed samples, of the u that gives a).
    @inline(__always)
    public func logDensity(action a: UnsafeBufferPointer<Float>, sample b: Int) -> Float {
        let mu = meanRow(b)
        var total: Float = 0
        for i in 0..<actionSize {
            let logSigma = sampleLogStd(b, i)
            var u = a[i]
            if squashesSamples, let c = actionCenter, let h = actionHalfRange {
                // u = atanh((a − c)/h), the box's edges pulled in by 1e-6.
                let t = min(max((a[i] - c[i]) / h[i], -1 + 1e-6), 1 - 1e-6)
                u = 0.5 * logf((1 + t) / (1 - t))
                total -= Self.logSquashSlope(tanh: t, halfRange: h[i])
            }
            let eta = (u - mu[i]) / expf(logSigma)
            total += Self.logDensity(eta: eta, logStd: logSigma)
        }
        return total
    }

    /// One Adam step along the gradients in `mean.gradients` and `logStdGradient` (descent:
    /// the caller writes the negated objective gradient for ascent), each first clipped to the
    /// norm `clipNorm` (docs/algorithms.md eq. 14), then keeps log σ in range. Real-time safe.
    public func step(clipNorm: Float) {
        meanOptimizer.clipAndStep(parameters: mean.parameters, gradients: mean.gradients, maxNorm: clipNorm)
        logStdOptimizer.clipAndStep(parameters: logStd, gradients: logStdGradient, maxNorm: clipNorm)
        for i in 0..<actionSize { logStd[i] = min(max(logStd[i], minLogStd), maxLogStd) }
    }

    // MARK: The published block: the network's parameters, then log σ (learner → control hand-off)

    /// Floats in a published block.
    public var publishedCount: Int { mean.parameters.count + actionSize }

    /// Writes this policy's parameters as a published block. Real-time safe.
    public func writePublished(into block: UnsafeMutablePointer<Float>) {
        let n = mean.parameters.count
        block.update(from: mean.parameters.base, count: n)
        for i in 0..<actionSize { block[n + i] = logStd[i] }
    }

    /// Acts from a published block from now on without copying the weights (the network reads
    /// them through `parameterOverride`; log σ is copied). Real-time safe.
    public func usePublished(_ block: UnsafePointer<Float>) {
        mean.parameterOverride = block
        for i in 0..<actionSize { logStd[i] = block[mean.parameters.count + i] }
    }

    /// Copies a published block into this policy's own parameters. Real-time safe.
    public func copyPublished(_ block: UnsafePointer<Float>) {
        let n = mean.parameters.count
        mean.parameters.base.update(from: block, count: n)
        for i in 0..<actionSize { logStd[i] = block[n + i] }
    }

    /// CRC-32C of the published block of this policy's own parameters, so two policies with
    /// equal fingerprints act alike (logged by `svgrt run` for the policy control starts from).
    public func parameterFingerprint() -> UInt32 {
        let crc = CRC32C.update(0, mean.parameters.base, count: mean.parameters.count * MemoryLayout<Float>.stride)
        return CRC32C.update(crc, logStd.base, count: actionSize * MemoryLayout<Float>.stride)
    }

    /// The policy's parameters as archive records (checkpoints, hand-off).
    public func records(prefix: String) -> [ParameterArchive.Record] {
        [mean.parameterRecord(named: prefix + ".mean"),
         .init(name: prefix + ".logStd", shape: [actionSize], values: (0..<actionSize).map { logStd[$0] })]
    }
}
