/// Little-endian writes into a caller's byte buffer. Real-time safe. Writing past the end is a
/// programming error (the encoders size their buffers from `Frame.maximumSize`).
public struct ByteWriter {
    public let base: UnsafeMutableRawPointer
    public let capacity: Int
    public var offset: Int

    public init(_ buffer: UnsafeMutableRawBufferPointer, offset: Int = 0) {
        base = buffer.baseAddress!
        capacity = buffer.count
        self.offset = offset
    }

    @inlinable @inline(__always) public mutating func write<T: FixedWidthInteger>(_ value: T) {
        precondition(offset + MemoryLayout<T>.size <= capacity, "ByteWriter: frame buffer too small")
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }

    public mutating func write(_ value: Float) { write(value.bitPattern) }
    public mutating func write(_ value: Double) { write(value.bitPattern) }
}

/// Little-endian reads from untrusted bytes: every read is bounds-checked and returns nil past
/// the end. Real-time safe.
public struct ByteReader {
    public let base: UnsafeRawPointer
    public let count: Int
    public var offset: Int

    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        count = bytes.count
        self.offset = offset
    }

    public var remaining: Int { count - offset }

    @inlinable public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        guard offset + MemoryLayout<T>.size <= count else { return nil }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    public mutating func readFloat() -> Float? { read(UInt32.self).map(Float.init(bitPattern:)) }
    public mutating func readDouble() -> Double? { read(UInt64.self).map(Double.init(bitPattern:)) }
}
