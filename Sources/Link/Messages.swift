/// Payload codecs of the messages (docs/protocol.md § Messages). Encoders write into a
/// `ByteWriter`; decoders read untrusted bytes into the caller's buffers and reject anything
/// malformed or non-finite. SENSE and ACT, the per-cycle messages, are real-time safe.

/// What a plant says about itself in its HELLO reply.
public struct PlantDescription: Sendable, Equatable {
    public enum Mode: UInt8, Sendable { case realTime = 0, lockstep = 1 }
    public var name: String
    public var observationSize: Int
    public var actionSize: Int
    public var physicalStateSize: Int
    /// Plant time per step, µs.
    public var stepMicroseconds: UInt32
    /// Wall time per firmware tick in real-time mode, µs (0 in lockstep).
    public var tickMicroseconds: UInt32
    public var episodeLength: Int
    public var mode: Mode
    public var actionLow: [Float]
    public var actionHigh: [Float]

    public init(name: String, observationSize: Int, actionSize: Int, physicalStateSize: Int, stepMicroseconds: UInt32,
                tickMicroseconds: UInt32, episodeLength: Int, mode: Mode, actionLow: [Float], actionHigh: [Float]) {
        self.name = name
        self.observationSize = observationSize
        self.actionSize = actionSize
        self.physicalStateSize = physicalStateSize
        self.stepMicroseconds = stepMicroseconds
        self.tickMicroseconds = tickMicroseconds
        self.episodeLength = episodeLength
        self.mode = mode
        self.actionLow = actionLow
        self.actionHigh = actionHigh
    }

    /// The largest observation a SENSE can carry: (1,024 − 10) / 4 floats.
    public static let maximumObservationSize = (Frame.maximumPayload - 10) / 4

    /// Why a controller that knows the plant only from this description cannot drive it, in one
    /// line (nil: it can). A decoded HELLO is well-formed; this checks that it describes a plant:
    /// a printable name, 1 to `maximumObservationSize` observations, at least one actuator, each
    /// with low < high, a step and an episode longer than zero.
    public var refusal: String? {
        if name.isEmpty || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "its name \(name.debugDescription) is empty or holds control characters"
        }
        guard (1...Self.maximumObservationSize).contains(observationSize) else {
            return "it has \(observationSize) observations; a SENSE carries 1 to \(Self.maximumObservationSize)"
        }
        guard actionSize >= 1 else { return "it has no actuators (A = 0)" }
        if let i = (0..<actionSize).first(where: { !(actionLow[$0] < actionHigh[$0]) }) {
            return "actuator \(i)'s limits [\(actionLow[i]), \(actionHigh[i])] hold no action: low must be below high"
        }
        guard stepMicroseconds > 0 else { return "its step is 0 µs" }
        guard episodeLength > 0 else { return "its episodes are 0 steps long" }
        return nil
    }

    /// The first field in which this description differs from `other`, as "FIELD X, was Y"
    /// (nil: they are equal).
    public func difference(from other: PlantDescription) -> String? {
        let fields: [(String, String, String)] = [
            ("name", name.debugDescription, other.name.debugDescription),
            ("S", "\(observationSize)", "\(other.observationSize)"), ("A", "\(actionSize)", "\(other.actionSize)"),
            ("P", "\(physicalStateSize)", "\(other.physicalStateSize)"),
            ("action low", "\(actionLow)", "\(other.actionLow)"), ("action high", "\(actionHigh)", "\(other.actionHigh)"),
            ("plant step", "\(stepMicroseconds) µs", "\(other.stepMicroseconds) µs"),
            ("tick", "\(tickMicroseconds) µs", "\(other.tickMicroseconds) µs"),
            ("episode length", "\(episodeLength) steps", "\(other.episodeLength) steps"),
            ("mode", mode == .realTime ? "real-time" : "lockstep", other.mode == .realTime ? "real-time" : "lockstep")]
        return fields.first { $0.1 != $0.2 }.map { "\($0.0) \($0.1), was \($0.2)" }
    }
}

/// Fault codes of FAULT messages.
public enum FaultCode: UInt16, Sendable {
    case watchdog = 1
    case handshakeRequired = 2
    case badAction = 3
    case badReset = 4
    /// A CONFIGURE of an unknown parameter or with a value it does not take (detail: the parameter number).
    case badParameter = 5
    /// Another controller holds the plant (sent to the one refused).
    case otherController = 6
}

/// CONFIGURE parameters: plant perturbations changed while running.
public enum ConfigureParameter: UInt8, Sendable, CaseIterable {
    case actuatorNoise = 1, actuatorGain = 2, sensorNoise = 3, observationDelayTicks = 4
    case stuckObservation = 5, dropObservationProbability = 6
    /// The actuator `weakActuatorGain` applies to (−1: none; the plant refuses an index ≥ A).
    case weakActuator = 7, weakActuatorGain = 8

    /// The values a plant with `actionSize` actuators accepts (docs/protocol.md): within
    /// `validRange`, a whole number for the parameters that count (ticks, on/off, an actuator's
    /// index), and an index below `actionSize` for the weak actuator. Anything else is refused
    /// with FAULT 5.
    public func accepts(_ value: Double, actionSize: Int) -> Bool {
        guard validRange.contains(value) else { return false }
        switch self {
        case .observationDelayTicks, .stuckObservation: return value == value.rounded()
        case .weakActuator: return value == value.rounded() && value < Double(actionSize)
        default: return true
        }
    }

    /// The interval a plant accepts values in (`accepts` adds whole numbers where they count).
    public var validRange: ClosedRange<Double> {
        switch self {
        case .actuatorNoise: 0...1            // standard deviation, fraction of the actuator range
        case .actuatorGain: 0...10            // 1 nominal; negative would reverse the actuator
        case .sensorNoise: 0...1_000          // standard deviation, observation units
        case .observationDelayTicks: 0...32   // the plant's delay line
        case .stuckObservation: 0...1
        case .dropObservationProbability: 0...1
        case .weakActuator: -1...255          // an actuator's index
        case .weakActuatorGain: 0...10
        }
    }
}

public enum Messages {
    public static let maximumNameLength = 32

    // MARK: HELLO

    /// Controller → plant: "who are you?", with the shape the controller was built for (0 = any).
    public static func writeHelloRequest(_ w: inout ByteWriter, observationSize: Int, actionSize: Int) {
        w.write(UInt8(0))
        w.write(UInt16(observationSize))
        w.write(UInt16(actionSize))
    }

    /// The shape a HELLO request asks for, or nil when the payload is not a request.
    public static func readHelloRequest(_ r: inout ByteReader) -> (observationSize: Int, actionSize: Int)? {
        guard r.read(UInt8.self) == 0, let s = r.read(UInt16.self), let a = r.read(UInt16.self), r.remaining == 0 else { return nil }
        return (Int(s), Int(a))
    }

    /// Plant → controller: its description.
    public static func writeHelloReply(_ w: inout ByteWriter, _ d: PlantDescription) {
        w.write(UInt8(1))
        let name = Array(d.name.utf8.prefix(maximumNameLength))
        w.write(UInt8(name.count))
        for byte in name { w.write(byte) }
        w.write(UInt16(d.observationSize))
        w.write(UInt16(d.actionSize))
        w.write(UInt16(d.physicalStateSize))
        w.write(d.stepMicroseconds)
        w.write(d.tickMicroseconds)
        w.write(UInt32(d.episodeLength))
        w.write(d.mode.rawValue)
        for v in d.actionLow { w.write(v) }
        for v in d.actionHigh { w.write(v) }
    }

    /// Parses a HELLO reply (allocates: handshake only, not the control path).
    public static func readHelloReply(_ r: inout ByteReader) -> Result<PlantDescription, FrameRejection> {
        guard r.read(UInt8.self) == 1, let nameLength = r.read(UInt8.self), Int(nameLength) <= maximumNameLength else {
            return .failure(.malformedPayload)
        }
        var name: [UInt8] = []
        for _ in 0..<nameLength {
            guard let byte = r.read(UInt8.self) else { return .failure(.malformedPayload) }
            name.append(byte)
        }
        guard let s = r.read(UInt16.self), let a = r.read(UInt16.self), let p = r.read(UInt16.self),
              let step = r.read(UInt32.self), let tick = r.read(UInt32.self), let length = r.read(UInt32.self),
              let modeByte = r.read(UInt8.self), let mode = PlantDescription.Mode(rawValue: modeByte),
              r.remaining == 8 * Int(a)
        else { return .failure(.malformedPayload) }
        var low: [Float] = [], high: [Float] = []
        for _ in 0..<a { low.append(r.readFloat()!) }
        for _ in 0..<a { high.append(r.readFloat()!) }
        guard (low + high).allSatisfy(\.isFinite) else { return .failure(.nonFiniteValue) }
        return .success(PlantDescription(
            name: String(decoding: name, as: UTF8.self), observationSize: Int(s), actionSize: Int(a),
            physicalStateSize: Int(p), stepMicroseconds: step, tickMicroseconds: tick, episodeLength: Int(length),
            mode: mode, actionLow: low, actionHigh: high))
    }

    // MARK: SENSE

    /// Plant → controller: step index, the reward of the last step, the observation.
    public static func writeSense(_ w: inout ByteWriter, stepIndex: UInt32, reward: Float, observation: UnsafeBufferPointer<Float>) {
        w.write(stepIndex)
        w.write(reward)
        w.write(UInt16(observation.count))
        for v in observation { w.write(v) }
    }

    /// Reads a SENSE payload into `observation` (whose count must match). Real-time safe.
    public static func readSense(_ r: inout ByteReader, observation: UnsafeMutableBufferPointer<Float>)
        -> Result<(stepIndex: UInt32, reward: Float), FrameRejection>
    {
        guard let step = r.read(UInt32.self), let reward = r.readFloat(), let count = r.read(UInt16.self),
              Int(count) == observation.count, r.remaining == 4 * Int(count)
        else { return .failure(.malformedPayload) }
        var finite = reward.isFinite
        for i in 0..<observation.count {
            let v = r.readFloat()!
            finite = finite && v.isFinite
            observation[i] = v
        }
        return finite ? .success((step, reward)) : .failure(.nonFiniteValue)
    }

    // MARK: ACT

    /// Controller → plant: the action answering SENSE number `answering`.
    public static func writeAct(_ w: inout ByteWriter, answering: UInt32, action: UnsafeBufferPointer<Float>) {
        w.write(answering)
        w.write(UInt16(action.count))
        for v in action { w.write(v) }
    }

    /// Reads an ACT payload into `action` (whose count must match). Real-time safe.
    public static func readAct(_ r: inout ByteReader, action: UnsafeMutableBufferPointer<Float>) -> Result<UInt32, FrameRejection> {
        guard let answering = r.read(UInt32.self), let count = r.read(UInt16.self),
              Int(count) == action.count, r.remaining == 4 * Int(count)
        else { return .failure(.malformedPayload) }
        var finite = true
        for i in 0..<action.count {
            let v = r.readFloat()!
            finite = finite && v.isFinite
            action[i] = v
        }
        return finite ? .success(answering) : .failure(.nonFiniteValue)
    }

    // MARK: RESET

    public enum ResetRequest: Equatable, Sendable {
        case seeded(UInt64)
        case explicit([Double])
    }

    public static func writeReset(_ w: inout ByteWriter, _ request: ResetRequest) {
        switch request {
        case .seeded(let seed):
            w.write(UInt8(0))
            w.write(seed)
        case .explicit(let state):
            w.write(UInt8(1))
            w.write(UInt16(state.count))
            for v in state { w.write(v) }
        }
    }

    public static func readReset(_ r: inout ByteReader) -> Result<ResetRequest, FrameRejection> {
        switch r.read(UInt8.self) {
        case 0:
            guard let seed = r.read(UInt64.self), r.remaining == 0 else { return .failure(.malformedPayload) }
            return .success(.seeded(seed))
        case 1:
            guard let count = r.read(UInt16.self), r.remaining == 8 * Int(count) else { return .failure(.malformedPayload) }
            var state: [Double] = []
            for _ in 0..<count { state.append(r.readDouble()!) }
            guard state.allSatisfy(\.isFinite) else { return .failure(.nonFiniteValue) }
            return .success(.explicit(state))
        default:
            return .failure(.malformedPayload)
        }
    }

    // MARK: FAULT, CONFIGURE

    public static func writeFault(_ w: inout ByteWriter, code: FaultCode, detail: UInt32) {
        w.write(code.rawValue)
        w.write(detail)
    }

    public static func readFault(_ r: inout ByteReader) -> Result<(code: FaultCode, detail: UInt32), FrameRejection> {
        guard let raw = r.read(UInt16.self), let code = FaultCode(rawValue: raw), let detail = r.read(UInt32.self), r.remaining == 0
        else { return .failure(.malformedPayload) }
        return .success((code, detail))
    }

    public static func writeConfigure(_ w: inout ByteWriter, _ parameter: ConfigureParameter, _ value: Double) {
        w.write(parameter.rawValue)
        w.write(value)
    }

    /// The parameter's number as sent (one `ConfigureParameter` names, or not: a plant refuses
    /// an unknown one with FAULT 5, as it refuses a value out of range) and its value.
    public static func readConfigure(_ r: inout ByteReader) -> Result<(parameter: UInt8, value: Double), FrameRejection> {
        guard let parameter = r.read(UInt8.self), let value = r.readDouble(), r.remaining == 0
        else { return .failure(.malformedPayload) }
        guard value.isFinite else { return .failure(.nonFiniteValue) }
        return .success((parameter, value))
    }
}
