// Waiting on a descriptor with microsecond resolution: ppoll needs _GNU_SOURCE, which Swift's
// Glibc module does not define. Underscored module: no public API.
#ifndef SVGRT_LINK_SHIMS_H
#define SVGRT_LINK_SHIMS_H

/// 1 if `fd` became readable within `timeout_us` microseconds, 0 on timeout, -1 on error
/// (EINTR included: the caller re-checks its stop flag).
int svgrt_wait_readable(int fd, long timeout_us);

#include <stddef.h>
/// Opens a pseudo-terminal pair (a virtual serial line): returns the master descriptor and
/// writes the slave's path (e.g. /dev/pts/3) into `name`; -1 on failure. For tests and for
/// wiring firmware-sim to a controller without hardware.
int svgrt_open_pseudoterminal(char *name, size_t capacity);

#endif
