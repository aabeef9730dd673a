#if canImport(Glibc)
import Glibc
#endif

/// The truncated importance weight of eq. 13 (SVG-SPEC §1):
/// w = min(π(a|s; θ_now) / π(a|s; θ_then), w_max), from log-densities.
/// 1 for on-policy data; never above w_max; real-time safe.
@inline(__always)
public func truncatedImportanceWeight(logDensityNow: Float, logDensityThen: Float, maximum: Float) -> Float {
    let logRatio = logDensityNow - logDensityThen
    if logRatio >= logf(maximum) { return maximum }
    return expf(logRatio)
}
