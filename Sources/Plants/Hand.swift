import Random
#if canImport(Glibc)
import Glibc
#endif

/// The paper's Hand task (Heess et al. 2015 §6.1, eq. 15; SVG-SPEC §4): a 2-D point-mass hand
/// whose velocity is the action, coupled by a spring to a ball under gravity and a Gaussian
/// random force; after 1,000 steps of 0.01 s the hand should be at its target and the ball at
/// its target, and only then is that rewarded.
///
/// The paper gives no constants; ours: |ḣ| ≤ 1 m/s per axis; ball 1 kg; spring 20 N/m; damping
/// 2 N·s/m; gravity 9.81 m/s² along −y; random force N(0, 1 N²) per axis per step; semi-implicit
/// Euler. Two random targets per episode (the paper's d(hand, 0) is the special case of a hand
/// target at the origin): the hand's uniform in [−1, 1]², the ball's where the ball would hang
/// under the hand at its target (m g / k = 0.49 m below it) moved by a uniform random point of a
/// disc of radius `ballTargetRadius` = 0.25 m. So the ball can always be brought to its target,
/// but off the rest point it must be swinging through it at the final step: the timing is what
/// the policy must learn. (With both targets uniform and independent, as first built, the ball
/// target was mostly out of reach — a 1 m/s hand swings a 20 N/m, 2 N·s/m ball only ≈ 0.5 m
/// off its rest point — and every policy scored near −13.) Reset: hand and ball at rest at
/// random points in [−0.5, 0.5]².
/// Observation (h_x, h_y, b_x, b_y, v_x, v_y, g^hand_x, g^hand_y, g^ball_x, g^ball_y, t/T) — time in
/// the state, as the paper's. Reward α₁ ‖a‖² each step, α₁ = −0.001; terminal reward
/// α₂ [d(hand, g^hand) + d(ball, g^ball)], α₂ = −10, of the final observation. γ = 1.
public final class Hand: Plant {
    public let name = "hand"
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
    public static let randomForceStandardDeviation = 1.0
    public static let actionPenalty = -0.001, terminalWeight = -10.0
    /// Radius of the disc around the ball's rest point under the hand target that holds the ball target, m.
    public static let ballTargetRadius = 0.25

    /// hand (2), ball (2), ball velocity (2), hand target (2), ball target (2).
    var state = [Double](repeating: 0, count: 10)
    /// Draws the random force; seeded by `reset(using:)` (and by `reset(to:)` from the state).
    var forceGenerator = Xoshiro256StarStar(seed: 0)

    public init() {}

    public func reset(using generator: inout Xoshiro256StarStar) {
        for i in 0..<4 { state[i] = -0.5 + generator.nextUniform() }
        state[4] = 0; state[5] = 0
        state[6] = -1 + 2 * generator.nextUniform()
        state[7] = -1 + 2 * generator.nextUniform()
        // Uniform in the disc: radius √u · R, angle 2π v.
        let radius = Self.ballTargetRadius * generator.nextUniform().squareRoot()
        let angle = 2 * Double.pi * generator.nextUniform()
        state[8] = state[6] + radius * cos(angle)
        state[9] = state[7] - Self.ballMass * Self.gravity / Self.springConstant + radius * sin(angle)
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
        s[10] = Double(stepIndex) / Double(episodeLength)
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
