import _MuJoCo
import Random
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A gymnasium MuJoCo task (`GymnasiumTask`) as a plant: gymnasium's model stepped by the MuJoCo
/// C library `frameSkip` times per step, then `mj_rnePostConstraint`, exactly as gymnasium's
/// `MujocoEnv.do_simulation`; observation, reward, termination and time limit as gymnasium's v5.
///
/// Physical state (HELLO, RESET): qpos followed by qvel, MuJoCo's order (P = nq + nv).
/// `step` returns gymnasium's reward. `reward(observation:action:)` is the learner's
/// differentiable model of it where gymnasium's needs what the observation lacks (the x position
/// before and after): the observed forward velocity qvel[0] stands in for (x' − x)/dt and the
/// healthy bonus for healthy(s'); `rewardIsExact` is false then (docs/mujoco.md measures the error).
/// Actions are saturated to the actuators' ranges before they reach MuJoCo and the control cost.
/// After `init` nothing allocates: MuJoCo's data holds every buffer.
public final class MuJoCoPlant: Plant {
    /// The gymnasium release whose task definitions and models these are.
    public static let gymnasiumVersion = GymnasiumModels.gymnasiumVersion
    public let task: GymnasiumTask
    public var name: String { task.id }
    public let observationSize: Int
    public let actionSize: Int
    public let physicalStateSize: Int
    public let timeStep: Double
    public var episodeLength: Int { task.episodeLength }
    public let discount = 0.99
    public let actionLow: [Double]
    public let actionHigh: [Double]
    public private(set) var stepIndex = 0
    public private(set) var isTerminated = false
    public var rewardIsExact: Bool {
        false
    }
    public var successReturn: Double? { task.rewardThreshold }
    public var successMeaning: String { task.rewardThreshold == nil ? "" : "gymnasium's reward_threshold for \(task.id)" }

    let sim: OpaquePointer
    let nq: Int, nv: Int, nu: Int
    let qpos: UnsafeMutablePointer<Double>, qvel: UnsafeMutablePointer<Double>, ctrl: UnsafeMutablePointer<Double>
    let qpos0: UnsafePointer<Double>
    /// Reacher's bodies (−1 elsewhere).
    let fingertip: Int, target: Int
    /// Index in the observation of qvel[0], the forward velocity (locomotion tasks).
    let velocityIndex: Int

    /// gymnasium's task `id`, compiled. Throws when MuJoCo is unavailable or refuses the model.
    public init(_ id: String) throws(PlantUnavailable) {
        guard let task = GymnasiumTask.named(id) else { throw PlantUnavailable("no gymnasium task '\(id)'") }
        if case .failure(let reason) = MuJoCoLibrary.status { throw PlantUnavailable("\(id) needs MuJoCo: \(reason)") }
        var error = [CChar](repeating: 0, count: 1024)
        guard let sim = svgrt_mj_load(task.xml, &error, error.count) else {
            throw PlantUnavailable("\(id): " + error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        self.task = task
        self.sim = sim
        nq = Int(svgrt_mj_nq(sim)); nv = Int(svgrt_mj_nv(sim)); nu = Int(svgrt_mj_nu(sim))
        qpos = svgrt_mj_qpos(sim); qvel = svgrt_mj_qvel(sim); ctrl = svgrt_mj_ctrl(sim)
        qpos0 = svgrt_mj_qpos0(sim)
        timeStep = svgrt_mj_timestep(sim) * Double(task.frameSkip)
        let range = svgrt_mj_ctrlrange(sim)!
        actionLow = (0..<nu).map { range[2 * $0] }
        actionHigh = (0..<nu).map { range[2 * $0 + 1] }
        actionSize = nu
        physicalStateSize = nq + nv
        switch task.observation {
        case .positionsAndVelocities(let skipped, _):
            observationSize = nq - skipped + nv
            velocityIndex = nq - skipped
            fingertip = -1; target = -1
        case .reacher:
            observationSize = 10
            velocityIndex = -1
            fingertip = Int(svgrt_mj_body_id(sim, "fingertip")); target = Int(svgrt_mj_body_id(sim, "target"))
        case .doublePendulum:
            observationSize = 1 + 2 * (nq - 1) + nv + 1
            velocityIndex = -1
            fingertip = -1; target = -1
        }
        svgrt_mj_reset(sim)
        svgrt_mj_forward(sim)
    }

    deinit { svgrt_mj_free(sim) }

    // MARK: State

    public func reset(using generator: inout Xoshiro256StarStar) {
        svgrt_mj_reset(sim)
        switch task.reset {
        case .noise(let scale, let gaussianVelocity):
            for i in 0..<nq { qpos[i] = qpos0[i] + scale * (2 * generator.nextUniform() - 1) }
            for i in 0..<nv {
                qvel[i] = gaussianVelocity ? scale * generator.nextGaussian() : scale * (2 * generator.nextUniform() - 1)
            }
        case .reacher:
            for i in 0..<nq { qpos[i] = qpos0[i] + 0.1 * (2 * generator.nextUniform() - 1) }
            var gx = 0.0, gy = 0.0
            repeat {
                gx = 0.2 * (2 * generator.nextUniform() - 1)
                gy = 0.2 * (2 * generator.nextUniform() - 1)
            } while (gx * gx + gy * gy).squareRoot() >= 0.2
            qpos[nq - 2] = gx; qpos[nq - 1] = gy
            for i in 0..<nv { qvel[i] = 0.005 * (2 * generator.nextUniform() - 1) }
            qvel[nv - 2] = 0; qvel[nv - 1] = 0
        }
        svgrt_mj_forward(sim)
        stepIndex = 0
        isTerminated = false
    }

    /// gymnasium's `set_state` after `mj_resetData`: qpos = state[0..<nq], qvel = state[nq...].
    public func reset(to state: UnsafeBufferPointer<Double>) {
        svgrt_mj_reset(sim)
        for i in 0..<nq { qpos[i] = state[i] }
        for i in 0..<nv { qvel[i] = state[nq + i] }
        svgrt_mj_forward(sim)
        stepIndex = 0
        isTerminated = false
    }

    public func physicalState(into state: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<nq { state[i] = qpos[i] }
        for i in 0..<nv { state[nq + i] = qvel[i] }
    }

    public func observe(into s: UnsafeMutableBufferPointer<Double>) {
        switch task.observation {
        case .positionsAndVelocities(let skipped, let clip):
            var k = 0
            for i in skipped..<nq { s[k] = qpos[i]; k += 1 }
            for i in 0..<nv {
                s[k] = clip.map { min(max(qvel[i], -$0), $0) } ?? qvel[i]
                k += 1
            }
        case .reacher:
            s[0] = cos(qpos[0]); s[1] = cos(qpos[1])
            s[2] = sin(qpos[0]); s[3] = sin(qpos[1])
            s[4] = qpos[2]; s[5] = qpos[3]
            s[6] = qvel[0]; s[7] = qvel[1]
            let x = svgrt_mj_xipos(sim)!
            s[8] = x[3 * fingertip] - x[3 * target]
            s[9] = x[3 * fingertip + 1] - x[3 * target + 1]
        case .doublePendulum:
            var k = 0
            s[k] = qpos[0]; k += 1
            for i in 1..<nq { s[k] = sin(qpos[i]); k += 1 }
            for i in 1..<nq { s[k] = cos(qpos[i]); k += 1 }
            for i in 0..<nv { s[k] = min(max(qvel[i], -10), 10); k += 1 }
            s[k] = min(max(svgrt_mj_qfrc_constraint(sim)![0], -10), 10)
        }
    }

    // MARK: Step

    /// Σ a² of the saturated action in float32, summed in order (numpy's sum of fewer than 8
    /// float32 values), as gymnasium's `control_cost` on float32 actions.
    func squaredActionFloat32(_ action: UnsafeBufferPointer<Double>) -> Float {
        var sum: Float = 0
        for i in 0..<nu {
            let a = Float(saturate(action[i], dimension: i))
            sum += a * a
        }
        return sum
    }

    public func step(action: UnsafeBufferPointer<Double>) -> Double {
        for i in 0..<nu { ctrl[i] = saturate(action[i], dimension: i) }
        let xBefore = qpos[0]
        svgrt_mj_step(sim, Int32(task.frameSkip))
        stepIndex += 1
        isTerminated = terminated()
        switch task.reward {
        case .locomotion(let forwardWeight, let controlCost, let healthyReward):
            let forward = forwardWeight * ((qpos[0] - xBefore) / timeStep)
            // Healthy is not terminated (the tasks with a bonus terminate when unhealthy).
            let healthy = isTerminated ? 0 : healthyReward
            return (forward + healthy) - Double(controlCost * squaredActionFloat32(action))
        case .reacher:
            let x = svgrt_mj_xipos(sim)!
            var d2 = 0.0
            for k in 0..<3 { let d = x[3 * fingertip + k] - x[3 * target + k]; d2 += d * d }
            return -d2.squareRoot() - Double(squaredActionFloat32(action))
        case .alive:
            return isTerminated ? 0 : 1
        case .doublePendulum(let healthyReward):
            let tip = svgrt_mj_site_xpos(sim)!
            let x = tip[0], y = tip[2], v1 = qvel[1], v2 = qvel[2]
            let distance = 0.01 * (x * x) + (y - 2) * (y - 2)
            let velocity = 1e-3 * (v1 * v1) + 5e-3 * (v2 * v2)
            return (isTerminated ? 0 : healthyReward) - distance - velocity
        }
    }

    /// gymnasium's `is_healthy` of the current state (true for tasks without a health check).
    func isHealthy() -> Bool {
        guard case .unhealthy(let zLow, let zHigh, let angleLow, let angleHigh, let stateLimit) = task.termination else { return true }
        let z = qpos[1], angle = qpos[2]
        guard zLow < z && z < zHigh && angleLow < angle && angle < angleHigh else { return false }
        if let limit = stateLimit {
            for i in 2..<nq where !(-limit < qpos[i] && qpos[i] < limit) { return false }
            for i in 0..<nv where !(-limit < qvel[i] && qvel[i] < limit) { return false }
        }
        return true
    }

    func terminated() -> Bool {
        switch task.termination {
        case .never: return false
        case .unhealthy: return !isHealthy()
        case .poleAngle(let limit):
            for i in 0..<nq where !qpos[i].isFinite { return true }
            for i in 0..<nv where !qvel[i].isFinite { return true }
            return abs(qpos[1]) > limit
        case .tipBelow(let height):
            return svgrt_mj_site_xpos(sim)![2] <= height
        }
    }

    // MARK: The learner's reward model

    public func reward(observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>) -> Double {
        var control = 0.0
        for i in 0..<nu { let u = saturate(a[i], dimension: i); control += u * u }
        switch task.reward {
        case .locomotion(let forwardWeight, let controlCost, let healthyReward):
            return forwardWeight * s[velocityIndex] + healthyReward - Double(controlCost) * control
        case .reacher:
            return -(s[8] * s[8] + s[9] * s[9]).squareRoot() - control
        case .alive:
            return 1
        case .doublePendulum(let healthyReward):
            let (x, y) = Self.tip(s)
            return healthyReward - (0.01 * x * x + (y - 2) * (y - 2)) - (1e-3 * s[6] * s[6] + 5e-3 * s[7] * s[7])
        }
    }

    /// InvertedDoublePendulum's tip (x, z) from the observation: the cart at s[0], two 0.6 m poles
    /// at hinge angles θ₁ (sin s[1], cos s[3]) and θ₂ relative to the first (sin s[2], cos s[4]).
    @inline(__always) static func tip(_ s: UnsafeBufferPointer<Double>) -> (x: Double, y: Double) {
        let sin12 = s[1] * s[4] + s[3] * s[2], cos12 = s[3] * s[4] - s[1] * s[2]
        return (s[0] + 0.6 * s[1] + 0.6 * sin12, 0.6 * s[3] + 0.6 * cos12)
    }

    /// r_s: the forward weight at the observed forward velocity (locomotion; 0 where the
    /// observation clips it), −(fingertip − target)/‖·‖ (Reacher); r_a = −2 c a inside the
    /// actuator range, 0 where it saturates.
    public func rewardGradient(
        observation s: UnsafeBufferPointer<Double>, action a: UnsafeBufferPointer<Double>,
        dObservation ds: UnsafeMutableBufferPointer<Double>, dAction da: UnsafeMutableBufferPointer<Double>
    ) {
        for i in 0..<observationSize { ds[i] = 0 }
        var weight = 0.0
        switch task.reward {
        case .locomotion(let forwardWeight, let controlCost, _):
            weight = Double(controlCost)
            var clipped = false
            if case .positionsAndVelocities(_, let clip?) = task.observation { clipped = abs(s[velocityIndex]) >= clip }
            ds[velocityIndex] = clipped ? 0 : forwardWeight
        case .reacher:
            weight = 1
            let d = (s[8] * s[8] + s[9] * s[9]).squareRoot()
            if d > 0 { ds[8] = -s[8] / d; ds[9] = -s[9] / d }
        case .alive:
            weight = 0
        case .doublePendulum:
            weight = 0
            let (x, y) = Self.tip(s)
            let dx = -0.02 * x, dy = -2 * (y - 2)
            let s1 = s[1], s2 = s[2], c1 = s[3], c2 = s[4]
            ds[0] = dx
            ds[1] = dx * (0.6 + 0.6 * c2) + dy * (-0.6 * s2)
            ds[2] = dx * (0.6 * c1) + dy * (-0.6 * s1)
            ds[3] = dx * (0.6 * s2) + dy * (0.6 + 0.6 * c2)
            ds[4] = dx * (0.6 * s1) + dy * (0.6 * c1)
            ds[6] = -2e-3 * s[6]
            ds[7] = -1e-2 * s[7]
        }
        for i in 0..<nu {
            let inside = a[i] > actionLow[i] && a[i] < actionHigh[i]
            da[i] = inside ? -2 * weight * a[i] : 0
        }
    }
}
