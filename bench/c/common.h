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
#include <sys/resource.h>
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

/* The TLS figures: the same modes against an https:// base URL print fig=tls_<mode>, and the
 * contender trusts the bench's test CA from BENCH_CA (libetna: etna_session_set_ca_file, libcurl:
 * CURLOPT_CAINFO). Set by bench_base(). */
static int bench_tls;
static const char *bench_ca;

static inline void bench_base(const char *url) {
    bench_tls = strncmp(url, "https://", 8) == 0;
    bench_ca = bench_tls ? getenv("BENCH_CA") : NULL;
    if (bench_tls && !bench_ca) {
        fprintf(stderr, "bench: an https:// base URL needs BENCH_CA (the test CA's PEM file)\n");
        exit(1);
    }
}

/* A figure's name as printed: "rtt", or "tls_rtt" against an https:// base. */
static inline const char *fig_name(const char *mode) {
    static char name[64];
    snprintf(name, sizeof name, "%s%s", bench_tls ? "tls_" : "", mode);
    return name;
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The process's CPU time so far (user, system), in nanoseconds. */
static inline void cpu_times(uint64_t *user, uint64_t *sys) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (uint64_t)ru.ru_utime.tv_sec * 1000000000u + (uint64_t)ru.ru_utime.tv_usec * 1000u;
    *sys = (uint64_t)ru.ru_stime.tv_sec * 1000000000u + (uint64_t)ru.ru_stime.tv_usec * 1000u;
}

/* CPU time (user + system) the process spent on `n` requests, from cpu_times() before and after;
 * printed per 10,000 requests. */
static inline void report_cpu(const char *who, long n, uint64_t user0, uint64_t sys0) {
    uint64_t user1, sys1;
    cpu_times(&user1, &sys1);
    double per = 10000.0 / (double)n;
    printf("RESULT fig=%s who=%s n=%ld user_ns_per_10k=%.0f sys_ns_per_10k=%.0f cpu_ns_per_10k=%.0f\n",
           fig_name("cpu"), who, n, (double)(user1 - user0) * per, (double)(sys1 - sys0) * per,
           (double)(user1 - user0 + sys1 - sys0) * per);
    fflush(stdout);
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
    printf("RESULT fig=%s who=%s n=%ld rss_first_kb=%ld rss_last_kb=%ld rss_max_kb=%ld "
           "growth_kb=%ld hwm_kb=%ld\n",
           fig_name("growth"), who, n, rss[0], rss[GROWTH_SAMPLES - 1], max, rss[GROWTH_SAMPLES - 1] - rss[0],
           status_kb("VmHWM"));
    fflush(stdout);
}

#endif
