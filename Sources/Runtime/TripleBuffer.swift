import Synchronization

/// Wait-free hand-off of parameter sets from one writer (the learner) to one reader (the
/// control thread): three preallocated blocks; the writer fills its back block and publishes
/// it with one atomic exchange; the reader takes the newest published block with one atomic
/// exchange. Neither side waits, copies under a lock, or can see a torn set: a block is only
/// ever written by the writer while it is the writer's and read while it is the reader's.
/// Real-time safe on both sides.
public final class TripleBuffer: @unchecked Sendable {
    public let count: Int
    let blocks: UnsafeMutablePointer<Float>
    /// Index of the shared (middle) block in bits 0–1; bit 2 set when it holds a set the
    /// reader has not taken yet.
    private let middle = Atomic<Int>(1)
    private var writerIndex = 0
    private var readerIndex = 2
    /// Version of each block's contents (written with the block).
    let versions: UnsafeMutablePointer<UInt64>

    /// Three blocks of `count` floats, zeroed.
    public init(count: Int) {
        self.count = count
        blocks = .allocate(capacity: 3 * count)
        blocks.initialize(repeating: 0, count: 3 * count)
        versions = .allocate(capacity: 3)
        versions.initialize(repeating: 0, count: 3)
    }

    deinit {
        blocks.deallocate()
        versions.deallocate()
    }

    /// Writer: the block to fill before `publish`.
    public var writeBlock: UnsafeMutablePointer<Float> { blocks + writerIndex * count }

    /// Writer: makes the filled block the newest, tagged `version`.
    @_noAllocation @_noLocks
    public func publish(version: UInt64) {
        versions[writerIndex] = version
        let previous = middle.exchange(writerIndex | 4, ordering: .acquiringAndReleasing)
        writerIndex = previous & 3
    }

    /// Reader: takes the newest published block if there is one not yet taken; returns its
    /// version (nil when nothing new). Read the set through `readBlock` until the next call.
    @_noAllocation @_noLocks
    public func takeNewest() -> UInt64? {
        guard middle.load(ordering: .relaxed) & 4 != 0 else { return nil }
        let previous = middle.exchange(readerIndex, ordering: .acquiringAndReleasing)
        readerIndex = previous & 3
        return versions[readerIndex]
    }

    /// Reader: the block taken last.
    public var readBlock: UnsafePointer<Float> { UnsafePointer(blocks + readerIndex * count) }
}
