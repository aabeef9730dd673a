import Net
#if canImport(Glibc)
import Glibc
#endif

/// SAC-SVG(H) (Amos et al. 2021; docs/algorithms.md §3.6): soft actor-critic whose actor
/// follows the value gradient of an H-step expansion through the learned model. Each `update()`:
///   1. model steps (H > 0): short real sequences of H transitions inside an episode, unrolled
///      with the real actions from the first real state; each step's input is the model's own
///      prediction, not differentiated through (the official code's `detach_xt`), fitted by
///      Gaussian NLL to the real next state (eq. 4);
///   2. a critic step: twin Q̂₁, Q̂₂ towards y = r + γ (1 − d) [min_j Q̂_j⁻(s', a') − α log π(a'|s')],
///      a' ~ π(s') fresh (the SAC target, eq. 21), soft targets (τ);
///   3. an actor step on a fresh minibatch of real states s₀, with a_t = π(s_t, η_t; θ)
///      re-parameterised and s_{t+1} = s_t + μ̂(s_t, a_t) the model's mean:
///        J = Σ_{t<H} γ^t [r(s_t, a_t) − α log π(a_t|s_t)] + γ^H [min_j Q̂_j(s_H, a_H) − α log π(a_H|s_H)]
///      (eq. 22), loss −J/(H + 1) averaged over the batch, its gradient back-propagated through
///      the rollout (`actorStep`), clipped, one Adam step. Until `modelFreeUpdates` updates (and
///      always when H = 0) the expansion has no model step: J = min_j Q̂_j(s₀, a₀) − α log π(a₀|s₀), SAC's;
///   4. the temperature: log α descends α · (−log π(a₀|s₀) − H̄(t)) (eq. 23), H̄ the target
///      entropy of the schedule H̄(t) = (H̄₀ − H̄₁)(1 − t/T)^decay + H̄₁.
/// The policy squashes its samples (a = c + h tanh u, `GaussianPolicy.squashesSamples`); the
/// reward is the task's known r(s, a) (r_s, r_a). The expansion does not model termination
/// (the official code learns a done network): a fall inside the H steps is not seen there; the
/// critic's targets stop at real terminals. Zero heap allocations per update (counted).
public final class SACSVG: Agent {
    /// Every hyperparameter, with its default and where it comes from. Per-plant values are in
    /// `TrainingConfiguration.defaults(for:algorithm:)`.
    public struct Hyperparameters: Sendable, Codable, Equatable {
        /// Discount γ (official code: 0.99).
        public var gamma: Float = 0.99
        /// Model transitions in the actor's expansion: SAC-SVG(H). 0 is SAC. (The official
        /// code's `horizon` counts actions: its `horizon: 3` is SAC-SVG(2).)
        public var horizon = 2
        /// Transitions per critic and actor minibatch (official: 1,024 on a GPU; SB3's SAC: 256).
        public var batchSize = 256
        /// Adam step sizes of actor, critics, model and temperature (SB3's SAC: 3e-4 for all three
        /// of actor, critic and α; the official code: 1e-4, 1e-4, 1e-3 and 5e-4 at batch 1,024).
        public var policyLearningRate: Float = 3e-4
        public var valueLearningRate: Float = 3e-4
        public var modelLearningRate: Float = 1e-3
        public var temperatureLearningRate: Float = 3e-4
        /// τ of the critics' soft targets (official code and SB3: 0.005).
        public var polyak: Float = 0.005
        /// Gradient-norm clip of actor, critics and model (official code: 5 for actor and
        /// critics, 1 for its model, so there the model's clip binds at least as often as here).
        public var clipNorm: Float = 5
        /// Initial temperature α (official code and SB3: 1).
        public var initialTemperature: Float = 1
        /// Target entropy schedule H̄(t) = (H̄₀ − H̄₁)(1 − t/T)^decay + H̄₁, t in updates (eq. 23);
        /// nil entropies mean −dim A (SAC's). With decay 0 the target stays H̄₀ (official default:
        /// H̄₀ = H̄₁ = −dim A; on its Hopper H̄₀ = 1, H̄₁ = 0, decay 32).
        public var initialTargetEntropy: Float? = nil
        public var finalTargetEntropy: Float? = nil
        public var targetEntropyDecay: Float = 0
        public var targetEntropySteps = 100_000
        /// Sequences per model step and model steps per update (official: 512 sequences, 4 steps).
        public var modelBatchSize = 64
        public var modelStepsPerUpdate = 1
        /// Updates with plain SAC actor steps before the expansion starts (official: 10,000
        /// on its MuJoCo tasks), letting model and critics warm up.
        public var modelFreeUpdates = 1_000
        /// Updates per environment step (online: at most, per control step), and transitions
        /// stored before the first (official: 1,000 seed steps).
        public var updatesPerStep = 1
        public var warmupSteps = 1_000
        /// Hidden widths of each model sub-network (one per state dimension) and of each critic.
        public var modelHidden = [64, 64]
        public var valueHidden = [256, 256]
        /// Scale of the critics' outputs, about the magnitude of the returns (`QFunction.outputScale`).
        public var valueScale: Float = 100
        public init() {}
        /// Rows the policy network must hold: the actor step keeps its activations of every
        /// rollout step, (H + 1) minibatches, for the backward sweep.
        public var rolloutRows: Int { (horizon + 1) * batchSize }
    }

    public let algorithm = Algorithm.sacSVG
    public let hyperparameters: Hyperparameters
    public let policy: GaussianPolicy
    public let model: DynamicsModel
    public let critics: (QFunction, QFunction)
    public let replay: ReplayBuffer
    let reward: any TaskReward
    let rewardScratch: RewardScratch
    let batch: Minibatch
    /// α, tuned towards `targetEntropy` (eq. 23).
    public let temperatureTuner: Temperature
    public var generator: Xoshiro256StarStar
    public var schedule: AgentSchedule {
        .everyStep(updatesPerStep: hyperparameters.updatesPerStep, warmup: hyperparameters.warmupSteps)
    }

    // The actor's rollout, t = 0 … H (rows of n): states, noise, pre-squash u, actions,
    // log π; the cotangents of states and actions; targets and next actions of the critic step.
    let states: FloatBuffer, noise: FloatBuffer, preSquash: FloatBuffer, actions: FloatBuffer, logProbabilities: FloatBuffer
    let stateCotangents: FloatBuffer, actionCotangents: FloatBuffer, modelCotangent: FloatBuffer
    let targets: FloatBuffer, nextActions: FloatBuffer, nextLogProbabilities: FloatBuffer
    // Model sequences: start rows, the unrolled state, the observed changes, the active rows.
    let sequenceStarts: UnsafeMutableBufferPointer<Int>, unrolled: FloatBuffer, deltas: FloatBuffer
    let active: UnsafeMutableBufferPointer<Int>

    public private(set) var modelLoss: Float = 0, criticLoss: Float = 0, actorObjective: Float = 0, entropy: Float = 0
    public private(set) var updates = 0
    public let lossNames = ["model_loss", "critic_loss", "temperature"]
    public func loss(_ index: Int) -> Float { index == 0 ? modelLoss : index == 1 ? criticLoss : temperature }
    public var clipActivity: [ClipActivity] {
        [.init(network: "actor", optimizers: [policy.meanOptimizer]),
         .init(network: "critics", optimizers: [critics.0.optimizer, critics.1.optimizer]),
         .init(network: "model", optimizers: model.optimizers)]
    }

    /// α.
    public var temperature: Float { temperatureTuner.value }

    /// The target entropy H̄ after `updates` updates.
    public var targetEntropy: Float {
        let h = hyperparameters, minusA = -Float(policy.actionSize)
        let start = h.initialTargetEntropy ?? minusA, end = h.finalTargetEntropy ?? minusA
        let progress = min(Float(updates) / Float(max(h.targetEntropySteps, 1)), 1)
        return (start - end) * powf(1 - progress, h.targetEntropyDecay) + end
    }

    /// The horizon of the next actor step: H once `modelFreeUpdates` updates are done, else 0.
    public var expansionHorizon: Int { updates >= hyperparameters.modelFreeUpdates ? hyperparameters.horizon : 0 }

    /// Builds the model and both critics from `generator` (in that order), then draws this
    /// agent's own generator's seed from it. `policy` must squash its samples.
    public init(policy: GaussianPolicy, replay: ReplayBuffer, reward: any TaskReward, actionLow: [Float], actionHigh: [Float],
                hyperparameters h: Hyperparameters, generator: inout Xoshiro256StarStar) {
        precondition(policy.squashesSamples, "SAC-SVG(H) needs a policy that squashes its samples")
        precondition(policy.mean.maxBatch >= h.rolloutRows,
                     "SAC-SVG(\(h.horizon)) keeps the policy's rows of every rollout step: it needs \(h.rolloutRows), has \(policy.mean.maxBatch)")
        self.policy = policy
        self.replay = replay
        self.reward = reward
        hyperparameters = h
        let n = h.batchSize, S = replay.stateSize, A = replay.actionSize, T = h.horizon + 1
        model = DynamicsModel(stateSize: S, actionSize: A, hidden: h.modelHidden, maxBatch: max(max(h.horizon, 1) * n, h.modelBatchSize),
                              learningRate: h.modelLearningRate, actionLow: actionLow, actionHigh: actionHigh, generator: &generator)
        func critic() -> QFunction {
            let q = QFunction(stateSize: S, actionSize: A, hidden: h.valueHidden, maxBatch: n, learningRate: h.valueLearningRate,
                              targetCopyInterval: 1, generator: &generator)
            q.outputScale = h.valueScale
            q.polyak = h.polyak
            return q
        }
        critics = (critic(), critic())
        rewardScratch = RewardScratch(observationSize: S, actionSize: A)
        batch = Minibatch(capacity: n, stateSize: S, actionSize: A)
        temperatureTuner = Temperature(initial: h.initialTemperature, learningRate: h.temperatureLearningRate)
        states = FloatBuffer(count: T * n * S)
        noise = FloatBuffer(count: T * n * A)
        preSquash = FloatBuffer(count: T * n * A)
        actions = FloatBuffer(count: T * n * A)
        logProbabilities = FloatBuffer(count: T * n)
        stateCotangents = FloatBuffer(count: T * n * S)
        actionCotangents = FloatBuffer(count: n * A)
        modelCotangent = FloatBuffer(count: n * S)
        targets = FloatBuffer(count: n)
        nextActions = FloatBuffer(count: n * A)
        nextLogProbabilities = FloatBuffer(count: n)
        sequenceStarts = .allocate(capacity: h.modelBatchSize)
        sequenceStarts.initialize(repeating: 0)
        active = .allocate(capacity: h.modelBatchSize)
        active.initialize(repeating: 0)
        unrolled = FloatBuffer(count: h.modelBatchSize * S)
        deltas = FloatBuffer(count: h.modelBatchSize * S)
        self.generator = Xoshiro256StarStar(seed: generator.next())
    }

    deinit {
        sequenceStarts.deallocate()
        active.deallocate()
    }

    public func update() {
        if hyperparameters.horizon > 0 {
            for _ in 0..<hyperparameters.modelStepsPerUpdate { modelLoss = modelStep() }
        }
        criticLoss = criticStep()
        batch.sample(hyperparameters.batchSize, from: replay, generator: &generator)
        for b in 0..<batch.count { batch.weights[b] = 1 }
        actorObjective = actorStep(batch, horizon: expansionHorizon, drawNoise: true, applyStep: true)
        temperatureStep()
        updates += 1
    }

    // MARK: 1. The model, on short real sequences

    /// Whether the replay holds `length` contiguous transitions of one episode from row `i`
    /// (none of them but the last terminal).
    func isSequence(from i: Int, length: Int) -> Bool {
        let episode = replay.episodes[i], step = replay.steps[i]
        for k in 0..<length {
            let j = (i + k) % replay.capacity
            if k > 0 && (j == replay.next || replay.episodes[j] != episode || replay.steps[j] != step + Int32(k)) { return false }
            if replay.count < replay.capacity && j >= replay.count { return false }
            if k < length - 1 && replay.terminals[j] != 0 { return false }
        }
        return true
    }

    /// One model step per unrolled transition on `modelBatchSize` sequences of H transitions
    /// (fewer where no sequence is found in 32 draws: a row then stops at its first transition).
    /// Returns the mean NLL of the first unrolled step.
    func modelStep() -> Float {
        let h = hyperparameters, m = h.modelBatchSize, S = replay.stateSize, H = h.horizon
        for b in 0..<m {
            var start = replay.sampleIndex(&generator), found = isSequence(from: start, length: H)
            var tries = 1
            while !found && tries < 32 {
                start = replay.sampleIndex(&generator)
                found = isSequence(from: start, length: H)
                tries += 1
            }
            sequenceStarts[b] = start
            active[b] = found ? H : 1
            for i in 0..<S { unrolled[b * S + i] = replay.state(start)[i] }
        }
        var firstLoss: Float = 0
        for k in 0..<H {
            // The rows still unrolling, packed at the front of the model's batch.
            var rows = 0
            for b in 0..<m where active[b] > k {
                let j = (sequenceStarts[b] + k) % replay.capacity
                model.setInput(sample: rows, state: unrolled.base + b * S, action: replay.action(j))
                for i in 0..<S { deltas[rows * S + i] = replay.nextState(j)[i] - unrolled[b * S + i] }
                rows += 1
            }
            guard rows > 0 else { break }
            let loss = model.trainStep(batch: rows, delta: deltas.base, deltaStride: S, clipNorm: h.clipNorm)
            if k == 0 { firstLoss = loss }
            // The next input: the prediction made before this step, not differentiated through.
            var r = 0
            for b in 0..<m where active[b] > k {
                for i in 0..<S { unrolled[b * S + i] += model.predictedChange(sample: r, dimension: i) }
                r += 1
            }
        }
        return firstLoss
    }

    // MARK: 2. The twin critics

    /// Draws a = c + h tanh(z + σ η) for the policy's last `forwardMean` rows into `into`
    /// (rows of A), the noise into `noiseOut` and u into `uOut` when given; returns nothing,
    /// writes log π(a|s) per row into `logOut`.
    @inline(__always)
    func sampleActions(batch n: Int, from first: Int = 0, into a: UnsafeMutablePointer<Float>, logOut: UnsafeMutablePointer<Float>,
                       noiseOut: UnsafeMutablePointer<Float>?, uOut: UnsafeMutablePointer<Float>?, drawNoise: Bool) {
        let A = policy.actionSize, c = policy.actionCenter!, half = policy.actionHalfRange!
        for b in 0..<n {
            var logDensity: Float = 0
            let mu = policy.meanRow(first + b)
            for i in 0..<A {
                let eta: Float
                if drawNoise { eta = Float(generator.nextGaussian()); noiseOut?[b * A + i] = eta } else { eta = noiseOut![b * A + i] }
                let u = mu[i] + policy.sampleStd(first + b, i) * eta
                let t = Tanh.value(u)
                uOut?[b * A + i] = u
                a[b * A + i] = c[i] + half[i] * t
                logDensity += GaussianPolicy.logDensity(eta: eta, logStd: policy.sampleLogStd(first + b, i))
                    - GaussianPolicy.logSquashSlope(tanh: t, halfRange: half[i])
            }
            logOut[b] = logDensity
        }
    }

    /// One step of each critic towards the SAC target. Returns the mean of their losses.
    func criticStep() -> Float {
        let h = hyperparameters, n = h.batchSize, S = replay.stateSize, A = replay.actionSize
        batch.sample(n, from: replay, generator: &generator)
        for b in 0..<n { batch.weights[b] = 1 }
        policy.forwardMean(states: batch.nextStates.base, stride: S, batch: n)
        sampleActions(batch: n, into: nextActions.base, logOut: nextLogProbabilities.base, noiseOut: nil, uOut: nil, drawNoise: true)
        let (q1, q2) = critics
        for b in 0..<n {
            q1.setInput(q1.target, sample: b, state: batch.nextState(b), action: nextActions.base + b * A)
            q2.setInput(q2.target, sample: b, state: batch.nextState(b), action: nextActions.base + b * A)
        }
        q1.target.forward(batch: n)
        q2.target.forward(batch: n)
        let alpha = temperature
        for b in 0..<n {
            let next = min(q1.outputScale * q1.target.output(sample: b)[0], q2.outputScale * q2.target.output(sample: b)[0])
                - alpha * nextLogProbabilities[b]
            targets[b] = batch.rewards[b] + (batch.terminals[b] != 0 ? 0 : h.gamma * next)
        }
        let loss = q1.fitStep(batch, targets: targets.base, clipNorm: h.clipNorm) + q2.fitStep(batch, targets: targets.base, clipNorm: h.clipNorm)
        return loss / 2
    }

    // MARK: 3. The actor, through the H-step expansion

    @inline(__always) func stateRow(_ t: Int, _ b: Int) -> UnsafeMutablePointer<Float> {
        states.base + (t * hyperparameters.batchSize + b) * replay.stateSize
    }
    @inline(__always) func actionRow(_ t: Int, _ b: Int) -> UnsafeMutablePointer<Float> {
        actions.base + (t * hyperparameters.batchSize + b) * replay.actionSize
    }

    /// The rollout from the states of `batch` (t = 0 … `horizon`): fills `states`, `noise`
    /// (drawn when `drawNoise`, else reused), `preSquash`, `actions`, `logProbabilities`, and
    /// returns the batch mean of J (the objective above). Leaves the critics' forward at s_H.
    @discardableResult
    func rollout(_ batch: Minibatch, horizon H: Int, drawNoise: Bool) -> Float {
        let n = batch.count, S = replay.stateSize, A = replay.actionSize, alpha = temperature
        for b in 0..<n { stateRow(0, b).update(from: batch.state(b), count: S) }
        var total: Float = 0
        var weight: Float = 1
        for t in 0...H {
            policy.forwardMean(states: stateRow(t, 0), stride: S, batch: n, from: t * n)
            sampleActions(batch: n, from: t * n, into: actions.base + t * n * A, logOut: logProbabilities.base + t * n,
                          noiseOut: noise.base + t * n * A, uOut: preSquash.base + t * n * A, drawNoise: drawNoise)
            if t < H {
                for b in 0..<n {
                    let r = rewardScratch.value(reward, s: UnsafeBufferPointer(start: stateRow(t, b), count: S),
                                                a: UnsafeBufferPointer(start: actionRow(t, b), count: A))
                    total += weight * (Float(r) - alpha * logProbabilities[t * n + b])
                    model.setInput(sample: t * n + b, state: stateRow(t, b), action: actionRow(t, b))
                }
                model.forward(batch: n, from: t * n)
                for b in 0..<n {
                    for i in 0..<S { stateRow(t + 1, b)[i] = stateRow(t, b)[i] + model.predictedChange(sample: t * n + b, dimension: i) }
                }
            } else {
                let (q1, q2) = critics
                for b in 0..<n {
                    q1.setInput(q1.network, sample: b, state: stateRow(t, b), action: actionRow(t, b))
                    q2.setInput(q2.network, sample: b, state: stateRow(t, b), action: actionRow(t, b))
                }
                q1.network.forward(batch: n)
                q2.network.forward(batch: n)
                for b in 0..<n {
                    let q = min(q1.outputScale * q1.network.output(sample: b)[0], q2.outputScale * q2.network.output(sample: b)[0])
                    total += weight * (q - alpha * logProbabilities[t * n + b])
                }
            }
            weight *= hyperparameters.gamma
        }
        return total / Float(n)
    }

    /// The actor's loss −J/(H + 1) and its gradient into the policy's `mean.gradients` and
    /// `logStdGradient`, back-propagated through the rollout: at each t from H down to 0, the
    /// cotangent of a_t (from Q̂ or r, and from the model's next state), through the squash and
    /// the re-parameterisation u = z + σ η to z and log σ, then the policy's backward pass adds
    /// its parameters' gradient and its input VJP to the cotangent of s_t, which passes through
    /// the model (s_t = s_{t−1} + μ̂) to s_{t−1} and a_{t−1}. With `applyStep`, one Adam step.
    /// Returns the batch mean of J.
    @discardableResult
    public func actorStep(_ batch: Minibatch, horizon H: Int, drawNoise: Bool, applyStep: Bool) -> Float {
        let n = batch.count, S = replay.stateSize, A = replay.actionSize, alpha = temperature, gamma = hyperparameters.gamma
        let objective = rollout(batch, horizon: H, drawNoise: drawNoise)
        let scale = 1 / (Float(n) * Float(H + 1))
        let half = policy.actionHalfRange!
        let (q1, q2) = critics
        policy.logStdGradient.zero()
        stateCotangents.zero()
        for t in stride(from: H, through: 0, by: -1) {
            let weight = powf(gamma, Float(t))
            let g = stateCotangents.base + t * n * S
            if t == H {
                // dJ/d(s_H, a_H) of γ^H min_j Q̂_j, through the smaller critic of each sample (its forward is the rollout's last).
                for b in 0..<n {
                    let first = q1.outputScale * q1.network.output(sample: b)[0] <= q2.outputScale * q2.network.output(sample: b)[0]
                    q1.network.outputGradient(sample: b)[0] = first ? weight * q1.outputScale : 0
                    q2.network.outputGradient(sample: b)[0] = first ? 0 : weight * q2.outputScale
                }
                q1.network.backward(batch: n, parameterGradients: .skip, inputGradient: true)
                q2.network.backward(batch: n, parameterGradients: .skip, inputGradient: true)
                for b in 0..<n {
                    let g1 = q1.network.inputGradient(sample: b), g2 = q2.network.inputGradient(sample: b)
                    for i in 0..<S { g[b * S + i] = g1[i] + g2[i] }
                    for i in 0..<A { actionCotangents[b * A + i] = g1[S + i] + g2[S + i] }
                }
            } else {
                // s_{t+1} = s_t + μ̂(s_t, a_t): the cotangent of s_{t+1} passes to s_t as is and through μ̂.
                let next = stateCotangents.base + (t + 1) * n * S
                // Through the model's activations of step t, kept from the rollout (rows t·n ..< (t + 1)·n).
                model.vectorJacobianProduct(batch: n, from: t * n, cotangent: next, cotangentStride: S)
                for b in 0..<n {
                    let vjp = model.inputGradient.base + b * model.inputStride
                    rewardScratch.gradient(reward, s: UnsafeBufferPointer(start: stateRow(t, b), count: S),
                                           a: UnsafeBufferPointer(start: actionRow(t, b), count: A))
                    for i in 0..<S { g[b * S + i] = next[b * S + i] + vjp[i] + weight * Float(rewardScratch.dObservation[i]) }
                    for i in 0..<A {
                        let a = actionRow(t, b)[i]
                        actionCotangents[b * A + i] = vjp[S + i] * model.saturationSlope(a, dimension: i) + weight * Float(rewardScratch.dAction[i])
                    }
                }
            }
            // Through the squash and the re-parameterisation to the policy's outputs at s_t (its
            // activations of step t are kept from the rollout, rows t·n ..< (t + 1)·n).
            let rows = t * n
            for b in 0..<n {
                for i in 0..<A {
                    let k = (t * n + b) * A + i
                    let tanhU = Tanh.value(preSquash[k])
                    // J ∋ −wα log π, and ∂ log π/∂u = 2 tanh u (the squash's log-slope), ∂ log π/∂ log σ = −1.
                    let dU = actionCotangents[b * A + i] * half[i] * (1 - tanhU * tanhU) - weight * alpha * 2 * tanhU
                    let dLogStd = dU * policy.sampleStd(rows + b, i) * noise[k] + weight * alpha
                    policy.setMeanCotangent(sample: rows + b, dimension: i, -dU * scale)
                    policy.addLogStdGradient(sample: rows + b, dimension: i, -dLogStd * scale)
                }
            }
            policy.mean.backward(batch: n, from: rows, parameterGradients: t == H ? .overwrite : .accumulate, inputGradient: t > 0)
            if t > 0 {
                // The policy's input VJP, in loss units: back to objective units.
                for b in 0..<n {
                    let gin = policy.mean.inputGradient(sample: rows + b)
                    for i in 0..<S { g[b * S + i] -= gin[i] / scale }
                }
            }
        }
        if applyStep { policy.step(clipNorm: hyperparameters.clipNorm) }
        entropy = 0
        for b in 0..<n { entropy -= logProbabilities[b] }
        entropy /= Float(n)
        return objective
    }

    /// J of the rollout from `batch` with the noise of the last actor step (finite-difference
    /// checks). Touches the policy's, model's and critics' activations only.
    public func rolloutObjective(_ batch: Minibatch, horizon: Int) -> Float {
        rollout(batch, horizon: horizon, drawNoise: false)
    }

    /// η of the last actor step at t = 0.
    public func rolloutNoise(sample b: Int, dimension i: Int) -> Float { noise[b * replay.actionSize + i] }

    // MARK: 4. The temperature

    /// log α ← log α − lr · α (−log π(a₀|s₀) − H̄), from the last actor step's a₀.
    func temperatureStep() { temperatureTuner.step(entropy: entropy, target: targetEntropy) }

    // MARK: Checkpoints

    public func records() -> [ParameterArchive.Record] {
        model.records(prefix: "agent.model") + critics.0.records(prefix: "agent.q1") + critics.1.records(prefix: "agent.q2")
            + temperatureTuner.records(prefix: "agent")
            + [generator.record(named: "agent.generator"), countersRecord("agent.updates", [updates])]
    }

    public func load(from archive: ParameterArchive, path: String) throws(ParameterArchiveError) {
        try model.load(from: archive, prefix: "agent.model", path: path)
        try critics.0.load(from: archive, prefix: "agent.q1", path: path)
        try critics.1.load(from: archive, prefix: "agent.q2", path: path)
        try temperatureTuner.load(from: archive, prefix: "agent", path: path)
        generator = try .load("agent.generator", from: archive, path: path)
        updates = try loadCounters("agent.updates", count: 1, from: archive, path: path)[0]
    }
}
