import Foundation

/// Why firmware-sim could not be started.
public struct FirmwareLaunchError: Error, CustomStringConvertible {
    public let description: String
}

/// firmware-sim started as a child process, as a controller on a board would find it: used by
/// `svgrt run` (unless it connects to a board), `rtsan-check` and the tests.
public final class FirmwareProcess: @unchecked Sendable {
    public let process = Process()
    let stderr = Pipe()
    public private(set) var port: UInt16 = 0
    private var output = ""
    private let lock = NSLock()

    /// The firmware-sim built next to the running executable (svgrt, rtsan-check or a test bundle).
    public static var executable: URL {
        let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return me.deletingLastPathComponent().appendingPathComponent("firmware-sim")
    }

    /// Starts firmware-sim (`executable`, default: next to this bundle) with `arguments` and
    /// waits for its "serving" line.
    public init(_ arguments: [String], executable: URL = FirmwareProcess.executable) throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw FirmwareLaunchError(description: "firmware-sim not found at \(executable.path): build it (swift build -c release) or say where it is")
        }
        process.executableURL = executable
        process.arguments = arguments.contains("--status-interval") ? arguments : arguments + ["--status-interval", "0"]
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            guard let self else { return }
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self.lock.lock(); self.output += text; self.lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains("serving") }) {
                if let range = line.range(of: #":(\d+),"#, options: .regularExpression) {
                    port = UInt16(line[range].dropFirst().dropLast())!
                }
                return
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        // It exited (or is stopped here): its last words may still be in the pipe, not yet
        // seen by the handler, so read the pipe to its end before quoting them.
        finish()
        let lines = log.split(separator: "\n")
        throw FirmwareLaunchError(description: "firmware-sim did not start: \(lines.first { $0.hasPrefix("Error:") } ?? lines.last ?? "no output within 10 s")")
    }

    public var log: String {
        lock.lock(); defer { lock.unlock() }
        return output
    }

    /// Its "serving" line (where it listens, what it serves).
    public var servingLine: String { log.split(separator: "\n").first { $0.contains("serving") }.map(String.init) ?? "" }

    /// Its summary line, once stopped.
    public var summaryLine: String { log.split(separator: "\n").last { $0.hasPrefix("firmware-sim summary:") }.map(String.init) ?? "" }

    /// Stops it with SIGTERM and returns its summary counters.
    @discardableResult
    public func stop() -> [String: Int] {
        finish(settle: true)
        guard let line = log.split(separator: "\n").last(where: { $0.hasPrefix("firmware-sim summary:") }) else { return [:] }
        var counters: [String: Int] = [:]
        for pair in line.split(separator: " ") {
            let kv = pair.split(separator: "=")
            if kv.count == 2, let value = Int(kv[1]) { counters[String(kv[0])] = value }
        }
        return counters
    }

    /// Stops it with SIGTERM if it still runs, waits for it, and moves what is left in its stderr
    /// pipe into `log` (`settle`: first give the handler 50 ms to deliver what it is reading).
    private func finish(settle: Bool = false) {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        if settle { usleep(50_000) }
        stderr.fileHandleForReading.readabilityHandler = nil
        let rest = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        lock.lock(); output += rest; lock.unlock()
    }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }
}
