#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "RuntimeShims.h"

int svgrt_pin_to_cpu(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int svgrt_pin_thread_to_cpu(int tid, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity((pid_t)tid, sizeof(set), &set) == 0 ? 0 : errno;
}

int svgrt_set_fifo_priority(int priority) {
    struct sched_param parameter;
    memset(&parameter, 0, sizeof(parameter));
    parameter.sched_priority = priority;
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameter);
}

int svgrt_lock_memory(void) { return mlockall(MCL_CURRENT | MCL_FUTURE) == 0 ? 0 : errno; }

void svgrt_prefault_stack(unsigned long bytes) {
    volatile unsigned char *block = __builtin_alloca(bytes);
    for (unsigned long i = 0; i < bytes; i += 4096) block[i] = 0;
}

int svgrt_cpu_count(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }

struct start { void (*body)(void *); void *context; };

static void *trampoline(void *argument) {
    struct start s = *(struct start *)argument;
    free(argument);
    s.body(s.context);
    return NULL;
}

int svgrt_start_thread(void (*body)(void *), void *context, unsigned long *thread) {
    struct start *s = malloc(sizeof(struct start));
    if (!s) return ENOMEM;
    s->body = body;
    s->context = context;
    pthread_t t;
    int result = pthread_create(&t, NULL, trampoline, s);
    if (result != 0) { free(s); return result; }
    *thread = (unsigned long)t;
    return 0;
}

int svgrt_join_thread(unsigned long thread) { return pthread_join((pthread_t)thread, NULL); }
