import XCTest
import Plants
import Random

final class PlantPhysicsTests: XCTestCase {
    /// An unactuated, undamped pendulum (RK4) keeps its energy within 0.1 % over 10 s.
    func testUnactuatedPendulumConservesEnergy() {
        let plant = Pendulum(integrator: .rungeKutta4(substeps: 5))
        let start = [2.0, 0.5]
        start.withUnsafeBufferPointer { plant.reset(to: $0) }
        let initial = plant.energy
        var worst = 0.0
        let zero = [0.0]
        for _ in 0..<200 {  // 200 × 0.05 s = 10 s
            _ = zero.withUnsafeBufferPointer { plant.step(action: $0) }
            worst = max(worst, abs(plant.energy - initial) / abs(initial))
        }
        XCTAssertLessThan(worst, 1e-3, "relative energy drift \(worst)")
    }

    func testUnactuatedCartPoleConservesEnergy() {
        let plant = CartPole()
        [0.0, 0.0, 2.5, 0.0].withUnsafeBufferPointer { plant.reset(to: $0) }
        let initial = plant.energy
        var worst = 0.0
        for _ in 0..<1000 {
            _ = [0.0].withUnsafeBufferPointer { plant.step(action: $0) }
            worst = max(worst, abs(plant.energy - initial) / abs(initial))
        }
        XCTAssertLessThan(worst, 1e-3, "relative energy drift \(worst)")
    }

    /// With no torque, drag only takes energy out of a moving swimmer.
    func testSwimmerDragRemovesEnergy() {
        for links in [3, 5, 7] {
            let swimmer = Swimmer(links: links)
            var rng = Xoshiro256StarStar(seed: UInt64(links))
            swimmer.reset(using: &rng)
            let dof = swimmer.chain.dof
            for i in 0..<dof { swimmer.chain.state[dof + i] = rng.nextUniform() * 2 - 1 }
            var energy = swimmer.chain.kineticEnergy
            let initial = energy
            let zero = [Double](repeating: 0, count: links - 1)
            for _ in 0..<300 {
                _ = zero.withUnsafeBufferPointer { swimmer.step(action: $0) }
                let now = swimmer.chain.kineticEnergy
                XCTAssertLessThanOrEqual(now, energy * (1 + 1e-9), "swimmer\(links) gained energy")
                energy = now
            }
            XCTAssertLessThan(energy, 0.5 * initial, "swimmer\(links): drag removed too little")
        }
    }

    /// A swimmer can make progress: a travelling wave of joint torques moves its centre of mass.
    func testSwimmerTravellingWaveMovesIt() {
        let swimmer = Swimmer(links: 3)
        var rng = Xoshiro256StarStar(seed: 1)
        swimmer.reset(using: &rng)
        var observation = [Double](repeating: 0, count: swimmer.observationSize)
        var distance = 0.0
        for t in 0..<1000 {
            let phase = Double(t) * 0.01 * 2 * Double.pi
            let action = [Foundation.sin(phase), Foundation.sin(phase - 1.5)]
            _ = action.withUnsafeBufferPointer { swimmer.step(action: $0) }
            observation.withUnsafeMutableBufferPointer { swimmer.observe(into: $0) }
            distance += 0.01 * (observation[6] * observation[6] + observation[7] * observation[7]).squareRoot()
        }
        XCTAssertGreaterThan(distance, 0.05)
    }

    /// The swimmer's observation is in the nose's frame: the same swimmer and goal turned by any
    /// angle about the origin observe the same (but for the first rod's angle), now and after
    /// 200 steps of the same actions, and get the same rewards.
    func testSwimmerObservesInTheNosesFrame() {
        let swimmer = Swimmer(links: 3), turned = Swimmer(links: 3)
        var rng = Xoshiro256StarStar(seed: 4)
        swimmer.reset(using: &rng)
        var actions = [Double](repeating: 0, count: 2)
        for _ in 0..<50 {
            for j in 0..<2 { actions[j] = 2 * rng.nextUniform() - 1 }
            _ = actions.withUnsafeBufferPointer { swimmer.step(action: $0) }
        }
        var state = [Double](repeating: 0, count: swimmer.physicalStateSize)
        state.withUnsafeMutableBufferPointer { swimmer.physicalState(into: $0) }
        let phi = 2.1, c = Foundation.cos(phi), s = Foundation.sin(phi), dof = swimmer.chain.dof
        func rotate(_ i: Int, _ j: Int) { (state[i], state[j]) = (c * state[i] - s * state[j], s * state[i] + c * state[j]) }
        rotate(0, 1)
        rotate(dof, dof + 1)
        rotate(2 * dof, 2 * dof + 1)
        for i in 0..<swimmer.links { state[swimmer.chain.angleIndex(i)] += phi }
        state.withUnsafeBufferPointer { turned.reset(to: $0) }
        var a = [Double](repeating: 0, count: swimmer.observationSize), b = a
        for t in 0...200 {
            a.withUnsafeMutableBufferPointer { swimmer.observe(into: $0) }
            b.withUnsafeMutableBufferPointer { turned.observe(into: $0) }
            XCTAssertEqual(Foundation.cos(b[0] - a[0]), c, accuracy: 1e-9, "step \(t): the first rod's angle turns by φ")
            for i in 1..<a.count { XCTAssertEqual(a[i], b[i], accuracy: 1e-7 * max(1, abs(a[i])), "step \(t), observation \(i)") }
            if t % 50 == 0 { XCTAssertGreaterThan(abs(a[8]) + abs(a[9]), 9, "the goal is about 10 m away") }
            for j in 0..<2 { actions[j] = 2 * rng.nextUniform() - 1 }
            let r1 = actions.withUnsafeBufferPointer { swimmer.step(action: $0) }
            let r2 = actions.withUnsafeBufferPointer { turned.step(action: $0) }
            XCTAssertEqual(r1, r2, accuracy: 1e-9, "step \(t): the reward does not depend on the heading")
        }
        XCTAssertNotEqual(a[6], 0, "the swimmer moves")
    }

    /// What the 3-link body can do: a bang-bang travelling wave (0.5 Hz, 2.5 rad between the joints)
    /// carries the nose 2.68 m in one 10 s episode (a scan over 0.1–3 Hz and 0.5–3 rad: 0.08–2.68 m).
    /// Swimming that far towards the goal would score about 100 × 2.68 − 20 ≈ 250 (the reward sums
    /// the velocity towards the goal every 0.01 s step; full torque costs 0.01 × 2 per step).
    func testSwimmerBangBangWaveSwimsMetres() {
        let swimmer = Swimmer(links: 3)
        var rng = Xoshiro256StarStar(seed: 1)
        swimmer.reset(using: &rng)
        let x0 = swimmer.chain.state[0], y0 = swimmer.chain.state[1]
        var action = [0.0, 0.0]
        for t in 0..<swimmer.episodeLength {
            let phase = Double(t) * swimmer.timeStep * 2 * Double.pi * 0.5
            for j in 0..<2 { action[j] = Foundation.sin(phase - 2.5 * Double(j)) > 0 ? 1 : -1 }
            _ = action.withUnsafeBufferPointer { swimmer.step(action: $0) }
        }
        let displacement = Foundation.hypot(swimmer.chain.state[0] - x0, swimmer.chain.state[1] - y0)
        XCTAssertGreaterThan(displacement, 2.5, "the nose moved \(displacement) m")
        XCTAssertLessThan(displacement, 2.9, "the nose moved \(displacement) m")
    }

    /// Full torque on every reacher joint for 5 s never takes a joint past its limit; the
    /// cart never leaves the track.
    func testJointAndTrackLimitsHold() {
        let reacher = Reacher()
        var rng = Xoshiro256StarStar(seed: 2)
        reacher.reset(using: &rng)
        for t in 0..<500 {
            let sign = t < 250 ? 1.0 : -1.0
            _ = [0.2 * sign, 0.2 * sign, -0.2 * sign].withUnsafeBufferPointer { reacher.step(action: $0) }
            for j in 1..<3 { XCTAssertLessThanOrEqual(abs(reacher.jointAngle(j)), Reacher.jointLimit + 1e-12) }
        }
        let cart = CartPole()
        cart.reset(using: &rng)
        for _ in 0..<1000 {
            _ = [1.0].withUnsafeBufferPointer { cart.step(action: $0) }
            XCTAssertLessThanOrEqual(abs(cart.x), CartPole.trackLimit)
        }
        XCTAssertEqual(cart.x, CartPole.trackLimit)
    }

    /// A moving reacher target stays in the box, reflecting off its walls.
    func testMovingReacherTargetReflectsOffTheWalls() {
        let reacher = Reacher(movingTarget: true)
        var rng = Xoshiro256StarStar(seed: 12)
        reacher.reset(using: &rng)
        var reflections = 0
        var previous = (reacher.targetVx, reacher.targetVy)
        for _ in 0..<20_000 {
            _ = [0.0, 0.0, 0.0].withUnsafeBufferPointer { reacher.step(action: $0) }
            XCTAssertLessThanOrEqual(max(abs(reacher.targetX), abs(reacher.targetY)), Reacher.boxHalfWidth + 1e-12)
            if (reacher.targetVx, reacher.targetVy) != previous { reflections += 1 }
            previous = (reacher.targetVx, reacher.targetVy)
            XCTAssertEqual((reacher.targetVx * reacher.targetVx + reacher.targetVy * reacher.targetVy).squareRoot(), Reacher.targetSpeed, accuracy: 1e-12)
        }
        XCTAssertGreaterThan(reflections, 2)
    }

    /// The hand's ball hangs below the hand at rest: spring force balances gravity.
    func testHandBallSettlesUnderHand() {
        let hand = Hand()
        let start = [0.0, 0.0, 0.0, -0.3, 0, 0, 0, 0, 0, 0]
        start.withUnsafeBufferPointer { hand.reset(to: $0) }
        for _ in 0..<1000 { _ = [0.0, 0.0].withUnsafeBufferPointer { hand.step(action: $0) } }
        var s = [Double](repeating: 0, count: 11)
        s.withUnsafeMutableBufferPointer { hand.observe(into: $0) }
        XCTAssertEqual(s[3], -Hand.gravity * Hand.ballMass / Hand.springConstant, accuracy: 0.1)
        XCTAssertEqual(s[10], 0)  // no time left
    }

    /// The targets are one of the two configurations, each with the ball's target where the ball
    /// hangs under the hand's, and both come up about equally often.
    func testHandTargetsAreOneOfTwoConfigurations() {
        let hand = Hand()
        var g = Xoshiro256StarStar(seed: 4)
        var s = [Double](repeating: 0, count: 11)
        var right = 0
        let resets = 2000
        for _ in 0..<resets {
            hand.reset(using: &g)
            s.withUnsafeMutableBufferPointer { hand.observe(into: $0) }
            XCTAssertEqual(abs(s[6]), Hand.targetOffset)
            XCTAssertEqual(s[7], 0)
            XCTAssertEqual(s[8], s[6])
            XCTAssertEqual(s[9], -Hand.ballMass * Hand.gravity / Hand.springConstant, accuracy: 1e-12)
            XCTAssertTrue((-0.5...0.5).contains(s[0]) && (-0.5...0.5).contains(s[3]))
            XCTAssertEqual(s[10], Double(hand.episodeLength) * hand.timeStep)
            if s[6] > 0 { right += 1 }
        }
        XCTAssertEqual(Double(right) / Double(resets), 0.5, accuracy: 0.05)
    }

    /// The random force is what the equations of motion leave over: recovered from consecutive
    /// observations, f = m (v' − v)/dt − k (h' − b) + c v + m g has mean 0 and the documented σ.
    func testHandRandomForceHasTheDocumentedSpread() {
        let hand = Hand()
        var g = Xoshiro256StarStar(seed: 9)
        hand.reset(using: &g)
        var s = [Double](repeating: 0, count: 11), next = s
        var sum = [0.0, 0.0], sumSquares = [0.0, 0.0]
        let steps = 900
        s.withUnsafeMutableBufferPointer { hand.observe(into: $0) }
        for t in 0..<steps {
            let action = [0.8 * sin(Double(t) * 0.05), -0.5]
            _ = action.withUnsafeBufferPointer { hand.step(action: $0) }
            next.withUnsafeMutableBufferPointer { hand.observe(into: $0) }
            let m = Hand.ballMass, k = Hand.springConstant, c = Hand.damping, dt = hand.timeStep
            for axis in 0..<2 {
                let gravity = axis == 1 ? m * Hand.gravity : 0
                let f = m * (next[4 + axis] - s[4 + axis]) / dt - k * (next[axis] - s[2 + axis]) + c * s[4 + axis] + gravity
                sum[axis] += f
                sumSquares[axis] += f * f
            }
            s = next
        }
        for axis in 0..<2 {
            let mean = sum[axis] / Double(steps)
            let std = (sumSquares[axis] / Double(steps) - mean * mean).squareRoot()
            XCTAssertEqual(mean, 0, accuracy: 4 * Hand.randomForceStandardDeviation / Double(steps).squareRoot())
            XCTAssertEqual(std, Hand.randomForceStandardDeviation, accuracy: 0.08 * Hand.randomForceStandardDeviation)
        }
    }
}
