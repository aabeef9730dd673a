import Foundation
import Learn
import Link
import Net
import Runtime
import Synchronization
import TestSupport
import Training

/// firmware-sim in real time, a trainer's SVG(1)-ER on a learner thread, and a control loop
/// wired to both: what `svgrt run` assembles, at a test's rate.
final class OnlineFixture {
    let firmware: FirmwareProcess
    let trainer: Trainer
    let client: PlantClient
    let ring: SPSCRing
    let learner: Learner
    let control: ControlLoop

    init(rate: Double, replayCapacity: Int, warmupTransitions: Int) throws {
        firmware = try FirmwareProcess(["--plant", "pendulum", "--mode", "realtime", "--tick-rate", "\(rate)", "--port", "0",
                                        "--watchdog-ticks", "50"])
        var c = TrainingConfiguration.defaults(for: "pendulum")
        c.replayCapacity = replayCapacity
        trainer = try Trainer(c)
        let transport = try UDPTransport(port: 0)
        transport.connect(port: firmware.port)
        client = PlantClient(transport: transport, observationSize: 3, actionSize: 1)
        try client.handshake()
        let record = TransitionRecord(stateSize: 3, actionSize: 1)
        ring = SPSCRing(minimumCapacity: 16_384, width: record.width)
        let toControl = TripleBuffer(count: trainer.policy.publishedCount)
        var options = Learner.Options()
        options.updatesPerStep = 1
        options.warmupTransitions = warmupTransitions
        learner = Learner(options: options, svg: trainer.svg1er, ring: ring, published: [toControl])
        var g = Xoshiro256StarStar(seed: 1)
        let policy = GaussianPolicy(observationSize: 3, actionSize: 1, hidden: c.policyHidden, maxBatch: 1, initialStd: 1,
                                    learningRate: 0, actionLow: [-2], actionHigh: [2], generator: &g)
        var controlOptions = ControlLoop.Options()
        controlOptions.periodNanoseconds = Int(1e9 / rate)
        controlOptions.senseWaitMicroseconds = Int(0.8e6 / rate)
        controlOptions.phaseLeadNanoseconds = Int(0.1e9 / rate)
        controlOptions.lockMemory = false
        control = ControlLoop(options: controlOptions, client: client, policy: policy, parameters: toControl, ring: ring,
                              safety: SafetyChain(low: [-2], high: [2]))
    }

    /// Runs the learner and `cycles` control cycles on their own threads, then stops both and
    /// the firmware. `midway`, if given, runs on this thread after `midwayDelay` seconds.
    func run(cycles: Int, midwayDelay: Double = 0, midway: (() -> Void)? = nil) {
        let learnerThread = Thread { [learner] in learner.run() }
        learnerThread.start()
        while learner.version.load(ordering: .acquiring) == 0 { usleep(1000) }
        let done = Atomic<Bool>(false)
        let controlThread = Thread { [control] in
            control.run(maximumCycles: cycles)
            done.store(true, ordering: .releasing)
        }
        controlThread.start()
        if let midway {
            usleep(UInt32(midwayDelay * 1e6))
            midway()
        }
        while !done.load(ordering: .acquiring) { usleep(5000) }
        learner.stop()
        usleep(50_000)
        firmware.stop()
    }
}
