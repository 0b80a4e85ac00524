/*
 * first_quote_probe.so: how long a streaming reader takes from the socket read that brings a
 * batch of quotes to the moment it takes the first quote's CLOCK_REALTIME (figure 8's "in the
 * reader's hands"). Preloaded into an unchanged reader, libetna's C loop or the tungstenite
 * floor alike:
 *
 *   cc -O2 -shared -fPIC -o first_quote_probe.so bench/c/first_quote_probe.c -ldl
 *   LD_PRELOAD=$PWD/first_quote_probe.so taskset -c 0 bench/build/etna_bench stream_latency 3000 $BASE
 *
 * At exit it prints to stderr the median and 90th percentile over the batches, and for the
 * batches under 3 µs ("fast") and between 4 and 200 µs ("slow") the medians of the same span cut
 * at the reader's first and second allocation after the read (in libetna: the message's copy,
 * then the result). A read counts when it brings more than 1,000 bytes (a batch, not a control
 * frame); reads before the first clock taken are the login's and the warm-up's and are dropped
 * with it (anything over 200 µs is left out of the slow share). A hand tool, not a figure: the
 * bench does not build it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCHES (1u << 22)

static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_read)(int, void *, size_t);
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static void *(*real_malloc)(size_t);

/* The batch being read on this thread: when its read returned, and its first two allocations. */
static __thread int armed, allocations;
static __thread uint64_t read_at, first_alloc, second_alloc;

/* Per batch: read -> clock, read -> first allocation, read -> second (0: none). */
static uint64_t spans[MAX_BATCHES][3];
static size_t batches;

static void resolve(void) {
    if (real_clock_gettime) return;
    real_recvfrom = dlsym(RTLD_NEXT, "recvfrom");
    real_recv = dlsym(RTLD_NEXT, "recv");
    real_read = dlsym(RTLD_NEXT, "read");
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
}

static uint64_t mono_ns(void) {
    struct timespec ts;
    real_clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static ssize_t noted(ssize_t n) {
    if (n > 1000 && !armed) {
        read_at = mono_ns();
        armed = 1;
        allocations = 0;
        first_alloc = second_alloc = 0;
    }
    return n;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen) {
    resolve();
    return noted(real_recvfrom(fd, buf, len, flags, from, fromlen));
}

ssize_t recv(int fd, void *buf, size_t len, int flags) {
    resolve();
    return noted(real_recv(fd, buf, len, flags));
}

ssize_t read(int fd, void *buf, size_t len) {
    resolve();
    return noted(real_read(fd, buf, len));
}

void *malloc(size_t size) {
    /* dlsym may allocate: until malloc is resolved, nothing is noted. */
    if (!real_malloc) resolve();
    if (armed && allocations < 2) {
        uint64_t now = mono_ns();
        if (allocations++ == 0) first_alloc = now; else second_alloc = now;
    }
    return real_malloc(size);
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
    resolve();
    int rc = real_clock_gettime(clock, ts);
    if (clock == CLOCK_REALTIME && armed) {
        armed = 0;
        if (batches < MAX_BATCHES) {
            uint64_t now = mono_ns();
            spans[batches][0] = now - read_at;
            spans[batches][1] = first_alloc ? first_alloc - read_at : 0;
            spans[batches][2] = second_alloc ? second_alloc - read_at : 0;
            batches++;
        }
    }
    return rc;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The median of column `col` over the batches whose whole span lies in [lo, hi). */
static uint64_t median(size_t col, uint64_t lo, uint64_t hi, size_t *count) {
    static uint64_t v[MAX_BATCHES];
    size_t n = 0;
    for (size_t i = 1; i < batches; i++)
        if (spans[i][0] >= lo && spans[i][0] < hi) v[n++] = spans[i][col];
    *count = n;
    if (!n) return 0;
    qsort(v, n, sizeof *v, by_value);
    return v[n / 2];
}

__attribute__((destructor)) static void report(void) {
    if (batches < 100) return;
    static uint64_t all[MAX_BATCHES];
    size_t n = batches - 1;
    for (size_t i = 1; i < batches; i++) all[i - 1] = spans[i][0];
    qsort(all, n, sizeof *all, by_value);
    fprintf(stderr, "PROBE first quote after its read: p50=%llu ns p90=%llu ns over %zu batches\n",
            (unsigned long long)all[n / 2], (unsigned long long)all[n * 9 / 10], n);
    const struct { const char *name; uint64_t lo, hi; } shares[] = {
        {"fast", 0, 3000}, {"slow", 4000, 200000}};
    for (size_t s = 0; s < 2; s++) {
        size_t k;
        uint64_t whole = median(0, shares[s].lo, shares[s].hi, &k);
        if (k < 10) continue;
        fprintf(stderr, "PROBE %s batches: %zu; read -> 1st allocation %llu ns, -> 2nd %llu ns, -> clock %llu ns\n",
                shares[s].name, k, (unsigned long long)median(1, shares[s].lo, shares[s].hi, &k),
                (unsigned long long)median(2, shares[s].lo, shares[s].hi, &k),
                (unsigned long long)whole);
    }
}
