import ArgumentParser
import Foundation

/// Creating a run folder and writing its files, with one-line errors that say the path and the
/// cause in words (not Foundation's error dumps).
enum RunFolder {
    /// The POSIX reason behind a Foundation file error, in words.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? any Error).map { $0 as NSError } ?? ns
        if underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
        return ns.localizedDescription
    }

    /// Creates `path` (and its parents) if missing.
    static func create(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw CommandError("cannot create the run folder \(path): \(reason(error))")
        }
    }

    /// Writes `text` to `path` atomically (a temporary file, then a rename).
    static func write(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CommandError("cannot write \(path): \(reason(error))")
        }
    }
}

/// A command that could not do its work: printed as one line, without the usage text that
/// option errors get.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
