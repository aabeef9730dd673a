import Foundation
import XCTest
import Plants

/// The pendulum against 1,000 steps of gymnasium's Pendulum-v1 (the fixture scripts/gymnasium-reference.py writes).
final class PendulumReferenceTests: XCTestCase {
    func referenceRows() throws -> [[String: Double]] {
        // Written by scripts/gymnasium-reference.py from gymnasium itself (Tests/PlantsTests/Fixtures/README.md).
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pendulum-v1-seed0.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",").map { Double($0)! }))
        }
    }

    func testMatchesGymnasiumPendulumV1() throws {
        let rows = try referenceRows()
        XCTAssertEqual(rows.count, 1000)
        let plant = Pendulum()
        var state = [0.0, 0.0], observation = [0.0, 0.0, 0.0]
        var worst = 0.0
        for row in rows {
            state = [row["th"]!, row["thdot"]!]
            state.withUnsafeBufferPointer { plant.reset(to: $0) }
            observation.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
            worst = max(worst, abs(observation[0] - row["obs_cos"]!), abs(observation[1] - row["obs_sin"]!),
                        abs(observation[2] - row["obs_thdot"]!))
            let action = [row["action"]!]
            let reward = action.withUnsafeBufferPointer { plant.step(action: $0) }
            // The reward from the observation equals the one from the state.
            let fromObservation = observation.withUnsafeBufferPointer { s in action.withUnsafeBufferPointer { plant.reward(observation: s, action: $0) } }
            observation.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
            worst = max(worst, abs(reward - row["reward"]!), abs(fromObservation - row["reward"]!),
                        abs(plant.theta - row["next_th"]!), abs(plant.thetaDot - row["next_thdot"]!),
                        abs(observation[0] - row["next_obs_cos"]!), abs(observation[1] - row["next_obs_sin"]!),
                        abs(observation[2] - row["next_obs_thdot"]!))
        }
        XCTAssertLessThanOrEqual(worst, 1e-5, "largest deviation from gymnasium: \(worst)")
    }

    /// The evaluation starts are gymnasium's resets with seeds 10000 … 10009, bit for bit.
    func testReferenceStartsAreGymnasiumsSeededResets() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pendulum-eval-starts.csv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(rows.count, 10)
        XCTAssertEqual(rows.map { $0.map(\.bitPattern) }, Pendulum.referenceStarts.map { $0.map(\.bitPattern) })
    }
}
