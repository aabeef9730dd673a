#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a parameter file could not be read, written or applied; each message names the file and
/// what was expected.
public enum ParameterArchiveError: Error, Equatable, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    case truncated(path: String, needed: Int, available: Int, field: String)
    case badMagic(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case checksumMismatch(path: String, stored: UInt32, computed: UInt32)
    case trailingBytes(path: String, count: Int)
    case missingRecord(path: String, name: String, available: [String])
    case shapeMismatch(path: String, record: String, expected: [Int], found: [Int])
    case valueCountMismatch(path: String, record: String, expected: Int, found: Int)
    /// Values of the right shape that the reader cannot take (`reason` completes "record 'x' …").
    case invalidValues(path: String, record: String, reason: String)

    public var description: String {
        switch self {
        case let .io(path, operation, code):
            #if canImport(Glibc) || canImport(Musl)
            return "\(path): cannot \(operation): \(String(cString: strerror(code)))"
            #else
            return "\(path): cannot \(operation): error \(code)"
            #endif
        case let .truncated(path, needed, available, field):
            return "\(path): file is truncated: \(field) needs \(needed) bytes but only \(available) remain"
        case let .badMagic(path):
            return "\(path): not an svg-rt parameter file (the first 8 bytes are not \"SVGRTPAR\")"
        case let .unsupportedVersion(path, found, supported):
            return "\(path): parameter file version \(found) is not supported (this build reads version \(supported))"
        case let .checksumMismatch(path, stored, computed):
            return "\(path): checksum mismatch (stored CRC-32C 0x\(hex(stored)), computed 0x\(hex(computed))): the file is corrupted"
        case let .trailingBytes(path, count):
            return "\(path): \(count) unexpected bytes after the last record"
        case let .missingRecord(path, name, available):
            return "\(path): no record named '\(name)' (the file has \(available))"
        case let .shapeMismatch(path, record, expected, found):
            return "\(path): record '\(record)' has shape \(found) but this network needs \(expected)"
        case let .valueCountMismatch(path, record, expected, found):
            return "\(path): record '\(record)' holds \(found) values but its shape needs \(expected)"
        case let .invalidValues(path, record, reason):
            return "\(path): record '\(record)' \(reason)"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
