#if canImport(Glibc)
import Glibc
#endif

/// The truncated importance weight (docs/algorithms.md eq. 13):
/// w = min(π(a|s; θ_now) / π(a|s; θ_then), w_max), from log-densities.
/// 1 for on-policy data; never above w_max; real-time safe.
@inline(__always)
public func truncatedImportanceWeight(logDensityNow: Float, logDensityThen: Float, maximum: Float) -> Float {
    let logRatio = logDensityNow - logDensityThen
    if logRatio >= logf(maximum) { return maximum }
    return expf(logRatio)
}

extension Minibatch {
    /// Fills `weights` with the truncated importance weights of the batch's actions under the
    /// current `policy` (one batched forward of its mean). Real-time safe.
    public func computeImportanceWeights(policy: GaussianPolicy, maximum: Float) {
        policy.forwardMean(states: states.base, stride: stateSize, batch: count)
        for b in 0..<count {
            weights[b] = truncatedImportanceWeight(
                logDensityNow: policy.logDensity(action: UnsafeBufferPointer(start: action(b), count: actionSize), sample: b),
                logDensityThen: logProbabilities[b], maximum: maximum)
        }
    }
}
