/// Per-peer check that sequence numbers only move forward (serial-number arithmetic, so the
/// 32-bit counter may wrap). Real-time safe.
public struct SequenceTracker: Sendable {
    public private(set) var last: UInt32?

    public init() {}

    /// Accepts `sequence` if it is newer than the last accepted one.
    public mutating func accept(_ sequence: UInt32) -> FrameRejection? {
        if let last {
            if sequence == last { return .duplicateSequence }
            if Int32(bitPattern: sequence &- last) < 0 { return .outOfOrderSequence }
        }
        last = sequence
        return nil
    }

    /// Forgets the peer's sequence (a HELLO starts a new conversation: the peer may have restarted).
    public mutating func restart() { last = nil }
}

/// Frames sent and received, and received frames dropped by reason. Real-time safe to update.
public struct LinkCounters: Sendable, Equatable {
    public var sent = 0
    public var received = 0
    public var accepted = 0
    /// Dropped frames by `FrameRejection.rawValue`.
    public var rejected = [Int](repeating: 0, count: FrameRejection.allCases.count)
    public var timeouts = 0
    public var retransmissions = 0
    /// A plant's: resets because its state stopped being finite.
    public var divergedResets = 0

    public init() {}

    public mutating func count(_ reason: FrameRejection) { rejected[reason.rawValue] += 1 }
    public func count(of reason: FrameRejection) -> Int { rejected[reason.rawValue] }
    public var totalRejected: Int { rejected.reduce(0, +) }

    /// "sent 1000 recv 998 ok 990 drop: bad CRC 5, duplicate 3"
    public var summary: String {
        let drops = FrameRejection.allCases.filter { rejected[$0.rawValue] > 0 }.map { "\($0.label) \(rejected[$0.rawValue])" }
        return "sent \(sent) received \(received) accepted \(accepted) timeouts \(timeouts) retransmitted \(retransmissions)"
            + (drops.isEmpty ? "" : " rejected: " + drops.joined(separator: ", "))
    }
}
