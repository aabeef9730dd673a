import Random
#if canImport(Glibc)
import Glibc
#endif

/// N-link planar swimmer in a viscous fluid (the paper's 3-, 5- and 7-link swimmers; the model of
/// Coulom 2002, "Reinforcement Learning Using Neural Networks, with Applications to Motor
/// Control", §7): a chain of rods with anisotropic viscous drag, joint torques between
/// neighbours. Dynamics: `PlanarChain` with a free base, RK4 at dt = 0.01 s, 1,000 steps.
///
/// Our constants (the papers omit them): rods 0.5 m, 1 kg; normal drag 10 N·s/m² and tangential
/// drag 0.5 N·s/m² per unit length (swimming needs normal ≫ tangential); torques |u| ≤ 1 N·m.
/// Goal 10 m from the nose in a random direction. Reset: the chain straight along a random
/// heading, at rest, nose at the origin.
/// Observation (2N + 4): the first rod's angle θ₁ (wrapped), the N − 1 joint angles θ_{i+1} − θ_i,
/// the N absolute angular velocities, centre-of-mass velocity (2) and nose→goal vector (2), both
/// in the nose's frame (forward, left): the task looks the same whatever the heading, so a policy
/// steers from what it sees without rotating world coordinates by a wrapped angle.
/// Reward (paper): α₁ r̂_goal · v_com + α₂ ‖a‖², α₁ = 1, α₂ = −0.01; γ = 0.995 (paper). The dot
/// product is the same in any frame, so the reward of an observation is the world's.
public final class Swimmer: Plant {
    public let name: String
    public let links: Int
    public var observationSize: Int { 2 * links + 4 }
    public var actionSize: Int { links - 1 }
    /// q (N + 2), q̇ (N + 2), goal (2).
    public var physicalStateSize: Int { 2 * (links + 2) + 2 }
    public let timeStep = 0.01
    public let episodeLength = 1000
    public let discount = 0.995
    public let actionLow: [Double]
    public let actionHigh: [Double]
    public private(set) var stepIndex = 0

    public static let rodLength = 0.5, rodMass = 1.0, normalDrag = 10.0, tangentialDrag = 0.5
    public static let goalDistance = 10.0, progressWeight = 1.0, actionPenalty = -0.01

    /// 2: the centre-of-mass velocity and the nose→goal vector in the nose's frame (they were in
    /// world coordinates at 1).
    public static let revision = PlantRevision(2, change: "the centre-of-mass velocity and the goal vector are observed in the nose's frame, no longer in world coordinates")

    public let chain: PlanarChain
    public private(set) var goalX = 0.0, goalY = 0.0

    public init(links: Int) {
        precondition(links >= 2, "a swimmer needs at least 2 links")
        self.links = links
        name = "swimmer\(links)"
        actionLow = Array(repeating: -1, count: links - 1)
        actionHigh = Array(repeating: 1, count: links - 1)
        chain = PlanarChain(links: links, freeBase: true, length: Self.rodLength, mass: Self.rodMass)
        chain.normalDrag = Self.normalDrag
        chain.tangentialDrag = Self.tangentialDrag
    }

    public func reset(using generator: inout Xoshiro256StarStar) {
        let heading = -Double.pi + 2 * Double.pi * generator.nextUniform()
        let goalDirection = -Double.pi + 2 * Double.pi * generator.nextUniform()
        for i in 0..<chain.state.count { chain.state[i] = 0 }
        // The nose leads: rods extend backwards from the nose, opposite to the heading.
        for i in 0..<links { chain.state[chain.angleIndex(i)] = heading + Double.pi }
        goalX = Self.goalDistance * cos(goalDirection)
        goalY = Self.goalDistance * sin(goalDirection)
        stepIndex = 0
    }

    public func reset(to s: UnsafeBufferPointer<Double>) {
        for i in 0..<chain.state.count { chain.state[i] = s[i] }
        goalX = s[chain.state.count]
        goalY = s[chain.state.count + 1]
        stepIndex = 0
    }

    public func physicalState(into s: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<chain.state.count { s[i] = chain.state[i] }
        s[chain.state.count] = goalX
        s[chain.state.count + 1] = goalY
    }

    public func observe(into s: UnsafeMutableBufferPointer<Double>) {
        let dof = chain.dof
        s[0] = normalizeAngle(chain.state[chain.angleIndex(0)])
        for i in 1..<links {
            s[i] = normalizeAngle(chain.state[chain.angleIndex(i)] - chain.state[chain.angleIndex(i - 1)])
        }
        for i in 0..<links { s[links + i] = chain.state[dof + chain.angleIndex(i)] }
        let v = centreOfMassVelocity, f = forward
        let gx = goalX - chain.state[0], gy = goalY - chain.state[1]
        s[2 * links] = v.x * f.x + v.y * f.y
        s[2 * links + 1] = v.y * f.x - v.x * f.y
        s[2 * links + 2] = gx * f.x + gy * f.y
        s[2 * links + 3] = gy * f.x - gx * f.y
    }

    /// The nose's forward unit vector: the rods extend backwards from the nose, so it points
    /// opposite to the first rod's angle. Its left is (−f_y, f_x).
    var forward: (x: Double, y: Double) {
        let angle = chain.state[chain.angleIndex(0)]
        return (-cos(angle), -sin(angle))
    }

    public func step(action: UnsafeBufferPointer<Double>) -> Double {
        // Reward of the pre-step observation needs v_com and the goal direction.
        let vx = centreOfMassVelocity.x, vy = centreOfMassVelocity.y
        let gx = goalX - chain.state[0], gy = goalY - chain.state[1]
        let g = max(hypot(gx, gy), 1e-12)
        var penalty = 0.0
        for i in 0..<chain.dof { chain.torques[i] = 0 }
        for j in 0..<(links - 1) {
            // Joint j between rods j and j + 1: +u on rod j + 1, −u on rod j.
            let u = saturate(action[j], dimension: j)
            penalty += u * u
            chain.torques[chain.angleIndex(j + 1)] += u
            chain.torques[chain.angleIndex(j)] -= u
        }
        let reward = Self.progressWeight * (gx * vx + gy * vy) / g + Self.actionPenalty * penalty
        chain.step(timeStep)
        stepIndex += 1
        return reward
    }

    var centreOfMassVelocity: (x: Double, y: Double) {
        var vx = 0.0, vy = 0.0
        for i in 0..<links {
            let c = chain.centre(of: i, in: chain.state)
            vx += c.vx; vy += c.vy
        }
        return (vx / Double(links), vy / Double(links))
    }

    public func reward(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>) -> Double {
        let v = 2 * links, gIndex = 2 * links + 2
        let gx = s[gIndex], gy = s[gIndex + 1]
        let g = max(hypot(gx, gy), 1e-12)
        var penalty = 0.0
        for j in 0..<(links - 1) {
            let u = saturate(a[j], dimension: j)
            penalty += u * u
        }
        return Self.progressWeight * (gx * s[v] + gy * s[v + 1]) / g + Self.actionPenalty * penalty
    }

    /// r = α₁ (g · v)/‖g‖: ∂r/∂v = α₁ g/‖g‖, ∂r/∂g = α₁ (v/‖g‖ − (g · v) g/‖g‖³).
    public func rewardGradient(
        observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>,
        dObservation ds: UnsafeMutableBufferPointer<Double>, dAction da: UnsafeMutableBufferPointer<Double>
    ) {
        for i in 0..<observationSize { ds[i] = 0 }
        let v = 2 * links, gIndex = 2 * links + 2
        let gx = s[gIndex], gy = s[gIndex + 1], vx = s[v], vy = s[v + 1]
        let g = max(hypot(gx, gy), 1e-12)
        let dot = gx * vx + gy * vy
        ds[v] = Self.progressWeight * gx / g
        ds[v + 1] = Self.progressWeight * gy / g
        ds[gIndex] = Self.progressWeight * (vx / g - dot * gx / (g * g * g))
        ds[gIndex + 1] = Self.progressWeight * (vy / g - dot * gy / (g * g * g))
        for j in 0..<(links - 1) {
            let inside = a[j] > actionLow[j] && a[j] < actionHigh[j]
            da[j] = inside ? 2 * Self.actionPenalty * a[j] : 0
        }
    }
}
