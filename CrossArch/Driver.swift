// The cross-architecture driver of scripts/aarch64-check: the numeric core's results, printed as
// float and integer bit patterns, one line per quantity ("name count v1 v2 …"). Built as
// Embedded Swift for aarch64 (run under qemu-user) and natively for x86_64 with the 8-lane and,
// where the host has AVX-512, the 16-lane kernels; the check compares the outputs bit for bit.
// Only what Embedded Swift accepts: no existentials, no Foundation, no key paths.
import Checksum
import Net
import Policy

@main struct CrossArchDriver {
    static func line(_ name: String, _ values: [UInt64]) {
        var text = name + " " + String(values.count)
        for v in values { text += " " + String(v) }
        print(text)
    }

    static func floats(_ name: String, _ values: UnsafeBufferPointer<Float>) {
        line(name, values.map { UInt64($0.bitPattern) })
    }

    static func main() {
        // Random: the raw stream, uniforms and Gaussians (portable polar method and logarithm).
        var g = Xoshiro256StarStar(seed: 2026)
        line("rng.next", (0..<64).map { _ in g.next() })
        line("rng.uniform", (0..<64).map { _ in g.nextUniform().bitPattern })
        line("rng.gaussian", (0..<256).map { _ in g.nextGaussian().bitPattern })

        // Tanh on a grid over [−20, 20].
        let grid = (0..<4001).map { Float($0 - 2000) / 100 }
        line("tanh.grid", grid.map { UInt64(Tanh.value($0).bitPattern) })

        // A policy-sized network 8-100-100-2: batch-1 forward, then batch-64 forward, backward
        // with parameter gradients and the input VJP.
        var init_ = Xoshiro256StarStar(seed: 7)
        let net = MLP(layerSizes: [8, 100, 100, 2], maxBatch: 64)
        net.initializeParameters(using: &init_)
        for b in 0..<64 {
            let row = net.input(sample: b)
            for i in 0..<8 { row[i] = Float(init_.nextGaussian()) }
        }
        net.forward(batch: 1)
        floats("mlp.forward.batch1", UnsafeBufferPointer(net.output(sample: 0)))
        net.forward(batch: 64)
        var outputs: [Float] = []
        for b in 0..<64 { outputs += Array(net.output(sample: b)) }
        outputs.withUnsafeBufferPointer { floats("mlp.forward.batch64", $0) }
        for b in 0..<64 {
            let dy = net.outputGradient(sample: b)
            for o in 0..<2 { dy[o] = Float(init_.nextGaussian()) }
        }
        net.backward(batch: 64, parameterGradients: .overwrite, inputGradient: true)
        floats("mlp.backward.gradients", UnsafeBufferPointer(start: net.gradients.base, count: net.gradients.count))
        var vjp: [Float] = []
        for b in 0..<64 { vjp += Array(net.inputGradient(sample: b).prefix(8)) }
        vjp.withUnsafeBufferPointer { floats("mlp.backward.inputVJP", $0) }

        // A critic-sized network 8-400-200-1 (the 16-lane tiles' home), forward and backward.
        let value = MLP(layerSizes: [8, 400, 200, 1], maxBatch: 64)
        value.initializeParameters(using: &init_)
        for b in 0..<64 {
            let row = value.input(sample: b)
            for i in 0..<8 { row[i] = Float(init_.nextGaussian()) }
            value.outputGradient(sample: b)[0] = 1
        }
        value.forward(batch: 64)
        var v: [Float] = []
        for b in 0..<64 { v.append(value.output(sample: b)[0]) }
        v.withUnsafeBufferPointer { floats("value.forward.batch64", $0) }
        value.backward(batch: 64, parameterGradients: .overwrite, inputGradient: true)
        floats("value.backward.gradients", UnsafeBufferPointer(start: value.gradients.base, count: value.gradients.count))

        // One clipped Adam step on the policy network.
        let adam = Adam(for: net, learningRate: 1e-3)
        adam.clipAndStep(parameters: net.parameters, gradients: net.gradients, maxNorm: 1)
        floats("adam.step.parameters", UnsafeBufferPointer(start: net.parameters.base, count: net.parameters.count))

        // The policy's act step (squashed mean, learned σ): deterministic and sampled actions and
        // their log-densities, batch 1, 8 observations → 2 actions in [−2, 2].
        var policyInit = Xoshiro256StarStar(seed: 11)
        let policy = GaussianPolicy(observationSize: 8, actionSize: 2, hidden: [100, 100], maxBatch: 1, initialStd: 0.8,
                                    learningRate: 1e-3, actionLow: [-2, -2], actionHigh: [2, 2], generator: &policyInit)
        var acting = Xoshiro256StarStar(seed: 12)
        var acts: [Float] = []
        let observation = UnsafeMutableBufferPointer<Float>.allocate(capacity: 8)
        let action = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2)
        for k in 0..<64 {
            for i in 0..<8 { observation[i] = Float(acting.nextGaussian()) }
            let logDensity = policy.act(UnsafeBufferPointer(observation), into: action, deterministic: k % 2 == 0, generator: &acting)
            acts += [action[0], action[1], logDensity]
        }
        observation.deallocate(); action.deallocate()
        acts.withUnsafeBufferPointer { floats("policy.act", $0) }

        // The parameter archive's bytes and their CRC-32C.
        let bytes = ParameterArchive(records: [net.parameterRecord(named: "policy"), value.parameterRecord(named: "value")]).encoded()
        let crc = bytes.withUnsafeBytes { CRC32C.update(0, $0.baseAddress!, count: $0.count) }
        line("archive.crc32c", [UInt64(crc), UInt64(bytes.count)])
    }
}
