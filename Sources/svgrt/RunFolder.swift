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
        guard !path.isEmpty else { throw CommandError("--output is empty: name the run folder") }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw CommandError("cannot create the run folder \(path): \(reason(error))")
        }
    }

    /// The files that mark a folder as holding a run.
    static let runFiles = ["checkpoint.svgp", "curve.csv", "report.md", "config.json"]

    /// Creates the run folder `path` for a run that starts now. If `path` already holds another
    /// run (one of `runFiles`) and is not the folder being resumed, that run is first moved to
    /// `path.1` (or the first free `path.N`), so starting a run never overwrites an earlier one.
    /// Returns where the earlier run went, if it was moved.
    static func prepare(_ path: String, resuming resume: String?) throws -> String? {
        let files = FileManager.default
        var moved: String?
        let holdsRun = runFiles.contains { files.fileExists(atPath: path + "/" + $0) }
        let same = resume.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path
            == URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path } ?? false
        if holdsRun && !same {
            var n = 1
            while files.fileExists(atPath: "\(path).\(n)") { n += 1 }
            let target = "\(path).\(n)"
            do { try files.moveItem(atPath: path, toPath: target) } catch {
                throw CommandError("\(path) holds an earlier run and it cannot be moved to \(target): \(reason(error))")
            }
            moved = target
        }
        try create(path)
        return moved
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
