import Foundation
import _Tracepoints

/// An LTTng user-space tracing session for the `svgrt:*` events, driven through the `lttng`
/// command (lttng-tools). The channel is in discard mode with a read timer: the recommended
/// set-up for real-time tracing (the default blocking wake-up path is not lock-free), with
/// sub-buffers large enough for 100 Hz × a few events per cycle.
public final class TraceSession {
    public let name: String
    public let directory: String

    /// Whether this build has the `svgrt:*` tracepoints (the package trait `LTTng`, on by
    /// default). Without them a session would record nothing.
    public static var tracepointsBuiltIn: Bool { svgrt_trace_available() == 1 }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    @discardableResult
    static func lttng(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lttng"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            throw Failure(description: "cannot run lttng (install lttng-tools): \(error)")
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "lttng \(arguments.joined(separator: " ")) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return output
    }

    /// Starts `lttng-sessiond --daemonize` when no session daemon answers.
    public static func ensureSessionDaemon() throws {
        if (try? lttng(["list"])) != nil { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lttng-sessiond", "--daemonize"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "lttng-sessiond --daemonize failed") }
    }

    /// Creates and starts a session writing to `directory`, recording the `svgrt:*` events of
    /// process `process` (default: this one) only, so another svg-rt running on the machine
    /// does not mix its events in.
    public init(directory: String, name: String = "svgrt-\(getpid())", process: Int32 = getpid()) throws {
        self.name = name
        self.directory = directory
        try Self.ensureSessionDaemon()
        _ = try? Self.lttng(["destroy", name])
        try Self.lttng(["create", name, "--output=\(directory)"])
        try Self.lttng(["enable-channel", "--userspace", "--session=\(name)", "--discard", "--read-timer=200",
                        "--subbuf-size=1M", "--num-subbuf=8", "svgrt"])
        try Self.lttng(["enable-event", "--userspace", "--session=\(name)", "--channel=svgrt", "--filter=$ctx.vpid == \(process)", "svgrt:*"])
        try Self.lttng(["start", name])
        try Self.waitForRegistration(of: process)
    }

    /// Waits until `process`'s tracer has registered with the session daemon: a session records
    /// a process's events only from then on. A process started while a daemon was running
    /// registered before its `main`; one started before the daemon (which `ensureSessionDaemon`
    /// may just have started) registers only when the daemon wakes it, which can take seconds.
    /// Then 200 ms more, for the daemon to push the session to a process that has just registered.
    static func waitForRegistration(of process: Int32, timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try lttng(["list", "--userspace"]).contains("PID: \(process) ") { break }
            guard Date() < deadline else {
                throw Failure(description: "process \(process) did not register with lttng-sessiond within \(Int(timeout)) s (is it built with the LTTng trait?)")
            }
            usleep(50_000)
        }
        usleep(200_000)
    }

    /// Stops the session and closes the trace.
    public func stop() throws {
        try Self.lttng(["stop", name])
        try Self.lttng(["destroy", name])
    }
}
