/// A fixed-size block of `Float`s, 64-byte aligned and zero-filled, allocated once when made
/// and freed when the last reference goes.
///
/// The networks keep every parameter, gradient, optimiser moment and activation in these, so no
/// operation after construction allocates. Real-time safe to read and write through `base`.
public final class FloatBuffer {
    /// First element; valid for `count` elements for the buffer's lifetime.
    public let base: UnsafeMutablePointer<Float>
    /// Number of elements (always a multiple of 8, so whole `SIMD8<Float>` loads stay inside).
    public let count: Int

    /// Allocates `count` floats (rounded up to a multiple of 8), zeroed.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer: negative count \(count)")
        let padded = paddedToLanes(count)
        self.count = padded
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(padded, 8) * MemoryLayout<Float>.stride, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(padded, 8))
        base.initialize(repeating: 0, count: max(padded, 8))
    }

    deinit { base.deallocate() }

    /// Sets every element to zero. Real-time safe.
    public func zero() { base.update(repeating: 0, count: count) }

    /// Element access (bounds-checked in debug builds only).
    @inlinable public subscript(index: Int) -> Float {
        get { assert(index >= 0 && index < count); return base[index] }
        set { assert(index >= 0 && index < count); base[index] = newValue }
    }

    /// Copies every element of `other`, which must have the same count. Real-time safe.
    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "FloatBuffer.copy: \(other.count) elements into \(count)")
        base.update(from: other.base, count: count)
    }
}

/// `count` rounded up to a whole number of 8-lane vectors.
@inlinable public func paddedToLanes(_ count: Int) -> Int { (count + 7) & ~7 }
