import XCTest
import Learn
import Runtime
import _AllocationCounter

/// The control thread against firmware-sim in real time, with the learner running on another
/// thread: no heap allocation on the control thread after warm-up, with SVG(1)-ER (10,000 cycles
/// at 2 kHz, to keep the test short) and with SAC-SVG(2) (its 256-256 policy on the control
/// thread, the expansion from the first update; 4,000 cycles at 1 kHz).
final class ControlLoopTests: XCTestCase {
    /// Runs `f` for 200 warm-up cycles and `cycles` more, counting the control thread's
    /// allocations; asserts every cycle ran, none allocated and no frame was rejected.
    func runCountingAllocations(_ f: OnlineFixture, cycles: Int, file: StaticString = #filePath, line: UInt = #line) {
        f.control.allocationCounter = { svgrt_thread_allocation_count() }
        f.control.warmUpCycles = 200
        f.run(cycles: 200 + cycles)
        XCTAssertEqual(f.control.cycles, 200 + cycles, file: file, line: line)
        XCTAssertEqual(f.control.allocationsAfterWarmUp, 0, "heap allocations on the control thread after warm-up", file: file, line: line)
        XCTAssertEqual(f.client.counters.totalRejected, 0, file: file, line: line)
    }

    func testControlThreadAllocatesNothingOverTenThousandCyclesWithTheLearnerRunning() throws {
        let f = try OnlineFixture(rate: 2000, replayCapacity: 20_000, warmupTransitions: 100)
        runCountingAllocations(f, cycles: 10_000)
        XCTAssertGreaterThan(f.learner.updates.load(ordering: .relaxed), 100, "the learner ran")
        XCTAssertGreaterThan(f.learner.transitions.load(ordering: .relaxed), 5_000, "transitions reached the learner")
        XCTAssertGreaterThan(f.control.policyVersion, 1, "the control thread took published policies")
    }

    func testControlThreadAllocatesNothingWithSACSVGLearning() throws {
        let f = try OnlineFixture(rate: 1000, replayCapacity: 20_000, warmupTransitions: 300, algorithm: .sacSVG)
        runCountingAllocations(f, cycles: 4_000)
        XCTAssertGreaterThan(f.learner.updates.load(ordering: .relaxed), 50, "SAC-SVG(2) updated")
        XCTAssertGreaterThan(f.control.policyVersion, 2, "the control thread took published policies")
    }
}

/// Evaluation episodes on the plant (`evaluationEpisodeEvery`): every second episode carries the
/// mark in its report, and none of its steps reaches the learner.
final class EvaluationEpisodeTests: XCTestCase {
    func testEverySecondEpisodeIsMarkedAndNotLearnedFrom() throws {
        let f = try OnlineFixture(rate: 1000, replayCapacity: 5_000, warmupTransitions: 64, evaluationEpisodeEvery: 2)
        let cycles = 1_500
        f.run(cycles: cycles)
        let row = UnsafeMutablePointer<Float>.allocate(capacity: EpisodeReport.width)
        defer { row.deallocate() }
        var reports: [(episode: Int, evaluation: Bool, steps: Int, received: Int)] = []
        while f.control.progress.pop(into: row) { reports.append((Int(row[0]), row[12] == 1, Int(row[2]), Int(row[2]) - Int(row[11]))) }
        // Episodes are 200 ticks (0.2 s): at least five closed in 1.5 s.
        XCTAssertGreaterThanOrEqual(reports.count, 5, "\(reports)")
        for r in reports { XCTAssertEqual(r.evaluation, r.episode % 2 == 1, "episode \(r.episode)") }
        let evaluationReceived = reports.filter(\.evaluation).reduce(0) { $0 + $1.received }
        XCTAssertGreaterThan(evaluationReceived, 200, "\(reports)")
        // A transition is pushed on a cycle whose SENSE arrived, never in an evaluation episode:
        // at most the cycles with a SENSE less those of the evaluation episodes' steps.
        let transitions = f.learner.transitions.load(ordering: .relaxed)
        XCTAssertGreaterThan(transitions, 200)
        XCTAssertLessThanOrEqual(transitions, f.control.cycles - f.control.senseTimeouts - evaluationReceived,
                                 "steps of evaluation episodes reached the learner (\(f.control.senseTimeouts) SENSE timeouts; \(reports))")
    }
}

/// The plant goes silent mid-episode: the control thread keeps sending the safe action every
/// cycle, stores nothing, and closes the episode once (reported as closed by silence).
final class SilentPlantTests: XCTestCase {
    func testSilentPlantGetsTheSafeActionAndTheEpisodeIsClosedOnce() throws {
        let f = try OnlineFixture(rate: 1000, replayCapacity: 5_000, warmupTransitions: 64)
        let row = UnsafeMutablePointer<Float>.allocate(capacity: EpisodeReport.width)
        defer { row.deallocate() }
        // Episode reports as (closed silent?, steps received), drained on this thread (the progress
        // ring's one consumer) just before the plant is stopped and again at the end. On a loaded
        // machine the plant can also miss 10 periods before the stop (even until the stop); such an
        // episode is closed as silent too, rightly. What must hold: the last episode is closed as
        // silent, at most one episode is closed after the stop, and no close is of an empty episode.
        func drain() -> [(silent: Bool, steps: Float)] {
            var reports: [(silent: Bool, steps: Float)] = []
            while f.control.progress.pop(into: row) { reports.append((row[10] != 0, row[2])) }
            return reports
        }
        var beforeStop: [(silent: Bool, steps: Float)] = []
        // 0.3 s after the start is mid-episode (episodes are 200 ticks = 0.2 s, counted from the handshake).
        f.run(cycles: 1_000, midwayDelay: 0.3) {
            beforeStop = drain()
            f.firmware.stop()
        }
        let afterStop = drain()
        XCTAssertEqual(f.control.cycles, 1_000, "the loop kept its period after the plant went silent")
        XCTAssertGreaterThan(f.control.safeActions, 200)
        XCTAssertEqual(f.control.safeActions, f.control.senseTimeouts)
        let reports = beforeStop + afterStop
        XCTAssertLessThanOrEqual(afterStop.count, 1, "before the stop \(beforeStop), after \(afterStop)")
        XCTAssertEqual(reports.last?.silent, true, "the silent episode is the last one reported: \(reports)")
        XCTAssertEqual(f.control.silentEpisodes, reports.filter(\.silent).count)
        for report in reports where report.silent {
            XCTAssertGreaterThan(report.steps, 0, "a silent close has a running episode to close")
        }
        // No transition was pushed after the plant went silent.
        XCTAssertLessThan(f.learner.transitions.load(ordering: .relaxed) + f.ring.count, 1_000 - f.control.safeActions + 1)
    }
}

/// Hopper-v5 served by firmware-sim: falls arrive flagged `terminated` and reach the learner's
/// replay as terminal transitions (no bootstrapping past them); the rest are not terminal.
final class TerminationOverTheWireTests: XCTestCase {
    func testFallsReachTheReplayAsTerminalTransitions() throws {
        let f = try OnlineFixture(rate: 1000, replayCapacity: 5_000, warmupTransitions: 4_000, plant: "Hopper-v5")
        f.run(cycles: 3_000)
        let replay = f.trainer.agent.replay
        var terminals = 0
        for i in 0..<replay.count where replay.terminals[i] != 0 { terminals += 1 }
        // An untrained policy falls within tens of steps; episodes are closed at each fall.
        XCTAssertGreaterThan(terminals, 10, "transitions \(replay.count), episodes \(f.control.episodes)")
        XCTAssertLessThanOrEqual(terminals, f.control.episodes)
        XCTAssertGreaterThan(replay.count - terminals, 10 * terminals, "most transitions are not terminal")
        XCTAssertEqual(f.client.counters.totalRejected, 0)
    }
}
