/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF):
/// the checksum of parameter files and of wire-protocol frames. Check value: CRC-32C of the ASCII
/// bytes "123456789" is 0xE3069283 (tested).
///
/// Table-driven, one byte per step. The 1 KiB table is built on first use (warm it up with one
/// call before entering real time); after that, real-time safe: no allocation, no lock.
public enum CRC32C {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// Continues a running CRC over `count` bytes. Start with `0`; the result is final as is.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawPointer, count: Int) -> UInt32 {
        var c = ~crc
        table.withUnsafeBufferPointer { t in
            let p = bytes.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { c = t[Int((c ^ UInt32(p[i])) & 0xFF)] ^ (c >> 8) }
        }
        return ~c
    }

    /// CRC-32C of a byte buffer.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return update(0, base, count: bytes.count)
    }

    /// CRC-32C of an array of bytes (not for the real-time path: convenience for files and tests).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
