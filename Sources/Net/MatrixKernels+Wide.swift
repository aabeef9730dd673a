/// The 16-lane micro-kernels, compiled when the build targets AVX-512 (`SVGRT_WIDE_VECTORS`, set
/// by Package.swift for x86-64-v4 hosts). On a CPU with 512-bit FMA units (AMD Zen 5, Intel
/// server cores) they double the multiply-adds per instruction of the 8-lane kernels; elsewhere
/// the 8-lane kernels are the better fit (16 `ymm` or 32 NEON registers cannot hold these tiles).
/// Same numeric semantics as the 8-lane kernels: fused multiply-adds, summation order per lane
/// unchanged in `multiply`; `multiplyTransposed` sums in a different tree (results differ in the
/// last bits only).
extension MatrixKernels {

    @inline(__always)
    static func start16(_ initial: UnsafePointer<Float>?, _ offset: Int) -> Float16Lanes {
        if let initial { return load16(initial + offset) }
        return Float16Lanes()
    }

    /// 4 rows × 48 columns: 12 `zmm` accumulators, 3 row loads and 4 broadcasts per step of p.
    @inline(__always)
    static func wideTile4x48(
        k: Int, a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, initial: UnsafePointer<Float>?, irs: Int
    ) {
        var c00 = start16(initial, 0), c01 = start16(initial, 16), c02 = start16(initial, 32)
        var c10 = start16(initial, irs), c11 = start16(initial, irs + 16), c12 = start16(initial, irs + 32)
        var c20 = start16(initial, 2 * irs), c21 = start16(initial, 2 * irs + 16), c22 = start16(initial, 2 * irs + 32)
        var c30 = start16(initial, 3 * irs), c31 = start16(initial, 3 * irs + 16), c32 = start16(initial, 3 * irs + 32)
        var ap = a, bp = b
        for _ in 0..<k {
            let b0 = load16(bp), b1 = load16(bp + 16), b2 = load16(bp + 32)
            let x0 = ap[0], x1 = ap[rs], x2 = ap[2 * rs], x3 = ap[3 * rs]
            c00 = fusedMultiplyAdd(x0, b0, c00); c01 = fusedMultiplyAdd(x0, b1, c01); c02 = fusedMultiplyAdd(x0, b2, c02)
            c10 = fusedMultiplyAdd(x1, b0, c10); c11 = fusedMultiplyAdd(x1, b1, c11); c12 = fusedMultiplyAdd(x1, b2, c12)
            c20 = fusedMultiplyAdd(x2, b0, c20); c21 = fusedMultiplyAdd(x2, b1, c21); c22 = fusedMultiplyAdd(x2, b2, c22)
            c30 = fusedMultiplyAdd(x3, b0, c30); c31 = fusedMultiplyAdd(x3, b1, c31); c32 = fusedMultiplyAdd(x3, b2, c32)
            ap += cs
            bp += ldb
        }
        store16(c00, c); store16(c01, c + 16); store16(c02, c + 32)
        store16(c10, c + ldc); store16(c11, c + ldc + 16); store16(c12, c + ldc + 32)
        store16(c20, c + 2 * ldc); store16(c21, c + 2 * ldc + 16); store16(c22, c + 2 * ldc + 32)
        store16(c30, c + 3 * ldc); store16(c31, c + 3 * ldc + 16); store16(c32, c + 3 * ldc + 32)
    }

    /// 4 rows × 32 columns: 8 `zmm` accumulators.
    @inline(__always)
    static func wideTile4x32(
        k: Int, a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, initial: UnsafePointer<Float>?, irs: Int
    ) {
        var c00 = start16(initial, 0), c01 = start16(initial, 16)
        var c10 = start16(initial, irs), c11 = start16(initial, irs + 16)
        var c20 = start16(initial, 2 * irs), c21 = start16(initial, 2 * irs + 16)
        var c30 = start16(initial, 3 * irs), c31 = start16(initial, 3 * irs + 16)
        var ap = a, bp = b
        for _ in 0..<k {
            let b0 = load16(bp), b1 = load16(bp + 16)
            let x0 = ap[0], x1 = ap[rs], x2 = ap[2 * rs], x3 = ap[3 * rs]
            c00 = fusedMultiplyAdd(x0, b0, c00); c01 = fusedMultiplyAdd(x0, b1, c01)
            c10 = fusedMultiplyAdd(x1, b0, c10); c11 = fusedMultiplyAdd(x1, b1, c11)
            c20 = fusedMultiplyAdd(x2, b0, c20); c21 = fusedMultiplyAdd(x2, b1, c21)
            c30 = fusedMultiplyAdd(x3, b0, c30); c31 = fusedMultiplyAdd(x3, b1, c31)
            ap += cs
            bp += ldb
        }
        store16(c00, c); store16(c01, c + 16)
        store16(c10, c + ldc); store16(c11, c + ldc + 16)
        store16(c20, c + 2 * ldc); store16(c21, c + 2 * ldc + 16)
        store16(c30, c + 3 * ldc); store16(c31, c + 3 * ldc + 16)
    }

    /// 4 rows × 16 columns, p split into two streams so 8 accumulators are in flight.
    @inline(__always)
    static func wideTile4x16(
        k: Int, a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, initial: UnsafePointer<Float>?, irs: Int
    ) {
        var c0 = start16(initial, 0), c1 = start16(initial, irs)
        var c2 = start16(initial, 2 * irs), c3 = start16(initial, 3 * irs)
        var d0 = Float16Lanes(), d1 = Float16Lanes(), d2 = Float16Lanes(), d3 = Float16Lanes()
        var ap = a, bp = b
        var p = 0
        while p + 2 <= k {
            let b0 = load16(bp), b1 = load16(bp + ldb)
            let ap1 = ap + cs
            c0 = fusedMultiplyAdd(ap[0], b0, c0); d0 = fusedMultiplyAdd(ap1[0], b1, d0)
            c1 = fusedMultiplyAdd(ap[rs], b0, c1); d1 = fusedMultiplyAdd(ap1[rs], b1, d1)
            c2 = fusedMultiplyAdd(ap[2 * rs], b0, c2); d2 = fusedMultiplyAdd(ap1[2 * rs], b1, d2)
            c3 = fusedMultiplyAdd(ap[3 * rs], b0, c3); d3 = fusedMultiplyAdd(ap1[3 * rs], b1, d3)
            ap += 2 * cs
            bp += 2 * ldb
            p += 2
        }
        if p < k {
            let b0 = load16(bp)
            c0 = fusedMultiplyAdd(ap[0], b0, c0); c1 = fusedMultiplyAdd(ap[rs], b0, c1)
            c2 = fusedMultiplyAdd(ap[2 * rs], b0, c2); c3 = fusedMultiplyAdd(ap[3 * rs], b0, c3)
        }
        store16(c0 + d0, c); store16(c1 + d1, c + ldc)
        store16(c2 + d2, c + 2 * ldc); store16(c3 + d3, c + 3 * ldc)
    }

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
