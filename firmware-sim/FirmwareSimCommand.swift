#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Link
import Plants
import Random

@main
struct FirmwareSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firmware-sim",
        abstract: "An emulated plant board: serves one plant over UDP or a serial line, speaking the svg-rt wire protocol.",
        discussion: """
            Real-time mode steps the plant on its own fixed-rate tick with zero-order hold of the last ACT;
            lockstep mode steps once per ACT, for training over the wire as fast as the link goes.
            Protocol: docs/protocol.md. Stop with Ctrl-C: a summary of counters is printed on exit.
            """,
        version: "firmware-sim \(Release.number) (\(Release.architecture), \(Release.configuration); wire protocol \(Frame.version); \(MuJoCoLibrary.summary))")

    @Option(help: "Plant to serve: \(PlantRegistry.names.joined(separator: ", ")).")
    var plant = "pendulum"

    @Option(help: "Transport: udp or serial.")
    var transport = "udp"

    @Option(help: "UDP address to bind (127.0.0.1 keeps the plant on this board; 0.0.0.0 listens everywhere).")
    var bind = "127.0.0.1"

    @Option(parsing: .unconditional, help: "UDP port to listen on.")
    var port: UInt16 = 5600

    @Option(help: "Serial device (with --transport serial), e.g. /dev/ttyUSB0 or a pty.")
    var device: String?

    @Option(help: "realtime or lockstep.")
    var mode = "realtime"

    @Option(parsing: .unconditional, help: "Tick rate in real-time mode, Hz.")
    var tickRate = 100.0

    @Option(parsing: .unconditional, help: "Real-time mode: ticks without an ACT before the watchdog zeroes the actuators.")
    var watchdogTicks = 10

    @Option(parsing: .unconditional, help: "Actuator noise: standard deviation as a fraction of the actuator range.")
    var actuatorNoise = 0.0

    @Option(parsing: .unconditional, help: "Actuator gain (1 nominal; 0.6 = a weak motor).")
    var actuatorGain = 1.0

    @Option(parsing: .unconditional, help: "One weak actuator (its index; -1: none), whose gain --weak-actuator-gain sets on top of --actuator-gain.")
    var weakActuator = -1

    @Option(parsing: .unconditional, help: "The weak actuator's own gain (0.6 = a motor at 60 %).")
    var weakActuatorGain = 1.0

    @Option(parsing: .unconditional, help: "Sensor noise: standard deviation added to each observation value.")
    var sensorNoise = 0.0

    @Option(parsing: .unconditional, help: "Observation delay, ticks.")
    var observationDelay = 0

    @Option(parsing: .unconditional, help: "Probability that an observation is dropped (the last one is repeated, flagged stale).")
    var dropObservation = 0.0

    @Option(parsing: .unconditional, help: "Probability that a sent frame is dropped.")
    var drop = 0.0

    @Option(parsing: .unconditional, help: "Probability that a sent frame has one bit flipped.")
    var corrupt = 0.0

    @Option(parsing: .unconditional, help: "Probability that a sent frame is sent twice.")
    var duplicate = 0.0

    @Option(parsing: .unconditional, help: "Probability that a sent frame is held back by --delay-ms.")
    var delay = 0.0

    @Option(parsing: .unconditional, help: "How long delayed frames are held, ms.")
    var delayMs = 20.0

    @Option(help: "Perturbation schedule, e.g. '60:gain=0.6,120:noise=0.25' (seconds since start; plant time in lockstep).")
    var schedule = ""

    @Option(parsing: .unconditional, help: "Seed of the reset distribution, noise and fault injection.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Seconds between status lines on stderr (0: none).")
    var statusInterval = 1.0

    @Flag(help: "Exit when the controller says BYE.")
    var exitOnBye = false

    func validate() throws {
        do { try PlantRegistry.check(plant) } catch { throw ValidationError(error.description) }
        guard ["realtime", "lockstep"].contains(mode) else { throw ValidationError("--mode is realtime or lockstep, not '\(mode)'") }
        guard ["udp", "serial"].contains(transport) else { throw ValidationError("--transport is udp or serial, not '\(transport)'") }
        guard transport == "udp" || device != nil else { throw ValidationError("--transport serial needs --device") }
        guard tickRate > 0 && tickRate <= 10_000 else { throw ValidationError("--tick-rate must be in (0, 10000] Hz") }
        for (name, p) in [("drop", drop), ("corrupt", corrupt), ("duplicate", duplicate), ("delay", delay), ("drop-observation", dropObservation)] {
            guard (0...1).contains(p) else { throw ValidationError("--\(name) is a probability in [0, 1], got \(p)") }
        }
        for (name, value, parameter) in [("actuator-noise", actuatorNoise, ConfigureParameter.actuatorNoise),
                                         ("actuator-gain", actuatorGain, .actuatorGain), ("sensor-noise", sensorNoise, .sensorNoise),
                                         ("observation-delay", Double(observationDelay), .observationDelayTicks),
                                         ("weak-actuator", Double(weakActuator), .weakActuator), ("weak-actuator-gain", weakActuatorGain, .weakActuatorGain)] {
            let range = parameter.validRange
            guard range.contains(value) else {
                throw ValidationError("--\(name) must be in [\(range.lowerBound), \(range.upperBound)] (got \(value))")
            }
        }
        let actionSize = PlantRegistry.make(plant)?.actionSize ?? Int.max
        if weakActuator >= actionSize {
            throw ValidationError("--weak-actuator must name one of \(plant)'s \(actionSize) actuators (0 to \(actionSize - 1)) or be -1")
        }
        guard watchdogTicks >= 1 else { throw ValidationError("--watchdog-ticks must be at least 1") }
        guard delayMs >= 0, delayMs <= 10_000, delayMs.isFinite else { throw ValidationError("--delay-ms must be in [0, 10000]") }
        do { _ = try Schedule(schedule, actionSize: actionSize) } catch { throw ValidationError("--schedule: \(error)") }
    }

    func run() throws {
        let link: any FrameTransport = transport == "udp"
            ? try UDPTransport(address: bind, port: port)
            : try SerialTransport(path: device!)
        var options = Firmware.Options()
        options.realTime = mode == "realtime"
        options.tickMicroseconds = Int((1e6 / tickRate).rounded())
        options.watchdogTicks = watchdogTicks
        options.seed = seed
        options.statusIntervalSeconds = statusInterval
        options.exitOnBye = exitOnBye
        let faults = FaultInjector(drop: drop, corrupt: corrupt, duplicate: duplicate, delay: delay,
                                   delayMicroseconds: Int(delayMs * 1000), seed: seed &+ 0x5EED)
        let disturbances = Disturbances(seed: seed &+ 0xD15, actuatorGain: actuatorGain, actuatorNoise: actuatorNoise,
                                        sensorNoise: sensorNoise, weakActuator: weakActuator, weakActuatorGain: weakActuatorGain)
        let firmware = Firmware(plant: try PlantRegistry.plant(named: plant), transport: link, options: options, faults: faults,
                                disturbances: disturbances, schedule: try Schedule(schedule))
        firmware.observationDelayTicks = observationDelay
        firmware.dropObservationProbability = dropObservation
        signal(SIGINT) { _ in stopRequested = 1 }
        signal(SIGTERM) { _ in stopRequested = 1 }
        let where_ = transport == "udp" ? "udp \(bind):\((link as! UDPTransport).localPort)" : "serial \(device!)"
        log("firmware-sim: serving \(plant) over \(where_), \(mode)" + (mode == "realtime" ? " at \(tickRate) Hz" : ""))
        firmware.run()
        log(firmware.summary)
        link.close()
    }
}
