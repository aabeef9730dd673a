import Foundation
import XCTest
import Learn
import Link
import Net
import Runtime
import Synchronization
import TestSupport
import TraceAnalysis
import Training
import _Tracepoints

/// A real LTTng session around a short control run: the cycle events in the trace are exactly
/// the cycles that ran (needs lttng-tools and babeltrace2; the test command installs them and
/// starts lttng-sessiond).
final class TraceTests: XCTestCase {
    func testTraceRecordsEveryCycle() throws {
        XCTAssertEqual(svgrt_trace_available(), 1, "built without the LTTng trait")
        let directory = NSTemporaryDirectory() + "svgrt-trace-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = try TraceSession(directory: directory)  // returns once this process records into it
        let f = try OnlineFixture(rate: 1000, replayCapacity: 5_000, warmupTransitions: 64)
        f.run(cycles: 500)
        let control = f.control
        try session.stop()
        let report = try TraceReport(directory: directory)
        XCTAssertEqual(report.cycles, Array(0..<500), "cycle_end events must be the cycles that ran, in order")
        XCTAssertEqual(report.counts["cycle_start"], 500)
        // An ACT (or, after a SENSE timeout, the safe action) goes out every cycle except the ones
        // whose SENSE ended an episode; an episode closed by silence still sent its safe action.
        // Exact when every SENSE came in time; after SENSE timeouts the count has been seen one above
        // it (84 timeouts on a loaded 2-core host), never above the cycles.
        let expected = control.cycles - (control.episodes - control.silentEpisodes)
        let context = "timeouts \(control.senseTimeouts), episodes \(control.episodes), silent \(control.silentEpisodes)"
        if control.senseTimeouts == 0 {
            XCTAssertEqual(report.counts["frame_sent"], expected, context)
        } else {
            XCTAssertGreaterThanOrEqual(report.counts["frame_sent"] ?? 0, expected, context)
            XCTAssertLessThanOrEqual(report.counts["frame_sent"] ?? 0, control.cycles, context)
        }
        XCTAssertGreaterThan(report.counts["learner_update"] ?? 0, 0, "learner updates: \(f.learner.updates.load(ordering: .relaxed))")
        XCTAssertGreaterThan(report.counts["parameter_publish"] ?? 0, 0)
        XCTAssertEqual(report.compute.total, 500)
        XCTAssertTrue(report.summary.contains("p99.9"))
    }

    /// `svgrt run --trace` is refused before anything is written when svgrt has no tracepoints
    /// (scripts/test runs this in its build without the LTTng trait too). With them the option
    /// passes, and the next check (a zero duration) refuses the run.
    func testTraceOptionNeedsTheTracepoints() throws {
        let folder = NSTemporaryDirectory() + "svgrt-trace-option-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try svgrt(["run", "--trace", folder + "/trace", "--output", folder + "/run", "--duration", "0"])
        XCTAssertNotEqual(status, 0, output)
        if TraceSession.tracepointsBuiltIn {
            XCTAssertFalse(output.contains("--trace needs"), output)
            XCTAssertTrue(output.contains("--duration must be a positive number"), output)
        } else {
            XCTAssertTrue(output.contains("--trace needs the LTTng tracepoints"), output)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "nothing written")
    }
}
