// libFuzzer entry point for the whole datagram handling of both sides: a firmware-sim plant's
// server state machine (Firmware.handleFrame, and its real-time tick) and the controller's
// receive path (PlantClient), each fed the same arbitrary sequence of datagrams from two
// senders. Neither may trap, read out of bounds (AddressSanitizer), let a stranger take the
// plant while its peer is live, or let a NaN or Inf out (a SENSE the plant sends, an
// observation the client delivers). Built and run by Fuzz/run with firmware-sim's sources.
//
// Input: records of [control: u8][length: u8][length bytes]. Control bit 0: the sender (peer or
// stranger); bit 1: the bytes are a frame's type (byte 0), flags (byte 1) and payload (the rest),
// framed with a valid header, sequence and CRC by the harness, else sent raw; bit 2: one
// real-time tick of the plant afterwards. The first input byte picks the plant and the mode.
import Link
import Plants
import Random

/// A transport that hands out queued datagrams and keeps what is sent.
final class FuzzTransport: FrameTransport {
    var queue: [(sender: Int, bytes: [UInt8])] = []
    var sent: [[UInt8]] = []
    var peer: Int? = nil, lastSender = 0
    /// True on the controller's side, which sends to a fixed plant (sender 0).
    let fixedPeer: Bool

    init(fixedPeer: Bool) {
        self.fixedPeer = fixedPeer
        if fixedPeer { peer = 0 }
    }

    func send(_ frame: UnsafeRawBufferPointer) -> Bool { sent.append(Array(frame)); return true }
    func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMicroseconds: Int) -> Int? {
        guard !queue.isEmpty else { return nil }
        let (sender, bytes) = queue.removeFirst()
        lastSender = sender
        let n = min(bytes.count, buffer.count)
        for i in 0..<n { buffer[i] = bytes[i] }
        return bytes.count > buffer.count ? buffer.count : n
    }
    func close() {}
    var lastFrameFromPeer: Bool { peer == lastSender }
    func adoptLastSender() { if !fixedPeer { peer = lastSender } }
    func sendToLastSender(_ frame: UnsafeRawBufferPointer) -> Bool { sent.append(Array(frame)); return true }
}

nonisolated(unsafe) let frameBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize, alignment: 8)
nonisolated(unsafe) let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: 300)

/// Traps on a SENSE with a NaN or Inf among `frames`.
func checkFinite(_ frames: [[UInt8]], observationSize: Int) {
    for f in frames {
        f.withUnsafeBytes { bytes in
            guard case .success(let header) = Frame.decodeHeader(bytes), header.type == .sense else { return }
            var r = Frame.payload(of: bytes, header)
            if case .failure(.nonFiniteValue) = Messages.readSense(&r, observation: UnsafeMutableBufferPointer(rebasing: scratch[0..<observationSize])) {
                fatalError("the plant sent a SENSE with NaN or Inf")
            }
        }
    }
}

/// Every plant that can be made here (the MuJoCo tasks too where the library loads).
let availablePlants = PlantRegistry.availableNames

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDatagrams(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let names = availablePlants
    let plant = PlantRegistry.make(names[Int(data[0]) % names.count])!
    var options = Firmware.Options()
    options.realTime = data[0] & 0x80 != 0
    options.statusIntervalSeconds = 0
    let plantSide = FuzzTransport(fixedPeer: false)
    let firmware = Firmware(plant: plant, transport: plantSide,
                            options: options, faults: FaultInjector(drop: 0, corrupt: 0, duplicate: 0, delay: 0, delayMicroseconds: 0, seed: 1),
                            disturbances: Disturbances(seed: 2, actuatorGain: 1, actuatorNoise: 0, sensorNoise: 0), schedule: try! Schedule(""))
    // The controller's side, after a handshake with this plant.
    let clientSide = FuzzTransport(fixedPeer: true)
    let client = PlantClient(transport: clientSide, observationSize: plant.observationSize, actionSize: plant.actionSize)
    let d = firmware.description
    let n = Frame.encode(FrameHeader(type: .hello, sequence: 1, plantTimeMicroseconds: 0), into: frameBuffer) { Messages.writeHelloReply(&$0, d) }
    clientSide.queue.append((0, Array(UnsafeRawBufferPointer(rebasing: frameBuffer[0..<n]))))
    _ = try? client.handshake(attempts: 1, timeoutMicroseconds: 0)
    var sequence: [UInt32] = [0, 0]
    var i = 1
    while i + 2 <= size {
        let control = data[i], length = Int(data[i + 1])
        i += 2
        let body = Array(UnsafeBufferPointer(start: data + i, count: min(length, size - i)))
        i += length
        let sender = Int(control & 1)
        var datagram = body
        if control & 2 != 0, let type = body.first.flatMap({ MessageType(rawValue: $0 % 8) }) {
            sequence[sender] &+= 1
            let flags = FrameFlags(rawValue: body.count > 1 ? UInt16(body[1]) : 0)
            let m = Frame.encode(FrameHeader(type: type, flags: flags, sequence: sequence[sender], plantTimeMicroseconds: 0), into: frameBuffer) { w in
                for b in body.dropFirst(2).prefix(1000) { w.write(b) }
            }
            datagram = Array(UnsafeRawBufferPointer(rebasing: frameBuffer[0..<m]))
        }
        // The plant.
        let peerBefore = plantSide.peer
        let liveBefore = firmware.helloDone && monotonicMicroseconds() - firmware.lastPeerActivity < Firmware.peerTimeoutMicroseconds
        plantSide.queue.append((sender, datagram))
        if let m = plantSide.receive(into: firmware.rx, timeoutMicroseconds: 0) { _ = firmware.handleFrame(length: m) }
        if liveBefore, let peerBefore, plantSide.peer != peerBefore { fatalError("a stranger took the plant from a live peer") }
        if control & 4 != 0 { firmware.tick() }
        checkFinite(plantSide.sent, observationSize: plant.observationSize)
        plantSide.sent.removeAll(keepingCapacity: true)
        // The controller: only sender 0 is its plant.
        clientSide.queue.append((sender, datagram))
        _ = client.receiveSense(timeoutMicroseconds: 0)
        for k in 0..<client.observation.count where !client.observation[k].isFinite { fatalError("the client delivered NaN or Inf") }
        let c = client.counters
        if c.accepted + c.totalRejected != c.received { fatalError("a received frame was neither accepted nor rejected") }
        clientSide.sent.removeAll(keepingCapacity: true)
    }
    return 0
}
