import Net

/// The critic V̂(s; ν) fitted by Algorithm 4 of the paper (fitted policy evaluation,
/// docs/algorithms.md eqs. 11–12): y = r + γ V̂(s'; ν⁻) (r alone at a terminal), loss (w/2)(y − V̂(s; ν))², and every
/// C steps ν⁻ ← ν (or Polyak averaging ν⁻ ← (1 − τ) ν⁻ + τ ν when `polyak` is set).
/// Real-time safe after `init`.
public final class ValueFunction: FittedCritic {
    public let network: MLP, target: MLP
    public let optimizer: Adam
    /// C: value steps between target copies (paper: 50).
    public var targetCopyInterval: Int
    /// τ of soft target updates; nil copies every C steps.
    public var polyak: Float?
    public internal(set) var steps = 0
    /// V̂(s) = outputScale · network(s). Returns of hundreds (the pendulum's reach −1,600) are
    /// out of reach of a tanh network whose last layer starts at ±0.1 and moves 1e-3 per Adam
    /// step; scaling the output by the typical |return| lets it fit them in a few hundred steps.
    public var outputScale: Float = 1
    /// V̂_s rows after `valueGradient` (stride `network` input stride).
    public let stateSize: Int

    public init(stateSize: Int, hidden: [Int], maxBatch: Int, learningRate: Float, targetCopyInterval: Int,
                generator: inout Xoshiro256StarStar) {
        self.stateSize = stateSize
        network = MLP(layerSizes: [stateSize] + hidden + [1], maxBatch: maxBatch)
        network.initializeParameters(using: &generator)
        target = MLP(copying: network)
        optimizer = Adam(for: network, learningRate: learningRate)
        self.targetCopyInterval = targetCopyInterval
    }


    /// One fitted step on the batch; `weights` are the importance weights. Returns the mean loss.
    @discardableResult
    public func fitStep(_ batch: Minibatch, gamma: Float, clipNorm: Float) -> Float {
        let n = batch.count
        for b in 0..<n {
            let next = target.input(sample: b), now = network.input(sample: b)
            for i in 0..<stateSize {
                next[i] = batch.nextState(b)[i]
                now[i] = batch.state(b)[i]
            }
        }
        target.forward(batch: n)
        network.forward(batch: n)
        var loss: Float = 0
        let scale = 1 / Float(n)
        for b in 0..<n {
            let bootstrap = batch.terminals[b] != 0 ? 0 : gamma * outputScale * target.output(sample: b)[0]
            let y = batch.rewards[b] + bootstrap
            let v = outputScale * network.output(sample: b)[0]
            let w = batch.weights[b]
            // Loss in units of the scaled output, so the step size does not depend on the scale.
            let error = (v - y) / outputScale
            loss += 0.5 * w * error * error * scale
            network.outputGradient(sample: b)[0] = w * error * scale
        }
        network.backward(batch: n, parameterGradients: .overwrite, inputGradient: false)
        optimizer.clipAndStep(parameters: network.parameters, gradients: network.gradients, maxNorm: clipNorm)
        steps += 1
        updateTarget(target, from: network, step: steps, polyak: polyak, copyInterval: targetCopyInterval)
        return loss
    }

    /// V̂_s at the first `count` rows of `states` (stride `stateSize`), into `gradients` rows of
    /// stride `stateSize`. Uses the network, not the target. No parameter gradients.
    public func valueGradient(count: Int, states: UnsafePointer<Float>, into gradients: UnsafeMutablePointer<Float>) {
        for b in 0..<count {
            let row = network.input(sample: b)
            for i in 0..<stateSize { row[i] = states[b * stateSize + i] }
            network.outputGradient(sample: b)[0] = outputScale
        }
        network.forward(batch: count)
        network.backward(batch: count, parameterGradients: .skip, inputGradient: true)
        for b in 0..<count {
            let g = network.inputGradient(sample: b)
            for i in 0..<stateSize { gradients[b * stateSize + i] = g[i] }
        }
    }
}
