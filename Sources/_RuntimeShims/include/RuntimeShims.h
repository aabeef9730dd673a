// Thread set-up for the real-time loop that Swift's Glibc module can't express: CPU affinity
// (CPU_SET needs _GNU_SOURCE), SCHED_FIFO, memory locking, stack prefaulting, and starting a
// plain pthread. Underscored module: no public API.
#ifndef SVGRT_RUNTIME_SHIMS_H
#define SVGRT_RUNTIME_SHIMS_H

/// Pins the calling thread to `cpu`; 0 on success, else an errno value.
int svgrt_pin_to_cpu(int cpu);
/// Pins the thread (or process main thread) `tid` to `cpu`; 0 or the errno.
int svgrt_pin_thread_to_cpu(int tid, int cpu);

/// Makes the calling thread SCHED_FIFO at `priority`; 0 on success, else an errno value.
int svgrt_set_fifo_priority(int priority);

/// mlockall(MCL_CURRENT | MCL_FUTURE); 0 on success, else an errno value.
int svgrt_lock_memory(void);

/// Touches `bytes` of stack so the first real-time cycles take no page faults.
void svgrt_prefault_stack(unsigned long bytes);

/// Number of CPUs online.
int svgrt_cpu_count(void);

/// Starts a joinable pthread running `body(context)`; 0 on success, else an errno value.
int svgrt_start_thread(void (*body)(void *), void *context, unsigned long *thread);

/// Joins a thread started by svgrt_start_thread.
int svgrt_join_thread(unsigned long thread);

#endif
