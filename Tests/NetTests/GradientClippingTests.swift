import XCTest
import Net

final class GradientClippingTests: XCTestCase {
    func testNormAndClipScaleToMaximum() {
        let g = FloatBuffer(count: 37)
        var sum = 0.0
        for i in 0..<37 { g[i] = Float(i % 7) - 3; sum += Double(g[i] * g[i]) }
        let before = (0..<37).map { g[$0] }
        XCTAssertEqual(Double(GradientClipping.norm(g.base, count: g.count)), sum.squareRoot(), accuracy: 1e-4)
        let reported = GradientClipping.clip(g, maxNorm: 2)
        XCTAssertEqual(Double(reported), sum.squareRoot(), accuracy: 1e-4)
        XCTAssertEqual(GradientClipping.norm(g.base, count: g.count), 2, accuracy: 1e-5)
        let scale = 2 / Float(sum.squareRoot())
        for i in 0..<37 { XCTAssertEqual(g[i], before[i] * scale, accuracy: 1e-6) }
    }

    /// `Adam.clipAndStep` counts a step only when the clip scaled or zeroed its gradient.
    func testAdamCountsTheStepsTheClipBound() {
        let p = FloatBuffer(count: 8), g = FloatBuffer(count: 8), adam = Adam(count: 8)
        for (values, bound, clipped) in [([Float(3), 4], Float(5), 0), ([3, 4], 5.01, 0), ([3, 4], 4.99, 1), ([.nan, 0], 5, 2), ([0, 0], 0, 2)] {
            g.zero()
            g[0] = values[0]; g[1] = values[1]
            adam.clipAndStep(parameters: p, gradients: g, maxNorm: bound)
            XCTAssertEqual(adam.clippedStepCount, clipped, "gradient \(values), V_max \(bound)")
        }
        XCTAssertEqual(adam.stepCount, 5)
        adam.reset()
        XCTAssertEqual(adam.clippedStepCount, 0)
    }

    func testClipLeavesSmallGradientsAndZeroesNonFinite() {
        let g = FloatBuffer(count: 8)
        g[0] = 0.3; g[1] = -0.4
        GradientClipping.clip(g, maxNorm: 1)
        XCTAssertEqual(g[0], 0.3)
        XCTAssertEqual(g[1], -0.4)
        g[2] = .nan
        XCTAssertTrue(GradientClipping.clip(g, maxNorm: 1).isNaN)
        for i in 0..<8 { XCTAssertEqual(g[i], 0) }
    }
}
