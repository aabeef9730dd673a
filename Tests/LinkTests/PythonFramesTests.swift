import Foundation
import XCTest
import Link

/// Frames encoded by an independent Python implementation of docs/protocol.md
/// (Fuzz/make_seed_corpus.py) decode here, field for field.
final class PythonFramesTests: XCTestCase {
    func frame(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/frame/\(name).bin")
        return Array(try Data(contentsOf: url))
    }

    func decoded<T>(_ name: String, _ type: MessageType, _ read: (inout ByteReader) -> T) throws -> (FrameHeader, T) {
        let bytes = try frame(name)
        return try bytes.withUnsafeBytes { raw in
            let header = try Frame.decodeHeader(raw).get()
            XCTAssertEqual(header.type, type, name)
            var reader = Frame.payload(of: raw, header)
            return (header, read(&reader))
        }
    }

    func testEveryMessageFromPythonDecodes() throws {
        let request = try decoded("hello-request", .hello) { Messages.readHelloRequest(&$0) }.1
        XCTAssertEqual(request?.observationSize, 3)
        XCTAssertEqual(request?.actionSize, 1)
        let reply = try decoded("hello-reply", .hello) { Messages.readHelloReply(&$0) }.1.get()
        XCTAssertEqual(reply, PlantDescription(name: "pendulum", observationSize: 3, actionSize: 1, physicalStateSize: 2,
                                               stepMicroseconds: 50_000, tickMicroseconds: 10_000, episodeLength: 200,
                                               mode: .lockstep, actionLow: [-2], actionHigh: [2]))
        var observation = [Float](repeating: 0, count: 3)
        let (senseHeader, sense) = try observation.withUnsafeMutableBufferPointer { obs in
            try decoded("sense", .sense) { Messages.readSense(&$0, observation: obs) }
        }
        XCTAssertEqual(senseHeader.flags, [.episodeStart])
        XCTAssertEqual(try sense.get().stepIndex, 0)
        XCTAssertEqual(observation, [0.5, 0.8660254, -0.25])
        var action: [Float] = [0]
        let answering = try action.withUnsafeMutableBufferPointer { a in try decoded("act", .act) { Messages.readAct(&$0, action: a) }.1.get() }
        XCTAssertEqual(answering, 2)
        XCTAssertEqual(action, [1.5])
        XCTAssertEqual(try decoded("reset-seeded", .reset) { Messages.readReset(&$0) }.1.get(), .seeded(42))
        XCTAssertEqual(try decoded("reset-explicit", .reset) { Messages.readReset(&$0) }.1.get(), .explicit([3.14159, 0]))
        let fault = try decoded("fault", .fault) { Messages.readFault(&$0) }.1.get()
        XCTAssertEqual(fault.code, .watchdog)
        let configure = try decoded("configure", .configure) { Messages.readConfigure(&$0) }.1.get()
        XCTAssertEqual(configure.parameter, ConfigureParameter.actuatorGain.rawValue)
        XCTAssertEqual(configure.value, 0.6)
        XCTAssertEqual(try decoded("bye", .bye) { $0.remaining }.1, 0)
    }
}

/// The worked example in docs/protocol.md is what the Swift encoder produces, frame and COBS.
final class ProtocolDocumentTests: XCTestCase {
    func testWorkedExampleMatchesEncoder() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/protocol.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let block = text.components(separatedBy: "## Worked example")[1].components(separatedBy: "```")[1]
        let documented = block.split(whereSeparator: \.isNewline).flatMap { line in
            line.split(separator: " ").prefix { $0.count == 2 && UInt8($0, radix: 16) != nil }.map { UInt8($0, radix: 16)! }
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize, alignment: 8)
        defer { buffer.deallocate() }
        let n = [Float(1.5)].withUnsafeBufferPointer { a in
            Frame.encode(FrameHeader(type: .act, sequence: 2, plantTimeMicroseconds: 0), into: buffer) {
                Messages.writeAct(&$0, answering: 2, action: a)
            }
        }
        XCTAssertEqual(documented, Array(buffer[0..<n]))
        let cobsLine = text.components(separatedBy: "then the delimiter:\n`")[1].components(separatedBy: "`")[0]
        let documentedCOBS = cobsLine.split(separator: " ").map { UInt8($0, radix: 16)! }
        let encoded = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * Frame.maximumSize, alignment: 8)
        defer { encoded.deallocate() }
        let m = COBS.encode(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), into: encoded)
        XCTAssertEqual(documentedCOBS, Array(encoded[0..<m]) + [0])
    }
}
