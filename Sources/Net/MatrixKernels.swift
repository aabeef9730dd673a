/// The matrix products a dense layer needs, on row-major `Float` blocks whose vectorised
/// dimension is a multiple of 8: one broadcast kernel (broadcast one element of A, multiply a row
/// of B held in SIMD accumulators, no horizontal sums) serves the forward pass, the weight
/// gradient and, on an untransposed copy of the weights, the input gradient (`Dense`).
///
/// Real-time safe: no allocation, no lock, no call out of the module but the inlined FMA shim.
public enum MatrixKernels {

    // MARK: C = initial + A · B   (B row-major K × N, N a multiple of 8)

    /// `c[i, 0..<n] = initial[i] + Σ_p a[i, p] · b[p, 0..<n]` for `i < m`.
    ///
    /// - `a[i, p]` is read at `a[i * aRowStride + p * aColumnStride]`, so the same kernel serves
    ///   `X · Wᵀ` (forward) and `Xᵀ · dZ` (weight gradient).
    /// - `b[p, j]` at `b[p * ldb + j]`; `c[i, j]` at `c[i * ldc + j]`; `n` must be a multiple of 8.
    /// - `initial[i, j]` at `initial[i * initialRowStride + j]` (stride 0 broadcasts a bias row;
    ///   `initial == c` with `ldc` accumulates); `nil` starts from zero.
    public static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        initial: UnsafePointer<Float>?, initialRowStride: Int
    ) {
        var i = 0
        while i + 4 <= m {
            let a0 = a + i * aRowStride
            let init0 = initial.map { $0 + i * initialRowStride }
            var j = 0
            // One 4-row tile of 3, 2 or 1 vectors of type V at column j, then j moves past it.
            @inline(__always) func tile<V: KernelVector>(_: V.Type, vectors: Int) {
                let cTile = c + i * ldc + j, bTile = b + j, initTile = init0.map { $0 + j }
                switch vectors {
                case 3: tile4x3(V.self, k: k, a: a0, rs: aRowStride, cs: aColumnStride, b: bTile, ldb: ldb,
                                c: cTile, ldc: ldc, initial: initTile, irs: initialRowStride)
                case 2: tile4x2(V.self, k: k, a: a0, rs: aRowStride, cs: aColumnStride, b: bTile, ldb: ldb,
                                c: cTile, ldc: ldc, initial: initTile, irs: initialRowStride)
                default: tile4x1(V.self, k: k, a: a0, rs: aRowStride, cs: aColumnStride, b: bTile, ldb: ldb,
                                 c: cTile, ldc: ldc, initial: initTile, irs: initialRowStride)
                }
                j += vectors * V.lanes
            }
            #if SVGRT_WIDE_VECTORS
            while j + 48 <= n { tile(Float16Lanes.self, vectors: 3) }
            if j + 32 <= n { tile(Float16Lanes.self, vectors: 2) }
            // A tail of 24 or 8 is faster in the 8-lane tiles below (measured on the model's 24).
            if n - j == 16 { tile(Float16Lanes.self, vectors: 1) }
            #endif
            while j + 24 <= n { tile(Float8.self, vectors: 3) }
            if j + 16 <= n { tile(Float8.self, vectors: 2) }
            if j + 8 <= n { tile(Float8.self, vectors: 1) }
            i += 4
        }
        while i < m {
            rowTimesMatrix(
                k: k, a: a + i * aRowStride, aStride: aColumnStride, b: b, ldb: ldb, n: n,
                c: c + i * ldc, initial: initial.map { $0 + i * initialRowStride })
            i += 1
        }
    }

    /// One row: `c[0..<n] = initial + Σ_p a[p · aStride] · b[p, 0..<n]`, the batch-1 forward.
    /// Keeps 8 independent accumulators in flight for every width so the FMA latency is hidden.
    public static func rowTimesMatrix(
        k: Int, a: UnsafePointer<Float>, aStride: Int,
        b: UnsafePointer<Float>, ldb: Int, n: Int,
        c: UnsafeMutablePointer<Float>, initial: UnsafePointer<Float>?
    ) {
        var j = 0
        while j + 64 <= n {
            row8Vectors(k: k, a: a, aStride: aStride, b: b + j, ldb: ldb, c: c + j, initial: initial.map { $0 + j })
            j += 64
        }
        if j + 32 <= n {
            row4Vectors(k: k, a: a, aStride: aStride, b: b + j, ldb: ldb, c: c + j, initial: initial.map { $0 + j })
            j += 32
        }
        while j + 8 <= n {
            row1Vector(k: k, a: a, aStride: aStride, b: b + j, ldb: ldb, c: c + j, initial: initial.map { $0 + j })
            j += 8
        }
    }

    // MARK: Micro-kernels

    @inline(__always)
    static func start(_ initial: UnsafePointer<Float>?, _ offset: Int) -> Float8 {
        if let initial { return load8(initial + offset) }
        return Float8()
    }

    @inline(__always)
    static func start<V: KernelVector>(_: V.Type, _ initial: UnsafePointer<Float>?, _ offset: Int) -> V {
        if let initial { return V.load(initial + offset) }
        return V()
    }

    /// 4 rows × 3 vectors (24 columns of `Float8`, 48 of `Float16Lanes`): 12 accumulators,
    /// 3 row loads and 4 broadcasts per step of p.
    @inline(__always)
    static func tile4x3<V: KernelVector>(
        _: V.Type, k: Int, a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, initial: UnsafePointer<Float>?, irs: Int
    ) {
        let w = V.lanes
        var c00 = start(V.self, initial, 0), c01 = start(V.self, initial, w), c02 = start(V.self, initial, 2 * w)
        var c10 = start(V.self, initial, irs), c11 = start(V.self, initial, irs + w), c12 = start(V.self, initial, irs + 2 * w)
        var c20 = start(V.self, initial, 2 * irs), c21 = start(V.self, initial, 2 * irs + w), c22 = start(V.self, initial, 2 * irs + 2 * w)
        var c30 = start(V.self, initial, 3 * irs), c31 = start(V.self, initial, 3 * irs + w), c32 = start(V.self, initial, 3 * irs + 2 * w)
        var ap = a, bp = b
        for _ in 0..<k {
            let b0 = V.load(bp), b1 = V.load(bp + w), b2 = V.load(bp + 2 * w)
            let x0 = ap[0], x1 = ap[rs], x2 = ap[2 * rs], x3 = ap[3 * rs]
            c00 = V.fma(x0, b0, c00); c01 = V.fma(x0, b1, c01); c02 = V.fma(x0, b2, c02)
            c10 = V.fma(x1, b0, c10); c11 = V.fma(x1, b1, c11); c12 = V.fma(x1, b2, c12)
            c20 = V.fma(x2, b0, c20); c21 = V.fma(x2, b1, c21); c22 = V.fma(x2, b2, c22)
            c30 = V.fma(x3, b0, c30); c31 = V.fma(x3, b1, c31); c32 = V.fma(x3, b2, c32)
            ap += cs
            bp += ldb
        }
        c00.store(c); c01.store(c + w); c02.store(c + 2 * w)
        c10.store(c + ldc); c11.store(c + ldc + w); c12.store(c + ldc + 2 * w)
        c20.store(c + 2 * ldc); c21.store(c + 2 * ldc + w); c22.store(c + 2 * ldc + 2 * w)
        c30.store(c + 3 * ldc); c31.store(c + 3 * ldc + w); c32.store(c + 3 * ldc + 2 * w)
    }

    /// 4 rows × 2 vectors: 8 accumulators.
    @inline(__always)
    static func tile4x2<V: KernelVector>(
        _: V.Type, k: Int, a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, initial: UnsafePointer<Float>?, irs: Int
    ) {
        let w = V.lanes
        var c00 = start(V.self, initial, 0), c01 = start(V.self, initial, w)
        var c10 = start(V.self, initial, irs), c11 = start(V.self, initial, irs + w)
        var c20 = start(V.self, initial, 2 * irs), c21 = start(V.self, initial, 2 * irs + w)
        var c30 = start(V.self, initial, 3 * irs), c31 = start(V.self, initial, 3 * irs + w)
        var ap = a, bp = b
        for _ in 0..<k {
            let b0 = V.load(bp), b1 = V.load(bp + w)
            let x0 = ap[0], x1 = ap[rs], x2 = ap[2 * rs], x3 = ap[3 * rs]
            c00 = V.fma(x0, b0, c00); c01 = V.fma(x0, b1, c01)
            c10 = V.fma(x1, b0, c10); c11 = V.fma(x1, b1, c11)
            c20 = V.fma(x2, b0, c20); c21 = V.fma(x2, b1, c21)
            c30 = V.fma(x3, b0, c30); c31 = V.fma(x3, b1, c31)
            ap += cs
            bp += ldb
        }
        c00.store(c); c01.store(c + w)
        c10.store(c + ldc); c11.store(c + ldc + w)
        c20.store(c + 2 * ldc); c21.store(c + 2 * ldc + w)
        c30.store(c + 3 * ldc); c31.store(c + 3 * ldc + w)
    }

    /// 4 rows × 1 vector, p split into two streams so 8 accumulators are in flight.
    @inline(__always)
    static func tile4x1<V: KernelVector>(
        _: V.Type, k: Int, a: UnsafePointer<Float>, rs: Int, cs: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, initial: UnsafePointer<Float>?, irs: Int
    ) {
        var c0 = start(V.self, initial, 0), c1 = start(V.self, initial, irs)
        var c2 = start(V.self, initial, 2 * irs), c3 = start(V.self, initial, 3 * irs)
        var d0 = V(), d1 = V(), d2 = V(), d3 = V()
        var ap = a, bp = b
        var p = 0
        while p + 2 <= k {
            let b0 = V.load(bp), b1 = V.load(bp + ldb)
            let ap1 = ap + cs
            c0 = V.fma(ap[0], b0, c0); d0 = V.fma(ap1[0], b1, d0)
            c1 = V.fma(ap[rs], b0, c1); d1 = V.fma(ap1[rs], b1, d1)
            c2 = V.fma(ap[2 * rs], b0, c2); d2 = V.fma(ap1[2 * rs], b1, d2)
            c3 = V.fma(ap[3 * rs], b0, c3); d3 = V.fma(ap1[3 * rs], b1, d3)
            ap += 2 * cs
            bp += 2 * ldb
            p += 2
        }
        if p < k {
            let b0 = V.load(bp)
            c0 = V.fma(ap[0], b0, c0); c1 = V.fma(ap[rs], b0, c1)
            c2 = V.fma(ap[2 * rs], b0, c2); c3 = V.fma(ap[3 * rs], b0, c3)
        }
        (c0 + d0).store(c); (c1 + d1).store(c + ldc)
        (c2 + d2).store(c + 2 * ldc); (c3 + d3).store(c + 3 * ldc)
    }

    /// One row × 64 columns: 8 accumulators.
    @inline(__always)
    static func row8Vectors(
        k: Int, a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, initial: UnsafePointer<Float>?
    ) {
        var c0 = start(initial, 0), c1 = start(initial, 8), c2 = start(initial, 16), c3 = start(initial, 24)
        var c4 = start(initial, 32), c5 = start(initial, 40), c6 = start(initial, 48), c7 = start(initial, 56)
        var ap = a, bp = b
        for _ in 0..<k {
            let x = ap[0]
            c0 = fusedMultiplyAdd(x, load8(bp), c0); c1 = fusedMultiplyAdd(x, load8(bp + 8), c1)
            c2 = fusedMultiplyAdd(x, load8(bp + 16), c2); c3 = fusedMultiplyAdd(x, load8(bp + 24), c3)
            c4 = fusedMultiplyAdd(x, load8(bp + 32), c4); c5 = fusedMultiplyAdd(x, load8(bp + 40), c5)
            c6 = fusedMultiplyAdd(x, load8(bp + 48), c6); c7 = fusedMultiplyAdd(x, load8(bp + 56), c7)
            ap += aStride
            bp += ldb
        }
        store8(c0, c); store8(c1, c + 8); store8(c2, c + 16); store8(c3, c + 24)
        store8(c4, c + 32); store8(c5, c + 40); store8(c6, c + 48); store8(c7, c + 56)
    }

    /// One row × 32 columns, p split into two streams: 8 accumulators.
    @inline(__always)
    static func row4Vectors(
        k: Int, a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, initial: UnsafePointer<Float>?
    ) {
        var c0 = start(initial, 0), c1 = start(initial, 8), c2 = start(initial, 16), c3 = start(initial, 24)
        var d0 = Float8(), d1 = Float8(), d2 = Float8(), d3 = Float8()
        var ap = a, bp = b
        var p = 0
        while p + 2 <= k {
            let x = ap[0], y = ap[aStride]
            let bq = bp + ldb
            c0 = fusedMultiplyAdd(x, load8(bp), c0); d0 = fusedMultiplyAdd(y, load8(bq), d0)
            c1 = fusedMultiplyAdd(x, load8(bp + 8), c1); d1 = fusedMultiplyAdd(y, load8(bq + 8), d1)
            c2 = fusedMultiplyAdd(x, load8(bp + 16), c2); d2 = fusedMultiplyAdd(y, load8(bq + 16), d2)
            c3 = fusedMultiplyAdd(x, load8(bp + 24), c3); d3 = fusedMultiplyAdd(y, load8(bq + 24), d3)
            ap += 2 * aStride
            bp += 2 * ldb
            p += 2
        }
        if p < k {
            let x = ap[0]
            c0 = fusedMultiplyAdd(x, load8(bp), c0); c1 = fusedMultiplyAdd(x, load8(bp + 8), c1)
            c2 = fusedMultiplyAdd(x, load8(bp + 16), c2); c3 = fusedMultiplyAdd(x, load8(bp + 24), c3)
        }
        store8(c0 + d0, c); store8(c1 + d1, c + 8); store8(c2 + d2, c + 16); store8(c3 + d3, c + 24)
    }

    /// One row × 8 columns, p split into four streams.
    @inline(__always)
    static func row1Vector(
        k: Int, a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, initial: UnsafePointer<Float>?
    ) {
        var c0 = start(initial, 0), c1 = Float8(), c2 = Float8(), c3 = Float8()
        var ap = a, bp = b
        var p = 0
        while p + 4 <= k {
            c0 = fusedMultiplyAdd(ap[0], load8(bp), c0)
            c1 = fusedMultiplyAdd(ap[aStride], load8(bp + ldb), c1)
            c2 = fusedMultiplyAdd(ap[2 * aStride], load8(bp + 2 * ldb), c2)
            c3 = fusedMultiplyAdd(ap[3 * aStride], load8(bp + 3 * ldb), c3)
            ap += 4 * aStride
            bp += 4 * ldb
            p += 4
        }
        while p < k {
            c0 = fusedMultiplyAdd(ap[0], load8(bp), c0)
            ap += aStride
            bp += ldb
            p += 1
        }
        store8((c0 + c1) + (c2 + c3), c)
    }

    /// `sums[0..<n] (+)= Σ_i rows[i * ld + 0..<n]` for `i < m` (`n` a multiple of 8): bias gradients.
    public static func sumRows(
        m: Int, n: Int, rows: UnsafePointer<Float>, ld: Int,
        into sums: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        var j = 0
        while j < n {
            var s0 = accumulate ? load8(sums + j) : Float8(), s1 = Float8()
            var i = 0
            while i + 2 <= m {
                s0 += load8(rows + i * ld + j)
                s1 += load8(rows + (i + 1) * ld + j)
                i += 2
            }
            if i < m { s0 += load8(rows + i * ld + j) }
            store8(s0 + s1, sums + j)
            j += 8
        }
    }
}
