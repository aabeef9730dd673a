import Checksum
import Net
#if canImport(Glibc)
import Glibc
#endif

/// The re-parameterised Gaussian policy of SVG-SPEC §1: a = μ_θ(s) + σ ⊙ η, η ~ N(0, I), with log σ
/// a learned per-dimension parameter (state-independent, as in the paper).
/// π_s = μ_s, π_θ = μ_θ, and ∂a_i/∂log σ_i = σ_i η_i.
///
/// With actuator limits the mean is squashed into them: μ = c + h ⊙ tanh(z_θ(s)), c and h the
/// centre and half-range of the box, z a tanh MLP. Without the squash the mean of an unbounded
/// MLP drifted past the limits, where the saturating plant gives no gradient back, and the
/// deterministic pendulum policy ended at full torque (measured: 2 of 5 seeds). Actions are
/// still μ + σ η and may leave the box; the plant saturates them.
///
/// Real-time safe after `init`: acting, log-densities, noise inference and the gradient steps
/// allocate nothing.
public final class GaussianPolicy {
    /// μ_θ: observation → action mean.
    public let mean: MLP
    /// log σ per action dimension, and its gradient.
    public let logStd: FloatBuffer
    public let logStdGradient: FloatBuffer
    public let meanOptimizer: Adam
    public let logStdOptimizer: Adam
    /// log σ is kept in [minLogStd, maxLogStd] (σ from e⁻⁵ ≈ 0.0067 to e¹ of the action unit).
    public var minLogStd: Float = -5, maxLogStd: Float = 1
    /// Centre and half-range of the squash (nil: μ = z, unbounded).
    public let actionCenter: [Float]?, actionHalfRange: [Float]?
    /// μ and dμ/dz of the last `forwardMean`, rows of `actionSize`.
    public let means: FloatBuffer, meanSlopes: FloatBuffer

    public var observationSize: Int { mean.inputSize }
    public var actionSize: Int { mean.outputSize }

    /// A policy with hidden layers `hidden`, initial σ `initialStd`, Adam step `learningRate`.
    public init(observationSize: Int, actionSize: Int, hidden: [Int], maxBatch: Int, initialStd: Float,
                learningRate: Float, actionLow: [Float]? = nil, actionHigh: [Float]? = nil,
                generator: inout Xoshiro256StarStar) {
        if let actionLow, let actionHigh {
            actionCenter = zip(actionLow, actionHigh).map { ($0 + $1) / 2 }
            actionHalfRange = zip(actionLow, actionHigh).map { ($1 - $0) / 2 }
        } else {
            actionCenter = nil
            actionHalfRange = nil
        }
        means = FloatBuffer(count: maxBatch * actionSize)
        meanSlopes = FloatBuffer(count: maxBatch * actionSize)
        mean = MLP(layerSizes: [observationSize] + hidden + [actionSize], maxBatch: maxBatch)
        mean.initializeParameters(using: &generator)
        // Start near a zero mean (small last layer), so early actions are the noise's.
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
        self.init(observationSize: sizes[0], actionSize: sizes[sizes.count - 1], hidden: Array(sizes.dropFirst().dropLast()),
                  maxBatch: maxBatch, initialStd: 1, learningRate: 0,
                  actionLow: other.actionCenter == nil ? nil : low, actionHigh: other.actionCenter == nil ? nil : high,
                  generator: &unused)
        copyParameters(from: other)
    }

    /// Copies the mean network's parameters and log σ from a policy of the same sizes. Real-time safe.
    public func copyParameters(from other: GaussianPolicy) {
        mean.copyParameters(from: other.mean)
        logStd.copy(from: other.logStd)
    }

    @inline(__always) public func std(_ i: Int) -> Float { expf(logStd[i]) }

    /// Runs the mean network on the first `batch` rows of `mean.input` and fills `means` and
    /// `meanSlopes`. Real-time safe.
    public func forwardMean(batch: Int) {
        mean.forward(batch: batch)
        for b in 0..<batch {
            let z = mean.output(sample: b)
            for i in 0..<actionSize {
                if let c = actionCenter, let h = actionHalfRange {
                    let t = Tanh.value(z[i])
                    means[b * actionSize + i] = c[i] + h[i] * t
                    meanSlopes[b * actionSize + i] = h[i] * (1 - t * t)
                } else {
                    means[b * actionSize + i] = z[i]
                    meanSlopes[b * actionSize + i] = 1
                }
            }
        }
    }

    /// μ of row `b` after `forwardMean`.
    @inline(__always) public func meanRow(_ b: Int) -> UnsafeMutablePointer<Float> { means.base + b * actionSize }

    /// Sets dL/dμ_i of row `b` as the mean network's output cotangent (through the squash).
    @inline(__always) public func setMeanCotangent(sample b: Int, dimension i: Int, _ g: Float) {
        mean.outputGradient(sample: b)[i] = g * meanSlopes[b * actionSize + i]
    }

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
            action[i] = mu[i] + std(i) * eta
            logDensity += -0.5 * eta * eta - logStd[i] - 0.918_938_5  // −½ log 2π
        }
        return logDensity
    }

    /// log π(a|s) of a diagonal Gaussian with mean `mu`.
    @inline(__always)
    public func logDensity(action a: UnsafeBufferPointer<Float>, mean mu: UnsafeMutablePointer<Float>) -> Float {
        var total: Float = 0
        for i in 0..<actionSize {
            let eta = (a[i] - mu[i]) / std(i)
            total += -0.5 * eta * eta - logStd[i] - 0.918_938_5
        }
        return total
    }

    /// One Adam step along the gradients in `mean.gradients` and `logStdGradient` (descent:
    /// the caller writes the negated objective gradient for ascent), then keeps log σ in range.
    public func step() {
        meanOptimizer.step(parameters: mean.parameters, gradients: mean.gradients)
        logStdOptimizer.step(parameters: logStd, gradients: logStdGradient)
        for i in 0..<actionSize { logStd[i] = min(max(logStd[i], minLogStd), maxLogStd) }
    }

    /// CRC-32C of the mean network's parameter block followed by log σ: the same bytes the
    /// learner publishes to the control thread, so two policies with equal fingerprints act alike
    /// (logged by `svgrt run` for the policy control starts from).
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
