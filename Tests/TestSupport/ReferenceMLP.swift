import Foundation
import Net

/// A scalar Double-precision copy of an `MLP`: the reference its kernels are checked against.
/// Parameters are a Double copy of the network's flat vector (same `Dense` layout).
public struct ReferenceMLP {
    public let layers: [Dense]
    public var parameters: [Double]

    public init(_ network: MLP) {
        layers = network.layers
        parameters = (0..<network.parameters.count).map { Double(network.parameters[$0]) }
    }

    /// Outputs for one input vector, tanh on hidden layers, linear output.
    public func forward(_ input: [Double]) -> [Double] {
        var x = input
        for (l, layer) in layers.enumerated() {
            var y = [Double](repeating: 0, count: layer.outputs)
            for o in 0..<layer.outputs {
                var z = parameters[layer.biasIndex(output: o)]
                for i in 0..<layer.inputs { z += parameters[layer.weightIndex(output: o, input: i)] * x[i] }
                y[o] = l < layers.count - 1 ? Foundation.tanh(z) : z
            }
            x = y
        }
        return x
    }

    /// Σ_s Σ_o cotangent[s][o] · y_s[o]: a scalar whose gradient is what `backward` computes.
    public func loss(inputs: [[Double]], cotangents: [[Double]]) -> Double {
        var total = 0.0
        for (x, c) in zip(inputs, cotangents) {
            for (y, w) in zip(forward(x), c) { total += y * w }
        }
        return total
    }

    /// Every real (non-padding) parameter index of the layout.
    public var realParameterIndices: [Int] {
        layers.flatMap { layer in
            (0..<layer.outputs).flatMap { o in (0..<layer.inputs).map { layer.weightIndex(output: o, input: $0) } }
                + (0..<layer.outputs).map { layer.biasIndex(output: $0) }
        }
    }
}

/// ‖a − b‖ / ‖b‖ (or ‖a − b‖ if b is zero).
public func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    var difference = 0.0, norm = 0.0
    for (x, y) in zip(a, b) {
        difference += (x - y) * (x - y)
        norm += y * y
    }
    return norm > 0 ? (difference / norm).squareRoot() : difference.squareRoot()
}
