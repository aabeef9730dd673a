#if canImport(Glibc)
import Glibc
#endif

/// One frame per UDP datagram. Binds 127.0.0.1 by default (the plant is on the same board);
/// pass `address: "0.0.0.0"` to listen on every interface. The peer is set by `connect(to:port:)`
/// (the controller's side) or adopted by the plant from a valid HELLO (`adoptLastSender`);
/// receiving never changes it, so a stranger's datagram cannot divert the output.
public final class UDPTransport: FrameTransport {
    public let fd: Int32
    /// The bound port (useful when 0 asked for an ephemeral one).
    public let localPort: UInt16
    var peer = sockaddr_in()
    var hasPeer = false
    /// Where the last datagram came from.
    var lastSender = sockaddr_in()

    public init(address: String = "127.0.0.1", port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw TransportError("socket", errno: errno) }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_port = port.bigEndian
        do { local.sin_addr = try Self.ipv4Address(of: address) } catch {
            Glibc.close(fd)
            throw error
        }
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TransportError("bind \(address):\(port)", errno: code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        localPort = UInt16(bigEndian: actual.sin_port)
    }

    /// Sends to `address:port` from now on; `address` is dotted IPv4 or a host name (resolved
    /// here, once: call it before the real-time loop, not in it).
    public func connect(to address: String = "127.0.0.1", port: UInt16) throws {
        let resolved = try Self.ipv4Address(of: address)
        peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = port.bigEndian
        peer.sin_addr = resolved
        hasPeer = true
    }

    /// The IPv4 address of `host`: dotted (192.168.1.20) or a name the resolver knows
    /// (localhost, board.local). Throws a one-line error naming `host` otherwise.
    public static func ipv4Address(of host: String) throws -> in_addr {
        var address = in_addr()
        if inet_pton(AF_INET, host, &address) == 1 { return address }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        guard status == 0, let first = list, let socketAddress = first.pointee.ai_addr else {
            let reason = status == 0 ? "no IPv4 address" : String(cString: gai_strerror(status))
            throw TransportError(description: "cannot resolve the host '\(host)': \(reason)")
        }
        return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
    }

    public func send(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard hasPeer else { return false }
        let n = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, frame.baseAddress, frame.count, Int32(MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return n == frame.count
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMicroseconds: Int) -> Int? {
        guard waitReadable(fd, timeoutMicroseconds: timeoutMicroseconds) else { return nil }
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT | MSG_TRUNC), $0, &length)
            }
        }
        guard n >= 0 else { return nil }
        lastSender = from
        // A datagram longer than the buffer is reported at its full length; the decoder then
        // rejects it as a bad length instead of parsing a cut frame.
        return min(n, buffer.count + 1)
    }

    public var lastFrameFromPeer: Bool {
        hasPeer && lastSender.sin_addr.s_addr == peer.sin_addr.s_addr && lastSender.sin_port == peer.sin_port
    }

    public func adoptLastSender() {
        peer = lastSender
        hasPeer = true
    }

    public func sendToLastSender(_ frame: UnsafeRawBufferPointer) -> Bool {
        let n = withUnsafePointer(to: &lastSender) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, frame.baseAddress, frame.count, Int32(MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return n == frame.count
    }

    public func close() { Glibc.close(fd) }
}
