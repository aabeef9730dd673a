import XCTest
import Runtime
import Synchronization
import _AllocationCounter

/// The lock-free hand-offs under two real threads. Run also under ThreadSanitizer
/// (`swift test --sanitize=thread --filter HandOffTests`, part of the test command).
final class HandOffTests: XCTestCase {
    /// 10 million records producer → consumer: every record arrives intact and in order; a
    /// full ring drops and counts instead of blocking.
    func testRingMovesTenMillionRecordsIntactAndInOrder() {
        let total = ProcessInfo.processInfo.environment["SVGRT_RING_RECORDS"].flatMap(Int.init) ?? 10_000_000
        let ring = SPSCRing(minimumCapacity: 1024, width: 4)
        let producerDone = Atomic<Bool>(false)
        let delivered = Atomic<Int>(0)
        let producer = Thread {
            var record: [Float] = [0, 0, 0, 0]
            var sequence = 0
            var allocations: UInt = 0
            let before = svgrt_thread_allocation_count()
            record.withUnsafeMutableBufferPointer { r in
                while sequence < total {
                    // Two halves of a 32-bit sequence number, and checks of both.
                    r[0] = Float(sequence & 0xFFFF); r[1] = Float(sequence >> 16)
                    r[2] = Float((sequence &* 7) & 0xFFFF); r[3] = -r[0]
                    if ring.push(r.baseAddress!) { sequence += 1 }
                }
            }
            allocations = svgrt_thread_allocation_count() - before
            XCTAssertEqual(allocations, 0, "the producer allocated")
            producerDone.store(true, ordering: .releasing)
        }
        producer.start()
        var expected = 0, corrupt = 0
        let record = UnsafeMutablePointer<Float>.allocate(capacity: 4)
        defer { record.deallocate() }
        let before = svgrt_thread_allocation_count()
        while expected < total {
            if ring.pop(into: record) {
                let sequence = Int(record[0]) | Int(record[1]) << 16
                if sequence != expected || Int(record[2]) != (sequence &* 7) & 0xFFFF || record[3] != -record[0] { corrupt += 1 }
                expected += 1
            }
        }
        let consumerAllocations = svgrt_thread_allocation_count() - before
        while !producerDone.load(ordering: .acquiring) { usleep(100) }
        delivered.store(expected, ordering: .relaxed)
        XCTAssertEqual(corrupt, 0)
        XCTAssertEqual(delivered.load(ordering: .relaxed), total)
        XCTAssertEqual(consumerAllocations, 0)
    }

    func testFullRingDropsAndCounts() {
        let ring = SPSCRing(minimumCapacity: 4, width: 1)
        var value: Float = 1
        for _ in 0..<4 { XCTAssertTrue(ring.push(&value)) }
        XCTAssertFalse(ring.push(&value))
        XCTAssertEqual(ring.dropped, 1)
        var out: Float = 0
        XCTAssertTrue(ring.pop(into: &out))
        XCTAssertTrue(ring.push(&value))
    }

    /// The writer publishes sets whose every element is the version; the reader, taking
    /// concurrently, never sees a mixed (torn) set and sees versions only increase.
    func testTripleBufferNeverTears() {
        let count = 10_000
        let buffer = TripleBuffer(count: count)
        // The writer publishes for at least 0.3 s (and 1,000 versions), so the reader overlaps it
        // even on a loaded machine.
        let minimumPublications = ProcessInfo.processInfo.environment["SVGRT_TRIPLE_PUBLICATIONS"].flatMap(Int.init) ?? 1_000
        let writerDone = Atomic<Bool>(false)
        let published = Atomic<Int>(0)
        let writer = Thread {
            let start = Date()
            var version = 0
            while version < minimumPublications || Date().timeIntervalSince(start) < 0.3 {
                version += 1
                buffer.writeBlock.update(repeating: Float(version), count: count)
                buffer.publish(version: UInt64(version))
            }
            published.store(version, ordering: .relaxed)
            writerDone.store(true, ordering: .releasing)
        }
        writer.start()
        var taken = 0, torn = 0, backwards = 0, last: UInt64 = 0
        while !writerDone.load(ordering: .acquiring) || taken == 0 {
            guard let version = buffer.takeNewest() else { continue }
            let block = buffer.readBlock
            let first = block[0]
            for i in stride(from: 0, to: count, by: 97) where block[i] != first { torn += 1; break }
            if block[count - 1] != first || UInt64(first) != version { torn += 1 }
            if version <= last { backwards += 1 }
            last = version
            taken += 1
        }
        XCTAssertEqual(torn, 0)
        XCTAssertEqual(backwards, 0)
        XCTAssertGreaterThan(taken, 10)
        // After the writer stops, the newest set is the last one published.
        if let final = buffer.takeNewest() { last = final }
        XCTAssertEqual(last, UInt64(published.load(ordering: .relaxed)))
    }

    func testHistogramPercentiles() {
        let h = LatencyHistogram()
        for v in 1...10_000 { h.record(v * 1000) }
        XCTAssertEqual(Double(h.percentile(0.5)), 5_000_000, accuracy: 5_000_000 * 0.035)
        XCTAssertEqual(Double(h.percentile(0.99)), 9_900_000, accuracy: 9_900_000 * 0.035)
        XCTAssertEqual(h.maximum, 10_000_000)
        XCTAssertEqual(h.minimum, 1000)
        XCTAssertEqual(h.buckets.map(\.1).reduce(0, +), 10_000)
        let before = svgrt_thread_allocation_count()
        for v in 0..<1000 { h.record(v) }
        XCTAssertEqual(svgrt_thread_allocation_count() - before, 0)
    }

    func testSafetyChainOrderAndStops() {
        let chain = SafetyChain(low: [-2], high: [2])
        chain.maximumChange = [0.5]
        chain.limitLow = [-1]; chain.limitHigh = [1.5]
        var a: [Float] = [.nan]
        a.withUnsafeMutableBufferPointer { chain.apply($0) }
        XCTAssertEqual(a, [0]); XCTAssertEqual(chain.nonFiniteGuards, 1)
        a = [5]
        a.withUnsafeMutableBufferPointer { chain.apply($0) }
        XCTAssertEqual(a, [0.5], "box to 2, then rate-limited to 0 + 0.5")
        XCTAssertEqual(chain.boxClamps, 1); XCTAssertEqual(chain.rateLimits, 1)
        for _ in 0..<4 { a = [5]; a.withUnsafeMutableBufferPointer { chain.apply($0) } }
        XCTAssertEqual(a, [1.5], "configured limit")
        chain.emergencyStop()
        a = [1]
        a.withUnsafeMutableBufferPointer { chain.apply($0) }
        XCTAssertEqual(a, [0])
        chain.softStop = false
        a = [1]
        a.withUnsafeMutableBufferPointer { chain.apply($0) }
        XCTAssertEqual(a, [0], "the e-stop latches until reset")
        chain.resetEmergencyStop()
        a = [0.3]
        a.withUnsafeMutableBufferPointer { chain.apply($0) }
        XCTAssertEqual(a, [0.3])
    }
}

import Foundation
