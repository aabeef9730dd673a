import Net

/// The policy step shared by SVG(1) and SVG(1)-ER (docs/algorithms.md eq. 9): for each transition, with η
/// and ξ inferred from the real (s, a, s') under the current networks,
///
///     c = w [r_a + γ V̂_{s'}(s') f̂_a] π_θ           (SVG(1); w = 1 on-policy)
///
/// averaged over the batch, clipped, and one Adam ascent step. V̂_{s'} is supplied per sample
/// (the critic's gradient at the real next state; 0 beyond a terminal), so the same code runs
/// with a learned critic or, in tests, an analytic one. Real-time safe after `init`.
public final class ValueGradientPolicyStep {
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let reward: any TaskReward
    let scratch: RewardScratch
    /// Per-sample cotangents V̂_{s'} (rows of `stateSize`), zeroed where the transition is terminal.
    public let valueGradients: FloatBuffer
    /// The action cotangent g_a of each sample (rows of `actionSize`), kept for tests.
    public let actionCotangents: FloatBuffer
    /// Inferred η per sample (rows of `actionSize`).
    public let eta: FloatBuffer
    /// Optional KL regulariser (docs/algorithms.md eq. 18): the objective loses
    /// λ · mean_b KL(π_θ(·|s_b) ‖ π_ref(·|s_b)), π_ref the policy at the start of the update burst.
    /// For diagonal Gaussians, per dimension: KL = log σ₀ − log σ + (σ² + (μ − μ₀)²)/(2σ₀²) − ½,
    /// ∂KL/∂μ = (μ − μ₀)/σ₀², ∂KL/∂log σ = σ²/σ₀² − 1. 0 (off) by default.
    public var klWeight: Float = 0
    public var klReference: GaussianPolicy?
    /// Weight ρ of a penalty (eq. 19) (ρ/2) · mean_b ‖z(s_b)‖² on the squashed policy's pre-squash mean z
    /// (μ = c + h tanh z), as rlkit's SAC regularises its pre-tanh values: once |z| grows large
    /// tanh is flat, dμ/dz ≈ 0, and no value gradient can bring the mean back (measured: a
    /// cart-pole seed whose deterministic return stayed at exactly −1,063.7 for 30,000 steps).
    /// 0 (off) by default; no effect without a squash.
    public var preSquashPenalty: Float = 0

    public init(policy: GaussianPolicy, model: DynamicsModel, reward: any TaskReward, maxBatch: Int) {
        self.policy = policy
        self.model = model
        self.reward = reward
        scratch = RewardScratch(observationSize: policy.observationSize, actionSize: policy.actionSize)
        valueGradients = FloatBuffer(count: maxBatch * policy.observationSize)
        actionCotangents = FloatBuffer(count: maxBatch * policy.actionSize)
        eta = FloatBuffer(count: maxBatch * policy.actionSize)
    }

    /// Computes the (negated, for descent) policy gradient of the batch into the policy's
    /// gradient buffers. `weights`: importance weights are computed into `batch.weights` when
    /// `maximumWeight` is set (SVG(1)-ER), else all 1 (SVG(1), on-policy). Returns the mean weight.
    @discardableResult
    public func computeGradient(_ batch: Minibatch, gamma: Float, maximumWeight: Float?) -> Float {
        let n = batch.count, S = policy.observationSize, A = policy.actionSize
        let mean = policy.mean
        for b in 0..<n { model.setInput(sample: b, state: batch.state(b), action: batch.action(b)) }
        policy.forwardMean(states: batch.states.base, stride: S, batch: n)
        model.forward(batch: n)
        // Noise inference (App. B): η = (a − μ_θ(s)) / σ, held constant.
        var weightSum: Float = 0
        for b in 0..<n {
            let mu = policy.meanRow(b)
            var logDensity: Float = 0
            for i in 0..<A {
                let e = (batch.action(b)[i] - mu[i]) / policy.sampleStd(b, i)
                eta[b * A + i] = e
                logDensity += GaussianPolicy.logDensity(eta: e, logStd: policy.sampleLogStd(b, i))
            }
            let w = maximumWeight.map {
                truncatedImportanceWeight(logDensityNow: logDensity, logDensityThen: batch.logProbabilities[b], maximum: $0)
            } ?? 1
            batch.weights[b] = w
            weightSum += w
            if batch.terminals[b] != 0 {
                for i in 0..<S { valueGradients[b * S + i] = 0 }
            }
        }
        let kl = klWeight > 0 ? klReference : nil
        if let reference = kl {
            for b in 0..<n {
                let row = reference.mean.input(sample: b)
                for i in 0..<S { row[i] = batch.state(b)[i] }
            }
            reference.forwardMean(batch: n)
        }
        // v' f̂_a: the model's VJP with cotangent V̂_{s'}.
        model.vectorJacobianProduct(batch: n, cotangent: valueGradients.base, cotangentStride: S)
        policy.logStdGradient.zero()
        let scale = 1 / Float(n)
        let penalty = policy.actionCenter != nil ? preSquashPenalty : 0
        for b in 0..<n {
            scratch.gradient(reward, s: UnsafeBufferPointer(start: batch.state(b), count: S),
                             a: UnsafeBufferPointer(start: batch.action(b), count: A))
            let vfa = model.inputGradient.base + b * model.inputStride + S
            for i in 0..<A {
                // g_a = r_a + γ v' f̂_a (eq. 10's action cotangent), weighted; f̂_a is 0 where
                // the actuator saturates (the model sees the saturated action).
                let fa = vfa[i] * model.saturationSlope(batch.action(b)[i], dimension: i)
                let ga = batch.weights[b] * (Float(scratch.dAction[i]) + gamma * fa)
                actionCotangents[b * A + i] = ga
                // ∂a_i/∂log σ_i = σ_i η_i.
                policy.addLogStdGradient(sample: b, dimension: i, -ga * policy.sampleStd(b, i) * eta[b * A + i] * scale)
                var meanCotangent = -ga  // descent on −J
                if let reference = kl {
                    let sigma = policy.sampleStd(b, i), sigma0 = reference.sampleStd(b, i)
                    let inverseVariance0 = 1 / (sigma0 * sigma0)
                    meanCotangent += klWeight * (policy.meanRow(b)[i] - reference.meanRow(b)[i]) * inverseVariance0
                    policy.addLogStdGradient(sample: b, dimension: i, klWeight * (sigma * sigma * inverseVariance0 - 1) * scale)
                }
                policy.setMeanCotangent(sample: b, dimension: i, meanCotangent * scale)
                if penalty > 0 {
                    // ∂/∂z of (ρ/2) z², added after the squash's slope (it acts on z itself).
                    mean.outputGradient(sample: b)[i] += penalty * mean.output(sample: b)[i] * scale
                }
            }
        }
        mean.backward(batch: n, parameterGradients: .overwrite, inputGradient: false)
        return weightSum / Float(n)
    }

    /// Clips and applies the gradient computed by `computeGradient`, with an entropy bonus α
    /// (∂(α Σ log σ_i)/∂log σ_i = α, added to the ascent direction). With state-dependent σ the
    /// bonus acts on the per-dimension offset only (it raises σ(s) alike for every state).
    public func applyGradient(clipNorm: Float, entropyBonus: Float = 0) {
        for i in 0..<policy.actionSize { policy.logStdGradient[i] -= entropyBonus }
        policy.step(clipNorm: clipNorm)
    }
}
