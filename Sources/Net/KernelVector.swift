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
}

extension SIMD8: KernelVector where Scalar == Float {
    @inline(__always) @usableFromInline static var lanes: Int { 8 }
    @inline(__always) @usableFromInline static func load(_ pointer: UnsafePointer<Float>) -> Self { load8(pointer) }
    @inline(__always) @usableFromInline func store(_ pointer: UnsafeMutablePointer<Float>) { store8(self, pointer) }
    @inline(__always) @usableFromInline static func fma(_ a: Self, _ b: Self, _ c: Self) -> Self { fusedMultiplyAdd(a, b, c) }
    @inline(__always) @usableFromInline static func fma(_ a: Float, _ b: Self, _ c: Self) -> Self { fusedMultiplyAdd(a, b, c) }
}

extension SIMD16: KernelVector where Scalar == Float {
    @inline(__always) @usableFromInline static var lanes: Int { 16 }
    @inline(__always) @usableFromInline static func load(_ pointer: UnsafePointer<Float>) -> Self { load16(pointer) }
    @inline(__always) @usableFromInline func store(_ pointer: UnsafeMutablePointer<Float>) { store16(self, pointer) }
    @inline(__always) @usableFromInline static func fma(_ a: Self, _ b: Self, _ c: Self) -> Self { fusedMultiplyAdd(a, b, c) }
    @inline(__always) @usableFromInline static func fma(_ a: Float, _ b: Self, _ c: Self) -> Self { fusedMultiplyAdd(a, b, c) }
}
