import XCTest
import Link
import Random
import _AllocationCounter

final class FrameCodecTests: XCTestCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize + 64, alignment: 8)
    deinit { buffer.deallocate() }

    func encodeSense(sequence: UInt32 = 7, observation: [Float] = [1, -2, 0.5], reward: Float = -1.5) -> [UInt8] {
        let n = observation.withUnsafeBufferPointer { obs in
            Frame.encode(FrameHeader(type: .sense, flags: [.episodeStart], sequence: sequence, plantTimeMicroseconds: 50_000), into: buffer) {
                Messages.writeSense(&$0, stepIndex: 3, reward: reward, observation: obs)
            }
        }
        return Array(buffer[0..<n])
    }

    func decode(_ bytes: [UInt8]) -> Result<FrameHeader, FrameRejection> {
        bytes.withUnsafeBytes { Frame.decodeHeader($0) }
    }

    func testSenseRoundTrip() throws {
        let bytes = encodeSense()
        XCTAssertEqual(bytes.count, Frame.headerSize + 4 + 4 + 2 + 12 + Frame.checksumSize)
        let header = try decode(bytes).get()
        XCTAssertEqual(header, FrameHeader(type: .sense, flags: [.episodeStart], sequence: 7, plantTimeMicroseconds: 50_000, payloadLength: 22))
        var observation = [Float](repeating: 0, count: 3)
        let result = bytes.withUnsafeBytes { raw in
            observation.withUnsafeMutableBufferPointer { obs in
                var reader = Frame.payload(of: raw, header)
                return Messages.readSense(&reader, observation: obs)
            }
        }
        let (step, reward) = try result.get()
        XCTAssertEqual(step, 3)
        XCTAssertEqual(reward, -1.5)
        XCTAssertEqual(observation, [1, -2, 0.5])
    }

    func testOtherMessagesRoundTrip() throws {
        let description = PlantDescription(name: "pendulum", observationSize: 3, actionSize: 1, physicalStateSize: 2,
                                           stepMicroseconds: 50_000, tickMicroseconds: 10_000, episodeLength: 200,
                                           mode: .lockstep, actionLow: [-2], actionHigh: [2])
        func roundTrip<T>(_ type: MessageType, write: (inout ByteWriter) -> Void, read: (inout ByteReader) -> T) throws -> T {
            let n = Frame.encode(FrameHeader(type: type, sequence: 1, plantTimeMicroseconds: 0), into: buffer, body: write)
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            let header = try Frame.decodeHeader(bytes).get()
            XCTAssertEqual(header.type, type)
            var reader = Frame.payload(of: bytes, header)
            return read(&reader)
        }
        XCTAssertEqual(try roundTrip(.hello, write: { Messages.writeHelloReply(&$0, description) }, read: { Messages.readHelloReply(&$0) }).get(), description)
        let request = try roundTrip(.hello, write: { Messages.writeHelloRequest(&$0, observationSize: 3, actionSize: 1) },
                                    read: { Messages.readHelloRequest(&$0) })
        XCTAssertEqual(request?.observationSize, 3)
        XCTAssertEqual(try roundTrip(.reset, write: { Messages.writeReset(&$0, .explicit([0.5, -1])) }, read: { Messages.readReset(&$0) }).get(), .explicit([0.5, -1]))
        XCTAssertEqual(try roundTrip(.reset, write: { Messages.writeReset(&$0, .seeded(42)) }, read: { Messages.readReset(&$0) }).get(), .seeded(42))
        let fault = try roundTrip(.fault, write: { Messages.writeFault(&$0, code: .watchdog, detail: 11) }, read: { Messages.readFault(&$0) }).get()
        XCTAssertEqual(fault.code, .watchdog)
        XCTAssertEqual(fault.detail, 11)
        let configure = try roundTrip(.configure, write: { Messages.writeConfigure(&$0, .actuatorGain, 0.6) }, read: { Messages.readConfigure(&$0) }).get()
        XCTAssertEqual(configure.parameter, ConfigureParameter.actuatorGain.rawValue)
        XCTAssertEqual(configure.value, 0.6)
        var action: [Float] = [0]
        let answering = try action.withUnsafeMutableBufferPointer { out in
            try roundTrip(.act, write: { w in [Float(1.25)].withUnsafeBufferPointer { a in Messages.writeAct(&w, answering: 9, action: a) } },
                          read: { Messages.readAct(&$0, action: out) }).get()
        }
        XCTAssertEqual(answering, 9)
        XCTAssertEqual(action, [1.25])
    }

    /// Each way a frame can be wrong is rejected with its own reason.
    func testEveryRejectionReason() {
        let good = encodeSense()
        var bytes = good; bytes[0] ^= 0xFF
        XCTAssertEqual(decode(bytes), .failure(.badMagic))
        bytes = good; bytes[2] = 9
        XCTAssertEqual(decode(bytes), .failure(.badVersion))
        bytes = good; bytes[3] = 99
        XCTAssertEqual(decode(bytes), .failure(.badType))
        bytes = good; bytes[18] = 0xFF; bytes[19] = 0xFF
        XCTAssertEqual(decode(bytes), .failure(.badLength))
        bytes = good; bytes.append(0)
        XCTAssertEqual(decode(bytes), .failure(.badLength))
        bytes = good; bytes[25] ^= 0x01
        XCTAssertEqual(decode(bytes), .failure(.badChecksum))
        for cut in [0, 3, 23, good.count - 1] {
            XCTAssertEqual(decode(Array(good.prefix(cut))), .failure(.truncated), "cut at \(cut)")
        }
        // NaN in the observation: the frame is intact but its data is refused.
        let nan = encodeSense(observation: [1, .nan, 0])
        let header = try! decode(nan).get()
        var observation = [Float](repeating: 0, count: 3)
        let result = nan.withUnsafeBytes { raw in
            observation.withUnsafeMutableBufferPointer { obs in
                var reader = Frame.payload(of: raw, header)
                return Messages.readSense(&reader, observation: obs)
            }
        }
        XCTAssertEqual(result.map { $0.stepIndex }, .failure(.nonFiniteValue))
        let infinite = encodeSense(reward: .infinity)
        let infiniteResult = infinite.withUnsafeBytes { raw in
            observation.withUnsafeMutableBufferPointer { obs in
                var reader = Frame.payload(of: raw, try! Frame.decodeHeader(raw).get())
                return Messages.readSense(&reader, observation: obs)
            }
        }
        XCTAssertEqual(infiniteResult.map { $0.stepIndex }, .failure(.nonFiniteValue))
        // Wrong observation size for this controller.
        var small = [Float](repeating: 0, count: 2)
        let wrongShape = good.withUnsafeBytes { raw in
            small.withUnsafeMutableBufferPointer { obs in
                var reader = Frame.payload(of: raw, try! Frame.decodeHeader(raw).get())
                return Messages.readSense(&reader, observation: obs)
            }
        }
        XCTAssertEqual(wrongShape.map { $0.stepIndex }, .failure(.malformedPayload))
        // Sequence order.
        var tracker = SequenceTracker()
        XCTAssertNil(tracker.accept(5))
        XCTAssertEqual(tracker.accept(5), .duplicateSequence)
        XCTAssertEqual(tracker.accept(4), .outOfOrderSequence)
        XCTAssertNil(tracker.accept(6))
        tracker = SequenceTracker()
        XCTAssertNil(tracker.accept(UInt32.max))
        XCTAssertNil(tracker.accept(0), "the counter may wrap")
    }

    /// Random bytes and random mutations of valid frames never crash the decoder, and a frame
    /// that decodes always has a valid checksum (so it is one we could have sent).
    func testRandomInputNeverCrashesOrPasses() {
        var rng = Xoshiro256StarStar(seed: 99)
        let good = encodeSense()
        var accepted = 0
        for trial in 0..<200_000 {
            var bytes: [UInt8]
            if trial % 2 == 0 {
                bytes = (0..<Int(rng.next() % 80)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = good
                for _ in 0..<(1 + Int(rng.next() % 3)) { bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 + rng.next() % 255) }
            }
            if bytes == good { continue }  // two flips of one byte can cancel
            if case .success = decode(bytes) { accepted += 1 }
        }
        XCTAssertEqual(accepted, 0)
    }

    func testDecodingAllocatesNothing() {
        let good = encodeSense()
        var observation = [Float](repeating: 0, count: 3)
        var tracker = SequenceTracker()
        var counters = LinkCounters()
        good.withUnsafeBytes { raw in
            observation.withUnsafeMutableBufferPointer { obs in
                func receive() {
                    switch Frame.decodeHeader(raw) {
                    case .failure(let reason): counters.count(reason)
                    case .success(let header):
                        if let reason = tracker.accept(header.sequence) { counters.count(reason); return }
                        var reader = Frame.payload(of: raw, header)
                        if case .failure(let reason) = Messages.readSense(&reader, observation: obs) { counters.count(reason) }
                    }
                }
                receive()
                let before = svgrt_thread_allocation_count()
                for _ in 0..<1000 { receive() }
                let count = svgrt_thread_allocation_count() - before
                XCTAssertEqual(count, 0)
            }
        }
        XCTAssertEqual(counters.count(of: .duplicateSequence), 1000)
    }

    func testCOBSRoundTripsAndHasNoZeros() {
        var rng = Xoshiro256StarStar(seed: 5)
        let encoded = UnsafeMutableRawBufferPointer.allocate(byteCount: 2000, alignment: 8)
        let decoded = UnsafeMutableRawBufferPointer.allocate(byteCount: 2000, alignment: 8)
        defer { encoded.deallocate(); decoded.deallocate() }
        let special: [[UInt8]] = [[], [0], [0, 0], [1], Array(repeating: 7, count: 254), Array(repeating: 7, count: 255),
                                  Array(repeating: 0, count: 300), (0..<600).map { UInt8($0 % 256) }]
        let random = (0..<500).map { _ in (0..<Int(rng.next() % 1100)).map { _ in rng.next() % 4 == 0 ? 0 : UInt8(truncatingIfNeeded: rng.next()) } }
        for input in special + random {
            let n = input.withUnsafeBytes { COBS.encode($0, into: encoded) }
            XCTAssertLessThanOrEqual(n, COBS.maximumEncodedSize(input.count))
            XCTAssertFalse(encoded[0..<n].contains(0))
            let m = COBS.decode(UnsafeRawBufferPointer(rebasing: encoded[0..<n]), into: decoded)
            XCTAssertEqual(m.map { Array(decoded[0..<$0]) }, input)
        }
    }
}
