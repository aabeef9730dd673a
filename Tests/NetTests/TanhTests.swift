import Foundation
import XCTest
import Net

final class TanhTests: XCTestCase {
    /// The bound stated in `Tanh`'s doc comment: max |error| ≤ 1e-6 on [−20, 20] (issue: ≤ 1e-5).
    func testMaximumAbsoluteErrorOnMinus20To20() {
        let points = 4_000_000
        var worst = 0.0, worstAt = 0.0
        var i = 0
        while i < points {
            var lanes = Float8()
            for lane in 0..<8 { lanes[lane] = Float(-20 + 40 * Double(i + lane) / Double(points)) }
            let y = Tanh.value(lanes)
            for lane in 0..<8 {
                let error = abs(Double(y[lane]) - Foundation.tanh(Double(lanes[lane])))
                if error > worst { worst = error; worstAt = Double(lanes[lane]) }
            }
            i += 8
        }
        XCTAssertLessThanOrEqual(worst, 1e-6, "worst error \(worst) at x = \(worstAt)")
        // Saturation is exact in sign and never exceeds 1.
        let extremes = Tanh.value(Float8(-1e30, -20, -8, -0.0, 0, 8, 20, 1e30))
        XCTAssertEqual(extremes[0], -extremes[7])
        XCTAssertLessThanOrEqual(abs(extremes[7]), 1)
        XCTAssertEqual(extremes[4], 0)
    }

    func testDerivativeMatchesFiniteDifference() {
        var rng = Xoshiro256StarStar(seed: 3)
        for _ in 0..<1000 {
            let x = Double(rng.nextUniform(-6, 6))
            let h = 1e-3
            let numeric = (Foundation.tanh(x + h) - Foundation.tanh(x - h)) / (2 * h)
            let analytic = Tanh.derivative(fromOutput: Tanh.value(Float8(repeating: Float(x))))[0]
            XCTAssertEqual(Double(analytic), numeric, accuracy: 2e-6, "at x = \(x)")
        }
    }

    func testApplyAndMultiplyByDerivativeInPlace() {
        let values = FloatBuffer(count: 24), gradients = FloatBuffer(count: 24)
        for i in 0..<24 { values[i] = Float(i) / 4 - 3; gradients[i] = 2 }
        let inputs = (0..<24).map { values[$0] }
        Tanh.apply(values.base, count: 24)
        Tanh.multiplyByDerivative(gradients.base, outputs: values.base, count: 24)
        for i in 0..<24 {
            XCTAssertEqual(Double(values[i]), Foundation.tanh(Double(inputs[i])), accuracy: 1e-6)
            XCTAssertEqual(gradients[i], 2 * (1 - values[i] * values[i]), accuracy: 1e-6)
        }
    }
}
