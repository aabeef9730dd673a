import Random
#if canImport(Glibc)
import Glibc
#endif

/// gymnasium's `Pendulum-v1` (gymnasium/envs/classic_control/pendulum.py), the same system:
/// g = 10 m/s², m = 1 kg, l = 1 m, dt = 0.05 s, |u| ≤ 2 N·m, |θ̇| ≤ 8 rad/s, 200 steps.
/// State (θ, θ̇), θ = 0 upright; observation (cos θ, sin θ, θ̇); reset θ ~ U(−π, π), θ̇ ~ U(−1, 1).
/// Dynamics (semi-implicit Euler, gymnasium's order):
///     θ̇' = clip(θ̇ + (3g/(2l) sin θ + 3/(m l²) u) dt, −8, 8),   θ' = θ + θ̇' dt
/// Reward −(normalize(θ)² + 0.1 θ̇² + 0.001 u²) of the pre-step state, u the saturated action.
/// Matches gymnasium's own 1,000 steps (`Tests/PlantsTests/Fixtures/pendulum-v1-seed0.csv`, written by
/// scripts/gymnasium-reference.py) to 1e-5 (tested). Discount 0.99 (the peers').
///
/// `integrator: .rungeKutta4(substeps:)` integrates the same equations of motion with RK4 and
/// no speed clip, for physics checks (energy is conserved to 1e-6 relative over 10 s).
public final class Pendulum: Plant {
    /// The swung-up pendulum: the level SB3's SAC and TD3 reach and the field reports.
    public var successReturn: Double? { -200 }
    public var successMeaning: String { "swung up and held" }
    /// The 10 start states (θ, θ̇) of gymnasium's Pendulum-v1 reset with seeds 10000…10009: the
    /// states the peer baselines (SB3 SAC and TD3) were evaluated from, so returns compare.
    public static let referenceStarts: [[Double]] = [
        [0.10486889069367766, -0.1526016949671385],
        [1.3496685618959168, 0.2589404662431949],
        [0.8493980570323441, -0.4999700630882409],
        [1.1822558696189605, 0.4762485490273567],
        [2.1325297356164903, -0.3959668929659874],
        [-1.8140893034962666, -0.3433234680280224],
        [-2.264583582503015, 0.43258431824447574],
        [2.0313711561475216, -0.8960048450995441],
        [0.4799918678992796, -0.09630509412390209],
        [0.1403646502014828, 0.12236874520167551],
    ]
    public var referenceStarts: [[Double]]? { Self.referenceStarts }
    public enum Integrator: Sendable { case gymnasium, rungeKutta4(substeps: Int) }

    public let name = "pendulum"
    public let observationSize = 3
    public let actionSize = 1
    public let physicalStateSize = 2
    public let timeStep = 0.05
    public let episodeLength = 200
    public let discount = 0.99
    public let actionLow = [-2.0]
    public let actionHigh = [2.0]
    public private(set) var stepIndex = 0

    public static let gravity = 10.0, mass = 1.0, length = 1.0, maxSpeed = 8.0
    public let integrator: Integrator
    /// θ (not wrapped) and θ̇.
    public private(set) var theta = 0.0, thetaDot = 0.0

    public init(integrator: Integrator = .gymnasium) { self.integrator = integrator }

    public func reset(using generator: inout Xoshiro256StarStar) {
        theta = -Double.pi + 2 * Double.pi * generator.nextUniform()
        thetaDot = -1 + 2 * generator.nextUniform()
        stepIndex = 0
    }

    public func reset(to state: UnsafeBufferPointer<Double>) {
        theta = state[0]
        thetaDot = state[1]
        stepIndex = 0
    }

    public func physicalState(into state: UnsafeMutableBufferPointer<Double>) {
        state[0] = theta
        state[1] = thetaDot
    }

    public func observe(into observation: UnsafeMutableBufferPointer<Double>) {
        observation[0] = cos(theta)
        observation[1] = sin(theta)
        observation[2] = thetaDot
    }

    /// θ̈ of the equations of motion.
    @inline(__always) func acceleration(_ theta: Double, _ torque: Double) -> Double {
        3 * Self.gravity / (2 * Self.length) * sin(theta) + 3 / (Self.mass * Self.length * Self.length) * torque
    }

    public func step(action: UnsafeBufferPointer<Double>) -> Double {
        let u = saturate(action[0], dimension: 0)
        let wrapped = normalizeAngle(theta)
        let reward = -(wrapped * wrapped + 0.1 * thetaDot * thetaDot + 0.001 * u * u)
        switch integrator {
        case .gymnasium:
            let newThetaDot = min(max(thetaDot + acceleration(theta, u) * timeStep, -Self.maxSpeed), Self.maxSpeed)
            theta += newThetaDot * timeStep
            thetaDot = newThetaDot
        case .rungeKutta4(let substeps):
            let h = timeStep / Double(substeps)
            for _ in 0..<substeps {
                let k1x = thetaDot, k1v = acceleration(theta, u)
                let k2x = thetaDot + h / 2 * k1v, k2v = acceleration(theta + h / 2 * k1x, u)
                let k3x = thetaDot + h / 2 * k2v, k3v = acceleration(theta + h / 2 * k2x, u)
                let k4x = thetaDot + h * k3v, k4v = acceleration(theta + h * k3x, u)
                theta += h / 6 * (k1x + 2 * k2x + 2 * k3x + k4x)
                thetaDot += h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
            }
        }
        stepIndex += 1
        return reward
    }

    /// Energy per unit of the equations above (θ̈ = 3g/(2l) sin θ): ½ θ̇² + 3g/(2l) cos θ.
    public var energy: Double { 0.5 * thetaDot * thetaDot + 3 * Self.gravity / (2 * Self.length) * cos(theta) }

    public func reward(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>) -> Double {
        let angle = atan2(s[1], s[0])
        let u = saturate(a[0], dimension: 0)
        return -(angle * angle + 0.1 * s[2] * s[2] + 0.001 * u * u)
    }

    /// With θ = atan2(sin, cos): ∂θ/∂cos = −sin/(cos² + sin²), ∂θ/∂sin = cos/(cos² + sin²);
    /// r_a = −0.002 u inside the actuator range, 0 where the actuator saturates.
    public func rewardGradient(
        observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>,
        dObservation ds: UnsafeMutableBufferPointer<Double>, dAction da: UnsafeMutableBufferPointer<Double>
    ) {
        let angle = atan2(s[1], s[0])
        let r2 = s[0] * s[0] + s[1] * s[1]
        ds[0] = -2 * angle * (-s[1] / r2)
        ds[1] = -2 * angle * (s[0] / r2)
        ds[2] = -0.2 * s[2]
        let inside = a[0] > actionLow[0] && a[0] < actionHigh[0]
        da[0] = inside ? -0.002 * a[0] : 0
    }
}

/// gymnasium's `angle_normalize`: ((x + π) mod 2π) − π with a floored modulo.
@inlinable public func normalizeAngle(_ x: Double) -> Double {
    let twoPi = 2 * Double.pi
    let shifted = x + Double.pi
    return shifted - twoPi * (shifted / twoPi).rounded(.down) - Double.pi
}
