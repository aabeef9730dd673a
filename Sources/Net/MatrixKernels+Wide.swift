/// The 16-lane dot-product tile, compiled when the build targets AVX-512 (`SVGRT_WIDE_VECTORS`,
/// set by Package.swift for x86-64-v4 hosts); the 16-lane "NN" tiles are the generic ones of
/// `MatrixKernels.swift` at `Float16Lanes`. On a CPU with 512-bit FMA units (AMD Zen 5, Intel
/// server cores) they double the multiply-adds per instruction of the 8-lane kernels; elsewhere
/// the 8-lane kernels are the better fit (16 `ymm` or 32 NEON registers cannot hold 16-lane tiles).
/// Same numeric semantics as the 8-lane kernels: fused multiply-adds, summation order per lane
/// unchanged in `multiply`; `multiplyTransposed` sums in a different tree (results differ in the
/// last bits only).
extension MatrixKernels {

    /// 4 rows of A against 2 rows of B: 8 dot products of length k (a multiple of 8), 16 lanes
    /// at a time, an 8-lane step for the last 8 when k is not a multiple of 16.
    @inline(__always)
    static func wideDotTile4x2(
        k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        var s00 = Float16Lanes(), s01 = Float16Lanes(), s10 = Float16Lanes(), s11 = Float16Lanes()
        var s20 = Float16Lanes(), s21 = Float16Lanes(), s30 = Float16Lanes(), s31 = Float16Lanes()
        var p = 0
        while p + 16 <= k {
            let b0 = load16(b + p), b1 = load16(b + ldb + p)
            let a0 = load16(a + p), a1 = load16(a + lda + p)
            let a2 = load16(a + 2 * lda + p), a3 = load16(a + 3 * lda + p)
            s00 = fusedMultiplyAdd(a0, b0, s00); s01 = fusedMultiplyAdd(a0, b1, s01)
            s10 = fusedMultiplyAdd(a1, b0, s10); s11 = fusedMultiplyAdd(a1, b1, s11)
            s20 = fusedMultiplyAdd(a2, b0, s20); s21 = fusedMultiplyAdd(a2, b1, s21)
            s30 = fusedMultiplyAdd(a3, b0, s30); s31 = fusedMultiplyAdd(a3, b1, s31)
            p += 16
        }
        // Fold each 16-lane sum to 8 lanes, then take the optional 8-wide tail.
        var t00 = s00.lowHalf + s00.highHalf, t01 = s01.lowHalf + s01.highHalf
        var t10 = s10.lowHalf + s10.highHalf, t11 = s11.lowHalf + s11.highHalf
        var t20 = s20.lowHalf + s20.highHalf, t21 = s21.lowHalf + s21.highHalf
        var t30 = s30.lowHalf + s30.highHalf, t31 = s31.lowHalf + s31.highHalf
        if p < k {
            let b0 = load8(b + p), b1 = load8(b + ldb + p)
            let a0 = load8(a + p), a1 = load8(a + lda + p)
            let a2 = load8(a + 2 * lda + p), a3 = load8(a + 3 * lda + p)
            t00 = fusedMultiplyAdd(a0, b0, t00); t01 = fusedMultiplyAdd(a0, b1, t01)
            t10 = fusedMultiplyAdd(a1, b0, t10); t11 = fusedMultiplyAdd(a1, b1, t11)
            t20 = fusedMultiplyAdd(a2, b0, t20); t21 = fusedMultiplyAdd(a2, b1, t21)
            t30 = fusedMultiplyAdd(a3, b0, t30); t31 = fusedMultiplyAdd(a3, b1, t31)
        }
        c[0] = horizontalSum(t00); c[1] = horizontalSum(t01)
        c[ldc] = horizontalSum(t10); c[ldc + 1] = horizontalSum(t11)
        c[2 * ldc] = horizontalSum(t20); c[2 * ldc + 1] = horizontalSum(t21)
        c[3 * ldc] = horizontalSum(t30); c[3 * ldc + 1] = horizontalSum(t31)
    }
}
