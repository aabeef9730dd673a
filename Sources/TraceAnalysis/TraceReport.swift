import Foundation
import Runtime

/// Reads an LTTng trace of `svgrt:*` events (through `babeltrace2`'s text output) and turns the
/// control cycles into latency statistics and histograms.
public struct TraceReport {
    public var cycles: [Int] = []
    public let wakeup = LatencyHistogram(), compute = LatencyHistogram(), cycle = LatencyHistogram()
    public var counts: [String: Int] = [:]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses babeltrace2's text lines (one event per line).
    public init(text: String) {
        for line in text.split(separator: "\n") {
            guard let nameRange = line.range(of: "svgrt:") else { continue }
            let name = line[nameRange.upperBound...].prefix { $0 != ":" && $0 != " " }
            counts[String(name), default: 0] += 1
            guard name == "cycle_end" else { continue }
            func field(_ key: String) -> Int? {
                guard let r = line.range(of: key + " = ") else { return nil }
                return Int(line[r.upperBound...].prefix { $0 == "-" || $0.isNumber })
            }
            if let c = field("cycle"), let w = field("wakeup_ns"), let p = field("compute_ns"), let t = field("cycle_ns") {
                cycles.append(c)
                wakeup.record(w)
                compute.record(p)
                cycle.record(t)
            }
        }
    }

    /// Reads the trace in `directory` with babeltrace2. A folder with no CTF `metadata` file in
    /// it (no trace), or a trace babeltrace2 cannot read, is refused in one line.
    public init(directory: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure(description: "\(directory) is not a folder: give the trace folder `svgrt run --trace DIR` recorded")
        }
        let holdsMetadata = FileManager.default.enumerator(atPath: directory)?.contains { ($0 as? String).map { ($0 as NSString).lastPathComponent == "metadata" } ?? false } ?? false
        guard holdsMetadata else {
            throw Failure(description: "\(directory) holds no LTTng trace (no CTF metadata file in it): record one with `svgrt run --trace DIR`")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["babeltrace2", directory]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        do { try process.run() } catch { throw Failure(description: "cannot run babeltrace2 (install babeltrace2): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            // babeltrace2 explains a failure in many lines; its first error-level log line
            // ("MM-DD time pid tid E COMPONENT function@file:line [object] what") names the cause.
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let firstError = lines.lazy.compactMap { line -> String? in
                let fields = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: true)
                guard fields.count == 8, fields[4] == "E" else { return nil }
                return fields[7].hasPrefix("[") ? String(fields[7].drop { $0 != "]" }.dropFirst()).trimmingCharacters(in: .whitespaces) : String(fields[7])
            }.first
            let cause = firstError ?? lines.last ?? "no message"
            throw Failure(description: "babeltrace2 could not read the trace in \(directory) (exit \(process.terminationStatus)): \(cause)")
        }
        self.init(text: String(decoding: data, as: UTF8.self))
    }

    public var summary: String {
        var lines = ["events: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
        lines.append("| latency | min | p50 | p99 | p99.9 | max |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for (name, h) in [("wakeup", wakeup), ("compute (SENSE → ACT)", compute), ("cycle", cycle)] where h.total > 0 {
            lines.append("| \(name) | \(format(h.minimum)) | \(format(h.percentile(0.5))) | \(format(h.percentile(0.99))) | \(format(h.percentile(0.999))) | \(format(h.maximum)) |")
        }
        return lines.joined(separator: "\n")
    }
}
