#if canImport(Glibc)
import Glibc
#endif
import _LinkShims

/// Carries whole frames between the controller and a plant. Real-time safe after `init`:
/// send and receive use the caller's buffers and one syscall each (plus `poll` to bound a wait).
public protocol FrameTransport: AnyObject {
    /// Sends one frame; false if the operating system refused it.
    func send(_ frame: UnsafeRawBufferPointer) -> Bool
    /// Waits up to `timeoutMicroseconds` (0: don't wait) for one frame; returns its length, or
    /// nil when none arrived in time.
    func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMicroseconds: Int) -> Int?
    /// Releases the descriptor.
    func close()
    /// Whether the last frame received came from the peer (a UDP datagram from the address the
    /// transport sends to; always true on a serial line, which has one peer).
    var lastFrameFromPeer: Bool { get }
    /// Makes the sender of the last frame received the peer (a plant, after a valid HELLO).
    func adoptLastSender()
    /// Sends one frame to the sender of the last frame received, peer or not (a refusal).
    func sendToLastSender(_ frame: UnsafeRawBufferPointer) -> Bool
}

extension FrameTransport {
    public var lastFrameFromPeer: Bool { true }
    public func adoptLastSender() {}
    public func sendToLastSender(_ frame: UnsafeRawBufferPointer) -> Bool { send(frame) }
}

/// Why a transport could not be opened.
public struct TransportError: Error, CustomStringConvertible {
    public let description: String
    init(_ what: String, errno code: Int32) {
        description = "\(what): \(String(cString: strerror(code)))"
    }
    init(description: String) { self.description = description }
}

/// Waits until `fd` is readable or the timeout (µs resolution, `ppoll`) passes.
func waitReadable(_ fd: Int32, timeoutMicroseconds: Int) -> Bool {
    svgrt_wait_readable(fd, timeoutMicroseconds) == 1
}

/// CLOCK_MONOTONIC in microseconds. Real-time safe (vDSO, no allocation).
public func monotonicMicroseconds() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return ts.tv_sec * 1_000_000 + ts.tv_nsec / 1000
}
