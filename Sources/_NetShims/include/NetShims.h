// Header-only helpers for what Swift cannot say well. Underscored module: no public API.
//
// Swift imports `ext_vector_type(8) float` as `SIMD8<Float>`. Swift's own `addingProduct` on the
// default x86_64 target lowers to calls of the software `fmaf` (docs/architecture.md "Build settings"), so the fused
// multiply-add of the dense kernels goes through this helper, which clang lowers to one
// `vfmadd231ps ymm` (x86-64-v3) or `fmla` (aarch64) when the build names the CPU
// (Package.swift passes `-Xcc -march=...`; see README "Build settings").
#ifndef SVGRT_NET_SHIMS_H
#define SVGRT_NET_SHIMS_H

typedef float svgrt_float8 __attribute__((ext_vector_type(8)));

/// a * b + c, lane-wise, fused (one rounding).
static inline __attribute__((always_inline)) svgrt_float8
svgrt_fma8(svgrt_float8 a, svgrt_float8 b, svgrt_float8 c) {
    return __builtin_elementwise_fma(a, b, c);
}

/// a * b + c for a scalar broadcast a, lane-wise, fused.
static inline __attribute__((always_inline)) svgrt_float8
svgrt_fma8_scalar(float a, svgrt_float8 b, svgrt_float8 c) {
    svgrt_float8 splat = a;
    return __builtin_elementwise_fma(splat, b, c);
}

/// The 16-lane forms, for the wide kernels (`SVGRT_WIDE_VECTORS`, one `zmm` register with
/// AVX-512; two `ymm` or four NEON registers elsewhere).
typedef float svgrt_float16 __attribute__((ext_vector_type(16)));

/// a * b + c, lane-wise, fused (one rounding), 16 lanes.
static inline __attribute__((always_inline)) svgrt_float16
svgrt_fma16(svgrt_float16 a, svgrt_float16 b, svgrt_float16 c) {
    return __builtin_elementwise_fma(a, b, c);
}

/// a * b + c for a scalar broadcast a, lane-wise, fused, 16 lanes.
static inline __attribute__((always_inline)) svgrt_float16
svgrt_fma16_scalar(float a, svgrt_float16 b, svgrt_float16 c) {
    svgrt_float16 splat = a;
    return __builtin_elementwise_fma(splat, b, c);
}

#endif
