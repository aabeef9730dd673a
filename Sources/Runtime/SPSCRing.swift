import Synchronization

/// A single-producer single-consumer lock-free ring of fixed-width `Float` records (the
/// transitions the control thread hands to the learner). Capacity is a power of two, allocated
/// once. Head (written by the producer) and tail (written by the consumer) sit on separate
/// cache lines, each side caches the other's index (the rigtorp SPSCQueue design), and the
/// hand-off is acquire/release. When full, `push` drops the record and counts it: the producer
/// never blocks. Real-time safe on both sides: no allocation, no lock, no syscall.
public final class SPSCRing: @unchecked Sendable {
    public let capacity: Int
    /// Floats per record.
    public let width: Int
    let mask: Int
    let slots: UnsafeMutablePointer<Float>

    // Producer's cache line.
    private let head = Atomic<Int>(0)
    private var cachedTail = 0
    /// Records dropped because the ring was full (producer side).
    public private(set) var dropped = 0
    private let _paddingA: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    // Consumer's cache line.
    private let tail = Atomic<Int>(0)
    private var cachedHead = 0
    private let _paddingB: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// A ring of at least `minimumCapacity` records (rounded up to a power of two) of `width` floats.
    public init(minimumCapacity: Int, width: Int) {
        var c = 1
        while c < minimumCapacity { c <<= 1 }
        capacity = c
        mask = c - 1
        self.width = width
        slots = .allocate(capacity: c * width)
        slots.initialize(repeating: 0, count: c * width)
    }

    deinit { slots.deallocate() }

    /// Producer: copies `width` floats from `record`; false (and counted) if the ring is full.
    @discardableResult
    @_noAllocation @_noLocks
    public func push(_ record: UnsafePointer<Float>) -> Bool {
        let h = head.load(ordering: .relaxed)
        if h - cachedTail == capacity {
            cachedTail = tail.load(ordering: .acquiring)
            if h - cachedTail == capacity {
                dropped &+= 1
                return false
            }
        }
        let slot = slots + (h & mask) * width
        for i in 0..<width { slot[i] = record[i] }
        head.store(h + 1, ordering: .releasing)
        return true
    }

    /// Consumer: copies the oldest record into `record`; false if the ring is empty.
    @_noAllocation @_noLocks
    public func pop(into record: UnsafeMutablePointer<Float>) -> Bool {
        let t = tail.load(ordering: .relaxed)
        if t == cachedHead {
            cachedHead = head.load(ordering: .acquiring)
            if t == cachedHead { return false }
        }
        let slot = slots + (t & mask) * width
        for i in 0..<width { record[i] = slot[i] }
        tail.store(t + 1, ordering: .releasing)
        return true
    }

    /// Records waiting (approximate from either side).
    public var count: Int { head.load(ordering: .acquiring) - tail.load(ordering: .acquiring) }
}
