import Net

/// SVG(1) with experience replay (Heess et al. 2015, Algorithms 2 and 4; SVG-SPEC §3), the
/// main algorithm of this runtime. Each `update()` is, in this order:
///   1. a model step on a minibatch from the whole replay (Gaussian NLL);
///   2. a value step (fitted policy evaluation, importance-weighted, target copied every C);
///   3. a policy step on a fresh minibatch: infer η and ξ, per sample w [r_a + γ V̂_{s'}(s') f̂_a] π_θ,
///      averaged, clipped, one Adam ascent step.
/// The state distribution is not importance-weighted. Zero heap allocations per update after
/// the first (tested in `LearnAllocationTests`).
public final class SVG1ER {
    /// Every hyperparameter, with its default and where it comes from.
    public struct Hyperparameters: Sendable, Codable, Equatable {
        /// Discount γ (pendulum: 0.99, the peers'; SVG-SPEC lists the paper's per task).
        public var gamma: Float = 0.99
        /// Transitions per minibatch (paper: 32–64 depending on task; 64 here).
        public var batchSize = 64
        /// Adam step sizes (paper: 1e-4–1e-3; these learned fastest on the pendulum here).
        public var policyLearningRate: Float = 1e-3
        public var valueLearningRate: Float = 1e-3
        public var modelLearningRate: Float = 1e-3
        /// Truncation of the importance weights, w_max (eq. 13; paper default 5).
        public var maximumImportanceWeight: Float = 5
        /// Value steps between target-network copies, C (SVG-SPEC: 50).
        public var targetCopyInterval = 50
        /// Gradient-norm clip V_max for every network (App. D).
        public var clipNorm: Float = 10
        /// Entropy bonus α: the policy objective gains α Σ_i log σ_i (the Gaussian's entropy up to
        /// a constant), which keeps exploration alive where the value gradient alone shrinks σ
        /// to its floor (the paper has none; 0 by default).
        public var entropyBonus: Float = 0
        /// Floor of log σ (exploration never drops below σ = e^minLogStd in action units).
        public var minLogStd: Float = -5
        /// Weight λ of the optional KL regulariser on replayed policy steps (SVG-SPEC §3 step 3;
        /// 0: off), and the policy steps per burst: the reference π_θ is renewed every `klBurst`.
        public var klWeight: Float = 0
        public var klBurst = 10
        /// Soft target updates τ (Polyak averaging) instead of copying every C steps; nil: copy.
        public var polyak: Float? = nil
        /// Model and value steps per policy step (the policy step follows a fitted model and critic).
        public var modelStepsPerUpdate = 1
        public var valueStepsPerUpdate = 1
        public init() {}
    }

    public var hyperparameters: Hyperparameters
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let value: ValueFunction
    public let replay: ReplayBuffer
    public let policyStep: ValueGradientPolicyStep
    let batch: Minibatch
    let deltas: FloatBuffer
    public var generator: Xoshiro256StarStar

    /// Losses of the last update.
    public private(set) var modelLoss: Float = 0, valueLoss: Float = 0, meanWeight: Float = 0
    public private(set) var updates = 0

    public init(policy: GaussianPolicy, model: DynamicsModel, value: ValueFunction, replay: ReplayBuffer,
                reward: any TaskReward, hyperparameters: Hyperparameters, seed: UInt64) {
        self.policy = policy
        self.model = model
        self.value = value
        self.replay = replay
        self.hyperparameters = hyperparameters
        policyStep = ValueGradientPolicyStep(policy: policy, model: model, reward: reward, maxBatch: hyperparameters.batchSize)
        if hyperparameters.klWeight > 0 {
            policyStep.klWeight = hyperparameters.klWeight
            policyStep.klReference = GaussianPolicy(copying: policy, maxBatch: hyperparameters.batchSize)
        }
        batch = Minibatch(capacity: hyperparameters.batchSize, stateSize: replay.stateSize, actionSize: replay.actionSize)
        deltas = FloatBuffer(count: hyperparameters.batchSize * replay.stateSize)
        generator = Xoshiro256StarStar(seed: seed)
    }

    /// Step 1: model NLL on a replay minibatch.
    public func modelStep() {
        let n = hyperparameters.batchSize, S = replay.stateSize
        batch.sample(n, from: replay, generator: &generator)
        for b in 0..<n {
            model.setInput(sample: b, state: batch.state(b), action: batch.action(b))
            for i in 0..<S { deltas[b * S + i] = batch.nextState(b)[i] - batch.state(b)[i] }
        }
        modelLoss = model.trainStep(batch: n, delta: deltas.base, deltaStride: S, clipNorm: hyperparameters.clipNorm)
    }

    /// Step 2: one fitted value step, importance-weighted with the current policy.
    public func valueStep() {
        batch.sample(hyperparameters.batchSize, from: replay, generator: &generator)
        batch.computeImportanceWeights(policy: policy, maximum: hyperparameters.maximumImportanceWeight)
        valueLoss = value.fitStep(batch, gamma: hyperparameters.gamma, clipNorm: hyperparameters.clipNorm)
    }

    /// Step 3: the SVG(1) policy step on a fresh minibatch, with V̂_{s'} from the critic.
    public func policyUpdate() {
        let n = hyperparameters.batchSize
        if let reference = policyStep.klReference, updates % max(hyperparameters.klBurst, 1) == 0 {
            reference.copyParameters(from: policy)  // the start of a burst
        }
        batch.sample(n, from: replay, generator: &generator)
        value.valueGradient(count: n, states: batch.nextStates.base, into: policyStep.valueGradients.base)
        meanWeight = policyStep.computeGradient(batch, gamma: hyperparameters.gamma, maximumWeight: hyperparameters.maximumImportanceWeight)
        policyStep.applyGradient(clipNorm: hyperparameters.clipNorm, entropyBonus: hyperparameters.entropyBonus)
    }

    /// Restores the update count (checkpoints).
    public func restore(updates: Int) { self.updates = updates }

    /// One SVG(1)-ER update: model, value, policy. Needs a non-empty replay.
    public func update() {
        for _ in 0..<hyperparameters.modelStepsPerUpdate { modelStep() }
        for _ in 0..<hyperparameters.valueStepsPerUpdate { valueStep() }
        policyUpdate()
        updates += 1
    }
}
