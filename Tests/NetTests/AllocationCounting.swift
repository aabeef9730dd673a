import _AllocationCounter

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign, valloc)
/// made by the calling thread while `body` runs. Read the result before asserting: XCTest's
/// passing assertions allocate nothing, but building a message does.
func allocationCount(_ body: () -> Void) -> UInt {
    let before = svgrt_thread_allocation_count()
    body()
    return svgrt_thread_allocation_count() - before
}
