import XCTest
import Net

final class AdamTests: XCTestCase {
    /// Three Adam steps on 20 parameters against the update written out by hand in Double.
    func testStepsMatchHandComputedUpdate() {
        let count = 20
        let parameters = FloatBuffer(count: count), gradients = FloatBuffer(count: count)
        var rng = Xoshiro256StarStar(seed: 11)
        var p = (0..<count).map { _ in Double(rng.nextUniform(-1, 1)) }
        for i in 0..<count { parameters[i] = Float(p[i]) }
        let adam = Adam(count: count, learningRate: 0.01)
        var m = [Double](repeating: 0, count: count), v = m
        let (b1, b2, eps, lr) = (0.9, 0.999, 1e-8, 0.01)
        for t in 1...3 {
            let g = (0..<count).map { _ in Double(rng.nextUniform(-3, 3)) }
            for i in 0..<count { gradients[i] = Float(g[i]) }
            adam.step(parameters: parameters, gradients: gradients)
            for i in 0..<count {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                let mHat = m[i] / (1 - Foundation.pow(b1, Double(t)))
                let vHat = v[i] / (1 - Foundation.pow(b2, Double(t)))
                p[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
            for i in 0..<count { XCTAssertEqual(Double(parameters[i]), p[i], accuracy: 1e-6, "step \(t), parameter \(i)") }
        }
        XCTAssertEqual(adam.stepCount, 3)
        // Padding lanes (20..<24) had zero gradients and did not move.
        for i in count..<parameters.count { XCTAssertEqual(parameters[i], 0) }
    }

    /// The first Adam step moves every parameter by about the learning rate against its gradient sign.
    func testFirstStepHasLearningRateMagnitude() {
        let parameters = FloatBuffer(count: 8), gradients = FloatBuffer(count: 8)
        for i in 0..<8 { gradients[i] = Float(i) - 3.5 }
        Adam(count: 8, learningRate: 0.1).step(parameters: parameters, gradients: gradients)
        for i in 0..<8 { XCTAssertEqual(parameters[i], gradients[i] > 0 ? -0.1 : 0.1, accuracy: 1e-5) }
    }
}

import Foundation
