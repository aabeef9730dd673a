#if canImport(Glibc)
import Glibc
#endif

/// Frames over a serial line (a UART, a USB CDC port, or a pty in tests), COBS-encoded and
/// 0x00-delimited. Bytes between delimiters that do not decode are dropped and the receiver
/// resynchronises at the next zero; the frame decoder then checks the rest.
public final class SerialTransport: FrameTransport {
    public let fd: Int32
    let encoded: UnsafeMutableRawBufferPointer
    let pending: UnsafeMutableRawBufferPointer  // bytes received, not yet up to a delimiter
    var pendingCount = 0
    /// Blocks between delimiters that were not valid COBS or too long.
    public private(set) var framingErrors = 0

    /// Opens the serial device at `path` in raw mode (no echo, no line editing, 8 bits); anything
    /// that is not a character device (a regular file, a folder) is refused before it is opened.
    public convenience init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw TransportError("open \(path)", errno: errno) }
        guard info.st_mode & S_IFMT == S_IFCHR else {
            throw TransportError(description: "\(path) is not a serial device (a character device such as /dev/ttyUSB0, /dev/ttyACM0 or a pty)")
        }
        let fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw TransportError("open \(path)", errno: errno) }
        try self.init(fileDescriptor: fd)
    }

    /// Uses an open descriptor (e.g. one side of a pty pair) and puts it in raw mode.
    public init(fileDescriptor: Int32) throws {
        fd = fileDescriptor
        var settings = termios()
        if tcgetattr(fd, &settings) == 0 {
            cfmakeraw(&settings)
            _ = tcsetattr(fd, TCSANOW, &settings)
        }
        let capacity = COBS.maximumEncodedSize(Frame.maximumSize) + 1
        encoded = .allocate(byteCount: capacity, alignment: 8)
        pending = .allocate(byteCount: 4 * capacity, alignment: 8)
    }

    deinit {
        encoded.deallocate()
        pending.deallocate()
    }

    public func send(_ frame: UnsafeRawBufferPointer) -> Bool {
        var n = COBS.encode(frame, into: encoded)
        encoded[n] = 0
        n += 1
        var written = 0
        while written < n {
            let w = write(fd, encoded.baseAddress! + written, n - written)
            if w < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            written += w
        }
        return true
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMicroseconds: Int) -> Int? {
        if let length = nextFrame(into: buffer) { return length }
        let deadline = monotonicMicroseconds() + timeoutMicroseconds
        while true {
            let left = deadline - monotonicMicroseconds()
            guard waitReadable(fd, timeoutMicroseconds: max(0, left)) else { return nil }
            if pendingCount == pending.count {  // a full buffer without a delimiter is garbage
                pendingCount = 0
                framingErrors += 1
            }
            let n = read(fd, pending.baseAddress! + pendingCount, pending.count - pendingCount)
            if n <= 0 { return nil }
            pendingCount += n
            if let length = nextFrame(into: buffer) { return length }
            if left <= 0 { return nil }
        }
    }

    /// Cuts the first delimited block out of `pending` and decodes it.
    func nextFrame(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        while true {
            var end = -1
            for i in 0..<pendingCount where pending[i] == 0 { end = i; break }
            if end < 0 { return nil }
            let block = UnsafeRawBufferPointer(rebasing: pending[0..<end])
            let decoded = end == 0 ? nil : COBS.decode(block, into: buffer)
            // Shift the rest down (frames are small; this is a memmove of at most a few KB).
            let rest = pendingCount - end - 1
            if rest > 0 { memmove(pending.baseAddress!, pending.baseAddress! + end + 1, rest) }
            pendingCount = rest
            if let decoded { return decoded }
            if end > 0 { framingErrors += 1 }
        }
    }

    public func close() { Glibc.close(fd) }
}
