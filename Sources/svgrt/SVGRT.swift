import ArgumentParser

@main
struct SVGRT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svgrt",
        abstract: "svg-rt: learn and run continuous-control policies with Stochastic Value Gradients.",
        version: BuildInfo.line,
        subcommands: [Run.self, Train.self, Evaluate.self, TraceReportCommand.self])
}
