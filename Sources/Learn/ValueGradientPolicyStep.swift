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
    /// The KL, pre-squash and entropy terms of docs/algorithms.md §4 (all off by default).
    public let regularisers: PolicyRegularisers

    public init(policy: GaussianPolicy, model: DynamicsModel, reward: any TaskReward, maxBatch: Int,
                regularisers: PolicyRegularisers? = nil) {
        self.policy = policy
        self.regularisers = regularisers ?? PolicyRegularisers(policy: policy, maxBatch: maxBatch)
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
        let regularisers = self.regularisers, kl = regularisers.klReference != nil
        if kl { regularisers.prepare(states: batch.states.base, stride: S, batch: n) }
        // v' f̂_a: the model's VJP with cotangent V̂_{s'}.
        model.vectorJacobianProduct(batch: n, cotangent: valueGradients.base, cotangentStride: S)
        policy.logStdGradient.zero()
        let scale = 1 / Float(n)
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
                if kl { meanCotangent += regularisers.klMeanCotangent(sample: b, dimension: i, policy: policy, scale: scale) }
                policy.setMeanCotangent(sample: b, dimension: i, meanCotangent * scale)
                regularisers.addPreSquashPenalty(sample: b, dimension: i, policy: policy, scale: scale)
            }
        }
        mean.backward(batch: n, parameterGradients: .overwrite, inputGradient: false)
        return weightSum / Float(n)
    }

    /// Clips and applies the gradient computed by `computeGradient` for a batch of `batch`, with
    /// the entropy bonus and the temperature's step (`PolicyRegularisers.step`).
    public func applyGradient(clipNorm: Float, batch n: Int) {
        regularisers.step(policy, clipNorm: clipNorm, batch: n)
    }
}
