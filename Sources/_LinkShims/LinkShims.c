#define _GNU_SOURCE
#include <poll.h>
#include <time.h>
#include "LinkShims.h"

int svgrt_wait_readable(int fd, long timeout_us) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN, .revents = 0};
    if (timeout_us < 0) timeout_us = 0;
    struct timespec timeout = {.tv_sec = timeout_us / 1000000, .tv_nsec = (timeout_us % 1000000) * 1000};
    int n = ppoll(&pfd, 1, &timeout, NULL);
    return n > 0 ? 1 : (n == 0 ? 0 : -1);
}

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int svgrt_open_pseudoterminal(char *name, size_t capacity) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) return -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, capacity) != 0) {
        close(master);
        return -1;
    }
    return master;
}
