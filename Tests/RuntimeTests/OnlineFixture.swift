import FirmwareLauncher
import Foundation
import Learn
import Link
import Net
import Runtime
import Training

/// firmware-sim in real time and an `OnlineSession` (the plant's default agent on the
/// learner thread, a control loop) wired to it: what `svgrt run` assembles, at a test's rate.
final class OnlineFixture {
    let firmware: FirmwareProcess
    let trainer: Trainer
    let client: PlantClient
    let session: OnlineSession
    var ring: SPSCRing { session.ring }
    var learner: Learner { session.learner }
    var control: ControlLoop { session.control }

    /// The firmware-sim arguments of `init`, less the port (to start it again on the same one).
    let firmwareArguments: [String]

    /// `algorithm`: SVG(1)-ER (the plant's default) or SAC-SVG(2), one update per control step at most.
    init(rate: Double, replayCapacity: Int, warmupTransitions: Int, plant: String = "pendulum", algorithm: Algorithm = .svg1ER,
         firmwareArguments extra: [String] = [], evaluationEpisodeEvery: Int = 0) throws {
        firmwareArguments = ["--plant", plant, "--mode", "realtime", "--tick-rate", "\(rate)", "--watchdog-ticks", "50"] + extra
        firmware = try FirmwareProcess(firmwareArguments + ["--port", "0"])
        var c = TrainingConfiguration.defaults(for: plant, algorithm: algorithm)
        c.replayCapacity = replayCapacity
        switch c.hyperparameters {
        case .svg1ER(var h):
            h.updatesPerStep = 1
            h.warmupSteps = warmupTransitions
            c.hyperparameters = .svg1ER(h)
        case .sacSVG(var h):
            h.updatesPerStep = 1
            h.warmupSteps = warmupTransitions
            h.modelFreeUpdates = 0  // the expansion from the first update
            c.hyperparameters = .sacSVG(h)
        default:
            fatalError("OnlineFixture drives svg1-er or sac-svg, not \(algorithm)")
        }
        trainer = try Trainer(c)
        let transport = try UDPTransport(port: 0)
        try transport.connect(port: firmware.port)
        client = PlantClient(transport: transport, observationSize: trainer.plant.observationSize, actionSize: trainer.plant.actionSize)
        try client.handshake()
        var controlOptions = ControlLoop.Options()
        controlOptions.periodNanoseconds = Int(1e9 / rate)
        controlOptions.senseWaitMicroseconds = Int(0.8e6 / rate)
        controlOptions.phaseLeadNanoseconds = Int(0.1e9 / rate)
        controlOptions.lockMemory = false
        controlOptions.evaluationEpisodeEvery = evaluationEpisodeEvery
        session = OnlineSession(agent: trainer.agent, client: client, safety: SafetyChain(low: trainer.plant.actionLow.map(Float.init), high: trainer.plant.actionHigh.map(Float.init)), control: controlOptions)
    }

    /// Runs the learner and `cycles` control cycles on their own threads, then stops both and
    /// the firmware. `midway`, if given, runs on this thread after `midwayDelay` seconds.
    func run(cycles: Int, midwayDelay: Double = 0, midway: (() -> Void)? = nil) {
        session.start(maximumCycles: cycles)
        if let midway {
            usleep(UInt32(midwayDelay * 1e6))
            midway()
        }
        while !session.controlHasFinished { usleep(5000) }
        session.stop()
        firmware.stop()
    }
}
