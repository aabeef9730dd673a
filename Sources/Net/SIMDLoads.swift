import _NetShims

/// The vector width of every kernel: 8 floats (one AVX `ymm` register, two NEON `q` registers).
public typealias Float8 = SIMD8<Float>

/// Loads 8 consecutive floats (no alignment required).
@inline(__always) @usableFromInline
func load8(_ pointer: UnsafePointer<Float>) -> Float8 {
    UnsafeRawPointer(pointer).loadUnaligned(as: Float8.self)
}

/// Stores 8 consecutive floats (no alignment required).
@inline(__always) @usableFromInline
func store8(_ value: Float8, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Float8.self)
}

/// `a * b + c` lane-wise with one rounding, through the C shim (Swift's `addingProduct` becomes
/// a call of the software `fmaf` on the default x86_64 target).
@inline(__always) @usableFromInline
func fusedMultiplyAdd(_ a: Float8, _ b: Float8, _ c: Float8) -> Float8 {
    svgrt_fma8(a, b, c)
}

/// `a * b + c` with `a` broadcast to all lanes, fused.
@inline(__always) @usableFromInline
func fusedMultiplyAdd(_ a: Float, _ b: Float8, _ c: Float8) -> Float8 {
    svgrt_fma8_scalar(a, b, c)
}

/// Sum of the 8 lanes as a pairwise tree (`SIMD.sum()` is a serial chain).
@inline(__always) @usableFromInline
func horizontalSum(_ v: Float8) -> Float {
    let four = v.lowHalf + v.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}

/// 16 floats: one AVX-512 `zmm` register (see `KernelVector`).
public typealias Float16Lanes = SIMD16<Float>
