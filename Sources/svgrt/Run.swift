import ArgumentParser
import Foundation
import Learn
import Link
import Net
import Plants
import Runtime
import Synchronization
import TraceAnalysis
import Training
import _RuntimeShims

nonisolated(unsafe) var runInterrupted: sig_atomic_t = 0

/// A closure run on a plain pthread.
final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

func startThread(_ body: @escaping () -> Void) -> UInt {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread: UInt = 0
    let result = svgrt_start_thread({ context in
        let box = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
        box.body()
    }, box, &thread)
    precondition(result == 0, "pthread_create failed: \(result)")
    return thread
}

/// `svgrt run`: controls a plant over the wire at the control rate while SVG(1)-ER learns on
/// another thread; one progress line per episode; a report at the end.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Control a plant in real time over the wire while learning online (SVG(1)-ER).",
        discussion: """
            By default it starts firmware-sim (pendulum, real time, loopback UDP) next to this executable, \
            controls it at 100 Hz and learns for --duration seconds. Ctrl-C stops cleanly. The report \
            (learning curve and latency histograms as SVG, CSVs, checkpoint) goes to --output.
            """)

    @Option(help: "Plant to control: \(PlantRegistry.names.joined(separator: ", ")).")
    var plant = "pendulum"

    @Option(help: "Connect to a running plant at HOST:PORT instead of starting firmware-sim.")
    var connect: String?

    @Option(help: "firmware-sim executable (default: next to svgrt).")
    var firmware: String?

    @Option(help: "UDP port for the started firmware-sim (0: any free port).")
    var port: UInt16 = 0

    @Option(help: "Control rate, Hz (firmware-sim ticks at the same rate).")
    var rate = 100.0

    @Option(help: "Seconds to run (Ctrl-C stops earlier).")
    var duration = 120.0

    @Option(help: "SVG(1)-ER updates per control step, at most (pendulum: 1 learned fastest; the learner sustains more).")
    var updatesPerStep = 1

    @Option(help: "Actuator noise schedule SECONDS:FRACTION,… e.g. 0:0.05,60:0.25 (fraction of the actuator range).")
    var actuatorNoise: String?

    @Option(help: "Actuator gain schedule SECONDS:GAIN,… e.g. 0:1,60:0.6.")
    var actuatorGain: String?

    @OptionGroup var regularisation: PolicyRegularisationOptions

    @Option(help: "Seconds between evaluations of the published policy (in-process, from the reference starts).")
    var evaluationInterval = 5.0

    @Option(help: "Seconds between checkpoints (0: only at the end).")
    var checkpointEvery = 60.0

    @Option(help: "Resume from a run folder's checkpoint.svgp.")
    var resume: String?

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    @Option(help: "CPU to pin the control thread to (default: the last one).")
    var cpu: Int32?

    @Option(help: "Record an LTTng trace of the run into this folder (then: svgrt trace-report FOLDER).")
    var trace: String?

    @Option(help: "Output folder for the report.")
    var output = "runs/online"

    func log(_ line: String) { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }

    /// "0:0.05,60:0.25" → [(0, 0.05), (60, 0.25)].
    func parseSchedule(_ text: String?, name: String) throws -> [(Double, Double)] {
        guard let text else { return [] }
        return try text.split(separator: ",").map { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let t = Double(parts[0]), let v = Double(parts[1]), t >= 0, v.isFinite else {
                throw ValidationError("--\(name): '\(item)' is not SECONDS:VALUE (e.g. 60:0.25)")
            }
            return (t, v)
        }
    }

    func run() throws {
        let noise = try parseSchedule(actuatorNoise, name: "actuator-noise")
        let gain = try parseSchedule(actuatorGain, name: "actuator-gain")
        var configuration = TrainingConfiguration.defaults(for: plant)
        configuration.seed = seed
        configuration.warmupSteps = .max  // the learner thread decides when to update
        // The control thread plays the learner's latest policy; no averaged copy is kept online.
        configuration.policyAveraging = nil
        try regularisation.apply(to: &configuration)
        let trainer = try Trainer(configuration)
        if let resume {
            try trainer.restore(from: resume + "/checkpoint.svgp")
            log("svgrt run: resumed the policy, model, critic and \(trainer.replay.count) replayed transitions from \(resume)")
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)

        // The plant: firmware-sim as a child process, or a board at --connect.
        var child: Process?
        let firmwareLog = Pipe()
        var host = "127.0.0.1", plantPort = port
        if let connect {
            let parts = connect.split(separator: ":")
            guard parts.count == 2, let p = UInt16(parts[1]) else { throw ValidationError("--connect wants HOST:PORT") }
            host = String(parts[0]); plantPort = p
        } else {
            let executable = firmware ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent("firmware-sim").path
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw ValidationError("firmware-sim not found at \(executable): build it (swift build -c release) or pass --firmware / --connect")
            }
            let schedule: [String] = noise.map { "\($0.0):noise=\($0.1)" } + gain.map { "\($0.0):gain=\($0.1)" }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--plant", plant, "--mode", "realtime", "--tick-rate", "\(rate)", "--port", "\(port)",
                                 "--status-interval", "0", "--seed", "\(seed)"] + (schedule.isEmpty ? [] : ["--schedule", schedule.joined(separator: ",")])
            process.standardError = firmwareLog
            try process.run()
            child = process
            // Its first line names the port.
            var line = ""
            let handle = firmwareLog.fileHandleForReading
            while !line.contains("\n") {
                let data = handle.availableData
                if data.isEmpty { break }
                line += String(decoding: data, as: UTF8.self)
            }
            guard let range = line.range(of: #":(\d+),"#, options: .regularExpression) else {
                throw ValidationError("firmware-sim did not start: \(line)")
            }
            plantPort = UInt16(line[range].dropFirst().dropLast())!
            log("svgrt run: " + line.split(separator: "\n")[0])
        }
        defer { if let child, child.isRunning { child.terminate() } }

        let S = trainer.plant.observationSize, A = trainer.plant.actionSize
        let transport = try UDPTransport(port: 0)
        transport.connect(to: host, port: plantPort)
        let client = PlantClient(transport: transport, observationSize: S, actionSize: A, timeoutMicroseconds: 200_000, attempts: 25)
        let description = try client.handshake()
        log("svgrt run: connected to '\(description.name)' (\(S) observations, \(A) actions, \(description.mode))")

        // Hand-offs and the two threads.
        let record = TransitionRecord(stateSize: S, actionSize: A)
        let ring = SPSCRing(minimumCapacity: 16_384, width: record.width)
        let parameterCount = trainer.policy.publishedCount
        let toControl = TripleBuffer(count: parameterCount), toMonitor = TripleBuffer(count: parameterCount)
        var options = Learner.Options()
        options.updatesPerStep = updatesPerStep
        let controlCPU = cpu ?? (svgrt_cpu_count() > 1 ? svgrt_cpu_count() - 1 : nil)
        // The learner on another core than the control thread ("preferably the other core").
        if let controlCPU, svgrt_cpu_count() > 1 { options.cpu = controlCPU == 0 ? 1 : 0 }
        let learner = Learner(options: options, svg: trainer.svg1er, ring: ring, published: [toControl, toMonitor])
        let checkpointPath = output + "/checkpoint.svgp"
        learner.checkpoint = { try? trainer.writeCheckpoint(to: checkpointPath) }

        let low = trainer.plant.actionLow.map(Float.init), high = trainer.plant.actionHigh.map(Float.init)
        // Same sizes, squash and σ kind as the learner's policy; the parameters come through the hand-off.
        let controlPolicy = GaussianPolicy(copying: trainer.policy, maxBatch: 1)
        let monitorPolicy = GaussianPolicy(copying: trainer.policy, maxBatch: 1)
        var controlOptions = ControlLoop.Options()
        controlOptions.periodNanoseconds = Int(1e9 / rate)
        controlOptions.senseWaitMicroseconds = Int(0.8e6 / rate)
        controlOptions.seed = seed ^ 0xAC7
        controlOptions.cpu = controlCPU
        let control = ControlLoop(options: controlOptions, client: client, policy: controlPolicy, parameters: toControl, ring: ring,
                                  safety: SafetyChain(low: low, high: high))

        signal(SIGINT) { _ in runInterrupted = 1 }
        signal(SIGTERM) { _ in runInterrupted = 1 }
        var session: TraceSession?
        if let trace {
            session = try TraceSession(directory: trace)
            usleep(200_000)
            log("svgrt run: tracing svgrt:* into \(trace) (discard mode)")
        }
        let learnerThread = startThread { learner.run() }
        while learner.version.load(ordering: .acquiring) == 0 { usleep(1000) }
        // The policy control starts from (version 1: the restored one with --resume).
        if toMonitor.takeNewest() != nil {
            monitorPolicy.copyPublished(toMonitor.readBlock)
            log(String(format: "svgrt run: control starts from policy v1, fingerprint %08x (CRC-32C of its parameters)",
                       monitorPolicy.parameterFingerprint()))
        }
        let controlThread = startThread { control.run() }
        while !control.setUpDone.load(ordering: .acquiring) { usleep(1000) }
        log("svgrt run: control thread: \(control.setupReport)"
            + (control.setupReport.contains("refused") || control.setupReport.contains("failed") ? " (warning: timing will suffer)" : ""))
        let start = Date()
        log("svgrt run: learning online at \(Int(rate)) Hz for \(Int(duration)) s, \(updatesPerStep) updates per step at most; Ctrl-C stops")

        // The monitor: progress lines, evaluations, checkpoints. Not real time.
        var episodes: [(time: Double, episode: Int, value: Double)] = []
        var evaluations: [(time: Double, value: Double)] = []
        var modelLoss: [(time: Double, value: Double)] = []
        var lastEvaluation = 0.0, lastCheckpoint = 0.0, lastUpdates = 0, lastUpdateTime = 0.0, lastLossSample = 0.0
        var updatesPerSecond = 0.0
        let reportRow = UnsafeMutablePointer<Float>.allocate(capacity: EpisodeReport.width)
        defer { reportRow.deallocate() }
        func evaluateNow(_ t: Double) {
            guard let _ = toMonitor.takeNewest() else { return }
            monitorPolicy.copyPublished(toMonitor.readBlock)
            let value = Evaluation.meanReturn(policy: monitorPolicy, plant: PlantRegistry.make(plant)!)
            evaluations.append((t, value))
            log(String(format: "  evaluation at %.0f s: %.1f (deterministic policy, reference starts)", t, value))
        }
        while runInterrupted == 0 {
            let t = Date().timeIntervalSince(start)
            if t >= duration { break }
            while control.progress.pop(into: reportRow) {
                let episode = Int(reportRow[0]), value = Double(reportRow[1])
                if reportRow[10] != 0 {
                    log(String(format: "episode %4d  t %6.1f s  closed after %d steps: the plant went silent (sending the safe action)",
                               episode, t, Int(reportRow[2])))
                    continue
                }
                episodes.append((t, episode, value))
                log(String(format: "episode %4d  t %6.1f s  return %8.1f  steps %4d  p99 compute %@  p99 wakeup %@  misses %d  ring drops %d  updates/s %5.0f  policy v%d (age %d cycles)",
                           episode, t, value, Int(reportRow[2]), format(Int(reportRow[3])), format(Int(reportRow[4])),
                           Int(reportRow[5]), Int(reportRow[6]), updatesPerSecond, Int(reportRow[7]), Int(reportRow[9])))
            }
            if t - lastUpdateTime >= 1 {
                let u = learner.updates.load(ordering: .relaxed)
                updatesPerSecond = Double(u - lastUpdates) / (t - lastUpdateTime)
                lastUpdates = u; lastUpdateTime = t
            }
            if t - lastLossSample >= 0.5 {
                modelLoss.append((t, Double(Float(bitPattern: learner.modelLossBits.load(ordering: .relaxed)))))
                lastLossSample = t
            }
            if t - lastEvaluation >= evaluationInterval { evaluateNow(t); lastEvaluation = t }
            if checkpointEvery > 0 && t - lastCheckpoint >= checkpointEvery {
                learner.checkpointRequested.store(true, ordering: .releasing)
                lastCheckpoint = t
            }
            usleep(50_000)
        }
        let elapsed = Date().timeIntervalSince(start)
        control.stop()
        _ = svgrt_join_thread(controlThread)
        learner.stop()
        _ = svgrt_join_thread(learnerThread)
        client.bye()
        if let session, let trace {
            try session.stop()
            log("svgrt run: trace in \(trace); svgrt trace-report \(trace) summarises it")
        }
        evaluateNow(elapsed)
        try trainer.writeCheckpoint(to: checkpointPath)
        var firmwareSummary = ""
        if let child {
            child.terminate()
            child.waitUntilExit()
            firmwareSummary = String(decoding: firmwareLog.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(separator: "\n").filter { $0.contains("summary") }.joined(separator: "\n")
        }
        let changes = noise.filter { $0.0 > 0 }.map { ($0.0, "noise \($0.1)") } + gain.filter { $0.0 > 0 }.map { ($0.0, "gain \($0.1)") }
        try RunReport(output: output, plant: plant, rate: rate, elapsed: elapsed, control: control, learner: learner,
                      episodes: episodes, evaluations: evaluations, modelLoss: modelLoss, changes: changes,
                      client: client, firmwareSummary: firmwareSummary).write()
        log("svgrt run: report in \(output)/report.md (learning-curve.svg, latency-*.svg, CSVs, checkpoint.svgp)")
    }
}
