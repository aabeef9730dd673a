#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Checksum

/// A versioned binary file of named float tensors: network parameters, optimiser moments,
/// checkpoints. Not for the real-time path (it allocates and does file I/O).
///
/// Layout (little-endian throughout):
///
///     "SVGRTPAR"                 8 bytes, magic
///     version                    u32, currently 1
///     file length                u64, every byte of the file, checksum included
///     record count               u32
///     per record:
///       name length, name        u16, UTF-8 bytes
///       rank, shape              u32, rank × u32 (an MLP's shape is its layer sizes)
///       value count, values      u64, count × f32
///     CRC-32C                    u32, of every byte before it
///
/// Writing is atomic: a temporary file beside the target is written, fsynced and renamed over
/// the target, and the directory is fsynced, so a crash leaves the old file or the new one.
/// Reading checks the magic, version, every length against the bytes left, and the checksum.
public struct ParameterArchive: Equatable, Sendable {
    public static let magic: [UInt8] = Array("SVGRTPAR".utf8)
    public static let version: UInt32 = 1

    /// One named tensor.
    public struct Record: Equatable, Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    public var records: [Record]

    public init(records: [Record] = []) { self.records = records }

    /// The record called `name`, or `ParameterArchiveError.missingRecord`.
    public func record(named name: String, in path: String = "<memory>") throws(ParameterArchiveError) -> Record {
        guard let record = records.first(where: { $0.name == name }) else {
            throw .missingRecord(path: path, name: name, available: records.map { $0.name })
        }
        return record
    }

    // MARK: Bytes

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        append(Self.version, to: &bytes)
        let lengthOffset = bytes.count
        append(UInt64(0), to: &bytes)  // patched below
        append(UInt32(records.count), to: &bytes)
        for record in records {
            let name = Array(record.name.utf8)
            append(UInt16(name.count), to: &bytes)
            bytes += name
            append(UInt32(record.shape.count), to: &bytes)
            for size in record.shape { append(UInt32(size), to: &bytes) }
            append(UInt64(record.values.count), to: &bytes)
            for value in record.values { append(value.bitPattern, to: &bytes) }
        }
        let length = UInt64(bytes.count + 4).littleEndian
        withUnsafeBytes(of: length) { for i in 0..<8 { bytes[lengthOffset + i] = $0[i] } }
        append(CRC32C.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Parses a file's bytes; `path` only names the source in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(ParameterArchiveError) -> ParameterArchive {
        var reader = ByteReader(bytes: bytes, path: path)
        let headerSize = magic.count + 4 + 8
        guard bytes.count >= headerSize + 4 + 4 else {
            if bytes.count >= magic.count && Array(bytes[0..<magic.count]) != magic { throw .badMagic(path: path) }
            throw .truncated(path: path, needed: headerSize + 8, available: bytes.count, field: "header")
        }
        guard Array(bytes[0..<magic.count]) == magic else { throw .badMagic(path: path) }
        reader.offset = magic.count
        let version: UInt32 = try reader.read("version")
        guard version == Self.version else { throw .unsupportedVersion(path: path, found: version, supported: Self.version) }
        let length: UInt64 = try reader.read("file length")
        guard UInt64(bytes.count) >= length else {
            throw .truncated(path: path, needed: Int(clamping: length), available: bytes.count, field: "the whole file")
        }
        guard UInt64(bytes.count) == length else { throw .trailingBytes(path: path, count: bytes.count - Int(length)) }
        // The checksum is checked before the records are trusted, so a flipped byte anywhere is
        // reported as such rather than as whatever field it happened to land in.
        let stored = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
            | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }
        guard stored == computed else {
            throw .checksumMismatch(path: path, stored: stored, computed: computed)
        }
        reader.end = bytes.count - 4
        let count: UInt32 = try reader.read("record count")
        var records: [Record] = []
        for index in 0..<Int(count) {
            let nameLength: UInt16 = try reader.read("name length of record \(index)")
            let nameBytes = try reader.readBytes(Int(nameLength), "name of record \(index)")
            let name = String(decoding: nameBytes, as: UTF8.self)
            let rank: UInt32 = try reader.read("rank of record '\(name)'")
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try reader.read("shape of record '\(name)'") as UInt32)) }
            let valueCount: UInt64 = try reader.read("value count of record '\(name)'")
            guard valueCount <= UInt64(reader.end - reader.offset) / 4 else {
                throw .truncated(path: path, needed: Int(clamping: valueCount) * 4,
                                 available: reader.end - reader.offset, field: "values of record '\(name)'")
            }
            var values: [Float] = []
            values.reserveCapacity(Int(valueCount))
            for _ in 0..<valueCount { values.append(Float(bitPattern: try reader.read("values of record '\(name)'"))) }
            records.append(Record(name: name, shape: shape, values: values))
        }
        guard reader.offset == reader.end else {
            throw .trailingBytes(path: path, count: reader.end - reader.offset)
        }
        return ParameterArchive(records: records)
    }

    // MARK: Files

    // File I/O needs a C library (absent on a bare Embedded Swift target, where the archive is bytes only).
    #if canImport(Glibc) || canImport(Musl)
    /// Writes the archive to `path` atomically (temporary file, fsync, rename, fsync directory).
    public func write(to path: String) throws(ParameterArchiveError) {
        let bytes = encoded()
        let temporary = path + ".tmp.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: temporary, operation: "open for writing", errno: errno) }
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return fsync(fd) == 0 ? nil : errno
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw .io(path: temporary, operation: "write", errno: failure)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .io(path: path, operation: "rename into place", errno: code)
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// Reads and verifies the archive at `path`.
    public static func read(from path: String) throws(ParameterArchiveError) -> ParameterArchive {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open for reading", errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return try decode(bytes, path: path)
    }
    #endif
}

private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
}

/// Bounds-checked little-endian reads that name the field that ran out.
private struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0
    lazy var end = bytes.count

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    mutating func read<T: FixedWidthInteger>(_ field: String) throws(ParameterArchiveError) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= end else {
            throw .truncated(path: path, needed: size, available: end - offset, field: field)
        }
        var value: T = 0
        for i in 0..<size { value |= T(bytes[offset + i]) << (8 * i) }
        offset += size
        return value
    }

    mutating func readBytes(_ count: Int, _ field: String) throws(ParameterArchiveError) -> [UInt8] {
        guard offset + count <= end else {
            throw .truncated(path: path, needed: count, available: end - offset, field: field)
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
