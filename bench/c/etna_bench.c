/*
 * libetna through its C ABI (include/etna.h, target/release/libetna.so).
 *
 *   etna_bench MODE COUNT BASE_URL      e.g. etna_bench rtt 20000 http://127.0.0.1:8080/api/
 *
 * Modes (each prints RESULT lines, see common.h):
 *   rtt      COUNT authenticated GETs of v1.0/users/@me/info, one at a time: p50, p99 per request
 *   tput     COUNT GETs split over 2 threads sharing one EtnaSession: requests per second
 *   page     COUNT fetches of the 5,000-order page, handed over as text: time per fetch
 *   typed    COUNT fetches of the same page with etna_get_orders, read as typed orders (id,
 *            status, average_price, symbol of every order), then freed: time per fetch
 *   login    COUNT two-factor logins, each from a fresh session (new, login, verify)
 *   login_resumed  the same, printed as its own figure: run against a server that resumes TLS
 *            sessions (libetna resumes across sessions by itself; nothing differs here)
 *   sessions COUNT logged-in sessions held at once, each with a pooled connection: peak RSS
 *   growth   COUNT GETs on one session, RSS sampled every COUNT/10
 *   ffi      COUNT calls of etna_session_auth_state: ns per call
 *
 * Against an https:// BASE_URL every figure is printed as tls_<figure> and each session trusts
 * the CA in BENCH_CA (etna_session_set_ca_file, on top of Mozilla's roots). rtt also prints the
 * process's CPU time (user + system) per 10,000 of its timed requests (fig=cpu / tls_cpu).
 *
 * Streaming modes, against etna-sim (BASE_URL is the simulator's, not nginx's; COUNT is
 * milliseconds of measuring, after BENCH_STREAM_WARMUP_MS, default 1000, of reading uncounted):
 *   stream_rate     quote events taken from etna_stream_next per second (the firehose)
 *   stream_latency  now - SimSentNs of every quote (CLOCK_REALTIME): p50, p99
 *   stream_idle     a quote stream subscribed to nothing, waited on with 1 s timeouts: CPU time
 *                   (getrusage, user + sys) over wall time
 */
#include "common.h"

#include <pthread.h>
#include <sys/resource.h>

#include "etna.h"

static const char *base_url;

static void fail(const char *what, EtnaStatus code, EtnaError *err) {
    fprintf(stderr, "etna_bench: %s failed: %d %s\n", what, (int)code,
            err ? etna_error_message(err) : "");
    exit(1);
}

static EtnaSession *new_session(void) {
    EtnaSession *s = NULL;
    EtnaError *err = NULL;
    EtnaStatus rc = etna_session_new(base_url, APP_KEY, &s, &err);
    if (rc != ETNA_OK) fail("etna_session_new", rc, err);
    if (bench_ca) {
        rc = etna_session_set_ca_file(s, bench_ca, &err);
        if (rc != ETNA_OK) fail("etna_session_set_ca_file", rc, err);
    }
    return s;
}

/* The two /token calls: password (202, interim token), then the verification code (200). */
static void login(EtnaSession *s) {
    EtnaAuthState state = ETNA_AUTH_NONE;
    EtnaError *err = NULL;
    EtnaStatus rc = etna_login(s, USERNAME, PASSWORD, &state, &err);
    if (rc != ETNA_OK) fail("etna_login", rc, err);
    if (state != ETNA_AUTH_VERIFICATION_REQUIRED) die("etna_login: expected a code step");
    rc = etna_login_verify(s, VCODE, &state, &err);
    if (rc != ETNA_OK) fail("etna_login_verify", rc, err);
    if (state != ETNA_AUTH_AUTHENTICATED) die("etna_login_verify: not authenticated");
}

static EtnaSession *logged_in(void) {
    EtnaSession *s = new_session();
    login(s);
    return s;
}

/* One GET; the body is handed over as a C string, which the caller frees. Returns its length. */
static size_t get(EtnaSession *s, const char *path) {
    uint16_t status = 0;
    char *body = NULL;
    EtnaError *err = NULL;
    EtnaStatus rc = etna_request(s, "GET", path, NULL, &status, &body, &err);
    if (rc != ETNA_OK) fail(path, rc, err);
    if (status != 200) die("GET: status is not 200");
    size_t len = strlen(body);
    etna_string_free(body);
    return len;
}

static void mode_rtt(long n) {
    EtnaSession *s = logged_in();
    for (long i = 0; i < n / 10 + 1; i++) get(s, INFO_PATH); /* warm up */
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    uint64_t user0, sys0;
    cpu_times(&user0, &sys0);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        get(s, INFO_PATH);
        ns[i] = now_ns() - t0;
    }
    report_cpu("libetna", n, user0, sys0);
    report_latency(fig_name("rtt"), "libetna", ns, (size_t)n);
    free(ns);
    etna_session_free(s);
}

struct worker {
    EtnaSession *session;
    long count;
    pthread_barrier_t *start;
};

static void *tput_worker(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < 200; i++) get(w->session, INFO_PATH); /* warm up: a pooled connection */
    pthread_barrier_wait(w->start);
    for (long i = 0; i < w->count; i++) get(w->session, INFO_PATH);
    return NULL;
}

static void mode_tput(long n) {
    enum { THREADS = 2 };
    EtnaSession *s = logged_in();
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS + 1);
    pthread_t tid[THREADS];
    struct worker w[THREADS];
    for (int t = 0; t < THREADS; t++) {
        w[t] = (struct worker){s, n / THREADS, &start};
        pthread_create(&tid[t], NULL, tput_worker, &w[t]);
    }
    pthread_barrier_wait(&start);
    uint64_t t0 = now_ns();
    for (int t = 0; t < THREADS; t++) pthread_join(tid[t], NULL);
    double secs = (double)(now_ns() - t0) / 1e9;
    long done = (n / THREADS) * THREADS;
    printf("RESULT fig=%s who=libetna n=%ld threads=%d secs=%.4f req_per_s=%.0f\n", fig_name("tput"),
           done, THREADS, secs, done / secs);
    etna_session_free(s);
}

static void mode_page(long n) {
    EtnaSession *s = logged_in();
    size_t bytes = get(s, ORDERS_PATH); /* warm up */
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        uint16_t status = 0;
        char *body = NULL;
        EtnaError *err = NULL;
        EtnaStatus rc = etna_request(s, "GET", ORDERS_PATH, NULL, &status, &body, &err);
        ns[i] = now_ns() - t0;
        if (rc != ETNA_OK) fail("orders page", rc, err);
        if (body[bytes - 1] != '}' || body[bytes] != '\0') die("orders page: wrong length");
        etna_string_free(body);
    }
    printf("RESULT fig=%s who=libetna bytes=%zu\n", fig_name("page_bytes"), bytes);
    report_latency(fig_name("page"), "libetna", ns, (size_t)n);
    free(ns);
    etna_session_free(s);
}

/* The libetna call's page size is limited to 1..100; nginx answers the 5,000-order page whatever
 * the query says, so this asks for page 0 of 100 and gets all 5,000 (bench/README.md). */
#define TYPED_PAGE_SIZE 100
#define TYPED_ORDERS 5000

/* One typed fetch: the page as an EtnaResult, every order's id, status, average_price and symbol
 * read into the checksum, the result freed. Returns the number of orders. */
static size_t typed_fetch(EtnaSession *s, double *checksum) {
    EtnaResult *r = NULL;
    EtnaError *err = NULL;
    EtnaStatus rc = etna_get_orders(s, 1, NULL, 0, TYPED_PAGE_SIZE, &r, &err);
    if (rc != ETNA_OK) fail("etna_get_orders", rc, err);
    size_t len = etna_result_len(r);
    double sum = 0;
    for (size_t i = 0; i < len; i++) {
        const EtnaOrder *o = etna_result_order(r, i);
        if (!o || !o->symbol) die("etna_result_order: no order or no symbol");
        unsigned sym = 0;
        for (const char *c = o->symbol; *c; c++) sym = sym * 31 + (unsigned char)*c;
        sum += (double)o->id + (double)o->status + o->average_price + (double)sym;
    }
    etna_result_free(r);
    *checksum += sum;
    return len;
}

static void mode_typed(long n) {
    EtnaSession *s = logged_in();
    double checksum = 0;
    size_t orders = typed_fetch(s, &checksum); /* warm up */
    if (orders != TYPED_ORDERS) die("etna_get_orders: the page does not hold 5,000 orders");
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        size_t got = typed_fetch(s, &checksum);
        ns[i] = now_ns() - t0;
        if (got != orders) die("etna_get_orders: the number of orders changed");
    }
    /* Printed, so the reads behind it cannot be dropped; the same for every fetch. */
    printf("RESULT fig=typed_orders who=libetna orders=%zu checksum_per_fetch=%.2f\n", orders,
           checksum / (double)(n + 1));
    report_latency(fig_name("typed"), "libetna", ns, (size_t)n);
    free(ns);
    etna_session_free(s);
}

static void mode_login(long n, const char *fig) {
    for (int i = 0; i < 5; i++) etna_session_free(logged_in()); /* warm up */
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        EtnaSession *s = new_session();
        login(s);
        ns[i] = now_ns() - t0;
        etna_session_free(s);
    }
    report_latency(fig_name(fig), "libetna", ns, (size_t)n);
    free(ns);
}

static void mode_sessions(long n) {
    long rss_before = status_kb("VmRSS");
    EtnaSession **s = malloc((size_t)n * sizeof *s);
    for (long i = 0; i < n; i++) {
        s[i] = logged_in(); /* its /token connection stays in the session's pool */
        get(s[i], INFO_PATH);
    }
    printf("RESULT fig=%s who=libetna n=%ld rss_before_kb=%ld rss_kb=%ld hwm_kb=%ld\n",
           fig_name("sessions"), n, rss_before, status_kb("VmRSS"), status_kb("VmHWM"));
    fflush(stdout);
    for (long i = 0; i < n; i++) etna_session_free(s[i]);
    free(s);
}

static void mode_growth(long n) {
    EtnaSession *s = logged_in();
    long rss[GROWTH_SAMPLES];
    long step = n / GROWTH_SAMPLES;
    for (int k = 0; k < GROWTH_SAMPLES; k++) {
        for (long i = 0; i < step; i++) get(s, INFO_PATH);
        rss[k] = status_kb("VmRSS");
    }
    report_growth("libetna", step * GROWTH_SAMPLES, rss);
    etna_session_free(s);
}

static void mode_ffi(long n) {
    EtnaSession *s = logged_in();
    long sum = 0;
    for (long i = 0; i < n / 100; i++) sum += etna_session_auth_state(s); /* warm up */
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; i++) sum += etna_session_auth_state(s);
    uint64_t elapsed = now_ns() - t0;
    if (sum != (long)ETNA_AUTH_AUTHENTICATED * (n + n / 100)) die("etna_session_auth_state");
    printf("RESULT fig=ffi who=libetna n=%ld ns_per_call=%.2f\n", n, (double)elapsed / n);
    etna_session_free(s);
}

/* ---- Streams, against etna-sim ---------------------------------------------------------- */

/* The simulator's demo user with a password-only login, and its app key (docs/simulator.md). */
#define SIM_APP_KEY "sim-app-key"
#define SIM_LOGIN "alice"
#define SIM_PASSWORD "alice-pass"
/* Security ids 1, 2 and 6: what the floor and Python subscribe by id. */
#define SIM_TICKERS "AAPL;MSFT;NVDA"

static EtnaSession *sim_session;

/* Logs alice in, opens a quote stream and subscribes `tickers` (none when NULL). */
static EtnaStream *sim_stream(const char *tickers) {
    EtnaError *err = NULL;
    EtnaStatus rc = etna_session_new(base_url, SIM_APP_KEY, &sim_session, &err);
    if (rc != ETNA_OK) fail("etna_session_new", rc, err);
    EtnaAuthState state = ETNA_AUTH_NONE;
    rc = etna_login(sim_session, SIM_LOGIN, SIM_PASSWORD, &state, &err);
    if (rc != ETNA_OK) fail("etna_login", rc, err);
    if (state != ETNA_AUTH_AUTHENTICATED) die("etna_login: alice is not authenticated");
    EtnaStream *st = NULL;
    rc = etna_stream_open(sim_session, ETNA_STREAM_QUOTES, &st, &err);
    if (rc != ETNA_OK) fail("etna_stream_open", rc, err);
    if (tickers) {
        rc = etna_stream_subscribe_quotes(st, tickers, &err);
        if (rc != ETNA_OK) fail("etna_stream_subscribe_quotes", rc, err);
    }
    return st;
}

static void sim_stream_free(EtnaStream *st) {
    etna_stream_free(st);
    etna_session_free(sim_session);
}

/* The next event, or NULL when none came within `timeout_ms`. */
static EtnaResult *next_event(EtnaStream *st, int32_t timeout_ms) {
    EtnaResult *r = NULL;
    EtnaError *err = NULL;
    EtnaStatus rc = etna_stream_next(st, timeout_ms, &r, &err);
    if (rc == ETNA_ERR_TIMEOUT) {
        etna_error_free(err);
        return NULL;
    }
    if (rc != ETNA_OK) fail("etna_stream_next", rc, err);
    return r;
}

static EtnaStreamStats stream_stats(EtnaStream *st) {
    EtnaStreamStats s;
    memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    EtnaError *err = NULL;
    EtnaStatus rc = etna_stream_stats(st, &s, &err);
    if (rc != ETNA_OK) fail("etna_stream_stats", rc, err);
    return s;
}

static uint64_t warmup_ns(void) {
    const char *v = getenv("BENCH_STREAM_WARMUP_MS");
    long ms = v ? strtol(v, NULL, 10) : 1000;
    return (uint64_t)(ms < 0 ? 0 : ms) * 1000000u;
}

/* Reads and frees events, uncounted, for BENCH_STREAM_WARMUP_MS. */
static void stream_warm_up(EtnaStream *st) {
    uint64_t end = now_ns() + warmup_ns();
    while (now_ns() < end) {
        EtnaResult *r = next_event(st, 100);
        if (r) etna_result_free(r);
    }
}

static uint64_t realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* SimSentNs of a quote's JSON ("SimSentNs":"1772636400123456789"); 0 when absent. */
static uint64_t sim_sent_ns(const char *json) {
    const char *p = json ? strstr(json, "\"SimSentNs\":\"") : NULL;
    return p ? (uint64_t)strtoll(p + 13, NULL, 10) : 0;
}

static void mode_stream_rate(long ms) {
    EtnaStream *st = sim_stream(SIM_TICKERS);
    stream_warm_up(st);
    EtnaStreamStats s0 = stream_stats(st);
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)ms * 1000000u;
    long quotes = 0, others = 0;
    double bids = 0;
    for (;;) {
        EtnaResult *r = next_event(st, 100);
        if (r) {
            if (etna_result_kind(r) == ETNA_KIND_QUOTE) {
                const EtnaQuote *q = etna_result_quote(r, 0);
                bids += q->bid; /* read, so the quote cannot go unread */
                quotes++;
            } else {
                others++; /* a stream state: a reconnect would show here */
            }
            etna_result_free(r);
        }
        if (now_ns() >= end) break;
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    EtnaStreamStats s1 = stream_stats(st);
    printf("RESULT fig=stream_rate who=libetna n=%ld secs=%.4f quotes_per_s=%.0f received_per_s=%.0f "
           "conflated=%llu high_water=%llu reconnects=%llu other_events=%ld mean_bid=%.4f\n",
           quotes, secs, quotes / secs, (double)(s1.received - s0.received) / secs,
           (unsigned long long)(s1.conflated - s0.conflated), (unsigned long long)s1.high_water,
           (unsigned long long)(s1.reconnects - s0.reconnects), others, bids / (quotes ? quotes : 1));
    fflush(stdout);
    sim_stream_free(st);
}

static void mode_stream_latency(long ms) {
    EtnaStream *st = sim_stream(SIM_TICKERS);
    stream_warm_up(st);
    size_t cap = (size_t)ms * 16 + 1024, n = 0; /* 10,000 quotes/s is 10 per ms; grown if more */
    uint64_t *ns = malloc(cap * sizeof *ns);
    uint64_t end = now_ns() + (uint64_t)ms * 1000000u;
    long others = 0;
    for (;;) {
        EtnaResult *r = next_event(st, 100);
        if (r) {
            uint64_t now = realtime_ns();
            if (etna_result_kind(r) == ETNA_KIND_QUOTE) {
                uint64_t sent = sim_sent_ns(etna_result_quote(r, 0)->json);
                if (sent) {
                    if (n == cap) ns = realloc(ns, (cap *= 2) * sizeof *ns);
                    ns[n++] = now > sent ? now - sent : 0;
                }
            } else {
                others++;
            }
            etna_result_free(r);
        }
        if (now_ns() >= end) break;
    }
    if (!n) die("stream_latency: no quote carried SimSentNs");
    EtnaStreamStats s = stream_stats(st);
    printf("RESULT fig=stream_latency_stats who=libetna conflated=%llu reconnects=%llu "
           "other_events=%ld\n", (unsigned long long)s.conflated, (unsigned long long)s.reconnects,
           others);
    report_latency("stream_latency", "libetna", ns, n);
    free(ns);
    sim_stream_free(st);
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void mode_stream_idle(long ms) {
    EtnaStream *st = sim_stream(NULL); /* open, subscribe nothing */
    EtnaResult *r = next_event(st, 5000);
    if (!r || etna_result_kind(r) != ETNA_KIND_STREAM_STATE) die("stream_idle: no CONNECTED event");
    etna_result_free(r);
    double cpu0 = cpu_seconds();
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)ms * 1000000u;
    long events = 0, waits = 0;
    for (uint64_t now = t0; now < end; now = now_ns()) {
        uint64_t left_ms = (end - now + 999999u) / 1000000u;
        r = next_event(st, left_ms < 1000 ? (int32_t)left_ms : 1000);
        waits++;
        if (r) {
            events++;
            etna_result_free(r);
        }
    }
    double wall = (double)(now_ns() - t0) / 1e9;
    double cpu = cpu_seconds() - cpu0;
    printf("RESULT fig=stream_idle who=libetna secs=%.3f cpu_ms=%.3f cpu_pct=%.4f waits=%ld "
           "events=%ld\n", wall, cpu * 1e3, 100 * cpu / wall, waits, events);
    fflush(stdout);
    sim_stream_free(st);
}

int main(int argc, char **argv) {
    if (argc != 4)
        die("usage: etna_bench rtt|tput|page|typed|login|login_resumed|sessions|growth|ffi COUNT "
            "BASE_URL\n"
            "       etna_bench stream_rate|stream_latency|stream_idle MS SIM_BASE_URL");
    const char *mode = argv[1];
    long n = count_arg(argv[2]);
    base_url = argv[3];
    if (strncmp(mode, "stream_", 7) != 0) bench_base(base_url);
    if (!strcmp(mode, "rtt")) mode_rtt(n);
    else if (!strcmp(mode, "tput")) mode_tput(n);
    else if (!strcmp(mode, "page")) mode_page(n);
    else if (!strcmp(mode, "typed")) mode_typed(n);
    else if (!strcmp(mode, "login")) mode_login(n, "login");
    else if (!strcmp(mode, "login_resumed")) mode_login(n, "login_resumed");
    else if (!strcmp(mode, "sessions")) mode_sessions(n);
    else if (!strcmp(mode, "growth")) mode_growth(n);
    else if (!strcmp(mode, "ffi")) mode_ffi(n);
    else if (!strcmp(mode, "stream_rate")) mode_stream_rate(n);
    else if (!strcmp(mode, "stream_latency")) mode_stream_latency(n);
    else if (!strcmp(mode, "stream_idle")) mode_stream_idle(n);
    else die("unknown mode");
    return 0;
}
