/*
 * What the three C bench programs share: the canned credentials nginx expects (bench/nginx.conf.in),
 * the routes, a clock, percentiles, RSS, and the one output format run.sh reads:
 *
 *   RESULT fig=<figure> who=<contender> key=value key=value ...
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Must match bench/nginx.conf.in and bench/py/requests_bench.py. */
#define APP_KEY "bench-app-key-7f3a9c"
#define USERNAME "bench-user"
#define PASSWORD "bench-pass"
#define VCODE "123456"
#define INFO_PATH "v1.0/users/@me/info"
#define ORDERS_PATH "v1.0/accounts/1/orders?pageNumber=0&pageSize=5000"
/* The others send a User-Agent as long as libetna's "libetna/0.1.0", so every request is the same size. */
#define BENCH_UA "etnabench/1.0"

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts `ns` and prints n, p50, p99, mean, min, max (nanoseconds). */
static inline void report_latency(const char *fig, const char *who, uint64_t *ns, size_t n) {
    qsort(ns, n, sizeof *ns, cmp_u64);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += (double)ns[i];
    size_t i99 = (size_t)((double)(n - 1) * 0.99);
    printf("RESULT fig=%s who=%s n=%zu p50_ns=%llu p99_ns=%llu mean_ns=%.0f min_ns=%llu max_ns=%llu\n",
           fig, who, n, (unsigned long long)ns[(n - 1) / 2], (unsigned long long)ns[i99], sum / n,
           (unsigned long long)ns[0], (unsigned long long)ns[n - 1]);
    fflush(stdout);
}

/* A field of /proc/self/status in kB ("VmRSS", "VmHWM"); -1 when unreadable. */
static inline long status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            kb = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

/* Copies the value of "Token":"..." out of a /token answer into `out`; 0 when absent. */
static inline int extract_token(const char *json, char *out, size_t size) {
    const char *p = strstr(json, "\"Token\":\"");
    if (!p) return 0;
    p += 9;
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= size) return 0;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return 1;
}

static inline void die(const char *what) {
    fprintf(stderr, "bench: %s\n", what);
    exit(1);
}

static inline long count_arg(const char *text) {
    long n = strtol(text, NULL, 10);
    if (n <= 0) die("count must be a positive number");
    return n;
}

/* Samples of RSS growth: taken after every tenth of the requests. */
#define GROWTH_SAMPLES 10
static inline void report_growth(const char *who, long n, const long *rss) {
    long max = rss[0];
    for (int i = 1; i < GROWTH_SAMPLES; i++)
        if (rss[i] > max) max = rss[i];
    /* Growth is measured from the first sample (after n/10 requests: pools and caches warm). */
    printf("RESULT fig=growth who=%s n=%ld rss_first_kb=%ld rss_last_kb=%ld rss_max_kb=%ld "
           "growth_kb=%ld hwm_kb=%ld\n",
           who, n, rss[0], rss[GROWTH_SAMPLES - 1], max, rss[GROWTH_SAMPLES - 1] - rss[0],
           status_kb("VmHWM"));
    fflush(stdout);
}

#endif
