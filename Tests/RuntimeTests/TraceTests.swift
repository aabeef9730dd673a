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
        let session = try TraceSession(directory: directory)
        usleep(200_000)  // let the application's tracepoints be registered with the session
        let rate = 1000.0
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "\(rate)", "--port", "0",
                                            "--watchdog-ticks", "50"])
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.replayCapacity = 5_000
        let trainer = try Trainer(c)
        let transport = try UDPTransport(port: 0)
        transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try client.handshake()
        let record = TransitionRecord(stateSize: 3, actionSize: 1)
        let ring = SPSCRing(minimumCapacity: 4096, width: record.width)
        let toControl = TripleBuffer(count: trainer.policy.mean.parameters.count + 1)
        var options = Learner.Options()
        options.warmupTransitions = 64
        options.updatesPerStep = 1
        let learner = Learner(options: options, svg: trainer.svg1er, ring: ring, published: [toControl])
        var g = Xoshiro256StarStar(seed: 2)
        let policy = GaussianPolicy(observationSize: 3, actionSize: 1, hidden: c.policyHidden, maxBatch: 1, initialStd: 1,
                                    learningRate: 0, actionLow: [-2], actionHigh: [2], generator: &g)
        var controlOptions = ControlLoop.Options()
        controlOptions.periodNanoseconds = Int(1e9 / rate)
        controlOptions.senseWaitMicroseconds = 800
        controlOptions.lockMemory = false
        let control = ControlLoop(options: controlOptions, client: client, policy: policy, parameters: toControl, ring: ring,
                                  safety: SafetyChain(low: [-2], high: [2]))
        let learnerThread = Thread { learner.run() }
        learnerThread.start()
        while learner.version.load(ordering: .acquiring) == 0 { usleep(1000) }
        let done = Atomic<Bool>(false)
        let controlThread = Thread {
            control.run(maximumCycles: 500)
            done.store(true, ordering: .releasing)
        }
        controlThread.start()
        while !done.load(ordering: .acquiring) { usleep(5000) }
        learner.stop()
        usleep(50_000)
        firmware.stop()
        try session.stop()
        let report = try TraceReport(directory: directory)
        XCTAssertEqual(report.cycles, Array(0..<500), "cycle_end events must be the cycles that ran, in order")
        XCTAssertEqual(report.counts["cycle_start"], 500)
        XCTAssertEqual(report.counts["frame_sent"], control.cycles - control.senseTimeouts + control.safeActions - control.episodes)
        XCTAssertGreaterThan(report.counts["learner_update"] ?? 0, 0)
        XCTAssertGreaterThan(report.counts["parameter_publish"] ?? 0, 0)
        XCTAssertEqual(report.compute.total, 500)
        XCTAssertTrue(report.summary.contains("p99.9"))
    }
}
