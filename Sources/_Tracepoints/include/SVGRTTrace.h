// LTTng-UST tracepoints of svg-rt, as plain C functions Swift can call. With the package trait
// "LTTng" (default) they fire the `svgrt:*` tracepoints; without it (swift build
// --disable-default-traits, for a board without liblttng-ust) they are empty.
// With no tracing session active a call costs a few ns (measured in Benchmarks/), and none
// allocates. Underscored module: no public API beyond these functions.
#ifndef SVGRT_TRACE_H
#define SVGRT_TRACE_H
#include <stdint.h>

/// 1 when built with LTTng-UST.
int svgrt_trace_available(void);

void svgrt_trace_cycle_start(int64_t cycle);
void svgrt_trace_cycle_end(int64_t cycle, int64_t wakeup_ns, int64_t compute_ns, int64_t cycle_ns);
void svgrt_trace_frame_received(uint32_t sequence, uint32_t step);
void svgrt_trace_frame_sent(uint32_t sequence);
void svgrt_trace_transition_pushed(uint32_t step);
void svgrt_trace_ring_drop(int64_t dropped);
void svgrt_trace_learner_update(int64_t update, float model_loss, float value_loss, int64_t duration_ns);
void svgrt_trace_parameter_publish(int64_t version);
/// kind: 0 the platform (late wakeup, late SENSE, slow sendto), 1 the controller's own work.
void svgrt_trace_deadline_miss(int32_t kind, int64_t late_ns);
void svgrt_trace_plant_fault(int32_t code);
/// kind: 0 NaN/Inf guard, 1 box, 2 rate limit, 3 configured limit, 4 stop.
void svgrt_trace_safety_intervention(int32_t kind);

#endif
