#define _GNU_SOURCE
#include <stddef.h>
#include <errno.h>
#include "AllocationCounter.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SVGRT_SANITIZED 1
#endif
#endif

#ifdef SVGRT_SANITIZED
// Under ThreadSanitizer or AddressSanitizer the sanitizer owns malloc; interposing it as well
// crashes at start-up. The counter then reports nothing (allocation-freedom is proven by the
// release test run, races by the sanitizer run).
unsigned long svgrt_thread_allocation_count(void) { return 0; }
#else
// glibc's real allocator entry points; calling them avoids dlsym(RTLD_NEXT), which itself
// allocates and would recurse.
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

// initial-exec TLS: no lazy allocation of the TLS block on first access from malloc itself.
static __thread unsigned long allocations __attribute__((tls_model("initial-exec")));

unsigned long svgrt_thread_allocation_count(void) { return allocations; }

void *malloc(size_t size) {
    allocations++;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    allocations++;
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    allocations++;
    return __libc_realloc(pointer, size);
}

void free(void *pointer) { __libc_free(pointer); }

void *memalign(size_t alignment, size_t size) {
    allocations++;
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    allocations++;
    return __libc_memalign(alignment, size);
}

void *valloc(size_t size) {
    allocations++;
    return __libc_memalign(4096, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    allocations++;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}
#endif
