import Foundation
import XCTest
import Plants
import TestSupport

/// gymnasium's MuJoCo tasks against gymnasium itself: 1,000 steps per task recorded by
/// scripts/gymnasium-reference.py (gymnasium 1.4.0, MuJoCo 4.0.0), replayed through `MuJoCoPlant`.
/// With the same MuJoCo version qpos and qvel must be identical bit for bit; observations and
/// rewards within 1e-6 (they are identical too); termination and truncation on the same steps.
final class GymnasiumMuJoCoTests: XCTestCase {
    func makePlant(_ id: String) throws -> MuJoCoPlant {
        do { return try MuJoCoPlant(id) } catch {
            XCTFail("\(error)")
            throw error
        }
    }

    func testLibraryIsTheFixturesVersion() throws {
        let version = try MuJoCoLibrary.status.get()
        for id in PlantRegistry.mujocoNames {
            let header = try GymnasiumFixture(id).header
            XCTAssertEqual(header["mujoco"], version, "\(id): the fixtures hold for MuJoCo \(header["mujoco"]!), the library is \(version)")
            XCTAssertEqual(header["gymnasium"], MuJoCoPlant.gymnasiumVersion, id)
        }
        XCTAssertEqual(MuJoCoLibrary.headerVersion, version)
    }

    func testEveryTaskReplaysGymnasiumBitForBit() throws {
        for id in PlantRegistry.mujocoNames {
            let plant = try makePlant(id)
            let rows = try GymnasiumFixture(id).rows
            XCTAssertEqual(rows.filter { !$0.reset }.count, 1000, id)
            var state = [Double](repeating: 0, count: plant.physicalStateSize)
            var observation = [Double](repeating: 0, count: plant.observationSize)
            var worstObservation = 0.0, worstReward = 0.0, identical = true, steps = 0, terminations = 0, truncations = 0
            for (t, row) in rows.enumerated() {
                if row.reset {
                    (row.qpos + row.qvel).withUnsafeBufferPointer { plant.reset(to: $0) }
                } else {
                    let reward = row.action.withUnsafeBufferPointer { plant.step(action: $0) }
                    worstReward = max(worstReward, abs(reward - row.reward))
                    XCTAssertEqual(plant.isTerminated, row.terminated, "\(id) row \(t): terminated")
                    XCTAssertEqual(plant.isEpisodeOver && !plant.isTerminated, row.truncated, "\(id) row \(t): truncated")
                    steps += 1
                    terminations += row.terminated ? 1 : 0
                    truncations += row.truncated ? 1 : 0
                }
                state.withUnsafeMutableBufferPointer { plant.physicalState(into: $0) }
                if state.map(\.bitPattern) != (row.qpos + row.qvel).map(\.bitPattern) { identical = false }
                observation.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
                for i in 0..<observation.count { worstObservation = max(worstObservation, abs(observation[i] - row.observation[i])) }
            }
            XCTAssertTrue(identical, "\(id): qpos/qvel differ from gymnasium's")
            XCTAssertLessThanOrEqual(worstObservation, 1e-6, id)
            XCTAssertLessThanOrEqual(worstReward, 1e-6, id)
            XCTAssertEqual(steps, 1000, id)
            // The fixtures exercise both ends where the task has them.
            if ["Hopper-v5", "Walker2d-v5", "InvertedPendulum-v5", "InvertedDoublePendulum-v5"].contains(id) { XCTAssertGreaterThan(terminations, 5, id) }
            if id == "Reacher-v5" { XCTAssertEqual(truncations, 20, id) }
        }
    }

    /// The learner's differentiable reward against gymnasium's over the fixtures (random
    /// actions, so velocities change within a step more than under a policy). On a step that
    /// does not end in a fall it is off by the change of forward velocity within the step (the
    /// model reads the velocity before the step, gymnasium averages it over the step), and over
    /// the 1,000 steps that lag mostly cancels; on a falling step the model also still counts the
    /// healthy bonus (or InvertedPendulum's alive reward) gymnasium no longer pays. Only r_s and
    /// r_a reach the learner, where the constant bonus has no part. Bounds: measured, rounded up
    /// (docs/mujoco.md).
    func testRewardModelErrorIsBounded() throws {
        let bounds: [String: (step: Double, mean: Double, total: Double)] = [
            "Hopper-v5": (0.2, 0.05, 0.025), "HalfCheetah-v5": (2.5, 0.6, 0.02), "Walker2d-v5": (0.6, 0.13, 0.3),
            "Swimmer-v5": (0.6, 0.11, 0.08), "Reacher-v5": (0.1, 0.013, 0.001), "InvertedPendulum-v5": (1e-12, 1e-12, 1e-12),
            "InvertedDoublePendulum-v5": (0.4, 0.1, 0.012),
        ]
        // The bonus gymnasium withholds on a terminating step.
        let bonus: [String: Double] = ["InvertedDoublePendulum-v5": 10]
        for id in PlantRegistry.mujocoNames {
            let plant = try makePlant(id)
            let rows = try GymnasiumFixture(id).rows
            var previous: [Double] = [], worst = 0.0, total = 0.0, n = 0, modelReturn = 0.0, trueReturn = 0.0, falls = 0
            for row in rows {
                defer { previous = row.observation }
                guard !row.reset else { continue }
                let model = previous.withUnsafeBufferPointer { s in row.action.withUnsafeBufferPointer { plant.reward(observation: s, action: $0) } }
                if row.terminated {
                    XCTAssertLessThan(abs(model - (bonus[id] ?? 1) - row.reward), bounds[id]!.step + 1e-12, id)
                    falls += 1
                    continue
                }
                worst = max(worst, abs(model - row.reward))
                total += abs(model - row.reward)
                modelReturn += model
                trueReturn += row.reward
                n += 1
            }
            let mean = total / Double(n), relative = abs(modelReturn - trueReturn) / abs(trueReturn)
            print("\(id): reward model on \(n) steps (\(falls) falls apart): |error| mean \(mean), worst \(worst); sum \(modelReturn) vs \(trueReturn) (relative \(relative))")
            XCTAssertLessThanOrEqual(worst, bounds[id]!.step, id)
            XCTAssertLessThanOrEqual(mean, bounds[id]!.mean, id)
            XCTAssertLessThanOrEqual(relative, bounds[id]!.total, id)
        }
    }
}
