import FirmwareLauncher
import Foundation
import XCTest
import TestSupport
import Link
import Plants
import Random
import _LinkShims
import _AllocationCounter

/// firmware-sim as a child process, the controller's `PlantClient` on the other end.
final class EndToEndTests: XCTestCase {
    /// A fixed action sequence: a slow sweep with a kick, saturating at times.
    func action(_ t: Int) -> Float { Float(2.5 * sin(Double(t) * 0.05) + (t % 37 == 0 ? 1 : 0)) }

    /// Drives `client` in lockstep for `steps` and checks every observation against the
    /// in-process pendulum, bit for bit (observations travel as float32).
    func runLockstepAgainstInProcessPlant(_ client: PlantClient, steps: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try client.handshake()
        let start = [2.5, -0.5]
        try client.reset(.explicit(start))
        let plant = Pendulum()
        start.withUnsafeBufferPointer { plant.reset(to: $0) }
        var expected = [Double](repeating: 0, count: 3)
        var mismatches = 0
        for t in 0..<steps {
            if t % 200 == 0 && t > 0 {
                // Episodes are 200 steps: start the next one where the in-process plant is.
                var state = [0.0, 0.0]
                state.withUnsafeMutableBufferPointer { plant.physicalState(into: $0) }
                try client.reset(.explicit(state))
                state.withUnsafeBufferPointer { plant.reset(to: $0) }
            }
            expected.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
            for i in 0..<3 where client.observation[i].bitPattern != Float(expected[i]).bitPattern { mismatches += 1 }
            let a = action(t)
            try [a].withUnsafeBufferPointer { try client.act($0) }
            _ = [Double(a)].withUnsafeBufferPointer { plant.step(action: $0) }
        }
        expected.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
        for i in 0..<3 where client.observation[i].bitPattern != Float(expected[i]).bitPattern { mismatches += 1 }
        XCTAssertEqual(mismatches, 0, "observations that differ from the in-process plant", file: file, line: line)
    }

    func testLockstepOverUDPMatchesInProcessPlantBitForBit() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0"])
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try runLockstepAgainstInProcessPlant(client, steps: 1000)
        XCTAssertEqual(client.counters.totalRejected, 0)
        XCTAssertEqual(client.counters.timeouts, 0)
        let summary = firmware.stop()
        XCTAssertEqual(summary["steps"], 1000)
    }

    /// drop 10 %, corrupt 5 %: the run completes, the data is exactly the plant's (no corrupted
    /// frame is delivered as data), and the client's counters account for every frame sent.
    func testLossyLinkIsAccountedForAndNeverDeliversCorruptData() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0",
                                            "--drop", "0.1", "--corrupt", "0.05", "--seed", "3"])
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1, timeoutMicroseconds: 20_000, attempts: 50)
        try runLockstepAgainstInProcessPlant(client, steps: 1000)
        let summary = firmware.stop()
        // Frames still in the socket (answers to ACTs retransmitted just before the last SENSE
        // arrived) are received and counted too.
        _ = client.receiveSense(timeoutMicroseconds: 100_000)
        let counters = client.counters
        XCTAssertEqual(summary["steps"], 1000, "the firmware stepped once per accepted ACT, never twice")
        XCTAssertGreaterThan(summary["dropped"] ?? 0, 50)
        XCTAssertGreaterThan(summary["corrupted"] ?? 0, 20)
        XCTAssertEqual(counters.received, summary["delivered"], "every frame the firmware put on the wire arrived")
        XCTAssertEqual(counters.accepted + counters.totalRejected, counters.received, "every received frame is accepted or rejected")
        let corruption: [FrameRejection] = [.truncated, .badMagic, .badVersion, .badType, .badLength, .badChecksum, .nonFiniteValue, .malformedPayload]
        XCTAssertEqual(corruption.map(counters.count(of:)).reduce(0, +), summary["corrupted"], "each corrupted frame was rejected")
        XCTAssertGreaterThan(counters.retransmissions, 0)
    }

    /// A path that is not a character device is refused, not opened for writing.
    func testASerialPathThatIsNoDeviceIsRefused() throws {
        let file = NSTemporaryDirectory() + "svgrt-not-a-tty-\(getpid())"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        for path in [file, NSTemporaryDirectory()] {
            XCTAssertThrowsError(try SerialTransport(path: path)) { error in
                XCTAssertTrue("\(error)".contains("is not a serial device"), "\(error)")
            }
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep me")
        XCTAssertThrowsError(try FirmwareProcess(["--transport", "serial", "--device", file])) { error in
            XCTAssertTrue("\(error)".contains("is not a serial device"), "\(error)")
        }
    }

    func testLockstepOverPtyWithCOBS() throws {
        var name = [CChar](repeating: 0, count: 128)
        let master = svgrt_open_pseudoterminal(&name, name.count)
        XCTAssertGreaterThanOrEqual(master, 0)
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--transport", "serial", "--device", slave])
        let transport = try SerialTransport(fileDescriptor: master)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try runLockstepAgainstInProcessPlant(client, steps: 1000)
        XCTAssertEqual(client.counters.totalRejected, 0)
        XCTAssertEqual(firmware.stop()["steps"], 1000)
        transport.close()
    }

    /// The controller's per-cycle exchange allocates nothing after warm-up.
    func testLockstepExchangeAllocatesNothingOnTheControllerSide() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0"])
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try client.handshake()
        try client.reset(.seeded(1))
        let action = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)
        defer { action.deallocate() }
        action[0] = 0.3
        try client.act(UnsafeBufferPointer(action))
        var failures = 0
        let before = svgrt_thread_allocation_count()
        for _ in 0..<150 {
            do { try client.act(UnsafeBufferPointer(action)) } catch { failures += 1 }
        }
        let count = svgrt_thread_allocation_count() - before
        XCTAssertEqual(failures, 0)
        XCTAssertEqual(count, 0)
        firmware.stop()
    }

    /// A controller reaches its plant by name as well as by address; a name that does not
    /// resolve is refused in one line naming it (it used to be sent to 0.0.0.0 without a word).
    func testHostNamesResolveAndUnknownOnesAreRefused() throws {
        XCTAssertEqual(try UDPTransport.ipv4Address(of: "localhost").s_addr, try UDPTransport.ipv4Address(of: "127.0.0.1").s_addr)
        XCTAssertThrowsError(try UDPTransport.ipv4Address(of: "no-such-host.invalid")) { error in
            XCTAssertTrue("\(error)".contains("cannot resolve the host 'no-such-host.invalid'"), "\(error)")
        }
        let transport = try UDPTransport(port: 0)
        XCTAssertThrowsError(try transport.connect(to: "no-such-host.invalid", port: 5600))
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0"])
        defer { firmware.stop() }
        try transport.connect(to: "localhost", port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        XCTAssertEqual(try client.handshake().name, "pendulum")
    }

    func testShapeMismatchIsRefusedWithAClearMessage() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0"])
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 4, actionSize: 1)
        XCTAssertThrowsError(try client.handshake()) { error in
            XCTAssertEqual(error as? LinkError, .shapeMismatch(plant: "pendulum", observationSize: 3, actionSize: 1,
                                                               expectedObservationSize: 4, expectedActionSize: 1))
            XCTAssertTrue("\(error)".contains("built for 4"), "\(error)")
        }
        firmware.stop()
    }

    /// Stop sending ACT in real-time mode: the firmware reports FAULT watchdog, flags its
    /// SENSE frames, and the plant then moves as with zero torque.
    func testWatchdogZeroesActuationAndReportsFault() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "200",
                                            "--watchdog-ticks", "5", "--port", "0"])
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try client.handshake()
        // Drive with full torque for a few ticks, then go silent.
        for _ in 0..<10 {
            XCTAssertTrue(client.receiveSense(timeoutMicroseconds: 200_000))
            [2].withUnsafeBufferPointer { _ = client.sendAction($0) }
        }
        var tripped = false
        var previous: [Float]? = nil
        var worstZeroTorqueError: Float = 0
        var checked = 0
        for _ in 0..<60 {
            guard client.receiveSense(timeoutMicroseconds: 200_000) else { continue }
            let now = Array(client.observation)
            if client.flags.contains(.watchdogTripped) {
                if tripped, let before = previous, !client.flags.contains(.episodeStart) {
                    // Predict this observation from the previous one with zero torque.
                    let plant = Pendulum()
                    let theta = Double(atan2(before[1], before[0]))
                    [theta, Double(before[2])].withUnsafeBufferPointer { plant.reset(to: $0) }
                    _ = [0.0].withUnsafeBufferPointer { plant.step(action: $0) }
                    var predicted = [0.0, 0.0, 0.0]
                    predicted.withUnsafeMutableBufferPointer { plant.observe(into: $0) }
                    for i in 0..<3 { worstZeroTorqueError = max(worstZeroTorqueError, abs(Float(predicted[i]) - now[i])) }
                    checked += 1
                }
                tripped = true
            }
            previous = now
        }
        XCTAssertTrue(tripped, "no SENSE carried the watchdog flag")
        XCTAssertGreaterThan(checked, 20, "too few consecutive watchdog ticks to check")
        XCTAssertLessThan(worstZeroTorqueError, 1e-4, "after the watchdog the plant moved as if torque were applied")
        let summary = firmware.stop()
        XCTAssertGreaterThanOrEqual(summary["watchdog_trips"] ?? 0, 1)
    }

    /// The firmware restarts (same port, new process): the client's next ACT gets
    /// "handshake required", it shakes hands again, and carries on after a RESET.
    func testRehandshakeAfterFirmwareRestart() throws {
        var firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0"])
        let port = firmware.port
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: port)
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1, timeoutMicroseconds: 50_000, attempts: 40)
        try client.handshake()
        try client.reset(.seeded(1))
        try [0.5].withUnsafeBufferPointer { try client.act($0) }
        firmware.stop()
        firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "\(port)"])
        XCTAssertThrowsError(try [0.5].withUnsafeBufferPointer { try client.act($0) }) { error in
            XCTAssertEqual(error as? LinkError, .fault(.handshakeRequired, detail: 0))
        }
        XCTAssertEqual(client.rehandshakes, 1)
        try client.reset(.seeded(2))
        try [0.5].withUnsafeBufferPointer { try client.act($0) }
        XCTAssertEqual(client.stepIndex, 1)
        firmware.stop()
    }

    /// A HELLO reply equal byte for byte to the last one decoded (a restarted plant, a late
    /// reply) is taken without decoding it again, so it allocates nothing; a different one (the
    /// plant came back with other limits) is decoded, never answered from the old description.
    func testARepeatedHelloReplyAllocatesNothingAndAChangedOneIsDecoded() throws {
        let board = try UDPTransport(port: 0), transport = try UDPTransport(port: 0)
        defer { board.close(); transport.close() }
        try transport.connect(port: board.localPort)
        try board.connect(port: transport.localPort)
        let first = PlantDescription(name: "pendulum", observationSize: 3, actionSize: 1, physicalStateSize: 2, stepMicroseconds: 50_000,
                                     tickMicroseconds: 10_000, episodeLength: 200, mode: .realTime, actionLow: [-2], actionHigh: [2])
        var weaker = first
        weaker.actionLow = [-1]
        weaker.actionHigh = [1]
        var frame = [UInt8](repeating: 0, count: Frame.maximumSize), sequence: UInt32 = 0
        // The board's reply sits in the client's socket before the client asks: the client takes
        // any HELLO reply from its peer.
        func reply(_ description: PlantDescription) {
            sequence += 1
            let n = frame.withUnsafeMutableBytes {
                Frame.encode(FrameHeader(type: .hello, sequence: sequence, plantTimeMicroseconds: 0), into: $0) { Messages.writeHelloReply(&$0, description) }
            }
            XCTAssertTrue(frame.withUnsafeBytes { board.send(UnsafeRawBufferPointer(rebasing: $0[0..<n])) })
        }
        let client = PlantClient(transport: transport, observationSize: 3, actionSize: 1, timeoutMicroseconds: 200_000, attempts: 1)
        reply(first)
        XCTAssertEqual(try client.handshake(), first)
        // One repeat first: its path instantiates type metadata once per process (a warm-up
        // allocation, not a decode); then three repeats, counted.
        reply(first)
        XCTAssertEqual(try client.handshake(), first)
        var matching = 0, sent = 0
        let firstReply = frame.withUnsafeMutableBytes {
            Frame.encode(FrameHeader(type: .hello, sequence: 99, plantTimeMicroseconds: 0), into: $0) { Messages.writeHelloReply(&$0, first) }
        }
        let before = svgrt_thread_allocation_count()
        for _ in 0..<3 {
            if frame.withUnsafeBytes({ board.send(UnsafeRawBufferPointer(rebasing: $0[0..<firstReply])) }) { sent += 1 }
            if try client.handshake().actionHigh[0] == 2 { matching += 1 }
        }
        XCTAssertEqual(svgrt_thread_allocation_count() - before, 0, "heap allocations in handshakes with the same plant")
        XCTAssertEqual(sent, 3)
        XCTAssertEqual(matching, 3)
        reply(weaker)
        XCTAssertEqual(try client.handshake(), weaker)
        XCTAssertEqual(client.plant, weaker)
        reply(first)
        XCTAssertEqual(try client.handshake(), first)
        XCTAssertEqual(client.rehandshakes, 6)
    }
}
