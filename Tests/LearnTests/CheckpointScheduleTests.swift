import Training
import XCTest

/// When `svgrt train` writes its checkpoint: periodically, and near the budget at every episode
/// boundary unless the last write was less than ten of its durations ago.
final class CheckpointScheduleTests: XCTestCase {
    func testPeriodicWrites() {
        var s = CheckpointSchedule(every: 60, start: 0)
        XCTAssertFalse(s.isDue(now: 59, stepsLeft: 10_000, episodeLength: 1_000))
        XCTAssertTrue(s.isDue(now: 60, stepsLeft: 10_000, episodeLength: 1_000))
        s.wrote(start: 60, end: 62)
        XCTAssertFalse(s.isDue(now: 121, stepsLeft: 10_000, episodeLength: 1_000), "60 s from the end of the last write")
        XCTAssertTrue(s.isDue(now: 122, stepsLeft: 10_000, episodeLength: 1_000))
        XCTAssertFalse(CheckpointSchedule(every: 0, start: 0).isDue(now: 1e9, stepsLeft: 10_000, episodeLength: 1_000), "0: not periodic")
    }

    func testNearTheBudgetEveryBoundaryWritesUnlessTheLastWriteWasRecentForItsCost() {
        // A write that takes no time: every boundary within one episode of the budget writes.
        var s = CheckpointSchedule(every: 60, start: 0)
        XCTAssertFalse(s.isDue(now: 1, stepsLeft: 1_000, episodeLength: 1_000), "a whole episode left: not the last")
        XCTAssertTrue(s.isDue(now: 1, stepsLeft: 999, episodeLength: 1_000))
        s.wrote(start: 1, end: 1)
        XCTAssertTrue(s.isDue(now: 1, stepsLeft: 980, episodeLength: 1_000))
        // A write of 0.5 s: the next one near the end waits 5 s.
        s.wrote(start: 2, end: 2.5)
        XCTAssertFalse(s.isDue(now: 7.4, stepsLeft: 960, episodeLength: 1_000))
        XCTAssertTrue(s.isDue(now: 7.5, stepsLeft: 940, episodeLength: 1_000))
        XCTAssertFalse(s.isDue(now: 7.5, stepsLeft: 5_000, episodeLength: 1_000), "far from the end only the period counts")
    }
}
