// Counts heap allocations made by the calling thread. For tests only: linking this target
// interposes malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign and valloc for
// the whole process (the glibc `__libc_*` entry points do the real work), and each call adds
// one to a thread-local counter. Threads do not see each other's counts, so tests running in
// parallel do not pollute one another.
#ifndef SVGRT_ALLOCATION_COUNTER_H
#define SVGRT_ALLOCATION_COUNTER_H

/// Allocations made by the calling thread since it started (monotone; never reset).
unsigned long svgrt_thread_allocation_count(void);

#endif
