/// Gradient-norm clipping (docs/algorithms.md eq. 14, App. D of the paper): v ← v / ‖v‖ · min(V_max, ‖v‖).
/// Real-time safe: no allocation, no lock.
public enum GradientClipping {
    /// The Euclidean norm of the first `count` floats at `values` (a multiple of 8), summed in
    /// eight lanes and reduced by a tree.
    public static func norm(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = Float8(), s1 = Float8()
        var i = 0
        while i + 16 <= count {
            let a = load8(values + i), b = load8(values + i + 8)
            s0 = fusedMultiplyAdd(a, a, s0)
            s1 = fusedMultiplyAdd(b, b, s1)
            i += 16
        }
        if i < count {
            let a = load8(values + i)
            s0 = fusedMultiplyAdd(a, a, s0)
        }
        return horizontalSum(s0 + s1).squareRoot()
    }

    /// Scales `gradients` so their norm is at most `maxNorm`; returns the norm before clipping.
    /// A non-finite norm zeroes the gradients (a NaN never reaches the parameters).
    @discardableResult
    public static func clip(_ gradients: FloatBuffer, maxNorm: Float) -> Float {
        let n = norm(gradients.base, count: gradients.count)
        if !n.isFinite {
            gradients.zero()
            return n
        }
        if n > maxNorm {
            let scale = Float8(repeating: maxNorm / n)
            var i = 0
            while i < gradients.count {
                store8(load8(gradients.base + i) * scale, gradients.base + i)
                i += 8
            }
        }
        return n
    }
}
