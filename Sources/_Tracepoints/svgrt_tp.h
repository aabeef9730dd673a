#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER svgrt

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./svgrt_tp.h"

#if !defined(SVGRT_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define SVGRT_TP_H

#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(svgrt, cycle_start,
    LTTNG_UST_TP_ARGS(int64_t, cycle),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int64_t, cycle, cycle)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, cycle_end,
    LTTNG_UST_TP_ARGS(int64_t, cycle, int64_t, wakeup_ns, int64_t, compute_ns, int64_t, cycle_ns),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, cycle, cycle)
        lttng_ust_field_integer(int64_t, wakeup_ns, wakeup_ns)
        lttng_ust_field_integer(int64_t, compute_ns, compute_ns)
        lttng_ust_field_integer(int64_t, cycle_ns, cycle_ns)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, frame_received,
    LTTNG_UST_TP_ARGS(uint32_t, sequence, uint32_t, step),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint32_t, sequence, sequence) lttng_ust_field_integer(uint32_t, step, step)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, frame_sent,
    LTTNG_UST_TP_ARGS(uint32_t, sequence),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint32_t, sequence, sequence)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, transition_pushed,
    LTTNG_UST_TP_ARGS(uint32_t, step),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint32_t, step, step)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, ring_drop,
    LTTNG_UST_TP_ARGS(int64_t, dropped),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int64_t, dropped, dropped)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, learner_update,
    LTTNG_UST_TP_ARGS(int64_t, update, float, model_loss, float, value_loss, int64_t, duration_ns),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(int64_t, update, update)
        lttng_ust_field_float(float, model_loss, model_loss)
        lttng_ust_field_float(float, value_loss, value_loss)
        lttng_ust_field_integer(int64_t, duration_ns, duration_ns)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, parameter_publish,
    LTTNG_UST_TP_ARGS(int64_t, version),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int64_t, version, version)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, deadline_miss,
    LTTNG_UST_TP_ARGS(int32_t, kind, int64_t, late_ns),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int32_t, kind, kind) lttng_ust_field_integer(int64_t, late_ns, late_ns)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, plant_fault,
    LTTNG_UST_TP_ARGS(int32_t, code),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int32_t, code, code)))

LTTNG_UST_TRACEPOINT_EVENT(svgrt, safety_intervention,
    LTTNG_UST_TP_ARGS(int32_t, kind),
    LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int32_t, kind, kind)))

#endif

#include <lttng/tracepoint-event.h>
