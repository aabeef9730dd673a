import XCTest
import Net

/// Zero heap allocations on the paths the control and learner threads take, counted by the
/// malloc interposer of `_AllocationCounter` on this thread, after one warm-up call.
/// Run in release (`swift test -c release`): debug builds allocate where release builds don't.
final class AllocationTests: XCTestCase {
    func testCounterSeesAnArrayBeingBuilt() {
        var sink = 0
        let count = allocationCount {
            let array = (0..<100).map { $0 * 2 }
            sink = array.count
        }
        XCTAssertGreaterThanOrEqual(count, 1)
        XCTAssertEqual(sink, 100)
    }

    func network(_ sizes: [Int], batch: Int) -> MLP {
        var rng = Xoshiro256StarStar(seed: 1)
        let net = MLP(layerSizes: sizes, maxBatch: batch)
        net.initializeParameters(using: &rng)
        for s in 0..<batch {
            for i in 0..<net.inputSize { net.input(sample: s)[i] = rng.nextUniform(-1, 1) }
            for o in 0..<net.outputSize { net.outputGradient(sample: s)[o] = rng.nextUniform(-1, 1) }
        }
        return net
    }

    func testBatchOneForwardAllocatesNothing() {
        let policy = network([8, 100, 100, 2], batch: 1)
        policy.forward(batch: 1)
        let count = allocationCount {
            for _ in 0..<100 {
                policy.input(sample: 0)[0] += 0.01
                policy.forward(batch: 1)
            }
        }
        XCTAssertEqual(count, 0)
    }

    func testMinibatchForwardAndBackwardAllocateNothing() {
        let value = network([8, 400, 200, 1], batch: 64)
        value.forward(batch: 64)
        value.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
        let count = allocationCount {
            for _ in 0..<5 {
                value.forward(batch: 64)
                value.backward(batch: 64, parameterGradients: .overwrite, inputGradient: false)
                value.forward(batch: 61)
                value.backward(batch: 61, parameterGradients: .accumulate, inputGradient: false)
            }
        }
        XCTAssertEqual(count, 0)
    }

    func testInputVectorJacobianProductAllocatesNothing() {
        let model = network([10, 20, 20, 1], batch: 64)
        model.forward(batch: 64)
        model.backward(batch: 64, parameterGradients: .skip, inputGradient: true)
        let count = allocationCount {
            for _ in 0..<20 {
                model.forward(batch: 64)
                model.backward(batch: 64, parameterGradients: .skip, inputGradient: true)
            }
        }
        XCTAssertEqual(count, 0)
    }

    func testAdamClippingAndParameterCopiesAllocateNothing() {
        let net = network([8, 100, 100, 2], batch: 8)
        let target = MLP(layerSizes: [8, 100, 100, 2], maxBatch: 8)
        let adam = Adam(for: net)
        net.forward(batch: 8)
        net.backward(batch: 8, parameterGradients: .overwrite, inputGradient: false)
        adam.step(parameters: net.parameters, gradients: net.gradients)
        GradientClipping.clip(net.gradients, maxNorm: 1)
        target.copyParameters(from: net)
        target.blendParameters(from: net, fraction: 0.01)
        let count = allocationCount {
            for _ in 0..<50 {
                GradientClipping.clip(net.gradients, maxNorm: 1)
                adam.step(parameters: net.parameters, gradients: net.gradients)
                target.copyParameters(from: net)
                target.blendParameters(from: net, fraction: 0.01)
            }
        }
        XCTAssertEqual(count, 0)
    }

    func testRandomDrawsAllocateNothing() {
        var rng = Xoshiro256StarStar(seed: 2)
        let noise = FloatBuffer(count: 64)
        rng.fillGaussian(noise.base, count: 64)
        var sink = 0.0
        let count = allocationCount {
            for _ in 0..<1000 {
                sink += rng.nextGaussian() + rng.nextUniform()
                sink += Double(rng.next() & 1)
            }
            rng.fillGaussian(noise.base, count: 64)
        }
        XCTAssertEqual(count, 0)
        XCTAssertTrue(sink.isFinite)
    }
}
