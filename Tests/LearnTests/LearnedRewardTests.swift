import Foundation
import XCTest
import Learn
import Net
import Plants
import Training
import _AllocationCounter

/// The learned reward model: its gradients against finite differences, its fit against the
/// plant's reward, allocation-freedom, and a bit-exact resume of a run that uses it.
final class LearnedRewardTests: XCTestCase {
    func trainer(_ plant: String, steps: Int, algorithm: Algorithm = .svg1ER) throws -> Trainer {
        let c = try configuration(plant, algorithm, fields: ["reward": .object(["source": .string("learned")])])
        let t = try Trainer(c)
        for _ in 0..<steps { t.step() }
        return t
    }

    func testGradientsMatchFiniteDifferencesAndTheFitIsClose() throws {
        for plant in ["pendulum", "reacher3"] {
            let t = try trainer(plant, steps: 2_000)
            let model = try XCTUnwrap(t.learnedReward)
            let S = t.plant.observationSize, A = t.plant.actionSize
            var worst = 0.0, squared = 0.0, variance = 0.0, meanReward = 0.0
            let n = 200
            for k in 0..<n {
                let i = (k * 37) % t.replay.count
                let s = (0..<S).map { Double(t.replay.state(i)[$0]) }
                // Inside the actuator range, where r̂_a is the network's.
                let a = (0..<A).map { Double(t.replay.action(i)[$0]).clamped(to: t.plant.actionLow[$0] * 0.95...t.plant.actionHigh[$0] * 0.95) }
                func r(_ s: [Double], _ a: [Double]) -> Double {
                    s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { model.reward(observation: sp, action: $0) } }
                }
                var ds = [Double](repeating: 0, count: S), da = [Double](repeating: 0, count: A)
                s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { ap in
                    ds.withUnsafeMutableBufferPointer { d in da.withUnsafeMutableBufferPointer { model.rewardGradient(observation: sp, action: ap, dObservation: d, dAction: $0) } }
                } }
                let h = 1e-2
                for j in 0..<S {
                    var p = s, m = s
                    p[j] += h; m[j] -= h
                    worst = max(worst, abs((r(p, a) - r(m, a)) / (2 * h) - ds[j]) / max(1, abs(ds[j])))
                }
                for j in 0..<A {
                    var p = a, m = a
                    p[j] += h; m[j] -= h
                    worst = max(worst, abs((r(s, p) - r(s, m)) / (2 * h) - da[j]) / max(1, abs(da[j])))
                }
                let truth = s.withUnsafeBufferPointer { sp in a.withUnsafeBufferPointer { t.plant.reward(observation: sp, action: $0) } }
                squared += (r(s, a) - truth) * (r(s, a) - truth)
                meanReward += truth
                variance += truth * truth
            }
            meanReward /= Double(n)
            variance = variance / Double(n) - meanReward * meanReward
            XCTAssertLessThan(worst, 2e-2, "\(plant): r̂'s gradient vs finite differences")
            XCTAssertLessThan(squared / Double(n), 0.1 * variance, "\(plant): r̂ explains most of the reward's variance")
        }
    }

    func testFittingAndGradientsAllocateNothing() throws {
        let t = try trainer("pendulum", steps: 300)
        let model = try XCTUnwrap(t.learnedReward)
        let s = UnsafeMutableBufferPointer<Double>.allocate(capacity: 3), a = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
        let ds = UnsafeMutableBufferPointer<Double>.allocate(capacity: 3), da = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
        defer { s.deallocate(); a.deallocate(); ds.deallocate(); da.deallocate() }
        s.initialize(repeating: 0.3); a.initialize(repeating: 0.5)
        model.fitStep(from: t.replay)
        let before = svgrt_thread_allocation_count()
        for _ in 0..<20 {
            model.fitStep(from: t.replay)
            _ = model.reward(observation: UnsafeBufferPointer(s), action: UnsafeBufferPointer(a))
            model.rewardGradient(observation: UnsafeBufferPointer(s), action: UnsafeBufferPointer(a), dObservation: ds, dAction: da)
        }
        XCTAssertEqual(svgrt_thread_allocation_count() - before, 0)
    }

    func testResumeWithALearnedRewardIsBitExact() throws {
        let c = try configuration("pendulum", .svg1ER, fields: ["reward": .object(["source": .string("learned")])])
        let (original, resumed) = try originalAndResumed(c)
        XCTAssertEqual(checkpointBits(resumed), checkpointBits(original))
        XCTAssertTrue(original.checkpointArchive().records.contains { $0.name == "reward" })
    }

    func testModelFreeAlgorithmsRefuseALearnedReward() {
        XCTAssertThrowsError(try configuration("pendulum", .svg0, fields: ["reward": .object(["source": .string("learned")])])) {
            XCTAssertTrue("\($0)".contains("svg0 is model-free"), "\($0)")
        }
        XCTAssertThrowsError(try configuration("pendulum", .svg1ER, fields: ["reward": .object(["source": .string("guessed")])])) {
            XCTAssertTrue("\($0)".contains("must be plant or learned"), "\($0)")
        }
    }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
