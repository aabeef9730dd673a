#if canImport(Glibc)
import Glibc
#endif

/// A zeroed buffer of n doubles, owned by the caller.
private func buffer(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
    let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
    b.initialize(repeating: 0)
    return b
}

/// Rigid planar chain of uniform rods joined by revolute joints, in absolute-angle coordinates:
/// the dynamics behind `Swimmer` (free base, viscous fluid) and `Reacher` (base pinned at the
/// origin, joint damping). Kane's method in reduced coordinates q = (x₀, y₀, θ₁ … θₙ) (free base)
/// or (θ₁ … θₙ) (pinned): with rod i's centre G_i, Jacobian J_i = ∂Ġ_i/∂q̇ and velocity-product
/// acceleration c_i,
///
///     M(q) q̈ = Σ_i J_iᵀ (F_i − m_i c_i) + Q,    M = Σ_i m_i J_iᵀ J_i + Σ_i I_i e_θi e_θiᵀ,
///
/// F_i the external force at G_i, Q the generalized torques (joint torques, drag torques);
/// solved by Cholesky each evaluation, integrated by RK4. Every buffer is allocated in `init`.
public final class PlanarChain {
    public let links: Int
    public let freeBase: Bool
    public let length: Double, mass: Double
    /// Degrees of freedom: links (+ 2 with a free base).
    public let dof: Int
    /// q then q̇, 2·dof values.
    public var state: UnsafeMutableBufferPointer<Double>
    /// Generalized forces from outside (joint torques), set before `step`.
    public var torques: UnsafeMutableBufferPointer<Double>
    /// Viscous drag: normal and tangential coefficients per unit length (free-base swimmer).
    public var normalDrag = 0.0, tangentialDrag = 0.0
    /// Joint damping on relative angular velocities (N·m·s/rad).
    public var jointDamping = 0.0

    let mass_: UnsafeMutableBufferPointer<Double>  // dof × dof
    let rhs: UnsafeMutableBufferPointer<Double>
    let jacobian: UnsafeMutableBufferPointer<Double>  // 2 × dof, one rod at a time
    let k: [UnsafeMutableBufferPointer<Double>]  // RK4 stage derivatives
    let scratch: UnsafeMutableBufferPointer<Double>

    public init(links: Int, freeBase: Bool, length: Double, mass: Double) {
        self.links = links
        self.freeBase = freeBase
        self.length = length
        self.mass = mass
        dof = links + (freeBase ? 2 : 0)
        let dof = links + (freeBase ? 2 : 0)
        state = buffer(2 * dof)
        torques = buffer(dof)
        mass_ = buffer(dof * dof)
        rhs = buffer(dof)
        jacobian = buffer(2 * dof)
        k = [buffer(2 * dof), buffer(2 * dof), buffer(2 * dof), buffer(2 * dof)]
        scratch = buffer(2 * dof)
    }

    deinit {
        for b in [state, torques, mass_, rhs, jacobian, scratch] + k { b.deallocate() }
    }

    /// Index of θ_i (0-based link i) in q.
    @inline(__always) public func angleIndex(_ i: Int) -> Int { freeBase ? i + 2 : i }

    /// Moment of inertia of one rod about its centre.
    public var rodInertia: Double { mass * length * length / 12 }

    /// Centre of rod i and its velocity for state y = (q, q̇).
    public func centre(of i: Int, in y: UnsafeMutableBufferPointer<Double>) -> (x: Double, y: Double, vx: Double, vy: Double) {
        var px = freeBase ? y[0] : 0, py = freeBase ? y[1] : 0
        var vx = freeBase ? y[dof] : 0, vy = freeBase ? y[dof + 1] : 0
        for j in 0...i {
            let theta = y[angleIndex(j)], omega = y[dof + angleIndex(j)]
            let reach = j < i ? length : length / 2
            px += reach * cos(theta); py += reach * sin(theta)
            vx -= reach * sin(theta) * omega; vy += reach * cos(theta) * omega
        }
        return (px, py, vx, vy)
    }

    /// End of the last rod (the fingertip of a reacher, the tail of a swimmer).
    public func tip(in y: UnsafeMutableBufferPointer<Double>) -> (x: Double, y: Double) {
        var px = freeBase ? y[0] : 0, py = freeBase ? y[1] : 0
        for j in 0..<links {
            px += length * cos(y[angleIndex(j)]); py += length * sin(y[angleIndex(j)])
        }
        return (px, py)
    }

    /// Kinetic energy ½ q̇ᵀ M q̇.
    public var kineticEnergy: Double {
        var total = 0.0
        for i in 0..<links {
            let c = centre(of: i, in: state)
            let omega = state[dof + angleIndex(i)]
            total += 0.5 * mass * (c.vx * c.vx + c.vy * c.vy) + 0.5 * rodInertia * omega * omega
        }
        return total
    }

    /// d/dt of y = (q, q̇) into `out`.
    func derivative(_ y: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<(dof * dof) { mass_[i] = 0 }
        for i in 0..<dof { rhs[i] = torques[i] }
        // Joint damping: −b (ω_i − ω_{i−1}) on link i, +b (…) on link i−1 (pinned base: ω_{−1} = 0).
        if jointDamping > 0 {
            for i in 0..<links {
                let previous = i > 0 ? y[dof + angleIndex(i - 1)] : 0
                let torque = -jointDamping * (y[dof + angleIndex(i)] - previous)
                rhs[angleIndex(i)] += torque
                if i > 0 { rhs[angleIndex(i - 1)] -= torque }
            }
        }
        var baseVx = freeBase ? y[dof] : 0, baseVy = freeBase ? y[dof + 1] : 0
        var cx = 0.0, cy = 0.0  // velocity-product acceleration accumulated along the chain
        for i in 0..<links {
            let a = angleIndex(i)
            let theta = y[a], omega = y[dof + a]
            let ex = cos(theta), ey = sin(theta)
            // Jacobian of G_i: base columns, full rods before i, half of rod i.
            for j in 0..<(2 * dof) { jacobian[j] = 0 }
            if freeBase { jacobian[0] = 1; jacobian[dof + 1] = 1 }
            for j in 0..<i {
                let tj = y[angleIndex(j)]
                jacobian[angleIndex(j)] = -length * sin(tj)
                jacobian[dof + angleIndex(j)] = length * cos(tj)
            }
            jacobian[a] = -length / 2 * ey
            jacobian[dof + a] = length / 2 * ex
            let vx = baseVx - length / 2 * ey * omega, vy = baseVy + length / 2 * ex * omega
            let ci_x = cx - length / 2 * ex * omega * omega, ci_y = cy - length / 2 * ey * omega * omega
            // External force at the centre: viscous drag along the rod's normal and tangent.
            var fx = 0.0, fy = 0.0
            if normalDrag > 0 || tangentialDrag > 0 {
                let nx = -ey, ny = ex
                let vn = vx * nx + vy * ny, vt = vx * ex + vy * ey
                fx = -length * (normalDrag * vn * nx + tangentialDrag * vt * ex)
                fy = -length * (normalDrag * vn * ny + tangentialDrag * vt * ey)
                // Drag torque of a rod turning about its centre: −k_n ω l³/12.
                rhs[a] += -normalDrag * omega * length * length * length / 12
            }
            let gx = fx - mass * ci_x, gy = fy - mass * ci_y
            for r in 0..<dof {
                let jr0 = jacobian[r], jr1 = jacobian[dof + r]
                if jr0 == 0 && jr1 == 0 { continue }
                rhs[r] += jr0 * gx + jr1 * gy
                for c in 0..<dof { mass_[r * dof + c] += mass * (jr0 * jacobian[c] + jr1 * jacobian[dof + c]) }
            }
            mass_[a * dof + a] += rodInertia
            // Advance the chain's running velocity and velocity-product terms to the end of rod i.
            baseVx -= length * ey * omega; baseVy += length * ex * omega
            cx -= length * ex * omega * omega; cy -= length * ey * omega * omega
        }
        solveInPlace()
        for i in 0..<dof {
            out[i] = y[dof + i]
            out[dof + i] = rhs[i]
        }
    }

    /// Solves M z = rhs by Cholesky (M is symmetric positive definite); z overwrites rhs.
    func solveInPlace() {
        let n = dof
        for j in 0..<n {
            var d = mass_[j * n + j]
            for p in 0..<j { d -= mass_[j * n + p] * mass_[j * n + p] }
            let l = d.squareRoot()
            mass_[j * n + j] = l
            for i in (j + 1)..<max(n, j + 1) {
                var s = mass_[i * n + j]
                for p in 0..<j { s -= mass_[i * n + p] * mass_[j * n + p] }
                mass_[i * n + j] = s / l
            }
        }
        for i in 0..<n {
            var s = rhs[i]
            for p in 0..<i { s -= mass_[i * n + p] * rhs[p] }
            rhs[i] = s / mass_[i * n + i]
        }
        var i = n - 1
        while i >= 0 {
            var s = rhs[i]
            for p in (i + 1)..<max(n, i + 1) { s -= mass_[p * n + i] * rhs[p] }
            rhs[i] = s / mass_[i * n + i]
            i -= 1
        }
    }

    /// One RK4 step of h seconds with the current `torques`.
    public func step(_ h: Double) {
        let n = 2 * dof
        derivative(state, into: k[0])
        for i in 0..<n { scratch[i] = state[i] + h / 2 * k[0][i] }
        derivative(scratch, into: k[1])
        for i in 0..<n { scratch[i] = state[i] + h / 2 * k[1][i] }
        derivative(scratch, into: k[2])
        for i in 0..<n { scratch[i] = state[i] + h * k[2][i] }
        derivative(scratch, into: k[3])
        for i in 0..<n { state[i] += h / 6 * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]) }
    }
}
