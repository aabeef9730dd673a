/// Vectorised hyperbolic tangent, the activation of every hidden layer.
///
/// A rational approximation p(x)/q(x) (odd degree-13 numerator, even degree-6 denominator; the
/// coefficients are Eigen's `generic_fast_tanh_float`) after clamping x to ±7.90531110763549805,
/// where tanh is within 2.7e-7 of ±1. Horner steps are fused multiply-adds (one rounding each,
/// through the `_NetShims` shim); with ÷ and min/max, every operation is exactly rounded, so it
/// gives the same bits on x86_64 and aarch64 (scripts/aarch64-check).
///
/// Maximum absolute error against `Foundation.tanh` in Double on [−20, 20]: ≤ 1e-6 guaranteed by
/// `TanhTests.testMaximumAbsoluteErrorOnMinus20To20` (measured 3.95e-7, at x ≈ −5.77, over
/// 4 million points); well inside the 1e-5 the network code needs.
/// Real-time safe: no allocation, no lock.
public enum Tanh {
    @usableFromInline static let clampBound: Float = 7.90531110763549805

    /// tanh of each lane.
    @inlinable @inline(__always)
    public static func value(_ x: Float8) -> Float8 {
        let bound = Float8(repeating: clampBound)
        var clamped = x.replacing(with: bound, where: x .> bound)
        clamped = clamped.replacing(with: -bound, where: clamped .< -bound)
        let x2 = clamped * clamped
        // Numerator: x · (α1 + α3 x² + … + α13 x¹²), Horner in x².
        var p = Float8(repeating: -2.76076847742355e-16)
        p = fusedMultiplyAdd(p, x2, Float8(repeating: 2.00018790482477e-13))
        p = fusedMultiplyAdd(p, x2, Float8(repeating: -8.60467152213735e-11))
        p = fusedMultiplyAdd(p, x2, Float8(repeating: 5.12229709037114e-08))
        p = fusedMultiplyAdd(p, x2, Float8(repeating: 1.48572235717979e-05))
        p = fusedMultiplyAdd(p, x2, Float8(repeating: 6.37261928875436e-04))
        p = fusedMultiplyAdd(p, x2, Float8(repeating: 4.89352455891786e-03))
        p = p * clamped
        // Denominator: β0 + β2 x² + β4 x⁴ + β6 x⁶.
        var q = Float8(repeating: 1.19825839466702e-06)
        q = fusedMultiplyAdd(q, x2, Float8(repeating: 1.18534705686654e-04))
        q = fusedMultiplyAdd(q, x2, Float8(repeating: 2.26843463243900e-03))
        q = fusedMultiplyAdd(q, x2, Float8(repeating: 4.89352518554385e-03))
        return p / q
    }

    /// d tanh / dx expressed through the output y = tanh(x): 1 − y².
    @inlinable @inline(__always)
    public static func derivative(fromOutput y: Float8) -> Float8 {
        Float8(repeating: 1) - y * y
    }

    /// Scalar tanh through the same approximation (lane 0 of a splat).
    @inlinable
    public static func value(_ x: Float) -> Float { value(Float8(repeating: x))[0] }

    /// Applies tanh in place to `count` floats (`count` a multiple of 8).
    /// Real-time safe: no allocation, no lock.
    public static func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            store8(value(load8(values + i)), values + i)
            i &+= 8
        }
    }

    /// `gradients[i] *= 1 − outputs[i]²` for `count` floats (a multiple of 8): the backward pass
    /// through a tanh layer whose outputs are `outputs`. Real-time safe.
    public static func multiplyByDerivative(
        _ gradients: UnsafeMutablePointer<Float>, outputs: UnsafePointer<Float>, count: Int
    ) {
        var i = 0
        while i < count {
            store8(load8(gradients + i) * derivative(fromOutput: load8(outputs + i)), gradients + i)
            i &+= 8
        }
    }
}
