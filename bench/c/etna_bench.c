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
 *   sessions COUNT logged-in sessions held at once, each with a pooled connection: peak RSS
 *   growth   COUNT GETs on one session, RSS sampled every COUNT/10
 *   ffi      COUNT calls of etna_session_auth_state: ns per call
 */
#include "common.h"

#include <pthread.h>

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
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        get(s, INFO_PATH);
        ns[i] = now_ns() - t0;
    }
    report_latency("rtt", "libetna", ns, (size_t)n);
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
    printf("RESULT fig=tput who=libetna n=%ld threads=%d secs=%.4f req_per_s=%.0f\n", done, THREADS,
           secs, done / secs);
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
    printf("RESULT fig=page_bytes who=libetna bytes=%zu\n", bytes);
    report_latency("page", "libetna", ns, (size_t)n);
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
    report_latency("typed", "libetna", ns, (size_t)n);
    free(ns);
    etna_session_free(s);
}

static void mode_login(long n) {
    for (int i = 0; i < 5; i++) etna_session_free(logged_in()); /* warm up */
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        EtnaSession *s = new_session();
        login(s);
        ns[i] = now_ns() - t0;
        etna_session_free(s);
    }
    report_latency("login", "libetna", ns, (size_t)n);
    free(ns);
}

static void mode_sessions(long n) {
    long rss_before = status_kb("VmRSS");
    EtnaSession **s = malloc((size_t)n * sizeof *s);
    for (long i = 0; i < n; i++) {
        s[i] = logged_in(); /* its /token connection stays in the session's pool */
        get(s[i], INFO_PATH);
    }
    printf("RESULT fig=sessions who=libetna n=%ld rss_before_kb=%ld rss_kb=%ld hwm_kb=%ld\n", n,
           rss_before, status_kb("VmRSS"), status_kb("VmHWM"));
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

int main(int argc, char **argv) {
    if (argc != 4)
        die("usage: etna_bench rtt|tput|page|typed|login|sessions|growth|ffi COUNT BASE_URL");
    const char *mode = argv[1];
    long n = count_arg(argv[2]);
    base_url = argv[3];
    if (!strcmp(mode, "rtt")) mode_rtt(n);
    else if (!strcmp(mode, "tput")) mode_tput(n);
    else if (!strcmp(mode, "page")) mode_page(n);
    else if (!strcmp(mode, "typed")) mode_typed(n);
    else if (!strcmp(mode, "login")) mode_login(n);
    else if (!strcmp(mode, "sessions")) mode_sessions(n);
    else if (!strcmp(mode, "growth")) mode_growth(n);
    else if (!strcmp(mode, "ffi")) mode_ffi(n);
    else die("unknown mode");
    return 0;
}
