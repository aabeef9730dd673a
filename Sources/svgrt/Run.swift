import ArgumentParser
import FirmwareLauncher
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

/// `svgrt run`: controls a plant over the wire at the control rate while a replay agent
/// (SVG(1)-ER by default) learns on another thread (`OnlineSession`); one progress line per
/// episode; a report at the end.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Control a plant in real time over the wire while learning online.",
        discussion: """
            By default it starts firmware-sim (pendulum, real time, loopback UDP) next to this executable, \
            controls it at 100 Hz and learns for --duration seconds. Ctrl-C stops cleanly. The report \
            (learning curve and latency histograms as SVG, CSVs, checkpoint) goes to --output. The \
            algorithm and its options are those of `svgrt train`; online, the agent must learn after \
            every step (svg1-er, svg0, sac-svg).
            """)

    @OptionGroup var folder: RunFolderOptions
    @OptionGroup var agent: AgentOptions

    @Option(help: "Connect to a running plant at HOST:PORT instead of starting firmware-sim.")
    var connect: String?

    @Option(help: "firmware-sim executable (default: next to svgrt).")
    var firmware: String?

    @Option(parsing: .unconditional, help: "UDP port for the started firmware-sim (0: any free port).")
    var port: UInt16 = 0

    @Option(parsing: .unconditional, help: "Control rate, Hz (firmware-sim ticks at the same rate).")
    var rate = 100.0

    @Option(parsing: .unconditional, help: "Seconds to run (Ctrl-C stops earlier).")
    var duration = 120.0

    @Option(help: "Actuator noise: FRACTION of the actuator range, or a schedule SECONDS:FRACTION,… e.g. 0:0.05,60:0.25.")
    var actuatorNoise: String?

    @Option(help: "Actuator gain: GAIN, or a schedule SECONDS:GAIN,… e.g. 0:1,60:0.6.")
    var actuatorGain: String?

    @Option(parsing: .unconditional, help: "One weak actuator (its index), whose own gain --weak-actuator-gain sets (the paper's weak motor).")
    var weakActuator: Int?

    @Option(help: "The weak actuator's gain: GAIN, or a schedule SECONDS:GAIN,… e.g. 0:1,60:0.6.")
    var weakActuatorGain: String?

    @Option(parsing: .unconditional, help: "Environment steps of the from-scratch training under each change's new conditions, the level adaptation is measured against (0: none; default: the plant's training budget).")
    var yardstickSteps: Int?

    @Option(parsing: .unconditional, help: "Seconds of wall time between evaluations of the published policy (in-process).")
    var evaluateEvery = 5.0

    @Option(parsing: .unconditional, help: "Play every Nth episode on the plant with the mean action alone, as an evaluation (0: never; default 10 for a board run with no --plant, which has no in-process copy to evaluate on, else 0). Its steps are not learned from.")
    var evaluationEpisodeEvery: Int?
    /// `--evaluation-episode-every`'s value for a board known only by its HELLO (else 0).
    static let boardEvaluationEpisodeEvery = 10

    @Option(parsing: .unconditional, help: "CPU to pin the control thread to (default: the last one).")
    var cpu: Int32?

    @Option(help: "Record an LTTng trace of the run into this folder (then: svgrt trace-report FOLDER).")
    var trace: String?

    func log(_ line: String) { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }

    func validate() throws {
        if trace != nil && !TraceSession.tracepointsBuiltIn {
            throw ValidationError("--trace needs the LTTng tracepoints, and this svgrt was built without them (--disable-default-traits)")
        }
        guard rate > 0, rate <= 10_000, rate.isFinite else { throw ValidationError("--rate must be in (0, 10000] Hz (got \(rate))") }
        guard duration > 0, duration.isFinite else { throw ValidationError("--duration must be a positive number of seconds (got \(duration))") }
        guard evaluateEvery > 0, evaluateEvery.isFinite else { throw ValidationError("--evaluate-every must be a positive number of seconds") }
        if let evaluationEpisodeEvery, evaluationEpisodeEvery < 0 || evaluationEpisodeEvery == 1 {
            throw ValidationError("--evaluation-episode-every must be 0 (never) or at least 2 episodes (got \(evaluationEpisodeEvery)): some episodes must explore")
        }
    }

    /// "0:0.05,60:0.25" → [(0, 0.05), (60, 0.25)]; a bare "0.6" → [(0, 0.6)]. Values must be in `range`.
    func parseSchedule(_ text: String?, name: String, range: ClosedRange<Double>) throws -> [(Double, Double)] {
        guard let text else { return [] }
        if let constant = Double(text) {
            guard range.contains(constant) else { throw ValidationError("--\(name) must be in [\(range.lowerBound), \(range.upperBound)] (got \(text))") }
            return [(0, constant)]
        }
        return try text.split(separator: ",").map { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2, let t = Double(parts[0]), let v = Double(parts[1]), t >= 0, t.isFinite, v.isFinite else {
                throw ValidationError("--\(name): '\(item)' is not SECONDS:VALUE (e.g. 60:0.25)")
            }
            guard range.contains(v) else { throw ValidationError("--\(name): \(v) at \(t) s is outside [\(range.lowerBound), \(range.upperBound)]") }
            return (t, v)
        }.sorted { $0.0 < $1.0 }
    }

    /// HOST and PORT of `--connect HOST:PORT`.
    /// Pins every thread of process `pid` to `cpu` (its threads as /proc lists them now).
    static func pinProcess(_ pid: Int32, to cpu: Int32) -> Bool {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"), !tasks.isEmpty else { return false }
        return tasks.compactMap(Int32.init).allSatisfy { svgrt_pin_thread_to_cpu($0, cpu) == 0 }
    }

    static func hostAndPort(_ connect: String) throws -> (host: String, port: UInt16) {
        let parts = connect.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw ValidationError("--connect wants HOST:PORT") }
        // A host that does not resolve is refused here, before anything is started or written.
        do { _ = try UDPTransport.ipv4Address(of: String(parts[0])) } catch { throw ValidationError("--connect: \(error)") }
        return (String(parts[0]), port)
    }

    /// How a board's HELLO differs from svg-rt's own `plant` of the same shape (nil: it does
    /// not): actuator limits (as f32, as the wire carries them) and plant time per step.
    static func mismatch(of description: PlantDescription, with plant: any Plant) -> String? {
        for i in 0..<plant.actionSize {
            let low = Float(plant.actionLow[i]), high = Float(plant.actionHigh[i])
            if description.actionLow[i] != low || description.actionHigh[i] != high {
                return "its actuator \(i) takes [\(description.actionLow[i]), \(description.actionHigh[i])], svg-rt's [\(low), \(high)]"
            }
        }
        let step = UInt32(plant.timeStep * 1e6)
        if description.stepMicroseconds != step {
            return "its step is \(description.stepMicroseconds) µs of plant time, svg-rt's \(step) µs"
        }
        return nil
    }

    /// The HELLO of the board at `connect` (HOST:PORT), asked with no expected shape.
    static func describe(_ connect: String) throws -> PlantDescription {
        let (host, port) = try hostAndPort(connect)
        let transport = try UDPTransport(port: 0)
        try transport.connect(to: host, port: port)
        let client = PlantClient(transport: transport, observationSize: 0, actionSize: 0, timeoutMicroseconds: 200_000, attempts: 25)
        return try client.handshake()
    }

    /// The plant's conditions `t` seconds into the run under the schedules.
    static func conditions(at t: Double, noise: [(Double, Double)], gain: [(Double, Double)],
                           weak: (index: Int, gains: [(Double, Double)]) = (-1, [])) -> PlantConditions {
        var c = PlantConditions()
        for (time, value) in noise where time <= t { c.actuatorNoise = value }
        for (time, value) in gain where time <= t { c.actuatorGain = value }
        c.weakActuator = weak.index
        for (time, value) in weak.gains where time <= t { c.weakActuatorGain = value }
        return c
    }

    func run() throws {
        let noise = try parseSchedule(actuatorNoise, name: "actuator-noise", range: 0...1)
        let gain = try parseSchedule(actuatorGain, name: "actuator-gain", range: 0...10)
        let weak = (index: weakActuator ?? -1, gains: try parseSchedule(weakActuatorGain, name: "weak-actuator-gain", range: 0...10))
        if connect != nil && !(noise.isEmpty && gain.isEmpty && weak.gains.isEmpty) {
            throw ValidationError("--actuator-noise, --actuator-gain and --weak-actuator-gain are applied by the firmware-sim svgrt run starts; with --connect the board sets its own")
        }
        if (weakActuator == nil) != weak.gains.isEmpty {
            throw ValidationError("--weak-actuator and --weak-actuator-gain go together")
        }
        if let yardstickSteps, yardstickSteps < 0 { throw ValidationError("--yardstick-steps must not be negative") }
        let output = folder.output ?? "runs/online"
        var extra: [String: JSONValue] = [:]
        if let plant = folder.plant { extra["plant"] = .string(plant) }
        if let seed = folder.seed { extra["seed"] = .unsigned(seed) }
        let base = try folder.resume.map { [try TrainingConfiguration.Layer.run($0)] } ?? []
        // A board at --connect with no --plant (or a resumed run of one): a plant known only by its HELLO.
        var wirePlant: WirePlant?
        if let connect, folder.plant == nil {
            let resumedPlant = base.first?.fields["plant"].flatMap { if case .string(let p) = $0 { p } else { nil } }
            if resumedPlant == nil || resumedPlant!.hasPrefix(WirePlant.prefix) {
                let description = try Self.describe(connect)
                if let refusal = description.refusal {
                    throw ValidationError("the board at \(connect) cannot be learned from its HELLO: \(refusal)")
                }
                wirePlant = WirePlant(helloName: description.name, observationSize: description.observationSize,
                                      actionSize: description.actionSize, physicalStateSize: description.physicalStateSize,
                                      timeStep: Double(description.stepMicroseconds) / 1e6, episodeLength: description.episodeLength,
                                      actionLow: description.actionLow.map(Double.init), actionHigh: description.actionHigh.map(Double.init))
                if let resumedPlant, resumedPlant != wirePlant!.name {
                    throw ValidationError("the board at \(connect) is \(wirePlant!.name), the resumed run's plant \(resumedPlant)")
                }
                extra["plant"] = .string(wirePlant!.name)
                log("svgrt run: no --plant: learning '\(description.name)' as its HELLO describes it (\(description.observationSize) observations, "
                    + "\(description.actionSize) actions, a step of \(description.stepMicroseconds) µs); no in-process evaluations"
                    + ((evaluationEpisodeEvery ?? Self.boardEvaluationEpisodeEvery) > 0
                       ? ", one episode in \(evaluationEpisodeEvery ?? Self.boardEvaluationEpisodeEvery) played on the mean as an evaluation" : ""))
            }
        }
        var configuration = try agent.resolve(base: base, extra: extra)
        // The control thread plays the learner's latest policy; no averaged copy is kept online.
        configuration.policy.averaging = 0
        let plant = configuration.plant, seed = configuration.seed
        let trainer = try Trainer(configuration, plant: wirePlant)
        if weak.index >= trainer.plant.actionSize || weak.index < -1 {
            throw ValidationError("--weak-actuator must name one of \(plant)'s \(trainer.plant.actionSize) actuators (0 to \(trainer.plant.actionSize - 1))")
        }
        guard case .everyStep = trainer.agent.schedule else {
            throw ValidationError("--algo \(configuration.algorithm.rawValue) learns after whole episodes; svgrt run drives agents that learn after every step (svg1-er, svg0, sac-svg): use svgrt train for it")
        }
        if let resume = folder.resume {
            try trainer.restore(from: resume + "/checkpoint.svgp")
            log("svgrt run: resumed the policy, the agent and \(trainer.replay.count) replayed transitions from \(resume)")
        }

        // The plant: firmware-sim as a child process, or a board at --connect.
        var child: FirmwareProcess?
        var host = "127.0.0.1", plantPort = port
        if let connect {
            (host, plantPort) = try Self.hostAndPort(connect)
        } else {
            let schedule: [String] = noise.map { "\($0.0):noise=\($0.1)" } + gain.map { "\($0.0):gain=\($0.1)" }
                + weak.gains.map { "\($0.0):weak-gain=\($0.1)" }
            let process = try FirmwareProcess(
                ["--plant", plant, "--mode", "realtime", "--tick-rate", "\(rate)", "--port", "\(port)", "--seed", "\(seed)"]
                    + (weak.index >= 0 ? ["--weak-actuator", "\(weak.index)"] : [])
                    + (schedule.isEmpty ? [] : ["--schedule", schedule.joined(separator: ",")]),
                executable: firmware.map { URL(fileURLWithPath: $0) } ?? FirmwareProcess.executable)
            child = process
            plantPort = process.port
            log("svgrt run: " + process.servingLine)
        }
        defer { child?.stop() }

        let S = trainer.plant.observationSize, A = trainer.plant.actionSize
        let transport = try UDPTransport(port: 0)
        try transport.connect(to: host, port: plantPort)
        let client = PlantClient(transport: transport, observationSize: S, actionSize: A, timeoutMicroseconds: 200_000, attempts: 25)
        let description = try client.handshake()
        // A board named as one of svg-rt's plants must be that plant: its actuator limits and its
        // step are what the safety chain and the learner assume.
        if wirePlant == nil, let mismatch = Self.mismatch(of: description, with: trainer.plant) {
            throw ValidationError("the board at \(host):\(plantPort) is not svg-rt's \(plant): \(mismatch); "
                                  + "run with no --plant to learn it as its HELLO describes it")
        }
        log("svgrt run: connected to '\(description.name)' (\(S) observations, \(A) actions, \(description.mode))")
        // The run folder is written only once the plant has answered.
        if let moved = try RunFolder.prepare(output, resuming: folder.resume) {
            log("svgrt run: \(output) held an earlier run; moved it to \(moved)")
        }
        try RunFolder.write(try configuration.jsonText(), to: output + "/config.json")

        // The ring, the hand-offs, the learner and the control loop.
        var learnerOptions = Learner.Options()
        let controlCPU = cpu ?? (svgrt_cpu_count() > 1 ? svgrt_cpu_count() - 1 : nil)
        // The learner on another core than the control thread.
        if let controlCPU, svgrt_cpu_count() > 1 { learnerOptions.cpu = controlCPU == 0 ? 1 : 0 }
        var controlOptions = ControlLoop.Options()
        controlOptions.periodNanoseconds = Int(1e9 / rate)
        controlOptions.senseWaitMicroseconds = Int(0.8e6 / rate)
        controlOptions.seed = seed ^ 0xAC7
        controlOptions.cpu = controlCPU
        controlOptions.evaluationEpisodeEvery = evaluationEpisodeEvery ?? (wirePlant != nil ? Self.boardEvaluationEpisodeEvery : 0)
        let low = trainer.plant.actionLow.map(Float.init), high = trainer.plant.actionHigh.map(Float.init)
        let session = OnlineSession(agent: trainer.agent, client: client, safety: SafetyChain(low: low, high: high),
                                    control: controlOptions, learner: learnerOptions, monitor: true)
        let learner = session.learner, control = session.control, toMonitor = session.toMonitor!
        learner.rewardModel = trainer.learnedReward
        let checkpointPath = output + "/checkpoint.svgp"
        learner.checkpoint = { try? trainer.writeCheckpoint(to: checkpointPath) }
        let monitorPolicy = GaussianPolicy(copying: trainer.policy, maxBatch: 1)
        let updatesPerStep: Int
        if case .everyStep(let updates, _) = trainer.agent.schedule { updatesPerStep = updates } else { updatesPerStep = 0 }

        signal(SIGINT) { _ in runInterrupted = 1 }
        signal(SIGTERM) { _ in runInterrupted = 1 }
        var traceSession: TraceSession?
        if let trace {
            traceSession = try TraceSession(directory: trace)
            log("svgrt run: tracing svgrt:* into \(trace) (discard mode)")
        }
        // The control core runs the control thread alone: this process's other threads (the
        // monitor with its in-process evaluations, LTTng's, Foundation's; threads made later
        // inherit it) and firmware-sim's go to the learner's core, so their work neither
        // preempts the control thread nor evicts its policy from that core's caches.
        if let other = learnerOptions.cpu {
            let pinned = Self.pinProcess(getpid(), to: other) && (child.map { Self.pinProcess($0.process.processIdentifier, to: other) } ?? true)
            log("svgrt run: control thread alone on CPU \(controlCPU!); learner, monitor\(child != nil ? ", firmware-sim" : "") and the rest on CPU \(other)"
                + (pinned ? "" : " (some threads could not be pinned)"))
        }
        let clipAtStart = trainer.agent.clipActivity
        session.start()
        // The policy control starts from (version 1: the restored one with --resume).
        if toMonitor.takeNewest() != nil {
            monitorPolicy.copyPublished(toMonitor.readBlock)
            log(String(format: "svgrt run: control starts from policy v1, fingerprint %08x (CRC-32C of its parameters)",
                       monitorPolicy.parameterFingerprint()))
        }
        session.waitForControlSetUp()
        log("svgrt run: control thread: \(control.setupReport)"
            + (control.setupReport.contains("refused") || control.setupReport.contains("failed") ? " (warning: timing will suffer)" : ""))
        let start = Date()
        log("svgrt run: \(configuration.algorithm.rawValue) learning online at \(Int(rate)) Hz for \(Int(duration)) s, \(updatesPerStep) updates per step at most; Ctrl-C stops")

        // The monitor: progress lines, evaluations, checkpoints. Not real time.
        var episodes: [(time: Double, episode: Int, value: Double, missing: Int)] = []
        var evaluations: [(time: Double, value: Double, frozen: Double?)] = []
        // Evaluation episodes played on the plant itself (--evaluation-episode-every).
        var plantEvaluations: [(time: Double, episode: Int, value: Double, missing: Int)] = []
        // The changes, and the frozen twin of the latest: the policy as it was when it took effect.
        let changeTimes = Set((noise + gain + weak.gains).map(\.0).filter { $0 > 0 }).sorted()
        var nextChange = 0
        var frozen: (since: Double, policy: GaussianPolicy)?
        var modelLoss: [(time: Double, value: Double)] = []
        var lastEvaluation = 0.0, lastCheckpoint = 0.0, lastUpdates = 0, lastUpdateTime = 0.0, lastLossSample = 0.0
        var updatesPerSecond = 0.0
        let reportRow = UnsafeMutablePointer<Float>.allocate(capacity: EpisodeReport.width)
        defer { reportRow.deallocate() }
        // A plant on the wire has no in-process copy: no evaluations, no frozen twin, no yardstick.
        let evaluationPlant = wirePlant == nil ? try PlantRegistry.plant(named: plant) : nil
        func evaluateNow(_ t: Double) {
            guard let evaluationPlant, let _ = toMonitor.takeNewest() else { return }
            monitorPolicy.copyPublished(toMonitor.readBlock)
            let now = Self.conditions(at: t, noise: noise, gain: gain, weak: weak)
            let value = Evaluation.meanReturn(policy: monitorPolicy, plant: evaluationPlant, episodes: configuration.evaluationEpisodes,
                                              conditions: now)
            let twin = frozen.map { Evaluation.meanReturn(policy: $0.policy, plant: evaluationPlant, episodes: configuration.evaluationEpisodes,
                                                          conditions: now) }
            evaluations.append((t, value, twin))
            log(String(format: "  evaluation at %.0f s: %.1f (deterministic policy, %@)", t, value, now.label)
                + (twin.map { String(format: "; frozen twin since %.0f s: %.1f", frozen!.since, $0) } ?? ""))
        }
        while runInterrupted == 0 {
            let t = Date().timeIntervalSince(start)
            if t >= duration || session.controlHasFinished { break }
            while control.progress.pop(into: reportRow) {
                let episode = Int(reportRow[0]), value = Double(reportRow[1])
                if reportRow[10] == ControlLoop.EpisodeClose.silent.rawValue {
                    log(String(format: "episode %4d  t %6.1f s  closed after %d steps: the plant went silent (sending the safe action)",
                               episode, t, Int(reportRow[2])))
                    continue
                }
                if reportRow[10] == ControlLoop.EpisodeClose.plantRestarted.rawValue {
                    log(String(format: "episode %4d  t %6.1f s  closed after %d steps: the plant restarted (handshake again)",
                               episode, t, Int(reportRow[2])))
                    continue
                }
                let missing = Int(reportRow[11])
                if reportRow[12] == 1 {
                    plantEvaluations.append((t, episode, value, missing))
                    log(String(format: "  evaluation episode %d on the plant at %.0f s: %.1f (the mean action; %d steps%@)", episode, t, value,
                               Int(reportRow[2]), missing > 0 ? ", \(missing) steps' rewards lost" : ""))
                    continue
                }
                episodes.append((t, episode, value, missing))
                log(String(format: "episode %4d  t %6.1f s  return %8.1f%@  steps %4d  p99 compute %@  p99 wakeup %@  misses %d  ring drops %d  updates/s %5.0f  policy v%d (age %d cycles)",
                           episode, t, value, missing > 0 ? " (\(missing) steps' rewards lost)" : "", Int(reportRow[2]),
                           format(Int(reportRow[3])), format(Int(reportRow[4])),
                           Int(reportRow[5]), Int(reportRow[6]), updatesPerSecond, Int(reportRow[7]), Int(reportRow[9])))
            }
            if t - lastUpdateTime >= 1 {
                let u = learner.updates.load(ordering: .relaxed)
                updatesPerSecond = Double(u - lastUpdates) / (t - lastUpdateTime)
                lastUpdates = u; lastUpdateTime = t
            }
            if t - lastLossSample >= 0.5 {
                modelLoss.append((t, Double(Float(bitPattern: learner.lossBits.load(ordering: .relaxed)))))
                lastLossSample = t
            }
            if nextChange < changeTimes.count && t >= changeTimes[nextChange] {
                // A change took effect: freeze the newest policy as its twin.
                if toMonitor.takeNewest() != nil { monitorPolicy.copyPublished(toMonitor.readBlock) }
                frozen = (changeTimes[nextChange], GaussianPolicy(copying: monitorPolicy, maxBatch: 1))
                log(String(format: "svgrt run: at %.0f s the plant changed to %@; policy frozen as the twin", changeTimes[nextChange],
                           Self.conditions(at: changeTimes[nextChange], noise: noise, gain: gain, weak: weak).label))
                nextChange += 1
            }
            if t - lastEvaluation >= evaluateEvery { evaluateNow(t); lastEvaluation = t }
            if folder.checkpointEvery > 0 && t - lastCheckpoint >= folder.checkpointEvery {
                learner.checkpointRequested.store(true, ordering: .releasing)
                lastCheckpoint = t
            }
            usleep(50_000)
        }
        let elapsed = Date().timeIntervalSince(start)
        session.stop()
        // The learner thread is joined: its agent's counters can be read.
        let clipping = ClipActivity.summary(trainer.agent.clipActivity, since: clipAtStart)
        client.bye()
        if let traceSession, let trace {
            try traceSession.stop()
            log("svgrt run: trace in \(trace); svgrt trace-report \(trace) summarises it")
        }
        evaluateNow(elapsed)
        try trainer.writeCheckpoint(to: checkpointPath)
        var firmwareSummary = ""
        if let child {
            child.stop()
            firmwareSummary = child.summaryLine
        }
        let changes = changeTimes.filter { $0 < elapsed }.map { ($0, Self.conditions(at: $0, noise: noise, gain: gain, weak: weak).label) }
        // The from-scratch level under each change's conditions.
        let steps = yardstickSteps ?? TrainingConfiguration.defaults(for: plant).steps
        var yardsticks: [Double: AdaptationYardstick] = [:]
        if steps > 0 && wirePlant == nil {
            for (t, _) in changes {
                yardsticks[t] = try AdaptationYardstick.level(for: Self.conditions(at: t, noise: noise, gain: gain, weak: weak), configuration: configuration,
                                                              steps: steps, output: output, log: log)
            }
        }
        try RunReport(output: output, plant: trainer.plant, lossName: trainer.agent.lossNames[0], rate: rate, elapsed: elapsed, control: control, learner: learner,
                      episodes: episodes, evaluations: evaluations, plantEvaluations: plantEvaluations,
                      evaluationEpisodeEvery: controlOptions.evaluationEpisodeEvery, modelLoss: modelLoss, changes: changes, yardsticks: yardsticks,
                      client: client, firmwareSummary: firmwareSummary,
                      clipping: clipping, clipNorm: configuration.hyperparameters.clipNorm).write()
        log("svgrt run: report in \(output)/report.md (learning-curve.svg, latency-*.svg, CSVs, checkpoint.svgp)")
        if let change = control.plantChange {
            throw ValidationError("the plant restarted as another plant (\(change)) and is not controlled: "
                                  + "the run stopped at \(String(format: "%.0f", elapsed)) s, its report and checkpoint are written")
        }
    }
}
