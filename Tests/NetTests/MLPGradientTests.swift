import XCTest
import Net
import TestSupport

/// Parameter gradients and input VJPs of `MLP.backward` against Double-precision central
/// differences of `ReferenceMLP`, on random networks of several shapes and batch sizes chosen
/// to exercise every kernel tile and tail.
final class MLPGradientTests: XCTestCase {
    struct Case {
        let sizes: [Int]
        let batch: Int
    }

    let cases: [Case] = [
        Case(sizes: [3, 20, 20, 1], batch: 1),
        Case(sizes: [3, 20, 20, 1], batch: 5),
        Case(sizes: [8, 100, 100, 2], batch: 1),
        Case(sizes: [8, 100, 100, 2], batch: 7),
        Case(sizes: [12, 400, 200, 1], batch: 4),
        Case(sizes: [10, 20, 20, 1], batch: 9),
        Case(sizes: [5, 13, 37, 3], batch: 6),
        Case(sizes: [17, 64, 33, 9], batch: 2),
    ]

    /// Builds a random network and batch, runs forward + backward, returns what the test needs.
    func prepare(_ c: Case, seed: UInt64) -> (MLP, ReferenceMLP, [[Double]], [[Double]]) {
        var rng = Xoshiro256StarStar(seed: seed)
        let net = MLP(layerSizes: c.sizes, maxBatch: max(c.batch, 8))
        net.initializeParameters(using: &rng)
        var inputs: [[Double]] = [], cotangents: [[Double]] = []
        for s in 0..<c.batch {
            let x = (0..<net.inputSize).map { _ in Double(rng.nextUniform(-2, 2)) }
            let g = (0..<net.outputSize).map { _ in Double(rng.nextUniform(-1, 1)) }
            for (i, v) in x.enumerated() { net.input(sample: s)[i] = Float(v) }
            for (i, v) in g.enumerated() { net.outputGradient(sample: s)[i] = Float(v) }
            inputs.append(x)
            cotangents.append(g)
        }
        net.forward(batch: c.batch)
        net.backward(batch: c.batch, parameterGradients: .overwrite, inputGradient: true)
        return (net, ReferenceMLP(net), inputs, cotangents)
    }

    func testForwardMatchesDoubleReference() {
        for (n, c) in cases.enumerated() {
            let (net, reference, inputs, _) = prepare(c, seed: 100 + UInt64(n))
            net.forward(batch: c.batch)
            var worst = 0.0
            for s in 0..<c.batch {
                let expected = reference.forward(inputs[s])
                let got = net.output(sample: s).map(Double.init)
                worst = max(worst, zip(got, expected).map { abs($0 - $1) / max(1, abs($1)) }.max()!)
            }
            XCTAssertLessThan(worst, 1e-4, "forward of \(c.sizes) at batch \(c.batch)")
        }
    }

    func testParameterGradientsMatchFiniteDifferences() {
        for (n, c) in cases.enumerated() {
            let (net, reference, inputs, cotangents) = prepare(c, seed: 200 + UInt64(n))
            var rng = Xoshiro256StarStar(seed: 300 + UInt64(n))
            let all = reference.realParameterIndices
            // Every parameter for small networks; 400 random ones (and all output-layer ones) otherwise.
            let subset = all.count <= 3000 ? all
                : (0..<400).map { _ in all[Int(rng.next() % UInt64(all.count))] } + Array(all.suffix(net.layers.last!.parameterCount))
            var analytic: [Double] = [], numeric: [Double] = []
            var perturbed = reference
            let h = 1e-5
            for index in subset {
                let original = perturbed.parameters[index]
                perturbed.parameters[index] = original + h
                let plus = perturbed.loss(inputs: inputs, cotangents: cotangents)
                perturbed.parameters[index] = original - h
                let minus = perturbed.loss(inputs: inputs, cotangents: cotangents)
                perturbed.parameters[index] = original
                numeric.append((plus - minus) / (2 * h))
                analytic.append(Double(net.gradients[index]))
            }
            let error = relativeError(analytic, numeric)
            XCTAssertLessThan(error, 1e-3, "parameter gradient of \(c.sizes) at batch \(c.batch)")
            // Padding lanes carry no gradient.
            let real = Set(all)
            let paddingGradient = (0..<net.gradients.count).filter { !real.contains($0) }.map { abs(net.gradients[$0]) }.max() ?? 0
            XCTAssertEqual(paddingGradient, 0, "gradient leaked into padding of \(c.sizes)")
        }
    }

    func testInputGradientsMatchFiniteDifferences() {
        for (n, c) in cases.enumerated() {
            let (net, reference, inputs, cotangents) = prepare(c, seed: 400 + UInt64(n))
            var analytic: [Double] = [], numeric: [Double] = []
            let h = 1e-5
            for s in 0..<c.batch {
                for i in 0..<net.inputSize {
                    var plusInputs = inputs, minusInputs = inputs
                    plusInputs[s][i] += h
                    minusInputs[s][i] -= h
                    let plus = reference.loss(inputs: plusInputs, cotangents: cotangents)
                    let minus = reference.loss(inputs: minusInputs, cotangents: cotangents)
                    numeric.append((plus - minus) / (2 * h))
                    analytic.append(Double(net.inputGradient(sample: s)[i]))
                }
            }
            XCTAssertLessThan(relativeError(analytic, numeric), 1e-3, "input VJP of \(c.sizes) at batch \(c.batch)")
        }
    }

    /// `Dense.inputGradient` copies W untransposed into its scratch first: whatever the scratch
    /// and `dx` held before (NaN here) must not leak into the result, and `dx`'s padding lanes
    /// come out zero. Checked against a plain loop on shapes with padding on both sides.
    func testDenseInputGradientIgnoresStaleScratchAndZeroesPadding() {
        var rng = Xoshiro256StarStar(seed: 77)
        for (inputs, outputs, batch) in [(5, 3, 1), (13, 37, 6), (23, 1, 9), (64, 64, 4), (17, 9, 3)] {
            let layer = Dense(inputs: inputs, outputs: outputs, offset: 0)
            let parameters = FloatBuffer(count: layer.storedCount)
            for i in 0..<inputs { for o in 0..<outputs { parameters[layer.weightIndex(output: o, input: i)] = rng.nextUniform(-1, 1) } }
            let dy = FloatBuffer(count: batch * layer.paddedOutputs)
            for s in 0..<batch { for o in 0..<outputs { dy[s * layer.paddedOutputs + o] = rng.nextUniform(-1, 1) } }
            let scratch = FloatBuffer(count: layer.untransposedCount), dx = FloatBuffer(count: batch * layer.paddedInputs)
            for i in 0..<scratch.count { scratch[i] = .nan }
            for i in 0..<dx.count { dx[i] = .nan }
            layer.inputGradient(
                parameters: parameters.base, batch: batch, dy: dy.base, dx: dx.base,
                inputStride: layer.paddedInputs, scratch: scratch.base)
            for s in 0..<batch {
                for i in 0..<layer.paddedInputs {
                    var expected: Float = 0
                    if i < inputs {
                        for o in 0..<outputs { expected += dy[s * layer.paddedOutputs + o] * parameters[layer.weightIndex(output: o, input: i)] }
                    }
                    XCTAssertEqual(dx[s * layer.paddedInputs + i], expected, accuracy: 1e-5, "\(inputs)→\(outputs) batch \(batch) sample \(s) lane \(i)")
                }
            }
        }
    }

    /// A row window (`forward(batch:from:)`, `backward(batch:from:…)`) computes what the same
    /// samples give at rows 0..<batch, and leaves the other rows' activations alone.
    func testRowWindowsMatchTheSameSamplesAtRowZero() {
        var rng = Xoshiro256StarStar(seed: 91)
        let a = MLP(layerSizes: [5, 13, 37, 3], maxBatch: 12), b = MLP(layerSizes: [5, 13, 37, 3], maxBatch: 5)
        a.initializeParameters(using: &rng)
        b.copyParameters(from: a)
        for s in 0..<12 { for i in 0..<5 { a.input(sample: s)[i] = rng.nextUniform(-2, 2) } }
        a.forward(batch: 12)
        let before = (0..<4).map { Array(a.output(sample: $0)) }
        for s in 0..<5 {
            for i in 0..<5 { b.input(sample: s)[i] = a.input(sample: 7 + s)[i] }
            for i in 0..<3 { let g = rng.nextUniform(-1, 1); a.outputGradient(sample: 7 + s)[i] = g; b.outputGradient(sample: s)[i] = g }
        }
        a.forward(batch: 5, from: 7)
        b.forward(batch: 5)
        a.backward(batch: 5, from: 7, parameterGradients: .overwrite, inputGradient: true)
        b.backward(batch: 5, parameterGradients: .overwrite, inputGradient: true)
        for s in 0..<5 {
            XCTAssertEqual(Array(a.output(sample: 7 + s)), Array(b.output(sample: s)))
            XCTAssertEqual(Array(a.inputGradient(sample: 7 + s)), Array(b.inputGradient(sample: s)))
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: a.gradients.base, count: a.gradients.count)),
                       Array(UnsafeBufferPointer(start: b.gradients.base, count: b.gradients.count)))
        XCTAssertEqual((0..<4).map { Array(a.output(sample: $0)) }, before, "rows outside the window changed")
    }

    func testAccumulateAddsAndSkipLeavesGradientsAlone() {
        let c = Case(sizes: [5, 13, 37, 3], batch: 6)
        let (net, _, _, _) = prepare(c, seed: 7)
        let once = (0..<net.gradients.count).map { net.gradients[$0] }
        // Cotangents of hidden layers were overwritten in place; the output ones were not.
        net.forward(batch: c.batch)
        net.backward(batch: c.batch, parameterGradients: .accumulate, inputGradient: false)
        for i in 0..<once.count { XCTAssertEqual(net.gradients[i], 2 * once[i], accuracy: 1e-5 * max(1, abs(once[i]))) }
        net.forward(batch: c.batch)
        net.backward(batch: c.batch, parameterGradients: .skip, inputGradient: true)
        for i in 0..<once.count { XCTAssertEqual(net.gradients[i], 2 * once[i], accuracy: 1e-5 * max(1, abs(once[i]))) }
    }

    func testForwardFromAnOverrideBlockEqualsForwardAfterCopy() {
        var rng = Xoshiro256StarStar(seed: 21)
        let a = MLP(layerSizes: [8, 100, 100, 2], maxBatch: 1), b = MLP(layerSizes: [8, 100, 100, 2], maxBatch: 1)
        a.initializeParameters(using: &rng)
        b.initializeParameters(using: &rng)
        for i in 0..<8 { let x = rng.nextUniform(-1, 1); a.input(sample: 0)[i] = x; b.input(sample: 0)[i] = x }
        b.parameterOverride = UnsafePointer(a.parameters.base)
        a.forward(batch: 1)
        b.forward(batch: 1)
        XCTAssertEqual(Array(a.output(sample: 0)), Array(b.output(sample: 0)))
        b.parameterOverride = nil
        b.forward(batch: 1)
        XCTAssertNotEqual(Array(a.output(sample: 0)), Array(b.output(sample: 0)))
    }

    func testCopyAndBlendParameters() {
        var rng = Xoshiro256StarStar(seed: 9)
        let a = MLP(layerSizes: [4, 16, 16, 2], maxBatch: 1), b = MLP(layerSizes: [4, 16, 16, 2], maxBatch: 1)
        a.initializeParameters(using: &rng)
        b.initializeParameters(using: &rng)
        let before = (0..<a.parameters.count).map { a.parameters[$0] }
        a.blendParameters(from: b, fraction: 0.25)
        for i in 0..<before.count {
            XCTAssertEqual(a.parameters[i], 0.75 * before[i] + 0.25 * b.parameters[i], accuracy: 1e-6)
        }
        a.copyParameters(from: b)
        for i in 0..<before.count { XCTAssertEqual(a.parameters[i], b.parameters[i]) }
    }
}
