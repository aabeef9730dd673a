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
