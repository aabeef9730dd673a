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
        // Every stored transition is one plant step: none spans a restart. Most are with the
        // action stored; an ACT later than the plant's tick leaves an earlier one on.
        let (matched, admissible, stored) = oneStepTransitions(f.trainer.replay)
        XCTAssertEqual(admissible, stored, "\(stored - admissible) of \(stored) stored transitions are no pendulum step")
        XCTAssertGreaterThan(Double(matched) / Double(stored), 0.9, "\(stored - matched) of \(stored) stored transitions are not one pendulum step with their action")
        let row = UnsafeMutablePointer<Float>.allocate(capacity: EpisodeReport.width)
        defer { row.deallocate() }
        var closes: [Float] = []
        while f.control.progress.pop(into: row) { if row[10] != 0 { closes.append(row[10]) } }
        XCTAssertEqual(closes.count, 2, "each restart closed the running episode once (by silence or by the restart): \(closes)")
    }

    /// Starts the loop on the fixture's pendulum (5,000 cycles at most), restarts the board after
    /// 1 s as firmware-sim with `arguments` on the same port, and waits for the loop to stop (8 s
    /// at most); returns the fixture, the cycles before the restart and the new board's summary.
    func restartBoard(as arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws
        -> (f: OnlineFixture, cyclesBefore: Int, summary: [String: Int]) {
        let f = try OnlineFixture(rate: 500, replayCapacity: 20_000, warmupTransitions: 64)
        let port = f.firmware.port
        f.session.start(maximumCycles: 5_000)  // 10 s at most
        usleep(1_000_000)
        let cyclesBefore = f.control.cycles
        f.firmware.stop()
        usleep(300_000)
        let other = try FirmwareProcess(arguments + ["--port", "\(port)"])
        let deadline = Date().addingTimeInterval(8)
        while !f.session.controlHasFinished && Date() < deadline { usleep(5_000) }
        XCTAssertTrue(f.session.controlHasFinished, "the control loop stopped before its 5,000 cycles", file: file, line: line)
        f.session.stop()
        return (f, cyclesBefore, other.stop())
    }

    /// The plant restarts as another plant of the same shape (here: ticking at 250 Hz, not 500):
    /// the loop does not control it. It stops after the handshake that saw it, having sent the
    /// safe action, and says what changed; the run before the restart is kept.
    func testAPlantThatComesBackAsAnotherPlantIsNotControlled() throws {
        let (f, cyclesBefore, summary) = try restartBoard(as: ["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "250",
                                                               "--watchdog-ticks", "50"])
        XCTAssertGreaterThan(cyclesBefore, 300)
        XCTAssertLessThan(f.control.cycles, 5_000)
        XCTAssertEqual(f.control.changedPlant?.tickMicroseconds, 4_000)
        XCTAssertEqual(f.control.plantAtStart?.tickMicroseconds, 2_000)
        XCTAssertEqual(f.control.changedPlant.flatMap { $0.difference(from: f.control.plantAtStart!) }, "tick 4000 µs, was 2000 µs")
        // What the other plant took from the controller: its HELLO and the safe action, no more.
        XCTAssertLessThan(summary["accepted"] ?? 99, 5, "the other plant was driven: \(summary)")
    }

    /// The plant restarts as a plant of another shape (the cart-pole): the handshake refuses it,
    /// and the loop stops as for any other plant instead of retrying it for ever.
    func testAPlantThatComesBackWithAnotherShapeStopsTheLoop() throws {
        let (f, _, _) = try restartBoard(as: ["--plant", "cartpole", "--mode", "realtime", "--tick-rate", "500"])
        XCTAssertEqual(f.control.changedPlant?.name, "cartpole")
        XCTAssertEqual(f.control.plantChange, "name \"cartpole\", was \"pendulum\"")
        XCTAssertEqual(f.client.plant?.name, "pendulum", "the client kept the plant it shook hands with")
    }

    /// `svgrt run` against a board that restarts as another plant: the run stops, writes its
    /// report and checkpoint, and exits non-zero naming what changed.
    func testSvgrtRunStopsWhenThePlantComesBackAsAnotherPlant() throws {
        var board = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--port", "0"])
        let port = board.port
        let folder = NSTemporaryDirectory() + "svgrt-changed-plant-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = svgrtProcess(["run", "--plant", "pendulum", "--connect", "127.0.0.1:\(port)", "--duration", "30",
                                    "--output", folder])
        // Its output goes to a file, read while it runs: the board restarts once svgrt controls it.
        let log = folder + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        func written() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        let started = Date().addingTimeInterval(20)
        while process.isRunning && !written().contains("learning online") && Date() < started { usleep(50_000) }
        usleep(1_000_000)
        board.stop()
        usleep(300_000)
        board = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "50", "--port", "\(port)"])
        defer { board.stop() }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try output.close()
        let text = written()
        XCTAssertEqual(process.terminationStatus, 64, text)
        XCTAssertTrue(text.contains("the plant restarted as another plant (tick 20000 µs, was 10000 µs) and is not controlled"), text)
        for file in ["report.md", "checkpoint.svgp", "config.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file) missing: \(text)")
        }
        let report = (try? String(contentsOfFile: folder + "/report.md", encoding: .utf8)) ?? ""
        XCTAssertTrue(report.contains("came back as another plant (tick 20000 µs, was 10000 µs)"), report)
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
        let (matched, admissible, stored) = oneStepTransitions(replay)
        XCTAssertEqual(admissible, stored, "\(stored - admissible) of \(stored) stored transitions are no pendulum step")
        XCTAssertGreaterThan(Double(matched) / Double(stored), 0.9, "\(stored - matched) of \(stored) stored transitions are not one pendulum step with their action")
    }

    /// How many of the replay's transitions (s, a, s') are one step of the pendulum from s with a
    /// (to 1e-3; observations travel as f32), how many are one step from s with some action in
    /// the pendulum's range (a or another: the plant holds the last ACT it received, so an ACT
    /// that arrives after the plant's tick leaves an earlier action on for that step), and how
    /// many there are. A transition across a gap (a restart, a lost SENSE) is not a step at all.
    func oneStepTransitions(_ replay: ReplayBuffer) -> (matched: Int, admissible: Int, stored: Int) {
        let pendulum = Pendulum()
        let low = pendulum.actionLow[0], high = pendulum.actionHigh[0]
        var predicted = [Double](repeating: 0, count: 3)
        var matched = 0, admissible = 0
        for i in 0..<replay.count {
            let s = replay.state(i), next = replay.nextState(i)
            func step(_ u: Double) -> [Double] {
                [atan2(Double(s[1]), Double(s[0])), Double(s[2])].withUnsafeBufferPointer { pendulum.reset(to: $0) }
                _ = [u].withUnsafeBufferPointer { pendulum.step(action: $0) }
                predicted.withUnsafeMutableBufferPointer { pendulum.observe(into: $0) }
                return predicted
            }
            func arrives(_ p: [Double]) -> Bool { (0..<3).allSatisfy { abs(p[$0] - Double(next[$0])) < 1e-3 } }
            if arrives(step(Double(replay.action(i)[0]))) {
                matched += 1
                admissible += 1
                continue
            }
            // θ̇' is affine in the action up to its clip at ±8: the action in range that gives the observed θ̇'.
            let lo = step(low)[2], hi = step(high)[2]
            let u = hi == lo ? high : low + (high - low) * (Double(next[2]) - lo) / (hi - lo)
            if u >= low - 1e-3 && u <= high + 1e-3 && arrives(step(min(max(u, low), high))) { admissible += 1 }
        }
        return (matched, admissible, replay.count)
    }
}
