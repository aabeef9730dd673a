import Checksum

/// The frame every message travels in (docs/protocol.md). Little-endian:
///
///     offset  size  field
///     0       2     magic 0x5653 (bytes 'S' 'V')
///     2       1     version (1)
///     3       1     message type
///     4       2     flags
///     6       4     sequence number (per sender, +1 per frame)
///     10      8     plant time, microseconds since the plant's start
///     18      2     payload length N (≤ 1,024)
///     20      N     payload
///     20 + N  4     CRC-32C of bytes 0 ..< 20 + N
public enum Frame {
    public static let magic: UInt16 = 0x5653
    public static let version: UInt8 = 1
    public static let headerSize = 20
    public static let checksumSize = 4
    public static let maximumPayload = 1024
    public static let maximumSize = headerSize + maximumPayload + checksumSize
}

/// Message types (docs/protocol.md § Messages).
public enum MessageType: UInt8, Sendable, CaseIterable {
    case hello = 1, sense = 2, act = 3, reset = 4, fault = 5, bye = 6, configure = 7
}

/// Header flag bits.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// SENSE: the episode ended with this observation (terminated, see `terminated`, or out of steps).
    public static let episodeEnd = FrameFlags(rawValue: 1 << 0)
    /// SENSE: the firmware's watchdog tripped; actuators are at zero.
    public static let watchdogTripped = FrameFlags(rawValue: 1 << 1)
    /// SENSE: the observation is not fresh (a stuck or dropped sensor reading is repeated).
    public static let staleObservation = FrameFlags(rawValue: 1 << 2)
    /// SENSE: first observation after a RESET.
    public static let episodeStart = FrameFlags(rawValue: 1 << 3)
    /// SENSE: a FAULT is active on the firmware.
    public static let faultActive = FrameFlags(rawValue: 1 << 4)
    /// SENSE (with `episodeEnd`): the episode ended in a terminal state (a fall; gymnasium's
    /// `terminated`), so no value is bootstrapped past this observation. `episodeEnd` without it
    /// is a truncation (the time limit): the observation's value still counts.
    public static let terminated = FrameFlags(rawValue: 1 << 5)
}

/// A decoded, checksum-verified header; the payload is `payloadLength` bytes from offset 20.
public struct FrameHeader: Sendable, Equatable {
    public var type: MessageType
    public var flags: FrameFlags
    public var sequence: UInt32
    public var plantTimeMicroseconds: UInt64
    public var payloadLength: Int

    public init(type: MessageType, flags: FrameFlags = [], sequence: UInt32, plantTimeMicroseconds: UInt64, payloadLength: Int = 0) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.plantTimeMicroseconds = plantTimeMicroseconds
        self.payloadLength = payloadLength
    }
}

/// Why a received frame was dropped. Every reason has its own counter (`LinkCounters`).
public enum FrameRejection: Int, Error, Sendable, CaseIterable {
    case truncated, badMagic, badVersion, badType, badLength, badChecksum
    case nonFiniteValue, malformedPayload, duplicateSequence, outOfOrderSequence, unexpectedMessage
    /// A well-formed request whose value is outside what it may be (a CONFIGURE value, a RESET state).
    case outOfRange
    /// A datagram from an address other than the peer that completed the handshake.
    case foreignSender

    /// The reason as one word, for key=value summaries ("bad_crc").
    public var key: String {
        var out = ""
        for c in label.unicodeScalars { out.unicodeScalars.append(c == " " || c == "/" ? "_" : c) }
        return out.lowercased()
    }

    public var label: String {
        switch self {
        case .truncated: "truncated"
        case .badMagic: "bad magic"
        case .badVersion: "bad version"
        case .badType: "bad type"
        case .badLength: "bad length"
        case .badChecksum: "bad CRC"
        case .nonFiniteValue: "NaN/Inf value"
        case .malformedPayload: "malformed payload"
        case .duplicateSequence: "duplicate"
        case .outOfOrderSequence: "out of order"
        case .unexpectedMessage: "unexpected message"
        case .outOfRange: "out of range"
        case .foreignSender: "foreign sender"
        }
    }
}

extension Frame {
    /// Writes header, payload (by `body`) and checksum into `buffer`; returns the frame length.
    /// Real-time safe.
    @inlinable
    public static func encode(
        _ header: FrameHeader, into buffer: UnsafeMutableRawBufferPointer, body: (inout ByteWriter) -> Void
    ) -> Int {
        var writer = ByteWriter(buffer, offset: headerSize)
        body(&writer)
        let payloadLength = writer.offset - headerSize
        precondition(payloadLength <= maximumPayload, "Frame.encode: payload of \(payloadLength) bytes")
        var head = ByteWriter(buffer)
        head.write(magic)
        head.write(version)
        head.write(header.type.rawValue)
        head.write(header.flags.rawValue)
        head.write(header.sequence)
        head.write(header.plantTimeMicroseconds)
        head.write(UInt16(payloadLength))
        let crc = CRC32C.update(0, UnsafeRawPointer(buffer.baseAddress!), count: headerSize + payloadLength)
        writer.write(crc)
        return writer.offset
    }

    /// Checks magic, version, type, length and checksum of one received frame. Never traps on
    /// any input; real-time safe.
    public static func decodeHeader(_ bytes: UnsafeRawBufferPointer) -> Result<FrameHeader, FrameRejection> {
        var reader = ByteReader(bytes)
        guard bytes.count >= headerSize + checksumSize else { return .failure(.truncated) }
        guard reader.read(UInt16.self) == magic else { return .failure(.badMagic) }
        guard reader.read(UInt8.self) == version else { return .failure(.badVersion) }
        guard let type = MessageType(rawValue: reader.read(UInt8.self)!) else { return .failure(.badType) }
        let flags = FrameFlags(rawValue: reader.read(UInt16.self)!)
        let sequence = reader.read(UInt32.self)!
        let time = reader.read(UInt64.self)!
        let length = Int(reader.read(UInt16.self)!)
        guard length <= maximumPayload else { return .failure(.badLength) }
        let total = headerSize + length + checksumSize
        guard bytes.count >= total else { return .failure(.truncated) }
        guard bytes.count == total else { return .failure(.badLength) }
        var tail = ByteReader(bytes, offset: headerSize + length)
        let stored = tail.read(UInt32.self)!
        guard stored == CRC32C.update(0, bytes.baseAddress!, count: headerSize + length) else { return .failure(.badChecksum) }
        return .success(FrameHeader(type: type, flags: flags, sequence: sequence, plantTimeMicroseconds: time, payloadLength: length))
    }

    /// A reader positioned at the payload of a frame whose header decoded.
    public static func payload(of bytes: UnsafeRawBufferPointer, _ header: FrameHeader) -> ByteReader {
        ByteReader(UnsafeRawBufferPointer(rebasing: bytes[headerSize..<(headerSize + header.payloadLength)]))
    }
}
