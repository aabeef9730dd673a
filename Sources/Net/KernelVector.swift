import _NetShims

/// A vector of floats the matrix kernels work in: `Float8` (one AVX `ymm`, two NEON `q`
/// registers) or `Float16Lanes` (one AVX-512 `zmm`). The tiles are written once, generic over
/// it, and specialised per width inside this module (every member is `@inline(__always)`).
@usableFromInline
protocol KernelVector: SIMD where Scalar == Float {
    /// `scalarCount` as a static constant, for column offsets.
    static var lanes: Int { get }
    /// Loads `lanes` consecutive floats (no alignment required).
    static func load(_ pointer: UnsafePointer<Float>) -> Self
    /// Stores `lanes` consecutive floats (no alignment required).
    func store(_ pointer: UnsafeMutablePointer<Float>)
    /// `a * b + c` lane-wise, fused (one rounding), through the C shim.
    static func fma(_ a: Self, _ b: Self, _ c: Self) -> Self
    /// `a * b + c` with `a` broadcast to every lane, fused.
    static func fma(_ a: Float, _ b: Self, _ c: Self) -> Self
    /// The sum of the vector's 8-lane halves (itself for `Float8`), for dot-product reductions.
    func foldedTo8() -> Float8
}

extension SIMD8: KernelVector where Scalar == Float {
    @inline(__always) @usableFromInline static var lanes: Int { 8 }
    @inline(__always) @usableFromInline static func load(_ pointer: UnsafePointer<Float>) -> Self { load8(pointer) }
    @inline(__always) @usableFromInline func store(_ pointer: UnsafeMutablePointer<Float>) { store8(self, pointer) }
    @inline(__always) @usableFromInline static func fma(_ a: Self, _ b: Self, _ c: Self) -> Self { fusedMultiplyAdd(a, b, c) }
    @inline(__always) @usableFromInline static func fma(_ a: Float, _ b: Self, _ c: Self) -> Self { fusedMultiplyAdd(a, b, c) }
    @inline(__always) @usableFromInline func foldedTo8() -> Float8 { self }
}

/// The 16-lane kernels (`SVGRT_WIDE_VECTORS`, set by Package.swift for AVX-512 hosts): on a CPU
/// with 512-bit FMA units (AMD Zen 5, Intel server cores) they double the multiply-adds per
/// instruction; elsewhere 16 `ymm` or 32 NEON registers cannot hold their tiles.
extension SIMD16: KernelVector where Scalar == Float {
    @inline(__always) @usableFromInline static var lanes: Int { 16 }
    @inline(__always) @usableFromInline static func load(_ pointer: UnsafePointer<Float>) -> Self {
        UnsafeRawPointer(pointer).loadUnaligned(as: Self.self)
    }
    @inline(__always) @usableFromInline func store(_ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Self.self)
    }
    @inline(__always) @usableFromInline static func fma(_ a: Self, _ b: Self, _ c: Self) -> Self { svgrt_fma16(a, b, c) }
    @inline(__always) @usableFromInline static func fma(_ a: Float, _ b: Self, _ c: Self) -> Self { svgrt_fma16_scalar(a, b, c) }
    @inline(__always) @usableFromInline func foldedTo8() -> Float8 { lowHalf + highHalf }
}
