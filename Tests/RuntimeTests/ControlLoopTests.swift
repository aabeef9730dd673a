import Foundation
import XCTest
import TestSupport
import Learn
import Link
import Net
import Plants
import Runtime
import Synchronization
import Training
import _AllocationCounter

/// The control thread against firmware-sim in real time, with the learner running on another
/// thread: 10,000 cycles (at 2 kHz, to keep the test short) without one heap allocation.
final class ControlLoopTests: XCTestCase {
    func testControlThreadAllocatesNothingOverTenThousandCyclesWithTheLearnerRunning() throws {
        let rate = 2000.0
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "\(rate)", "--port", "0",
                                            "--watchdog-ticks", "50"])
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.replayCapacity = 20_000
        let trainer = try Trainer(c)
        let transport = try UDPTransport(port: 0)
        transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try client.handshake()
        let record = TransitionRecord(stateSize: 3, actionSize: 1)
        let ring = SPSCRing(minimumCapacity: 16_384, width: record.width)
        let count = trainer.policy.mean.parameters.count + 1
        let toControl = TripleBuffer(count: count)
        var options = Learner.Options()
        options.updatesPerStep = 1
        options.warmupTransitions = 100
        let learner = Learner(options: options, svg: trainer.svg1er, ring: ring, published: [toControl])
        var g = Xoshiro256StarStar(seed: 1)
        let policy = GaussianPolicy(observationSize: 3, actionSize: 1, hidden: c.policyHidden, maxBatch: 1, initialStd: 1,
                                    learningRate: 0, actionLow: [-2], actionHigh: [2], generator: &g)
        var controlOptions = ControlLoop.Options()
        controlOptions.periodNanoseconds = Int(1e9 / rate)
        controlOptions.senseWaitMicroseconds = Int(0.8e6 / rate)
        controlOptions.lockMemory = false
        let control = ControlLoop(options: controlOptions, client: client, policy: policy, parameters: toControl, ring: ring,
                                  safety: SafetyChain(low: [-2], high: [2]))
        control.allocationCounter = { svgrt_thread_allocation_count() }
        control.warmUpCycles = 200
        let learnerThread = Thread { learner.run() }
        learnerThread.start()
        while learner.version.load(ordering: .acquiring) == 0 { usleep(1000) }
        let done = Atomic<Bool>(false)
        let controlThread = Thread {
            control.run(maximumCycles: 10_200)
            done.store(true, ordering: .releasing)
        }
        controlThread.start()
        while !done.load(ordering: .acquiring) { usleep(10_000) }
        learner.stop()
        usleep(50_000)
        firmware.stop()
        XCTAssertEqual(control.cycles, 10_200)
        XCTAssertEqual(control.allocationsAfterWarmUp, 0, "heap allocations on the control thread after warm-up")
        XCTAssertGreaterThan(learner.updates.load(ordering: .relaxed), 100, "the learner ran")
        XCTAssertGreaterThan(learner.transitions.load(ordering: .relaxed), 5_000, "transitions reached the learner")
        XCTAssertGreaterThan(control.policyVersion, 1, "the control thread took published policies")
        XCTAssertEqual(client.counters.totalRejected, 0)
    }
}
