import Random
#if canImport(Glibc)
import Glibc
#endif

/// The paper's Hand task (Heess et al. 2015 §6.1, eq. 15; docs/algorithms.md §5): a 2-D point-mass hand
/// whose velocity is the action, coupled by a spring to a ball under gravity and a Gaussian
/// random force; after 1,000 steps of 0.01 s hand and ball should be at their targets, and only
/// then is that rewarded.
///
/// The paper gives no constants; ours: |ḣ| ≤ 1 m/s per axis; ball 1 kg; spring 20 N/m; damping
/// 2 N·s/m; gravity 9.81 m/s² along −y; random force N(0, 2² N²) per axis per step (the ball
/// wanders ≈ 2.4 cm per axis around where it hangs, so where it is at the end is not predictable
/// from the start: a policy that watches it does better — hand parked and ball ignored −0.35, an
/// LQR that knows the plant −0.10, `Benchmarks/learning/hand_reference.py`; the other forces
/// and target layouts tried are in docs/results/hand.md). Semi-implicit Euler. Targets: one of two
/// configurations, chosen at random each episode ("one of two randomly chosen target
/// configurations"): the hand's at (±`targetOffset`, 0), the ball's where the ball hangs under it
/// (m g / k = 0.49 m lower). Reset: hand and ball at rest at random points in [−0.5, 0.5]².
/// Observation (h_x, h_y, b_x, b_y, v_x, v_y, g^hand_x, g^hand_y, g^ball_x, g^ball_y, τ): time is in
/// the state, as in the paper, as the time left in seconds, τ = (T − t)·dt (10 → 0). Reward
/// α₁ ‖a‖² each step, α₁ = −0.001; terminal reward α₂ [d(hand, g^hand) + d(ball, g^ball)], α₂ = −10,
/// of the final observation. γ = 1.
public final class Hand: Plant {
    public let name = "hand"
    /// Reached: hand and ball together within 0.1 m of their targets at the end.
    public var successReturn: Double? { -1 }
    public var successMeaning: String { "hand and ball within 0.1 m of their targets" }
    /// On the true dynamics over 1,000 episodes (`Benchmarks/learning/hand_reference.py`).
    public var yardsticks: [(name: String, return: Double)] {
        [("finite-horizon LQR that knows the plant", -0.10), ("hand parked on its target, ball ignored", -0.35)]
    }
    public let observationSize = 11
    public let actionSize = 2
    public let physicalStateSize = 10
    public let timeStep = 0.01
    public let episodeLength = 1000
    public let discount = 1.0
    public let actionLow = [-1.0, -1.0]
    public let actionHigh = [1.0, 1.0]
    public private(set) var stepIndex = 0

    public static let ballMass = 1.0, springConstant = 20.0, damping = 2.0, gravity = 9.81
    public static let randomForceStandardDeviation = 2.0
    public static let actionPenalty = -0.001, terminalWeight = -10.0
    /// The two hand targets are (±targetOffset, 0), m.
    public static let targetOffset = 0.5

    /// hand (2), ball (2), ball velocity (2), hand target (2), ball target (2).
    var state = [Double](repeating: 0, count: 10)
    /// Draws the random force; seeded by `reset(using:)` (and by `reset(to:)` from the state).
    var forceGenerator = Xoshiro256StarStar(seed: 0)

    public init() {}

    public func reset(using generator: inout Xoshiro256StarStar) {
        for i in 0..<4 { state[i] = -0.5 + generator.nextUniform() }
        state[4] = 0; state[5] = 0
        // One of two target configurations, chosen at random: the hand's at (±x, 0), the ball's
        // where it hangs under it.
        let side: Double = generator.nextUniform() < 0.5 ? -1 : 1
        state[6] = side * Self.targetOffset; state[7] = 0
        state[8] = state[6]
        state[9] = -Self.ballMass * Self.gravity / Self.springConstant
        forceGenerator = Xoshiro256StarStar(seed: generator.next())
        stepIndex = 0
    }

    public func reset(to s: UnsafeBufferPointer<Double>) {
        for i in 0..<10 { state[i] = s[i] }
        forceGenerator = Xoshiro256StarStar(seed: 0)
        stepIndex = 0
    }

    public func physicalState(into s: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<10 { s[i] = state[i] }
    }

    public func observe(into s: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<10 { s[i] = state[i] }
        s[10] = Double(episodeLength - stepIndex) * timeStep
    }

    public func step(action: UnsafeBufferPointer<Double>) -> Double {
        let ax = saturate(action[0], dimension: 0), ay = saturate(action[1], dimension: 1)
        let fx = Self.randomForceStandardDeviation * forceGenerator.nextGaussian()
        let fy = Self.randomForceStandardDeviation * forceGenerator.nextGaussian()
        let h = timeStep
        state[0] += h * ax
        state[1] += h * ay
        let springX = Self.springConstant * (state[0] - state[2]), springY = Self.springConstant * (state[1] - state[3])
        state[4] += h * (springX - Self.damping * state[4] + fx) / Self.ballMass
        state[5] += h * (springY - Self.damping * state[5] + fy - Self.ballMass * Self.gravity) / Self.ballMass
        state[2] += h * state[4]
        state[3] += h * state[5]
        stepIndex += 1
        return Self.actionPenalty * (ax * ax + ay * ay)
    }

    public func reward(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>) -> Double {
        let ax = saturate(a[0], dimension: 0), ay = saturate(a[1], dimension: 1)
        return Self.actionPenalty * (ax * ax + ay * ay)
    }

    public func rewardGradient(
        observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>,
        dObservation ds: UnsafeMutableBufferPointer<Double>, dAction da: UnsafeMutableBufferPointer<Double>
    ) {
        for i in 0..<observationSize { ds[i] = 0 }
        for i in 0..<2 {
            let inside = a[i] > actionLow[i] && a[i] < actionHigh[i]
            da[i] = inside ? 2 * Self.actionPenalty * a[i] : 0
        }
    }

    public func terminalReward(observation s: UnsafeBufferPointer<Double>) -> Double {
        Self.terminalWeight * (hypot(s[0] - s[6], s[1] - s[7]) + hypot(s[2] - s[8], s[3] - s[9]))
    }

    /// ∂d/∂p = (p − g)/d for the hand and the ball, and the opposite for their targets.
    public func terminalRewardGradient(observation s: UnsafeBufferPointer<Double>, dObservation ds: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<observationSize { ds[i] = 0 }
        func distanceGradient(point p: Int, target g: Int) {
            let dx = s[p] - s[g], dy = s[p + 1] - s[g + 1]
            let d = max(hypot(dx, dy), 1e-12)
            ds[p] = Self.terminalWeight * dx / d
            ds[p + 1] = Self.terminalWeight * dy / d
            ds[g] = -ds[p]
            ds[g + 1] = -ds[p + 1]
        }
        distanceGradient(point: 0, target: 6)
        distanceGradient(point: 2, target: 8)
    }
}
