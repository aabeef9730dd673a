import Random
#if canImport(Glibc)
import Glibc
#endif

/// Cart-pole swing-up and balance with the classic constants of Barto, Sutton & Anderson (1983),
/// as in gymnasium's CartPole: g = 9.8 m/s², cart 1.0 kg, pole 0.1 kg, pole half-length 0.5 m,
/// frictionless; equations of motion from Florian (2007), "Correct equations for the dynamics of
/// the cart-pole system" (frictionless case):
///     θ̈ = (g sin θ + cos θ (−F − m_p l θ̇² sin θ)/(m_c + m_p)) / (l (4/3 − m_p cos² θ/(m_c + m_p)))
///     ẍ = (F + m_p l (θ̇² sin θ − θ̈ cos θ)) / (m_c + m_p)
/// θ = 0 upright. Our choices: force F = 10 N × a with a ∈ [−1, 1] (gymnasium's force magnitude),
/// RK4 at dt = 0.01 s, 1,000 steps (10 s), track ends at |x| = 3 m (the cart stops dead there),
/// reset hanging down: θ = π + U(−0.1, 0.1), x, ẋ, θ̇ ~ U(−0.05, 0.05).
/// Observation (x, cos θ, sin θ, ẋ, θ̇) as dm_control's; reward cos θ − 0.05 x² − 0.01 a²
/// (1 upright at the centre, −1 hanging); discount 0.99.
public final class CartPole: Plant {
    public var successReturn: Double? { 500 }
    public var successMeaning: String { "swung up and balanced for most of the episode" }
    public let name = "cartpole"
    public let observationSize = 5
    public let actionSize = 1
    public let physicalStateSize = 4
    public let timeStep = 0.01
    public let episodeLength = 1000
    public let discount = 0.99
    public let actionLow = [-1.0]
    public let actionHigh = [1.0]
    public private(set) var stepIndex = 0

    public static let gravity = 9.8, cartMass = 1.0, poleMass = 0.1, halfLength = 0.5
    public static let forceScale = 10.0, trackLimit = 3.0
    /// x, ẋ, θ, θ̇.
    public private(set) var x = 0.0, xDot = 0.0, theta = Double.pi, thetaDot = 0.0

    public init() {}

    public func reset(using generator: inout Xoshiro256StarStar) {
        x = -0.05 + 0.1 * generator.nextUniform()
        xDot = -0.05 + 0.1 * generator.nextUniform()
        theta = Double.pi - 0.1 + 0.2 * generator.nextUniform()
        thetaDot = -0.05 + 0.1 * generator.nextUniform()
        stepIndex = 0
    }

    public func reset(to state: UnsafeBufferPointer<Double>) {
        x = state[0]; xDot = state[1]; theta = state[2]; thetaDot = state[3]
        stepIndex = 0
    }

    public func physicalState(into state: UnsafeMutableBufferPointer<Double>) {
        state[0] = x; state[1] = xDot; state[2] = theta; state[3] = thetaDot
    }

    public func observe(into s: UnsafeMutableBufferPointer<Double>) {
        s[0] = x; s[1] = cos(theta); s[2] = sin(theta); s[3] = xDot; s[4] = thetaDot
    }

    /// (ẍ, θ̈) at (θ, θ̇) under force F.
    @inline(__always) func accelerations(_ theta: Double, _ thetaDot: Double, _ force: Double) -> (Double, Double) {
        let total = Self.cartMass + Self.poleMass
        let s = sin(theta), c = cos(theta)
        let thetaAcc = (Self.gravity * s + c * (-force - Self.poleMass * Self.halfLength * thetaDot * thetaDot * s) / total)
            / (Self.halfLength * (4.0 / 3.0 - Self.poleMass * c * c / total))
        let xAcc = (force + Self.poleMass * Self.halfLength * (thetaDot * thetaDot * s - thetaAcc * c)) / total
        return (xAcc, thetaAcc)
    }

    public func step(action: UnsafeBufferPointer<Double>) -> Double {
        let a = saturate(action[0], dimension: 0)
        let reward = cos(theta) - 0.05 * x * x - 0.01 * a * a
        let force = Self.forceScale * a
        let h = timeStep
        let (a1x, a1t) = accelerations(theta, thetaDot, force)
        let (a2x, a2t) = accelerations(theta + h / 2 * thetaDot, thetaDot + h / 2 * a1t, force)
        let (a3x, a3t) = accelerations(theta + h / 2 * (thetaDot + h / 2 * a1t), thetaDot + h / 2 * a2t, force)
        let (a4x, a4t) = accelerations(theta + h * (thetaDot + h / 2 * a2t), thetaDot + h * a3t, force)
        x += h / 6 * (xDot + 2 * (xDot + h / 2 * a1x) + 2 * (xDot + h / 2 * a2x) + (xDot + h * a3x))
        xDot += h / 6 * (a1x + 2 * a2x + 2 * a3x + a4x)
        theta += h / 6 * (thetaDot + 2 * (thetaDot + h / 2 * a1t) + 2 * (thetaDot + h / 2 * a2t) + (thetaDot + h * a3t))
        thetaDot += h / 6 * (a1t + 2 * a2t + 2 * a3t + a4t)
        if abs(x) > Self.trackLimit {
            x = x > 0 ? Self.trackLimit : -Self.trackLimit
            xDot = 0
        }
        stepIndex += 1
        return reward
    }

    /// Mechanical energy (cart + pole kinetic, pole potential with θ = 0 up), conserved unactuated.
    public var energy: Double {
        let m = Self.poleMass, l = Self.halfLength
        let poleVx = xDot + l * cos(theta) * thetaDot, poleVy = -l * sin(theta) * thetaDot
        let inertia = m * (2 * l) * (2 * l) / 12
        return 0.5 * Self.cartMass * xDot * xDot + 0.5 * m * (poleVx * poleVx + poleVy * poleVy)
            + 0.5 * inertia * thetaDot * thetaDot + m * Self.gravity * l * cos(theta)
    }

    public func reward(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>) -> Double {
        let u = saturate(a[0], dimension: 0)
        return s[1] - 0.05 * s[0] * s[0] - 0.01 * u * u
    }

    public func rewardGradient(
        observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>,
        dObservation ds: UnsafeMutableBufferPointer<Double>, dAction da: UnsafeMutableBufferPointer<Double>
    ) {
        ds[0] = -0.1 * s[0]; ds[1] = 1; ds[2] = 0; ds[3] = 0; ds[4] = 0
        let inside = a[0] > actionLow[0] && a[0] < actionHigh[0]
        da[0] = inside ? -0.02 * a[0] : 0
    }
}
