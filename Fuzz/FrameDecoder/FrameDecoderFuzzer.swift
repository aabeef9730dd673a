// libFuzzer entry point for the frame decoder: every input is decoded as a received frame and,
// if its header passes, as each message type. The decoder must never trap, read out of bounds
// (AddressSanitizer) or accept a frame whose checksum does not match.
// Built and run by Fuzz/run (part of the test command): compiled together with Sources/Link and
// Sources/Checksum as one module, with -sanitize=fuzzer,address.

nonisolated(unsafe) let observation = UnsafeMutableBufferPointer<Float>.allocate(capacity: 64)
nonisolated(unsafe) let action = UnsafeMutableBufferPointer<Float>.allocate(capacity: 64)
nonisolated(unsafe) var tracker = SequenceTracker()
nonisolated(unsafe) var counters = LinkCounters()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    switch Frame.decodeHeader(bytes) {
    case .failure(let reason):
        counters.count(reason)
    case .success(let header):
        if let reason = tracker.accept(header.sequence) { counters.count(reason) }
        // Every payload decoder, whatever the type says: none may trap on any bytes.
        let sizes = [0, 1, 3, 8, 64]
        for n in sizes {
            var r = Frame.payload(of: bytes, header)
            _ = Messages.readSense(&r, observation: UnsafeMutableBufferPointer(rebasing: observation[0..<n]))
            r = Frame.payload(of: bytes, header)
            _ = Messages.readAct(&r, action: UnsafeMutableBufferPointer(rebasing: action[0..<n]))
        }
        var r = Frame.payload(of: bytes, header)
        _ = Messages.readHelloReply(&r)
        r = Frame.payload(of: bytes, header)
        _ = Messages.readHelloRequest(&r)
        r = Frame.payload(of: bytes, header)
        _ = Messages.readReset(&r)
        r = Frame.payload(of: bytes, header)
        _ = Messages.readFault(&r)
        r = Frame.payload(of: bytes, header)
        _ = Messages.readConfigure(&r)
    }
    // COBS on the same bytes: decoding must stay inside its output buffer.
    let out = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 1)
    _ = COBS.decode(bytes, into: out)
    out.deallocate()
    return 0
}
