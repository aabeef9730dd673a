import XCTest
import Runtime
import _AllocationCounter

/// The control thread against firmware-sim in real time, with the learner running on another
/// thread: 10,000 cycles (at 2 kHz, to keep the test short) without one heap allocation.
final class ControlLoopTests: XCTestCase {
    func testControlThreadAllocatesNothingOverTenThousandCyclesWithTheLearnerRunning() throws {
        let f = try OnlineFixture(rate: 2000, replayCapacity: 20_000, warmupTransitions: 100)
        f.control.allocationCounter = { svgrt_thread_allocation_count() }
        f.control.warmUpCycles = 200
        f.run(cycles: 10_200)
        XCTAssertEqual(f.control.cycles, 10_200)
        XCTAssertEqual(f.control.allocationsAfterWarmUp, 0, "heap allocations on the control thread after warm-up")
        XCTAssertGreaterThan(f.learner.updates.load(ordering: .relaxed), 100, "the learner ran")
        XCTAssertGreaterThan(f.learner.transitions.load(ordering: .relaxed), 5_000, "transitions reached the learner")
        XCTAssertGreaterThan(f.control.policyVersion, 1, "the control thread took published policies")
        XCTAssertEqual(f.client.counters.totalRejected, 0)
    }
}
