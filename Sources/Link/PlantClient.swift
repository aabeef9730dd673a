/// The controller's side of the link: handshake with shape checks, RESET, lockstep ACT → SENSE
/// with timeouts and retransmission, real-time receive/send, and re-handshake after the
/// firmware restarts. Every received frame is validated; rejects are counted by reason in
/// `counters` and never delivered.
///
/// `act`, `sendAction` and `receiveSense` are real-time safe (preallocated buffers, one
/// syscall each plus a bounded poll). The first handshake allocates (it decodes the plant's
/// name and limits); a HELLO reply byte for byte equal to the last one decoded (a restarted
/// plant, a late or repeated reply) is not decoded again, so re-handshakes with the same plant
/// and stray replies allocate nothing.
public final class PlantClient {
    public let transport: any FrameTransport
    public private(set) var plant: PlantDescription?
    public var counters = LinkCounters()
    /// How long one wait for an answer lasts, and how many times a request is sent.
    public var timeoutMicroseconds: Int
    public var attempts: Int
    /// Handshakes after the first (the firmware restarted and asked for one).
    public private(set) var rehandshakes = 0
    /// Set when the plant answered FAULT 2 "handshake required" (it restarted); cleared by the
    /// next successful handshake.
    public private(set) var handshakeRequested = false
    /// The plant's episode length (steps), from its HELLO reply; 0 before the handshake.
    public private(set) var episodeLength = 0

    /// The last accepted SENSE.
    public private(set) var observation: UnsafeMutableBufferPointer<Float>
    public private(set) var stepIndex: UInt32 = 0
    public private(set) var reward: Float = 0
    public private(set) var flags: FrameFlags = []
    public private(set) var plantTimeMicroseconds: UInt64 = 0
    public private(set) var senseSequence: UInt32 = 0

    let expectedObservationSize: Int, expectedActionSize: Int
    /// Sequence number of the last frame sent.
    public private(set) var sendSequence: UInt32 = 0
    var tracker = SequenceTracker()
    let tx: UnsafeMutableRawBufferPointer
    let rx: UnsafeMutableRawBufferPointer
    let scratchObservation: UnsafeMutableBufferPointer<Float>
    var lastAction: UnsafeMutableBufferPointer<Float>
    /// The payload of the last HELLO reply decoded (its first `helloPayloadCount` bytes).
    let helloPayload: UnsafeMutableRawBufferPointer
    var helloPayloadCount = 0
    /// What that reply decoded to, whether or not its handshake succeeded (a plant of another
    /// shape is refused by `handshake`, and described here).
    public private(set) var lastHello: PlantDescription?

    /// A client for a plant of the given shape (0 accepts any size).
    public init(transport: any FrameTransport, observationSize: Int, actionSize: Int,
                timeoutMicroseconds: Int = 100_000, attempts: Int = 10) {
        self.transport = transport
        expectedObservationSize = observationSize
        expectedActionSize = actionSize
        self.timeoutMicroseconds = timeoutMicroseconds
        self.attempts = attempts
        tx = .allocate(byteCount: Frame.maximumSize, alignment: 8)
        rx = .allocate(byteCount: Frame.maximumSize + 1, alignment: 8)
        observation = .allocate(capacity: max(observationSize, 1))
        scratchObservation = .allocate(capacity: 256)
        lastAction = .allocate(capacity: max(actionSize, 1))
        helloPayload = .allocate(byteCount: Frame.maximumPayload, alignment: 8)
        observation.initialize(repeating: 0)
        lastAction.initialize(repeating: 0)
    }

    deinit {
        tx.deallocate(); rx.deallocate(); observation.deallocate(); scratchObservation.deallocate(); lastAction.deallocate()
        helloPayload.deallocate()
    }

    // MARK: Sending

    @discardableResult
    func send(_ type: MessageType, _ body: (inout ByteWriter) -> Void) -> Bool {
        sendSequence &+= 1
        let n = Frame.encode(FrameHeader(type: type, sequence: sendSequence, plantTimeMicroseconds: plantTimeMicroseconds), into: tx, body: body)
        counters.sent += 1
        return transport.send(UnsafeRawBufferPointer(rebasing: tx[0..<n]))
    }

    // MARK: Receiving

    enum Received { case sense, hello(PlantDescription), fault(FaultCode, UInt32), bye, other }

    /// Receives and validates one frame within `timeout`; nil on timeout or a rejected frame.
    func receiveOne(timeout: Int) -> Received? {
        guard let n = transport.receive(into: rx, timeoutMicroseconds: timeout) else { return nil }
        counters.received += 1
        // Only the plant this client talks to is listened to.
        guard transport.lastFrameFromPeer else { counters.count(.foreignSender); return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: rx[0..<min(n, rx.count)])
        let header: FrameHeader
        switch Frame.decodeHeader(n > rx.count - 1 ? UnsafeRawBufferPointer(rebasing: rx[0..<0]) : bytes) {
        case .failure(let reason):
            counters.count(n > rx.count - 1 ? .badLength : reason)
            return nil
        case .success(let h): header = h
        }
        var payload = Frame.payload(of: bytes, header)
        if header.type == .hello {
            // A HELLO opens a new conversation: the firmware may have restarted at sequence 1.
            let description: PlantDescription
            if let known = lastHello, isLastHelloPayload(payload) {
                description = known
            } else {
                switch Messages.readHelloReply(&payload) {
                case .success(let decoded):
                    description = decoded
                    helloPayload.copyMemory(from: UnsafeRawBufferPointer(start: payload.base, count: payload.count))
                    helloPayloadCount = payload.count
                    lastHello = decoded
                case .failure(let reason):
                    counters.count(reason)
                    return nil
                }
            }
            tracker.restart()
            _ = tracker.accept(header.sequence)
            counters.accepted += 1
            return .hello(description)
        }
        if header.type == .fault, case .success(let (code, _)) = Messages.readFault(&payload), code == .handshakeRequired {
            // A restarted plant numbers its frames from 1 again: its FAULT 2 is exempt from the
            // sequence check, like a HELLO.
            counters.accepted += 1
            handshakeRequested = true
            return .fault(.handshakeRequired, 0)
        }
        payload = Frame.payload(of: bytes, header)
        if let reason = tracker.accept(header.sequence) {
            counters.count(reason)
            return nil
        }
        switch header.type {
        case .sense:
            guard plant != nil else { counters.count(.unexpectedMessage); return nil }
            switch Messages.readSense(&payload, observation: UnsafeMutableBufferPointer(rebasing: scratchObservation[0..<observation.count])) {
            case .success(let (step, r)):
                for i in 0..<observation.count { observation[i] = scratchObservation[i] }
                stepIndex = step
                reward = r
                flags = header.flags
                plantTimeMicroseconds = header.plantTimeMicroseconds
                senseSequence = header.sequence
                counters.accepted += 1
                return .sense
            case .failure(let reason):
                counters.count(reason)
                return nil
            }
        case .fault:
            switch Messages.readFault(&payload) {
            case .success(let (code, detail)):
                counters.accepted += 1
                return .fault(code, detail)
            case .failure(let reason):
                counters.count(reason)
                return nil
            }
        case .bye:
            counters.accepted += 1
            return .bye
        default:
            counters.count(.unexpectedMessage)
            return nil
        }
    }

    /// Whether `payload` holds the same bytes as the last HELLO reply decoded.
    func isLastHelloPayload(_ payload: ByteReader) -> Bool {
        guard payload.count == helloPayloadCount else { return false }
        for i in 0..<helloPayloadCount where payload.base.load(fromByteOffset: i, as: UInt8.self) != helloPayload[i] { return false }
        return true
    }

    // MARK: Handshake

    /// Asks the plant to describe itself and checks its shape against this controller's; sends
    /// the request up to `attempts` times, waiting `timeoutMicroseconds` for each answer
    /// (default: the client's settings).
    @discardableResult
    public func handshake(attempts: Int? = nil, timeoutMicroseconds: Int? = nil) throws(LinkError) -> PlantDescription {
        let attempts = attempts ?? self.attempts, timeout = timeoutMicroseconds ?? self.timeoutMicroseconds
        for attempt in 0..<attempts {
            if attempt > 0 { counters.retransmissions += 1 }
            send(.hello) { Messages.writeHelloRequest(&$0, observationSize: expectedObservationSize, actionSize: expectedActionSize) }
            let deadline = monotonicMicroseconds() + timeout
            while case let left = deadline - monotonicMicroseconds(), left > 0 {
                guard let received = receiveOne(timeout: left) else { continue }
                guard case .hello(let description) = received else { continue }
                if (expectedObservationSize != 0 && description.observationSize != expectedObservationSize)
                    || (expectedActionSize != 0 && description.actionSize != expectedActionSize) {
                    throw .shapeMismatch(plant: description.name, observationSize: description.observationSize,
                                         actionSize: description.actionSize, expectedObservationSize: expectedObservationSize,
                                         expectedActionSize: expectedActionSize)
                }
                if plant != nil { rehandshakes += 1 }
                handshakeRequested = false
                if observation.count != description.observationSize {
                    observation.deallocate()
                    observation = .allocate(capacity: description.observationSize)
                    observation.initialize(repeating: 0)
                }
                if lastAction.count != description.actionSize {
                    lastAction.deallocate()
                    lastAction = .allocate(capacity: description.actionSize)
                    lastAction.initialize(repeating: 0)
                }
                plant = description
                episodeLength = description.episodeLength
                return description
            }
            counters.timeouts += 1
        }
        throw .timeout(waitingFor: "HELLO reply", attempts: attempts)
    }

    // MARK: Lockstep

    /// Starts an episode and waits for its first SENSE (flag `episodeStart`).
    public func reset(_ request: Messages.ResetRequest) throws(LinkError) {
        guard plant != nil else { throw .notConnected }
        try exchange(expecting: "SENSE after RESET", accept: { $0.flags.contains(.episodeStart) && $0.stepIndex == 0 }) {
            send(.reset) { Messages.writeReset(&$0, request) }
        }
    }

    /// Lockstep: sends `action` answering the last SENSE and waits for the next one; retransmits
    /// on timeout (the firmware answers a repeated ACT with its last SENSE, never steps twice).
    public func act(_ action: UnsafeBufferPointer<Float>) throws(LinkError) {
        guard plant != nil else { throw .notConnected }
        let expected = stepIndex &+ 1
        let answering = senseSequence
        try exchange(expecting: "SENSE after ACT", accept: { $0.stepIndex == expected && !$0.flags.contains(.episodeStart) }) {
            send(.act) { Messages.writeAct(&$0, answering: answering, action: action) }
        }
    }

    /// Sends `request` until a SENSE that `accept` takes arrives.
    func exchange(expecting what: String, accept: (PlantClient) -> Bool, request: () -> Void) throws(LinkError) {
        for attempt in 0..<attempts {
            if attempt > 0 { counters.retransmissions += 1 }
            request()
            let deadline = monotonicMicroseconds() + timeoutMicroseconds
            while case let left = deadline - monotonicMicroseconds(), left > 0 {
                guard let received = receiveOne(timeout: left) else { continue }
                switch received {
                case .sense where accept(self): return
                case .sense: counters.count(.unexpectedMessage)
                case .fault(.handshakeRequired, _):
                    // The firmware restarted: shake hands again; the episode it had is gone.
                    try handshake()
                    throw .fault(.handshakeRequired, detail: 0)
                case .fault(let code, let detail) where code != .watchdog:
                    throw .fault(code, detail: detail)
                case .bye: throw .plantClosed
                default: break
                }
            }
            counters.timeouts += 1
        }
        throw .timeout(waitingFor: what, attempts: attempts)
    }

    // MARK: Real time

    /// Waits up to `timeoutMicroseconds` for the next SENSE; true if one arrived.
    public func receiveSense(timeoutMicroseconds: Int) -> Bool {
        let deadline = monotonicMicroseconds() + timeoutMicroseconds
        // At least one look, so a timeout of 0 polls what is already queued.
        repeat {
            if case .sense = receiveOne(timeout: max(deadline - monotonicMicroseconds(), 0)) { return true }
        } while monotonicMicroseconds() < deadline
        return false
    }

    /// Sends `action` answering the last SENSE without waiting.
    @discardableResult
    public func sendAction(_ action: UnsafeBufferPointer<Float>) -> Bool {
        let answering = senseSequence
        return send(.act) { Messages.writeAct(&$0, answering: answering, action: action) }
    }

    /// Sets a plant perturbation (CONFIGURE).
    public func configure(_ parameter: ConfigureParameter, _ value: Double) {
        send(.configure) { Messages.writeConfigure(&$0, parameter, value) }
    }

    /// Tells the plant the controller is leaving.
    public func bye() { send(.bye) { _ in } }
}
