import Net
#if canImport(Glibc)
import Glibc
#endif

/// An entropy temperature α tuned towards a target entropy, as SAC's (docs/algorithms.md eqs.
/// 23 and 24): after each policy step log α descends α (H − H̄), H the policy's entropy then, so α
/// rises while the entropy is below the target and falls while above. Used by SAC-SVG(H) and by
/// SVG(1)-ER's tuned entropy bonus. Real-time safe after `init`.
public final class Temperature {
    /// log α, its gradient and optimiser.
    public let logValue = FloatBuffer(count: 1)
    let gradient = FloatBuffer(count: 1)
    let optimizer: Adam
    /// Where log α is kept (nil: anywhere).
    let logBounds: ClosedRange<Float>?

    public init(initial: Float, learningRate: Float, logBounds: ClosedRange<Float>? = nil) {
        optimizer = Adam(count: 1, learningRate: learningRate)
        self.logBounds = logBounds
        logValue[0] = logf(initial)
    }

    /// α.
    public var value: Float { expf(logValue[0]) }

    /// One Adam step of log α on α (`entropy` − `target`).
    public func step(entropy: Float, target: Float) {
        gradient[0] = value * (entropy - target)
        optimizer.step(parameters: logValue, gradients: gradient)
        if let b = logBounds { logValue[0] = min(max(logValue[0], b.lowerBound), b.upperBound) }
    }

    /// log α and the optimiser's state as archive records: `prefix`.logTemperature and `prefix`.temperature.adam.
    public func records(prefix: String) -> [ParameterArchive.Record] {
        [.init(name: prefix + ".logTemperature", shape: [1], values: [logValue[0]])] + optimizer.records(prefix: prefix + ".temperature.adam")
    }

    public func load(from archive: ParameterArchive, prefix: String, path: String) throws(ParameterArchiveError) {
        try logValue.load(prefix + ".logTemperature", from: archive, path: path)
        try optimizer.load(from: archive, prefix: prefix + ".temperature.adam", path: path)
    }
}
