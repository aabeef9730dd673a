#include "SVGRTTrace.h"

#ifdef SVGRT_LTTNG
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "svgrt_tp.h"
#define FIRE(...) lttng_ust_tracepoint(svgrt, __VA_ARGS__)
int svgrt_trace_available(void) { return 1; }
#else
#define FIRE(...) do { } while (0)
int svgrt_trace_available(void) { return 0; }
#endif

void svgrt_trace_cycle_start(int64_t cycle) { FIRE(cycle_start, cycle); }
void svgrt_trace_cycle_end(int64_t cycle, int64_t wakeup_ns, int64_t compute_ns, int64_t cycle_ns) {
    FIRE(cycle_end, cycle, wakeup_ns, compute_ns, cycle_ns);
}
void svgrt_trace_frame_received(uint32_t sequence, uint32_t step) { FIRE(frame_received, sequence, step); }
void svgrt_trace_frame_sent(uint32_t sequence) { FIRE(frame_sent, sequence); }
void svgrt_trace_transition_pushed(uint32_t step) { FIRE(transition_pushed, step); }
void svgrt_trace_ring_drop(int64_t dropped) { FIRE(ring_drop, dropped); }
void svgrt_trace_learner_update(int64_t update, float model_loss, float value_loss, int64_t duration_ns) {
    FIRE(learner_update, update, model_loss, value_loss, duration_ns);
}
void svgrt_trace_parameter_publish(int64_t version) { FIRE(parameter_publish, version); }
void svgrt_trace_deadline_miss(int32_t kind, int64_t late_ns) { FIRE(deadline_miss, kind, late_ns); }
void svgrt_trace_plant_fault(int32_t code) { FIRE(plant_fault, code); }
void svgrt_trace_safety_intervention(int32_t kind) { FIRE(safety_intervention, kind); }
