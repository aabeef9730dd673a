import ArgumentParser
import Foundation
import Runtime
import TraceAnalysis

/// `svgrt trace-report DIR`: latency statistics and histograms from an LTTng trace.
struct TraceReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace-report",
        abstract: "Turn an LTTng trace of a run (svgrt run --trace DIR) into latency statistics and histograms.")

    @Argument(help: "The trace folder (lttng's session output).")
    var directory: String

    @Option(help: "Where to write the histograms (SVG); default: the trace folder.")
    var output: String?

    func run() throws {
        let report = try TraceReport(directory: directory)
        guard report.compute.total > 0 else {
            throw ValidationError("no svgrt:cycle_end events in \(directory): was the session recording `svgrt:*` while svgrt ran?")
        }
        print(report.summary)
        let folder = output ?? directory
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, h) in [("wakeup", report.wakeup), ("compute", report.compute), ("cycle", report.cycle)] {
            let svg = SVGChart.histogram(title: "\(name) latency from the trace, \(h.total) cycles", buckets: h.buckets,
                                         percentiles: [("p50", h.percentile(0.5)), ("p99", h.percentile(0.99)), ("p99.9", h.percentile(0.999))])
            try svg.write(toFile: folder + "/trace-\(name).svg", atomically: true, encoding: .utf8)
        }
        FileHandle.standardError.write("histograms: \(folder)/trace-{wakeup,compute,cycle}.svg\n".data(using: .utf8)!)
    }
}
