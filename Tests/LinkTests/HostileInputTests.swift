import FirmwareLauncher
import Foundation
import Link
import XCTest

/// A raw peer on the wire, written from docs/protocol.md: sends any frame (or any bytes) to a
/// plant and reads what comes back.
final class RawPeer {
    let transport: UDPTransport
    var sequence: UInt32 = 0
    let tx = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize, alignment: 8)
    let rx = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize + 1, alignment: 8)

    init(port: UInt16) throws {
        transport = try UDPTransport(port: 0)
        try transport.connect(port: port)
    }

    deinit { tx.deallocate(); rx.deallocate(); transport.close() }

    func send(_ type: MessageType, _ body: (inout ByteWriter) -> Void = { _ in }) {
        sequence &+= 1
        let n = Frame.encode(FrameHeader(type: type, sequence: sequence, plantTimeMicroseconds: 0), into: tx, body: body)
        _ = transport.send(UnsafeRawBufferPointer(rebasing: tx[0..<n]))
    }

    func sendBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = transport.send($0) }
    }

    /// The next frame of `type` within `timeout` µs (others are skipped), with its payload bytes.
    func receive(_ type: MessageType, timeout: Int = 300_000) -> (header: FrameHeader, payload: [UInt8])? {
        let deadline = monotonicMicroseconds() + timeout
        while monotonicMicroseconds() < deadline {
            guard let n = transport.receive(into: rx, timeoutMicroseconds: max(deadline - monotonicMicroseconds(), 0)) else { continue }
            let bytes = UnsafeRawBufferPointer(rebasing: rx[0..<min(n, rx.count)])
            guard case .success(let header) = Frame.decodeHeader(bytes), header.type == type else { continue }
            return (header, Array(bytes[Frame.headerSize..<(Frame.headerSize + header.payloadLength)]))
        }
        return nil
    }

    /// The next FAULT's code and detail.
    func fault(timeout: Int = 300_000) -> (code: UInt16, detail: UInt32)? {
        guard let (_, payload) = receive(.fault, timeout: timeout) else { return nil }
        return payload.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            guard case .success(let (code, detail)) = Messages.readFault(&r) else { return nil }
            return (code.rawValue, detail)
        }
    }

    func hello() -> Bool {
        send(.hello) { Messages.writeHelloRequest(&$0, observationSize: 0, actionSize: 0) }
        return receive(.hello) != nil
    }

    /// The observation and reward of the next SENSE.
    func sense(timeout: Int = 300_000) -> (step: UInt32, reward: Float, observation: [Float])? {
        guard let (_, payload) = receive(.sense, timeout: timeout) else { return nil }
        return payload.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            var observation = [Float](repeating: 0, count: 64)
            let count = raw.count >= 10 ? Int(raw.load(fromByteOffset: 8, as: UInt16.self)) : 0
            return observation.withUnsafeMutableBufferPointer { o in
                guard case .success(let (step, reward)) = Messages.readSense(&r, observation: UnsafeMutableBufferPointer(rebasing: o[0..<count]))
                else { return nil }
                return (step, reward, Array(o[0..<count]))
            }
        }
    }
}

/// What an outsider can send a plant: nothing crashes, hangs or poisons firmware-sim; every
/// refusal is a documented FAULT and is counted by reason; strangers cannot divert the plant.
final class HostileInputTests: XCTestCase {
    func testOutOfRangeRequestsAreRefusedWithFaultsAndTheFirmwareLives() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0", "--status-interval", "0.1"])
        let peer = try RawPeer(port: firmware.port)
        XCTAssertTrue(peer.hello())
        // CONFIGURE values outside their ranges: FAULT 5 with the parameter as detail.
        for (parameter, value) in [(ConfigureParameter.observationDelayTicks, 1e30), (.actuatorGain, -1), (.dropObservationProbability, 2),
                                   (.actuatorNoise, 1e300), (.sensorNoise, -0.5), (.stuckObservation, 7),
                                   // The pendulum has one actuator: index 1 names none, 0.5 is not an index.
                                   (.weakActuator, 1), (.weakActuator, 0.5), (.weakActuator, -2), (.weakActuatorGain, 11),
                                   // Ticks and on/off are whole numbers.
                                   (.observationDelayTicks, 2.5), (.stuckObservation, 0.5)] {
            peer.send(.configure) { Messages.writeConfigure(&$0, parameter, value) }
            let fault = peer.fault()
            XCTAssertEqual(fault?.code, FaultCode.badParameter.rawValue, "\(parameter) = \(value)")
            XCTAssertEqual(fault?.detail, UInt32(parameter.rawValue))
        }
        // A parameter the protocol does not define: FAULT 5 too, with its number as detail.
        for number: UInt8 in [0, 9, 255] {
            peer.send(.configure) { $0.write(number); $0.write(1.0) }
            let fault = peer.fault()
            XCTAssertEqual(fault?.code, FaultCode.badParameter.rawValue, "parameter \(number)")
            XCTAssertEqual(fault?.detail, UInt32(number))
        }
        // A value in range is taken without a word.
        peer.send(.configure) { Messages.writeConfigure(&$0, .actuatorGain, 0.6) }
        XCTAssertNil(peer.fault(timeout: 100_000), "a valid CONFIGURE was refused")
        peer.send(.configure) { Messages.writeConfigure(&$0, .weakActuator, 0) }
        XCTAssertNil(peer.fault(timeout: 100_000), "the pendulum's actuator 0 was refused as the weak one")
        // A RESET to a state the plant cannot hold in f32 (or anywhere sane): FAULT 4.
        for state in [[0, 1e300], [0, 1e30], [1e7, 0]] {
            peer.send(.reset) { Messages.writeReset(&$0, .explicit(state)) }
            XCTAssertEqual(peer.fault()?.code, FaultCode.badReset.rawValue, "\(state)")
        }
        // The plant still works, and what it says is finite.
        peer.send(.reset) { Messages.writeReset(&$0, .explicit([3, 7.9])) }
        let sense = try XCTUnwrap(peer.sense())
        XCTAssertTrue(sense.observation.allSatisfy(\.isFinite))
        // A non-finite ACT: FAULT 3, and no step.
        peer.send(.act) { w in [Float.nan].withUnsafeBufferPointer { Messages.writeAct(&w, answering: 0, action: $0) } }
        XCTAssertEqual(peer.fault()?.code, FaultCode.badAction.rawValue)
        peer.send(.act) { w in [Float](repeating: 1, count: 5).withUnsafeBufferPointer { Messages.writeAct(&w, answering: 0, action: $0) } }
        XCTAssertEqual(peer.fault()?.code, FaultCode.badAction.rawValue, "an ACT of the wrong size")
        // A BYE with a payload is not a BYE: the conversation goes on (no FAULT 2 afterwards).
        peer.send(.bye) { $0.write(UInt32(7)) }
        peer.send(.reset) { Messages.writeReset(&$0, .seeded(4)) }
        XCTAssertNotNil(peer.sense(), "the plant acted on a malformed BYE")
        usleep(250_000)  // a status line
        let summary = firmware.stop()
        XCTAssertEqual(summary["rejected_out_of_range"], 18)
        XCTAssertEqual(summary["rejected_nan_inf_value"], 1)
        XCTAssertEqual(summary["rejected_malformed_payload"], 2)
        XCTAssertTrue(firmware.log.contains("rejected 21: NaN/Inf value 1, malformed payload 2, out of range 18"),
                      "the status counts by reason:\n\(firmware.log)")
    }

    /// In lockstep the plant steps only for an ACT answering a SENSE it sent: one before the
    /// first RESET answers nothing, is counted as unexpected, and moves nothing.
    func testALockstepActBeforeAnyResetDoesNotStepThePlant() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "lockstep", "--port", "0"])
        let peer = try RawPeer(port: firmware.port)
        XCTAssertTrue(peer.hello())
        peer.send(.act) { w in [Float(1)].withUnsafeBufferPointer { Messages.writeAct(&w, answering: 0, action: $0) } }
        XCTAssertNil(peer.sense(timeout: 200_000), "the plant stepped without a RESET")
        peer.send(.reset) { Messages.writeReset(&$0, .seeded(3)) }
        XCTAssertEqual(try XCTUnwrap(peer.sense()).step, 0)
        let summary = firmware.stop()
        XCTAssertEqual(summary["rejected_unexpected_message"], 1)
        XCTAssertEqual(summary["steps"], 0)
    }

    /// The plant serves the controller that shook hands: a stranger's datagrams (empty, garbage,
    /// valid frames) are dropped and counted and divert nothing; its HELLO is refused with
    /// FAULT 6 while the controller is there, and answered once it has said BYE.
    func testStrangersCannotDivertOrTakeOverThePlant() throws {
        let firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "200", "--port", "0",
                                            "--status-interval", "0.2"])
        let controller = try RawPeer(port: firmware.port), stranger = try RawPeer(port: firmware.port)
        XCTAssertTrue(controller.hello())
        for _ in 0..<20 {
            stranger.sendBytes([])
            stranger.sendBytes([0x53, 0x56, 1, 2, 3])
            stranger.send(.act) { w in [Float(1)].withUnsafeBufferPointer { Messages.writeAct(&w, answering: 0, action: $0) } }
            controller.send(.act) { w in [Float(0)].withUnsafeBufferPointer { Messages.writeAct(&w, answering: 0, action: $0) } }
            XCTAssertNotNil(controller.sense(), "the controller stopped receiving SENSE")
        }
        XCTAssertNil(stranger.receive(.sense, timeout: 50_000), "SENSE frames went to the stranger")
        stranger.send(.hello) { Messages.writeHelloRequest(&$0, observationSize: 0, actionSize: 0) }
        XCTAssertEqual(stranger.fault()?.code, FaultCode.otherController.rawValue)
        XCTAssertNotNil(controller.sense(), "the refused HELLO took the plant")
        controller.send(.bye)
        usleep(50_000)
        XCTAssertTrue(stranger.hello(), "after BYE a new controller is served")
        XCTAssertNotNil(stranger.sense())
        let summary = firmware.stop()
        XCTAssertGreaterThanOrEqual(summary["rejected_foreign_sender"] ?? 0, 61)
    }

    /// Bad values on firmware-sim's command line are refused before it starts.
    func testBadOptionsAreRefused() throws {
        for (arguments, message) in [(["--actuator-gain", "nan"], "--actuator-gain must be in"),
                                     (["--sensor-noise", "inf"], "--sensor-noise must be in"),
                                     (["--actuator-gain=-1"], "--actuator-gain must be in"),
                                     (["--schedule", "1:delay=1e30"], "delay must be in [0.0, 32.0]"),
                                     (["--schedule", "1:gain=-1"], "gain must be in"),
                                     (["--schedule", "1:stuck=0.5"], "stuck must be a whole number in [0.0, 1.0]"),
                                     (["--schedule", "1:delay=2.5"], "delay must be a whole number in [0.0, 32.0]"),
                                     (["--schedule", "1:weak-actuator=1"], "weak-actuator must be an actuator's index below 1, or -1 for none")] {
            XCTAssertThrowsError(try FirmwareProcess(["--port", "0"] + arguments), "\(arguments)") { error in
                XCTAssertTrue("\(error)".contains(message), "\(arguments): \(error)")
            }
        }
    }
}
