import Net

/// The on-policy algorithms, updated once after each episode from that episode (SVG-SPEC §3):
/// - SVG(1): critic steps on the replay, then one policy step from the whole episode with
///   c_t = [r_a + γ V̂_{s'}(s_{t+1}) f̂_a] π_θ at the real transitions (w = 1);
/// - SVG(∞): model steps, then the backward recursion along the real episode;
/// - planner: model steps, then the same recursion along a trajectory the model simulates.
/// The model (and critic) steps are those of the `SVG1ER` learner passed in (the trainer's own),
/// on replay minibatches: one learner, one minibatch generator, one set of losses to report.
public final class EpisodicSVG {
    /// Takes the model and critic steps.
    public let learner: SVG1ER
    public let infinity: SVGInfinity
    public let policyStep: ValueGradientPolicyStep
    let segment: Minibatch
    /// Model (and critic) steps after each episode (default: the episode length).
    public var fitStepsPerEpisode: Int
    /// SVG(∞) and planner: policy steps after each episode, each a fresh recursion with the
    /// current policy (SVG(∞): along the same real episode, η re-inferred; planner: along a
    /// fresh simulated trajectory). Algorithm 1 takes one; more is our option.
    public var policyStepsPerEpisode = 1
    public var generator: Xoshiro256StarStar

    /// `learner`'s policy, model, critic and replay are the ones updated; `seed` seeds the
    /// planner's simulated noise.
    public init(learner: SVG1ER, reward: any TaskReward, maxSteps: Int, seed: UInt64) {
        self.learner = learner
        infinity = SVGInfinity(policy: learner.policy, model: learner.model, reward: reward, maxSteps: maxSteps)
        policyStep = ValueGradientPolicyStep(policy: learner.policy, model: learner.model, reward: reward, maxBatch: maxSteps)
        segment = Minibatch(capacity: maxSteps, stateSize: learner.replay.stateSize, actionSize: learner.replay.actionSize)
        fitStepsPerEpisode = maxSteps
        generator = Xoshiro256StarStar(seed: seed ^ 0x9E37_79B9)
    }

    /// One update after an episode of `length` transitions (the newest `length` in the replay).
    public func update(algorithm: TrainingAlgorithm, length: Int) {
        let replay = learner.replay
        let gamma = learner.hyperparameters.gamma
        let clip = learner.hyperparameters.clipNorm
        for _ in 0..<fitStepsPerEpisode { learner.modelStep() }
        let first = replay.index(age: length - 1)
        segment.take(first..<(first + length), from: replay)
        let S = replay.stateSize, A = replay.actionSize
        switch algorithm {
        case .svg1:
            for _ in 0..<fitStepsPerEpisode { learner.valueStep() }
            learner.value.valueGradient(count: length, states: segment.nextStates.base, into: policyStep.valueGradients.base)
            policyStep.computeGradient(segment, gamma: gamma, maximumWeight: nil)
            policyStep.applyGradient(clipNorm: clip)
        case .svgInfinity, .planner:
            let states = segment.states.base, actions = segment.actions.base
            for _ in 0..<policyStepsPerEpisode {
                if algorithm == .planner {
                    infinity.computePlannerGradient(steps: length, gamma: gamma, start: segment.state(0), generator: &generator)
                } else {
                    infinity.computeGradient(steps: length, gamma: gamma, state: { UnsafePointer(states + $0 * S) },
                                             action: { UnsafePointer(actions + $0 * A) }, finalState: segment.nextState(length - 1))
                }
                applyPolicyGradient(clip)
            }
        }
    }

    func applyPolicyGradient(_ clip: Float) {
        GradientClipping.clip(infinity.policy.mean.gradients, maxNorm: clip)
        GradientClipping.clip(infinity.policy.logStdGradient, maxNorm: clip)
        infinity.policy.step()
    }
}

/// The episodic algorithms `EpisodicSVG` runs.
public enum TrainingAlgorithm: Sendable { case svg1, svgInfinity, planner }
