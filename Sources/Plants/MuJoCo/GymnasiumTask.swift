/// What makes a MuJoCo model one of gymnasium's tasks: frame skip, observation, reward,
/// termination, time limit and reset distribution, transcribed from gymnasium 1.4.0's
/// `gymnasium/envs/mujoco/<task>_v5.py` (defaults of each constructor). `MuJoCoPlant` runs it.
public struct GymnasiumTask: Sendable {
    /// gymnasium's id, e.g. "Hopper-v5".
    public let id: String
    /// gymnasium's MJCF text.
    let xml: String
    /// mj_step calls per env step (`frame_skip`).
    let frameSkip: Int
    /// Steps per episode (`max_episode_steps`, the TimeLimit truncation).
    let episodeLength: Int
    let observation: Observation
    let reward: Reward
    let termination: Termination
    let reset: Reset
    /// gymnasium's `reward_threshold` for the id, where it registers one.
    let rewardThreshold: Double?

    enum Observation: Sendable {
        /// qpos without its first `skippedPositions` entries, then qvel, clipped to ±`velocityClip`
        /// where given (Hopper, Walker2d) — the `_get_obs` of the locomotion tasks.
        case positionsAndVelocities(skippedPositions: Int, velocityClip: Double?)
        /// Reacher: cos and sin of the two joint angles, the target's position (qpos[2:4]), the
        /// joint velocities (qvel[0:2]), and fingertip − target (x, y) of the bodies' centres of mass.
        case reacher
        /// InvertedDoublePendulum: the cart's position qpos[0], sin and cos of the two hinge angles,
        /// qvel clipped to ±10, and the slider's constraint force qfrc_constraint[0] clipped to ±10.
        case doublePendulum
    }

    enum Reward: Sendable {
        /// `forwardWeight` · (x' − x)/dt + `healthyReward` · healthy(s') − `controlCost` · Σ a²
        /// (x = qpos[0]; the control cost in float32, as gymnasium computes it on float32 actions).
        case locomotion(forwardWeight: Double, controlCost: Float, healthyReward: Double)
        /// −‖fingertip − target‖ − Σ a² after the step (reward_dist_weight = reward_control_weight = 1).
        case reacher
        /// 1 while not terminated, 0 on the terminating step (InvertedPendulum).
        case alive
        /// `healthyReward` while not terminated − (0.01 x² + (y − 2)²) − (1e-3 v₁² + 5e-3 v₂²), (x, y)
        /// the tip site's position after the step, v = qvel[1:3] (InvertedDoublePendulum).
        case doublePendulum(healthyReward: Double)
    }

    enum Termination: Sendable {
        case never
        /// Unhealthy: z = qpos[1] or the torso angle qpos[2] outside the open ranges, or (when given)
        /// any of (qpos, qvel)[2:] outside ±`stateLimit` (Hopper, Walker2d).
        case unhealthy(zLow: Double, zHigh: Double, angleLow: Double, angleHigh: Double, stateLimit: Double?)
        /// |qpos[1]| > `limit` or a non-finite observation (InvertedPendulum).
        case poleAngle(limit: Double)
        /// The tip site's height (site_xpos[0].z) at or below `height` (InvertedDoublePendulum).
        case tipBelow(height: Double)
    }

    enum Reset: Sendable {
        /// qpos0 + U(−`scale`, `scale`) per position; qvel U(−`scale`, `scale`) or, with
        /// `gaussianVelocity`, N(0, `scale`²) per velocity (HalfCheetah).
        case noise(scale: Double, gaussianVelocity: Bool)
        /// Reacher: arm angles qpos0 + U(−0.1, 0.1), a goal drawn uniformly in the disc of radius 0.2
        /// (by rejection from the square), arm velocities U(−0.005, 0.005), the goal at rest.
        case reacher
    }

    /// The tasks svg-rt serves, by gymnasium id.
    public static let all: [GymnasiumTask] = [hopper, halfCheetah, walker2d, swimmer, reacher, invertedPendulum, invertedDoublePendulum]

    public static func named(_ id: String) -> GymnasiumTask? { all.first { $0.id == id } }

    static let hopper = GymnasiumTask(
        id: "Hopper-v5", xml: GymnasiumModels.hopper, frameSkip: 4, episodeLength: 1000,
        observation: .positionsAndVelocities(skippedPositions: 1, velocityClip: 10),
        reward: .locomotion(forwardWeight: 1, controlCost: 1e-3, healthyReward: 1),
        termination: .unhealthy(zLow: 0.7, zHigh: .infinity, angleLow: -0.2, angleHigh: 0.2, stateLimit: 100),
        reset: .noise(scale: 5e-3, gaussianVelocity: false), rewardThreshold: 3800)

    static let halfCheetah = GymnasiumTask(
        id: "HalfCheetah-v5", xml: GymnasiumModels.halfCheetah, frameSkip: 5, episodeLength: 1000,
        observation: .positionsAndVelocities(skippedPositions: 1, velocityClip: nil),
        reward: .locomotion(forwardWeight: 1, controlCost: 0.1, healthyReward: 0),
        termination: .never, reset: .noise(scale: 0.1, gaussianVelocity: true), rewardThreshold: 4800)

    static let walker2d = GymnasiumTask(
        id: "Walker2d-v5", xml: GymnasiumModels.walker2d, frameSkip: 4, episodeLength: 1000,
        observation: .positionsAndVelocities(skippedPositions: 1, velocityClip: 10),
        reward: .locomotion(forwardWeight: 1, controlCost: 1e-3, healthyReward: 1),
        termination: .unhealthy(zLow: 0.8, zHigh: 2.0, angleLow: -1, angleHigh: 1, stateLimit: nil),
        reset: .noise(scale: 5e-3, gaussianVelocity: false), rewardThreshold: nil)

    static let swimmer = GymnasiumTask(
        id: "Swimmer-v5", xml: GymnasiumModels.swimmer, frameSkip: 4, episodeLength: 1000,
        observation: .positionsAndVelocities(skippedPositions: 2, velocityClip: nil),
        reward: .locomotion(forwardWeight: 1, controlCost: 1e-4, healthyReward: 0),
        termination: .never, reset: .noise(scale: 0.1, gaussianVelocity: false), rewardThreshold: 360)

    static let reacher = GymnasiumTask(
        id: "Reacher-v5", xml: GymnasiumModels.reacher, frameSkip: 2, episodeLength: 50,
        observation: .reacher, reward: .reacher, termination: .never, reset: .reacher, rewardThreshold: -3.75)

    static let invertedPendulum = GymnasiumTask(
        id: "InvertedPendulum-v5", xml: GymnasiumModels.invertedPendulum, frameSkip: 2, episodeLength: 1000,
        observation: .positionsAndVelocities(skippedPositions: 0, velocityClip: nil),
        reward: .alive, termination: .poleAngle(limit: 0.2),
        reset: .noise(scale: 0.01, gaussianVelocity: false), rewardThreshold: 950)

    static let invertedDoublePendulum = GymnasiumTask(
        id: "InvertedDoublePendulum-v5", xml: GymnasiumModels.invertedDoublePendulum, frameSkip: 5, episodeLength: 1000,
        observation: .doublePendulum, reward: .doublePendulum(healthyReward: 10), termination: .tipBelow(height: 1),
        reset: .noise(scale: 0.1, gaussianVelocity: true), rewardThreshold: 9100)
}
