import Net
#if canImport(Glibc)
import Glibc
#endif

/// The regularisers of a value-gradient policy step (docs/algorithms.md §4), one implementation
/// for SVG(1), SVG(1)-ER and SVG(0):
///   - the entropy bonus α Σ_i log σ_i (eq. 17), α fixed or tuned towards a target entropy (eq. 24);
///   - the KL regulariser λ · mean_b KL(π_θ(·|s_b) ‖ π_ref(·|s_b)), π_ref the policy at the start
///     of each burst of `klBurst` policy steps (eq. 18);
///   - the pre-squash penalty (ρ/2) · mean_b ‖z(s_b)‖² on a squashed mean's pre-tanh value (eq. 19).
/// Each is off at 0 (the target entropy at nil). A policy step calls `beginStep` before its
/// minibatch, `prepare` after the policy's forward on the batch's states, `klMeanCotangent` and
/// `addPreSquashPenalty` per sample and dimension while it sets its own cotangents, and `step`
/// for the clipped Adam step and the temperature. Real-time safe after `init`.
public final class PolicyRegularisers {
    public let klWeight: Float, klBurst: Int
    /// π_ref (nil with the KL off).
    public let klReference: GaussianPolicy?
    public let preSquashPenalty: Float
    /// α when fixed, the first α when tuned.
    public let fixedEntropyBonus: Float
    public let targetEntropy: Float?
    /// α, tuned towards `targetEntropy` (left alone without one).
    public let temperature: Temperature

    public init(policy: GaussianPolicy, maxBatch: Int, klWeight: Float = 0, klBurst: Int = 10, preSquashPenalty: Float = 0,
                entropyBonus: Float = 0, targetEntropy: Float? = nil, temperatureLearningRate: Float = 3e-3) {
        self.klWeight = klWeight
        self.klBurst = max(klBurst, 1)
        klReference = klWeight > 0 ? GaussianPolicy(copying: policy, maxBatch: maxBatch) : nil
        self.preSquashPenalty = policy.actionCenter != nil ? preSquashPenalty : 0
        fixedEntropyBonus = entropyBonus
        self.targetEntropy = targetEntropy
        temperature = Temperature(initial: max(entropyBonus, 1e-4), learningRate: temperatureLearningRate, logBounds: -12...4)
    }

    /// The entropy bonus of the next step: α fixed, or the tuned temperature.
    public var entropyBonus: Float { targetEntropy == nil ? fixedEntropyBonus : temperature.value }

    /// Before policy step number `step` (0, 1, …): at the start of a burst π_ref becomes the policy.
    public func beginStep(_ step: Int, policy: GaussianPolicy) {
        if let reference = klReference, step % klBurst == 0 { reference.copyParameters(from: policy) }
    }

    /// After the policy's forward on the first `batch` rows of `states` (rows `stride` apart):
    /// π_ref's forward on the same states.
    public func prepare(states: UnsafePointer<Float>, stride: Int, batch n: Int) {
        klReference?.forwardMean(states: states, stride: stride, batch: n)
    }

    /// The KL's ∂/∂μ_i of sample b (unscaled: the caller adds it to its own mean cotangent
    /// before scaling), and its ∂/∂log σ_i · `scale` added to the policy's σ gradient.
    @inline(__always)
    public func klMeanCotangent(sample b: Int, dimension i: Int, policy: GaussianPolicy, scale: Float) -> Float {
        guard let reference = klReference else { return 0 }
        let sigma = policy.sampleStd(b, i), sigma0 = reference.sampleStd(b, i)
        let inverseVariance0 = 1 / (sigma0 * sigma0)
        policy.addLogStdGradient(sample: b, dimension: i, klWeight * (sigma * sigma * inverseVariance0 - 1) * scale)
        return klWeight * (policy.meanRow(b)[i] - reference.meanRow(b)[i]) * inverseVariance0
    }

    /// ∂/∂z_i of (ρ/2) z² · `scale`, added to the network's output cotangent of sample b (after
    /// the mean's cotangent is set: the penalty acts on z itself, not through the squash).
    @inline(__always)
    public func addPreSquashPenalty(sample b: Int, dimension i: Int, policy: GaussianPolicy, scale: Float) {
        guard preSquashPenalty > 0 else { return }
        policy.mean.outputGradient(sample: b)[i] += preSquashPenalty * policy.mean.output(sample: b)[i] * scale
    }

    /// The regularisers' part of the objective at the last forward of `policy` (and of π_ref, by
    /// `prepare`) on `batch` rows: −λ mean_b Σ_i KL_i − (ρ/2) mean_b ‖z_b‖², whose gradient
    /// `klMeanCotangent` and `addPreSquashPenalty` compute (finite-difference checks).
    public func objective(policy: GaussianPolicy, batch n: Int) -> Float {
        var kl: Float = 0, squared: Float = 0
        for b in 0..<n {
            for i in 0..<policy.actionSize {
                if let reference = klReference {
                    let logSigma = policy.sampleLogStd(b, i), logSigma0 = reference.sampleLogStd(b, i)
                    let variance = expf(2 * logSigma), variance0 = expf(2 * logSigma0)
                    let d = policy.meanRow(b)[i] - reference.meanRow(b)[i]
                    kl += logSigma0 - logSigma + (variance + d * d) / (2 * variance0) - 0.5
                }
                if preSquashPenalty > 0 { squared += policy.mean.output(sample: b)[i] * policy.mean.output(sample: b)[i] }
            }
        }
        return -(klWeight * kl + 0.5 * preSquashPenalty * squared) / Float(n)
    }

    /// The policy's entropy Σ_i (log σ_i + ½ log 2πe), log σ averaged over the last forward's
    /// first `batch` rows.
    public func entropy(of policy: GaussianPolicy, batch n: Int) -> Float {
        var total: Float = 0
        for i in 0..<policy.actionSize {
            var logSigma: Float = 0
            for b in 0..<n { logSigma += policy.sampleLogStd(b, i) }
            total += logSigma / Float(n) + 1.418_938_5
        }
        return total
    }

    /// The entropy bonus on the σ gradient (∂(α Σ log σ_i)/∂log σ_i = α, on the per-dimension
    /// offset: with state-dependent σ it raises σ(s) alike for every state), one clipped Adam
    /// step, then the temperature's step (eq. 24) from the entropy at the step's `batch` states.
    public func step(_ policy: GaussianPolicy, clipNorm: Float, batch n: Int) {
        let alpha = entropyBonus
        for i in 0..<policy.actionSize { policy.logStdGradient[i] -= alpha }
        policy.step(clipNorm: clipNorm)
        if let target = targetEntropy { temperature.step(entropy: entropy(of: policy, batch: n), target: target) }
    }

    /// The tuned temperature's records (none when α is fixed).
    public func records() -> [ParameterArchive.Record] {
        targetEntropy == nil ? [] : temperature.records(prefix: "agent")
    }

    public func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        if targetEntropy != nil { try temperature.load(from: archive, prefix: "agent", path: path) }
    }
}
