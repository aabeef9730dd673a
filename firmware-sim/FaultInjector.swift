import Link
import Random

/// What a bad link does to the frames the firmware sends: drop, corrupt (one flipped bit),
/// duplicate, delay — each with its own probability, from a seeded generator so a run
/// reproduces. Counts everything it did.
final class FaultInjector {
    var dropProbability: Double
    var corruptProbability: Double
    var duplicateProbability: Double
    var delayProbability: Double
    /// How long a delayed frame is held.
    var delayMicroseconds: Int
    var generator: Xoshiro256StarStar

    private(set) var offered = 0, delivered = 0, dropped = 0, corruptedDeliveries = 0, duplicated = 0, delayed = 0

    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Frame.maximumSize, alignment: 8)
    /// Held frames: bytes, length and release time, in a small fixed ring.
    let held = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * Frame.maximumSize, alignment: 8)
    var heldLength = [Int](repeating: 0, count: 16), heldRelease = [Int](repeating: 0, count: 16)
    var heldCount = 0, heldFirst = 0

    init(drop: Double, corrupt: Double, duplicate: Double, delay: Double, delayMicroseconds: Int, seed: UInt64) {
        dropProbability = drop
        corruptProbability = corrupt
        duplicateProbability = duplicate
        delayProbability = delay
        self.delayMicroseconds = delayMicroseconds
        generator = Xoshiro256StarStar(seed: seed)
    }

    deinit {
        scratch.deallocate()
        held.deallocate()
    }

    /// Sends `frame` through `transport`, or not, as the dice say.
    func transmit(_ frame: UnsafeRawBufferPointer, via transport: any FrameTransport, now: Int) {
        offered += 1
        if generator.nextUniform() < dropProbability {
            dropped += 1
            return
        }
        scratch.copyMemory(from: frame)
        let bytes = UnsafeRawBufferPointer(rebasing: scratch[0..<frame.count])
        var corrupted = false
        if generator.nextUniform() < corruptProbability {
            let index = Int(generator.next() % UInt64(frame.count))
            scratch[index] ^= UInt8(1) << UInt8(generator.next() % 8)
            corrupted = true
        }
        let copies = generator.nextUniform() < duplicateProbability ? 2 : 1
        if copies == 2 { duplicated += 1 }
        if generator.nextUniform() < delayProbability && heldCount < heldLength.count {
            delayed += 1
            let slot = (heldFirst + heldCount) % heldLength.count
            UnsafeMutableRawBufferPointer(rebasing: held[(slot * Frame.maximumSize)..<((slot + 1) * Frame.maximumSize)])
                .copyMemory(from: bytes)
            heldLength[slot] = frame.count
            heldRelease[slot] = now + delayMicroseconds
            heldCount += 1
            if corrupted { corruptedDeliveries += 1 }
            delivered += 1
            return
        }
        for _ in 0..<copies {
            if transport.send(bytes) {
                delivered += 1
                if corrupted { corruptedDeliveries += 1 }
            }
        }
    }

    /// Sends held frames whose time has come (all of them with `force`).
    func release(via transport: any FrameTransport, now: Int, force: Bool = false) {
        while heldCount > 0 && (force || heldRelease[heldFirst] <= now) {
            let start = heldFirst * Frame.maximumSize
            _ = transport.send(UnsafeRawBufferPointer(rebasing: held[start..<(start + heldLength[heldFirst])]))
            heldFirst = (heldFirst + 1) % heldLength.count
            heldCount -= 1
        }
    }
}
