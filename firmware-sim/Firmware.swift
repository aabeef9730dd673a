#if canImport(Glibc)
import Glibc
#endif
import Link
import Plants
import Random

/// Set by SIGINT/SIGTERM; the loop checks it at least every 100 ms.
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

/// An emulated plant board: one plant behind one transport, behaving as firmware on a
/// microcontroller would (docs/protocol.md § Firmware behaviour).
final class Firmware {
    struct Options {
        var realTime = true
        var tickMicroseconds = 10_000
        var watchdogTicks = 10
        var seed: UInt64 = 1
        var statusIntervalSeconds = 1.0
        var exitOnBye = false
    }

    let plant: any Plant
    let transport: any FrameTransport
    let options: Options
    let faults: FaultInjector
    var disturbances: Disturbances
    var schedule: Schedule
    var generator: Xoshiro256StarStar

    // Perturbations of the observation path.
    var observationDelayTicks = 0
    var stuckObservation = false
    var dropObservationProbability = 0.0

    // Link state.
    var helloDone = false
    /// When the peer was last heard from (an accepted frame), µs: a HELLO from another address
    /// is refused while the peer is live (heard from within `peerTimeoutMicroseconds`).
    var lastPeerActivity = 0
    /// FAULTs sent to a sender that is not the peer (2 or 6), past the fault injector.
    var strangerReplies = 0
    static let peerTimeoutMicroseconds = 1_000_000
    /// Bound on every component of a RESET's explicit state (the observation travels as f32).
    static let maximumStateMagnitude = 1e6
    var tracker = SequenceTracker()
    var counters = LinkCounters()
    var sendSequence: UInt32 = 0
    var lastSenseSequence: UInt32 = 0
    var lastSenseLength = 0
    var steppedSinceSense = false

    // Plant state.
    let action: UnsafeMutableBufferPointer<Double>
    let receivedAction: UnsafeMutableBufferPointer<Float>
    let observation: UnsafeMutableBufferPointer<Double>
    let history: UnsafeMutableBufferPointer<Float>  // 33 past observations, ring
    var historyNewest = 0
    let outgoing: UnsafeMutableBufferPointer<Float>
    var lastReward: Float = 0
    var ticksSinceAct = 0
    var watchdogTripped = false
    var watchdogTrips = 0
    var episodes = 0
    var totalSteps = 0
    var episodeStart = false

    let tx = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize, alignment: 8)
    let lastSense = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize, alignment: 8)
    let rx = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize + 1, alignment: 8)
    let startTime = monotonicMicroseconds()

    static let historyDepth = 33

    init(plant: any Plant, transport: any FrameTransport, options: Options, faults: FaultInjector,
         disturbances: Disturbances, schedule: Schedule) {
        self.plant = plant
        self.transport = transport
        self.options = options
        self.faults = faults
        self.disturbances = disturbances
        self.schedule = schedule
        generator = Xoshiro256StarStar(seed: options.seed)
        action = .allocate(capacity: plant.actionSize)
        action.initialize(repeating: 0)
        receivedAction = .allocate(capacity: plant.actionSize)
        receivedAction.initialize(repeating: 0)
        observation = .allocate(capacity: plant.observationSize)
        observation.initialize(repeating: 0)
        history = .allocate(capacity: plant.observationSize * Self.historyDepth)
        history.initialize(repeating: 0)
        outgoing = .allocate(capacity: plant.observationSize)
        outgoing.initialize(repeating: 0)
        plant.reset(using: &generator)
        recordObservation()
        episodeStart = true
    }

    deinit {
        action.deallocate(); receivedAction.deallocate(); observation.deallocate(); history.deallocate(); outgoing.deallocate()
        tx.deallocate(); lastSense.deallocate(); rx.deallocate()
    }

    var description: PlantDescription {
        PlantDescription(
            name: plant.name, observationSize: plant.observationSize, actionSize: plant.actionSize,
            physicalStateSize: plant.physicalStateSize, stepMicroseconds: UInt32(plant.timeStep * 1e6),
            tickMicroseconds: options.realTime ? UInt32(options.tickMicroseconds) : 0,
            episodeLength: plant.episodeLength, mode: options.realTime ? .realTime : .lockstep,
            actionLow: plant.actionLow.map(Float.init), actionHigh: plant.actionHigh.map(Float.init))
    }

    var plantTime: UInt64 { UInt64((Double(totalSteps) * plant.timeStep * 1e6).rounded()) }

    // MARK: Sending

    func send(_ type: MessageType, flags: FrameFlags = [], body: (inout ByteWriter) -> Void) {
        sendSequence &+= 1
        let n = Frame.encode(FrameHeader(type: type, flags: flags, sequence: sendSequence, plantTimeMicroseconds: plantTime),
                             into: tx, body: body)
        counters.sent += 1
        if type == .sense {
            lastSense.copyMemory(from: UnsafeRawBufferPointer(rebasing: tx[0..<n]))
            lastSenseLength = n
            lastSenseSequence = sendSequence
        }
        faults.transmit(UnsafeRawBufferPointer(rebasing: tx[0..<n]), via: transport, now: monotonicMicroseconds())
    }

    /// Whether the last observation recorded was finite (a plant that diverged is reset).
    var stateFinite = true

    /// Observes the plant (sensor noise included) into the delay line.
    func recordObservation() {
        plant.observe(into: observation)
        stateFinite = observation.allSatisfy(\.isFinite)
        disturbances.sense(observation)
        historyNewest = (historyNewest + 1) % Self.historyDepth
        let base = historyNewest * plant.observationSize
        for i in 0..<plant.observationSize { history[base + i] = Float(observation[i]) }
    }

    /// Sends the SENSE of the current tick: delayed, stuck or dropped as configured. A plant whose
    /// state stopped being finite is reset instead (FAULT 4, detail 0): no NaN or Inf leaves it.
    func sendSense() {
        if !lastReward.isFinite || !stateFinite {
            counters.divergedResets += 1
            send(.fault) { Messages.writeFault(&$0, code: .badReset, detail: 0) }
            _ = resetPlant(.seeded(generator.next()))
        }
        var flags: FrameFlags = []
        let stale = stuckObservation || generator.nextUniform() < dropObservationProbability
        if stale {
            flags.insert(.staleObservation)
        } else {
            let slot = (historyNewest - min(observationDelayTicks, Self.historyDepth - 1) + Self.historyDepth) % Self.historyDepth
            for i in 0..<plant.observationSize { outgoing[i] = history[slot * plant.observationSize + i] }
        }
        if plant.isEpisodeOver { flags.insert(.episodeEnd) }
        if plant.isTerminated { flags.insert(.terminated) }
        if episodeStart { flags.insert(.episodeStart) }
        if watchdogTripped { flags.insert(.watchdogTripped) }
        let step = UInt32(plant.stepIndex), reward = lastReward
        send(.sense, flags: flags) { Messages.writeSense(&$0, stepIndex: step, reward: reward, observation: UnsafeBufferPointer(outgoing)) }
        episodeStart = false
        steppedSinceSense = false
    }

    /// One plant step with the held action.
    func stepPlant() {
        for i in 0..<plant.actionSize { action[i] = watchdogTripped ? 0 : Double(receivedAction[i]) }
        disturbances.actuate(action, plant: plant)
        if watchdogTripped { for i in 0..<plant.actionSize { action[i] = 0 } }
        lastReward = Float(plant.step(action: UnsafeBufferPointer(action)))
        totalSteps += 1
        recordObservation()
        steppedSinceSense = true
    }

    func resetPlant(_ request: Messages.ResetRequest) -> Bool {
        switch request {
        case .seeded(let seed):
            var g = Xoshiro256StarStar(seed: seed)
            plant.reset(using: &g)
        case .explicit(let state):
            guard state.count == plant.physicalStateSize, state.allSatisfy({ abs($0) <= Self.maximumStateMagnitude }) else { return false }
            state.withUnsafeBufferPointer { plant.reset(to: $0) }
        }
        for i in 0..<plant.actionSize { receivedAction[i] = 0 }
        lastReward = 0
        episodes += 1
        episodeStart = true
        // A fresh episode has no history: fill the delay line with the first observation.
        recordObservation()
        let base = historyNewest * plant.observationSize
        for slot in 0..<Self.historyDepth {
            for i in 0..<plant.observationSize { history[slot * plant.observationSize + i] = history[base + i] }
        }
        return true
    }

    // MARK: Receiving

    func handleFrame(length: Int) -> Bool {
        counters.received += 1
        guard length <= Frame.maximumSize else { counters.count(.badLength); return true }
        let bytes = UnsafeRawBufferPointer(rebasing: rx[0..<length])
        let decoded = Frame.decodeHeader(bytes)
        let now = monotonicMicroseconds()
        // Only the controller that completed the handshake is served. A stranger's HELLO takes
        // the plant over once the peer has been silent for `peerTimeoutMicroseconds` (or said
        // BYE); until then it is refused with FAULT 6, and anything else from a stranger is
        // dropped. With no live peer a stranger's other frames get FAULT 2 (handshake required).
        if !transport.lastFrameFromPeer {
            let peerLive = helloDone && now - lastPeerActivity < Self.peerTimeoutMicroseconds
            guard case .success(let h) = decoded else { counters.count(.foreignSender); return true }
            var request = Frame.payload(of: bytes, h)
            guard h.type == .hello, Messages.readHelloRequest(&request) != nil else {
                if !peerLive && h.type != .bye && h.type != .hello {
                    counters.count(.unexpectedMessage)
                    sendToStranger(.fault) { Messages.writeFault(&$0, code: .handshakeRequired, detail: 0) }
                } else {
                    counters.count(.foreignSender)
                }
                return true
            }
            if peerLive {
                counters.count(.foreignSender)
                sendToStranger(.fault) { Messages.writeFault(&$0, code: .otherController, detail: 0) }
                return true
            }
            transport.adoptLastSender()
        }
        let header: FrameHeader
        switch decoded {
        case .failure(let reason):
            counters.count(reason)
            return true
        case .success(let h): header = h
        }
        var payload = Frame.payload(of: bytes, header)
        if header.type == .hello {
            guard Messages.readHelloRequest(&payload) != nil else { counters.count(.malformedPayload); return true }
            lastPeerActivity = now
            tracker.restart()
            _ = tracker.accept(header.sequence)
            counters.accepted += 1
            helloDone = true
            let d = description
            send(.hello) { Messages.writeHelloReply(&$0, d) }
            return true
        }
        if let reason = tracker.accept(header.sequence) {
            counters.count(reason)
            return true
        }
        guard helloDone || header.type == .bye else {
            counters.count(.unexpectedMessage)
            send(.fault) { Messages.writeFault(&$0, code: .handshakeRequired, detail: 0) }
            return true
        }
        lastPeerActivity = now
        switch header.type {
        case .act:
            switch Messages.readAct(&payload, action: receivedAction) {
            case .failure(let reason):
                counters.count(reason)
                for i in 0..<plant.actionSize { receivedAction[i] = 0 }
                send(.fault) { Messages.writeFault(&$0, code: .badAction, detail: UInt32(reason.rawValue)) }
                return true
            case .success(let answering):
                // Lockstep: an ACT before the first SENSE (no RESET yet) answers nothing.
                guard options.realTime || lastSenseLength > 0 else { counters.count(.unexpectedMessage); return true }
                counters.accepted += 1
                ticksSinceAct = 0
                watchdogTripped = false
                if !options.realTime {
                    if answering == lastSenseSequence && !steppedSinceSense && !plant.isEpisodeOver {
                        stepPlant()
                        sendSense()
                    } else {
                        resendLastSense()
                    }
                }
            }
        case .reset:
            switch Messages.readReset(&payload) {
            case .failure(let reason):
                counters.count(reason)
            case .success(let request):
                if resetPlant(request) {
                    counters.accepted += 1
                    sendSense()
                } else {
                    counters.count(.outOfRange)
                    send(.fault) { Messages.writeFault(&$0, code: .badReset, detail: UInt32(plant.physicalStateSize)) }
                }
            }
        case .configure:
            switch Messages.readConfigure(&payload) {
            case .failure(let reason): counters.count(reason)
            case .success(let (number, value)):
                // An unknown parameter, or a value the parameter does not take: FAULT 5, nothing changes.
                guard let parameter = ConfigureParameter(rawValue: number), parameter.accepts(value, actionSize: plant.actionSize) else {
                    counters.count(.outOfRange)
                    send(.fault) { Messages.writeFault(&$0, code: .badParameter, detail: UInt32(number)) }
                    return true
                }
                counters.accepted += 1
                apply(parameter, value)
            }
        case .bye:
            guard payload.remaining == 0 else { counters.count(.malformedPayload); return true }
            counters.accepted += 1
            helloDone = false
            return !options.exitOnBye
        default:
            counters.count(.unexpectedMessage)
        }
        return true
    }

    /// The controller repeated an ACT (its SENSE was lost): send the last SENSE again, same bytes.
    func resendLastSense() {
        guard lastSenseLength > 0 else { return }
        counters.retransmissions += 1
        faults.transmit(UnsafeRawBufferPointer(rebasing: lastSense[0..<lastSenseLength]), via: transport, now: monotonicMicroseconds())
    }

    /// Sends one frame to the sender of the last datagram (a refusal to a stranger), not to the peer.
    func sendToStranger(_ type: MessageType, body: (inout ByteWriter) -> Void) {
        let n = Frame.encode(FrameHeader(type: type, sequence: 0, plantTimeMicroseconds: plantTime), into: tx, body: body)
        strangerReplies += 1
        _ = transport.sendToLastSender(UnsafeRawBufferPointer(rebasing: tx[0..<n]))
    }

    /// Sets a perturbation; `parameter.accepts(value, …)` (checked by the callers). −0 is taken
    /// as 0 (so the status line never says "gain -0.0"); returns the value set.
    @discardableResult
    func apply(_ parameter: ConfigureParameter, _ value: Double) -> Double {
        let value = value == 0 ? 0 : value
        switch parameter {
        case .actuatorNoise: disturbances.actuatorNoise = value
        case .actuatorGain: disturbances.actuatorGain = value
        case .sensorNoise: disturbances.sensorNoise = value
        case .observationDelayTicks: observationDelayTicks = min(Int(value), Self.historyDepth - 1)
        case .stuckObservation: stuckObservation = value != 0
        case .dropObservationProbability: dropObservationProbability = value
        case .weakActuator: disturbances.weakActuator = Int(value)
        case .weakActuatorGain: disturbances.weakActuatorGain = value
        }
        return value
    }

    func applySchedule(atSeconds seconds: Double) {
        for entry in schedule.due(at: seconds) {
            let value = apply(entry.parameter.configureParameter, entry.value)
            log("schedule: \(entry.parameter.rawValue) = \(value) at \(entry.seconds) s")
        }
    }

    // MARK: The loop

    /// Runs until SIGINT/SIGTERM (or BYE with `exitOnBye`).
    func run() {
        var nextTick = monotonicMicroseconds() + options.tickMicroseconds
        var nextStatus = monotonicMicroseconds() + Int(options.statusIntervalSeconds * 1e6)
        var running = true
        while running && stopRequested == 0 {
            let now = monotonicMicroseconds()
            faults.release(via: transport, now: now)
            if options.statusIntervalSeconds > 0 && now >= nextStatus {
                log(statusLine)
                nextStatus = now + Int(options.statusIntervalSeconds * 1e6)
            }
            if options.realTime && now >= nextTick {
                tick()
                nextTick += options.tickMicroseconds
                if nextTick < now { nextTick = now + options.tickMicroseconds }  // overrun: skip, don't catch up
                continue
            }
            let wait = options.realTime ? nextTick - now : 100_000
            if let n = transport.receive(into: rx, timeoutMicroseconds: min(wait, 100_000)) {
                running = handleFrame(length: n)
            }
            if !options.realTime {
                applySchedule(atSeconds: Double(totalSteps) * plant.timeStep)
            }
        }
        faults.release(via: transport, now: monotonicMicroseconds(), force: true)
    }

    /// Real-time mode: one fixed-rate tick with zero-order hold of the last action.
    func tick() {
        applySchedule(atSeconds: Double(monotonicMicroseconds() - startTime) / 1e6)
        guard helloDone else { return }
        ticksSinceAct += 1
        if ticksSinceAct > options.watchdogTicks && !watchdogTripped {
            watchdogTripped = true
            watchdogTrips += 1
            send(.fault) { Messages.writeFault(&$0, code: .watchdog, detail: UInt32(ticksSinceAct)) }
        }
        if plant.isEpisodeOver {
            _ = resetPlant(.seeded(generator.next()))
        } else {
            stepPlant()
        }
        sendSense()
    }

    // MARK: Reporting

    var statusLine: String {
        let seconds = Double(monotonicMicroseconds() - startTime) / 1e6
        let reasons = FrameRejection.allCases.filter { counters.count(of: $0) > 0 }.map { "\($0.label) \(counters.count(of: $0))" }
        return "firmware-sim[\(plant.name)] \(String(format1: seconds)) s, steps \(totalSteps), episodes \(episodes), "
            + "rx \(counters.received) (rejected \(counters.totalRejected)\(reasons.isEmpty ? "" : ": " + reasons.joined(separator: ", "))), tx \(faults.offered) "
            + "(dropped \(faults.dropped), corrupted \(faults.corruptedDeliveries)), watchdog trips \(watchdogTrips), "
            + "gain \(disturbances.actuatorGain), actuator noise \(disturbances.actuatorNoise)"
    }

    /// key=value pairs for scripts and tests.
    var summary: String {
        "firmware-sim summary: plant=\(plant.name) steps=\(totalSteps) episodes=\(episodes) offered=\(faults.offered) "
            + "delivered=\(faults.delivered) dropped=\(faults.dropped) corrupted=\(faults.corruptedDeliveries) "
            + "duplicated=\(faults.duplicated) delayed=\(faults.delayed) received=\(counters.received) "
            + "accepted=\(counters.accepted) rejected=\(counters.totalRejected) retransmitted=\(counters.retransmissions) "
            + "watchdog_trips=\(watchdogTrips) diverged_resets=\(counters.divergedResets) stranger_replies=\(strangerReplies)"
            + FrameRejection.allCases.map { " rejected_\($0.key)=\(counters.count(of: $0))" }.joined()
    }
}

func log(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

extension String {
    /// One decimal, without Foundation.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
