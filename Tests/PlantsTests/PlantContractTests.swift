import XCTest
import Plants
import Random
import _AllocationCounter

/// Laws every plant must obey, checked on each one in the registry.
final class PlantContractTests: XCTestCase {
    /// The plant called `name`; a plant that cannot be made here (MuJoCo missing) fails the test with the reason.
    func plant(_ name: String) throws -> any Plant {
        do { return try PlantRegistry.plant(named: name) } catch {
            XCTFail("\(name): \(error)")
            throw error
        }
    }

    func rollout(_ plant: any Plant, seed: UInt64, steps: Int) -> (observations: [[Double]], actions: [[Double]], rewards: [Double]) {
        var rng = Xoshiro256StarStar(seed: seed)
        plant.reset(using: &rng)
        var observations: [[Double]] = [], actions: [[Double]] = [], rewards: [Double] = []
        var s = [Double](repeating: 0, count: plant.observationSize)
        for _ in 0..<steps {
            s.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
            let a = (0..<plant.actionSize).map { i in
                plant.actionLow[i] + (plant.actionHigh[i] - plant.actionLow[i]) * (1.2 * rng.nextUniform() - 0.1)
            }
            observations.append(s)
            actions.append(a)
            rewards.append(a.withUnsafeBufferPointer { plant.step(action: $0) })
        }
        return (observations, actions, rewards)
    }

    func testSameSeedSameTrajectoryAndRewardOfObservationMatchesStep() throws {
        for name in PlantRegistry.names {
            let first = rollout(try plant(name), seed: 7, steps: 300)
            let second = rollout(try plant(name), seed: 7, steps: 300)
            XCTAssertEqual(first.observations, second.observations, name)
            XCTAssertEqual(first.rewards, second.rewards, name)
            let other = rollout(try plant(name), seed: 8, steps: 300)
            XCTAssertNotEqual(first.observations, other.observations, name)
            let plant = try plant(name)
            // Where the reward is a model of the step's (MuJoCo walkers), GymnasiumMuJoCoTests bounds its error.
            guard plant.rewardIsExact else { continue }
            for t in 0..<first.rewards.count {
                let r = first.observations[t].withUnsafeBufferPointer { s in
                    first.actions[t].withUnsafeBufferPointer { plant.reward(observation: s, action: $0) }
                }
                XCTAssertEqual(r, first.rewards[t], accuracy: 1e-9, "\(name) step \(t)")
            }
        }
    }

    func testRewardGradientsMatchFiniteDifferences() throws {
        for name in PlantRegistry.names {
            let plant = try plant(name)
            let trajectory = rollout(plant, seed: 11, steps: 200)
            var ds = [Double](repeating: 0, count: plant.observationSize)
            var da = [Double](repeating: 0, count: plant.actionSize)
            var worst = 0.0
            for t in stride(from: 0, to: 200, by: 7) {
                let s = trajectory.observations[t], a = trajectory.actions[t]
                s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { ap in
                    ds.withUnsafeMutableBufferPointer { dsp in da.withUnsafeMutableBufferPointer { dap in
                        plant.rewardGradient(observation: sp, action: ap, dObservation: dsp, dAction: dap)
                    } }
                } }
                let h = 1e-6
                func r(_ s: [Double], _ a: [Double]) -> Double {
                    s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { plant.reward(observation: sp, action: $0) } }
                }
                for i in 0..<s.count {
                    var plus = s, minus = s
                    plus[i] += h; minus[i] -= h
                    worst = max(worst, abs((r(plus, a) - r(minus, a)) / (2 * h) - ds[i]) / max(1, abs(ds[i])))
                }
                for i in 0..<a.count {
                    var plus = a, minus = a
                    plus[i] += h; minus[i] -= h
                    worst = max(worst, abs((r(s, plus) - r(s, minus)) / (2 * h) - da[i]) / max(1, abs(da[i])))
                }
                // Terminal reward gradient likewise.
                let terminal = { (x: [Double]) in x.withUnsafeBufferPointer { plant.terminalReward(observation: $0) } }
                ds.withUnsafeMutableBufferPointer { dsp in s.withUnsafeBufferPointer { plant.terminalRewardGradient(observation: $0, dObservation: dsp) } }
                for i in 0..<s.count {
                    var plus = s, minus = s
                    plus[i] += h; minus[i] -= h
                    worst = max(worst, abs((terminal(plus) - terminal(minus)) / (2 * h) - ds[i]) / max(1, abs(ds[i])))
                }
            }
            XCTAssertLessThan(worst, 1e-5, "\(name): reward gradient vs finite difference")
        }
    }

    func testExplicitResetReproducesState() throws {
        for name in PlantRegistry.names {
            let a = try plant(name), b = try plant(name)
            var rng = Xoshiro256StarStar(seed: 3)
            a.reset(using: &rng)
            var state = [Double](repeating: 0, count: a.physicalStateSize)
            state.withUnsafeMutableBufferPointer { a.physicalState(into: $0) }
            state.withUnsafeBufferPointer { b.reset(to: $0) }
            var sa = [Double](repeating: 0, count: a.observationSize), sb = sa
            sa.withUnsafeMutableBufferPointer { a.observe(into: $0) }
            sb.withUnsafeMutableBufferPointer { b.observe(into: $0) }
            XCTAssertEqual(sa, sb, name)
        }
    }

    /// Stepping, observing and reward gradients allocate nothing after warm-up.
    func testStepObserveAndGradientsAllocateNothing() throws {
        for name in PlantRegistry.names {
            let plant = try plant(name)
            var rng = Xoshiro256StarStar(seed: 4)
            plant.reset(using: &rng)
            let s = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.observationSize)
            let a = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.actionSize)
            let ds = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.observationSize)
            let da = UnsafeMutableBufferPointer<Double>.allocate(capacity: plant.actionSize)
            defer { s.deallocate(); a.deallocate(); ds.deallocate(); da.deallocate() }
            a.initialize(repeating: 0.1)
            var disturbances = Disturbances(seed: 1, actuatorGain: 0.6, actuatorNoise: 0.05, sensorNoise: 0.01)
            func cycle() {
                plant.observe(into: s)
                disturbances.sense(s)
                plant.rewardGradient(observation: UnsafeBufferPointer(s), action: UnsafeBufferPointer(a), dObservation: ds, dAction: da)
                plant.terminalRewardGradient(observation: UnsafeBufferPointer(s), dObservation: ds)
                disturbances.actuate(a, plant: plant)
                _ = plant.step(action: UnsafeBufferPointer(a))
            }
            cycle()
            let before = svgrt_thread_allocation_count()
            for _ in 0..<100 { cycle() }
            let count = svgrt_thread_allocation_count() - before
            XCTAssertEqual(count, 0, name)
        }
    }

    func testDisturbancesScaleAndNoiseTheAction() {
        let plant = Pendulum()
        var d = Disturbances(seed: 5, actuatorGain: 0.6)
        var action = [3.0]
        action.withUnsafeMutableBufferPointer { d.actuate($0, plant: plant) }
        XCTAssertEqual(action[0], 1.2, accuracy: 1e-12)  // saturated to 2, then × 0.6
        d.actuatorGain = 1
        d.actuatorNoise = 0.25
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<20_000 {
            var a = [0.0]
            a.withUnsafeMutableBufferPointer { d.actuate($0, plant: plant) }
            sum += a[0]; sumSquares += a[0] * a[0]
        }
        XCTAssertEqual(sum / 20_000, 0, accuracy: 0.03)
        XCTAssertEqual((sumSquares / 20_000).squareRoot(), 0.25 * 4, accuracy: 0.03)
    }

    /// A weak actuator: its own gain on top of the common one, the other actuators untouched.
    func testWeakActuatorScalesOnlyItsDimension() {
        let plant = Reacher()
        var d = Disturbances(seed: 5, actuatorGain: 0.5, weakActuator: 1, weakActuatorGain: 0.6)
        var action = [0.2, 0.2, 0.2]
        action.withUnsafeMutableBufferPointer { d.actuate($0, plant: plant) }
        XCTAssertEqual(action[0], 0.1, accuracy: 1e-12)
        XCTAssertEqual(action[1], 0.06, accuracy: 1e-12)
        XCTAssertEqual(action[2], 0.1, accuracy: 1e-12)
    }
}
