import Random
#if canImport(Glibc)
import Glibc
#endif

/// 3-joint planar arm in a walled box (the paper's reacher): the fingertip should reach a target
/// at one of the box's four corners, or a target that moves and reflects off the walls.
/// Dynamics: `PlanarChain` pinned at the origin, horizontal plane (no gravity), RK4 at 0.01 s.
///
/// Our constants: rods 0.2 m, 0.1 kg; joint damping 0.05 N·m·s/rad; torques |u| ≤ 0.2 N·m;
/// joints 2 and 3 limited to ±2.6 rad (≈ ±149°), enforced as inelastic stops; box [−0.5, 0.5]²;
/// corner targets at (±0.35, ±0.35); a moving target runs at 0.1 m/s and reflects off the box.
/// 500 steps (5 s). Reset: joint angles U(−0.3, 0.3) around a random base heading, at rest.
/// Observation (10): base angle θ₁ (wrapped), joint angles θ₂ − θ₁, θ₃ − θ₂, the three joint
/// angular velocities (relative), fingertip (2), target (2).
/// Reward −‖tip − target‖ − 0.5 ‖a‖²; γ = 0.98 (paper).
public final class Reacher: Plant {
    public let name = "reacher3"
    public let observationSize = 10
    public let actionSize = 3
    /// q (3), q̇ (3), target (2), target velocity (2).
    public let physicalStateSize = 10
    public let timeStep = 0.01
    public let episodeLength = 500
    public let discount = 0.98
    public let actionLow = [-0.2, -0.2, -0.2]
    public let actionHigh = [0.2, 0.2, 0.2]
    public private(set) var stepIndex = 0

    public static let rodLength = 0.2, rodMass = 0.1, jointDamping = 0.05
    public static let jointLimit = 2.6, boxHalfWidth = 0.5, cornerOffset = 0.35, targetSpeed = 0.1
    public static let actionPenalty = -0.5

    /// Whether targets move (reflecting off the walls) instead of sitting at a corner.
    public var movingTarget: Bool
    public let chain: PlanarChain
    public private(set) var targetX = 0.0, targetY = 0.0, targetVx = 0.0, targetVy = 0.0

    public init(movingTarget: Bool = false) {
        self.movingTarget = movingTarget
        chain = PlanarChain(links: 3, freeBase: false, length: Self.rodLength, mass: Self.rodMass)
        chain.jointDamping = Self.jointDamping
    }

    public func reset(using generator: inout Xoshiro256StarStar) {
        for i in 0..<chain.state.count { chain.state[i] = 0 }
        var angle = -Double.pi + 2 * Double.pi * generator.nextUniform()
        for i in 0..<3 {
            if i > 0 { angle += -0.3 + 0.6 * generator.nextUniform() }
            chain.state[i] = angle
        }
        let corner = Int(generator.next() % 4)
        targetX = (corner & 1 == 0 ? -1 : 1) * Self.cornerOffset
        targetY = (corner & 2 == 0 ? -1 : 1) * Self.cornerOffset
        if movingTarget {
            let direction = 2 * Double.pi * generator.nextUniform()
            targetVx = Self.targetSpeed * cos(direction)
            targetVy = Self.targetSpeed * sin(direction)
        } else {
            targetVx = 0; targetVy = 0
        }
        stepIndex = 0
    }

    public func reset(to s: UnsafeBufferPointer<Double>) {
        for i in 0..<6 { chain.state[i] = s[i] }
        targetX = s[6]; targetY = s[7]; targetVx = s[8]; targetVy = s[9]
        stepIndex = 0
    }

    public func physicalState(into s: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<6 { s[i] = chain.state[i] }
        s[6] = targetX; s[7] = targetY; s[8] = targetVx; s[9] = targetVy
    }

    /// Joint angle i (relative to the previous rod; joint 0 is the base heading).
    public func jointAngle(_ i: Int) -> Double {
        i == 0 ? chain.state[0] : chain.state[i] - chain.state[i - 1]
    }

    public func observe(into s: UnsafeMutableBufferPointer<Double>) {
        s[0] = normalizeAngle(chain.state[0])
        s[1] = jointAngle(1); s[2] = jointAngle(2)
        s[3] = chain.state[3]
        s[4] = chain.state[4] - chain.state[3]
        s[5] = chain.state[5] - chain.state[4]
        let tip = chain.tip(in: chain.state)
        s[6] = tip.x; s[7] = tip.y; s[8] = targetX; s[9] = targetY
    }

    public func step(action: UnsafeBufferPointer<Double>) -> Double {
        let tip = chain.tip(in: chain.state)
        var penalty = 0.0
        for i in 0..<3 { chain.torques[i] = 0 }
        for j in 0..<3 {
            // Joint j drives rod j against rod j − 1 (the ground for j = 0).
            let u = saturate(action[j], dimension: j)
            penalty += u * u
            chain.torques[j] += u
            if j > 0 { chain.torques[j - 1] -= u }
        }
        let reward = -hypot(tip.x - targetX, tip.y - targetY) + Self.actionPenalty * penalty
        chain.step(timeStep)
        enforceJointLimits()
        if movingTarget { moveTarget() }
        stepIndex += 1
        return reward
    }

    /// Inelastic stops: a joint past its limit is put back on it, its relative velocity zeroed,
    /// and the rods beyond it carried along so their own joint angles are unchanged.
    func enforceJointLimits() {
        for j in 1..<3 {
            let relative = jointAngle(j)
            guard abs(relative) > Self.jointLimit else { continue }
            let shift = (relative > 0 ? Self.jointLimit : -Self.jointLimit) - relative
            let velocityShift = -(chain.state[3 + j] - chain.state[3 + j - 1])
            for k in j..<3 {
                chain.state[k] += shift
                chain.state[3 + k] += velocityShift
            }
        }
    }

    func moveTarget() {
        targetX += timeStep * targetVx
        targetY += timeStep * targetVy
        let w = Self.boxHalfWidth
        if abs(targetX) > w { targetX = (targetX > 0 ? 2 * w : -2 * w) - targetX; targetVx = -targetVx }
        if abs(targetY) > w { targetY = (targetY > 0 ? 2 * w : -2 * w) - targetY; targetVy = -targetVy }
    }

    public func reward(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>) -> Double {
        var penalty = 0.0
        for j in 0..<3 {
            let u = saturate(a[j], dimension: j)
            penalty += u * u
        }
        return -hypot(s[6] - s[8], s[7] - s[9]) + Self.actionPenalty * penalty
    }

    public func rewardGradient(
        observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>,
        dObservation ds: UnsafeMutableBufferPointer<Double>, dAction da: UnsafeMutableBufferPointer<Double>
    ) {
        for i in 0..<observationSize { ds[i] = 0 }
        let dx = s[6] - s[8], dy = s[7] - s[9]
        let d = max(hypot(dx, dy), 1e-12)
        ds[6] = -dx / d; ds[7] = -dy / d; ds[8] = dx / d; ds[9] = dy / d
        for j in 0..<3 {
            let inside = a[j] > actionLow[j] && a[j] < actionHigh[j]
            da[j] = inside ? 2 * Self.actionPenalty * a[j] : 0
        }
    }
}
