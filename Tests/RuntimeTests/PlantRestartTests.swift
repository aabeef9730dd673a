import FirmwareLauncher
import Foundation
import Learn
import Plants
import Runtime
import XCTest
import _AllocationCounter

/// The plant restarts under a running controller, twice: the control loop shakes hands again
/// (FAULT 2 from the new process), closes the running episode, counts the restart, and goes on
/// controlling and learning; nothing is stored across the gap, and the control thread allocates
/// nothing after warm-up, the handshakes with the restarted plants included.
final class PlantRestartTests: XCTestCase {
    func testControllerSurvivesTwoPlantRestarts() throws {
        let f = try OnlineFixture(rate: 500, replayCapacity: 20_000, warmupTransitions: 64)
        f.control.allocationCounter = { svgrt_thread_allocation_count() }
        f.control.warmUpCycles = 200
        let port = f.firmware.port
        f.session.start(maximumCycles: 4_000)  // 8 s
        usleep(1_500_000)
        f.firmware.stop()
        usleep(300_000)
        let second = try FirmwareProcess(f.firmwareArguments + ["--port", "\(port)"])
        usleep(2_000_000)
        let updatesBeforeSecondRestart = f.learner.updates.load(ordering: .relaxed)
        let secondSummary = second.stop()
        usleep(300_000)
        let third = try FirmwareProcess(f.firmwareArguments + ["--port", "\(port)"])
        while !f.session.controlHasFinished { usleep(5_000) }
        f.session.stop()
        let thirdSummary = third.stop()
        XCTAssertEqual(f.control.plantRestarts, 2, "re-handshakes; failed attempts \(f.control.failedHandshakes)")
        XCTAssertEqual(f.client.rehandshakes, 2)
        XCTAssertEqual(f.control.allocationsAfterWarmUp, 0, "heap allocations on the control thread after warm-up (restarts included)")
        XCTAssertGreaterThan(secondSummary["steps"] ?? 0, 500, "the first restarted plant was controlled")
        XCTAssertGreaterThan(thirdSummary["steps"] ?? 0, 500, "the second restarted plant was controlled")
        XCTAssertGreaterThan(f.learner.updates.load(ordering: .relaxed), updatesBeforeSecondRestart + 300, "learning went on")
        // Every stored transition is one plant step: none spans a restart.
        let (matched, stored) = oneStepTransitions(f.trainer.replay)
        XCTAssertGreaterThan(Double(matched) / Double(stored), 0.97, "\(stored - matched) of \(stored) stored transitions are not one pendulum step")
        let row = UnsafeMutablePointer<Float>.allocate(capacity: EpisodeReport.width)
        defer { row.deallocate() }
        var closes: [Float] = []
        while f.control.progress.pop(into: row) { if row[10] != 0 { closes.append(row[10]) } }
        XCTAssertEqual(closes.count, 2, "each restart closed the running episode once (by silence or by the restart): \(closes)")
    }

    /// 30 % of the plant's frames lost: each episode's return is the sum of the rewards that
    /// arrived and says how many steps are missing; every stored transition is one plant step
    /// (checked against the pendulum's own dynamics), never a step across a lost SENSE.
    func testLossyLinkEpisodesAndTransitions() throws {
        let f = try OnlineFixture(rate: 500, replayCapacity: 20_000, warmupTransitions: 10_000_000,
                                  firmwareArguments: ["--drop", "0.3", "--seed", "5"])
        f.run(cycles: 1_500)  // 3 s: 7 episodes of 200 ticks
        let row = UnsafeMutablePointer<Float>.allocate(capacity: EpisodeReport.width)
        defer { row.deallocate() }
        var ended = 0
        while f.control.progress.pop(into: row) {
            guard row[10] == 0 else { continue }
            ended += 1
            XCTAssertGreaterThan(row[11], 20, "steps lost in an episode with 30 % of SENSEs dropped")
            XCTAssertLessThan(row[11], row[2])
            XCTAssertLessThan(row[1], -1, "the return of the steps that arrived")
        }
        XCTAssertGreaterThanOrEqual(ended, 4)
        f.learner.drain()
        let replay = f.trainer.replay
        XCTAssertGreaterThan(replay.count, 300)
        let (matched, stored) = oneStepTransitions(replay)
        XCTAssertGreaterThan(Double(matched) / Double(stored), 0.97, "\(stored - matched) of \(stored) stored transitions are not one pendulum step")
    }

    /// How many of the replay's transitions (s, a, s') are one step of the pendulum from s with a
    /// (to 1e-3; observations travel as f32), and how many there are.
    func oneStepTransitions(_ replay: ReplayBuffer) -> (matched: Int, stored: Int) {
        let pendulum = Pendulum()
        var matched = 0
        var predicted = [Double](repeating: 0, count: 3)
        for i in 0..<replay.count {
            let s = replay.state(i), a = replay.action(i), next = replay.nextState(i)
            [atan2(Double(s[1]), Double(s[0])), Double(s[2])].withUnsafeBufferPointer { pendulum.reset(to: $0) }
            _ = [Double(a[0])].withUnsafeBufferPointer { pendulum.step(action: $0) }
            predicted.withUnsafeMutableBufferPointer { pendulum.observe(into: $0) }
            if (0..<3).allSatisfy({ abs(predicted[$0] - Double(next[$0])) < 1e-3 }) { matched += 1 }
        }
        return (matched, replay.count)
    }
}
