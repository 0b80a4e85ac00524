/*
 * libcurl doing what a C developer would do without libetna: one easy handle per connection,
 * keep-alive, TCP_NODELAY, the same headers (Accept, Et-App-Key, Authorization Bearer,
 * User-Agent), the /token dance by hand, the body collected into a growing buffer and handed
 * over as a NUL-terminated string.
 *
 *   curl_bench MODE COUNT BASE_URL       modes as etna_bench.c (no ffi)
 *
 * Against an https:// BASE_URL (libcurl with OpenSSL) every handle trusts the CA in BENCH_CA
 * (CURLOPT_CAINFO, in place of the system's bundle) and figures print as tls_<figure>. Mode
 * login_resumed is login with the handles sharing TLS sessions through a CURLSH
 * (CURL_LOCK_DATA_SSL_SESSION), how a libcurl program resumes TLS across handles; plain login
 * shares nothing, as a fresh handle does by default.
 *
 * Mode typed is what a C developer would write to read the orders page without libetna: the
 * text from libcurl, parsed with cJSON (Debian's libcjson), every order's Id, Status (as the
 * same code libetna gives), AveragePrice and Symbol read into the same checksum as etna_bench.
 */
#include "common.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <curl/curl.h>
#include <pthread.h>

static const char *base_url;
/* Set for login_resumed: TLS sessions shared by every new handle. */
static CURLSH *ssl_share;

/* The answer's body as text: grown by doubling, NUL-terminated. */
struct buffer {
    char *data;
    size_t len, cap;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata) {
    struct buffer *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (b->len + n + 1 > cap) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

struct client {
    CURL *curl;
    struct curl_slist *auth_headers; /* Accept, Et-App-Key, Authorization */
    char info_url[512], orders_url[512];
    struct buffer body;
};

static long perform(CURL *curl, const char *what) {
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl_bench: %s: %s\n", what, curl_easy_strerror(rc));
        exit(1);
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static CURL *new_handle(struct buffer *body) {
    CURL *curl = curl_easy_init();
    if (!curl) die("curl_easy_init");
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, BENCH_UA);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (bench_ca) curl_easy_setopt(curl, CURLOPT_CAINFO, bench_ca);
    if (ssl_share) curl_easy_setopt(curl, CURLOPT_SHARE, ssl_share);
    return curl;
}

/* POST {base}token with `headers` and an empty body; returns the status, the body in c->body. */
static long post_token(struct client *c, struct curl_slist *headers) {
    char url[512];
    snprintf(url, sizeof url, "%stoken", base_url);
    c->body.len = 0;
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, 0L);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
    return perform(c->curl, "POST token");
}

/* The token dance by hand: password (202 + interim token), then the code (200 + token). */
static void login(struct client *c) {
    char token[4096], line[4200];
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Accept: application/json");
    h = curl_slist_append(h, "Et-App-Key: " APP_KEY);
    h = curl_slist_append(h, "Username: " USERNAME);
    h = curl_slist_append(h, "Password: " PASSWORD);
    h = curl_slist_append(h, "Content-Type:"); /* no form content type on an empty body */
    if (post_token(c, h) != 202 || !extract_token(c->body.data, token, sizeof token))
        die("POST token: expected 202 with an interim token");
    snprintf(line, sizeof line, "Authorization: Bearer %s", token);
    h = curl_slist_append(h, line);
    h = curl_slist_append(h, "VerificationCode: " VCODE);
    if (post_token(c, h) != 200 || !extract_token(c->body.data, token, sizeof token))
        die("POST token: expected 200 with a token");
    curl_slist_free_all(h);

    snprintf(line, sizeof line, "Authorization: Bearer %s", token);
    c->auth_headers = curl_slist_append(NULL, "Accept: application/json");
    c->auth_headers = curl_slist_append(c->auth_headers, "Et-App-Key: " APP_KEY);
    c->auth_headers = curl_slist_append(c->auth_headers, line);
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->auth_headers);
}

static void client_init(struct client *c) {
    memset(c, 0, sizeof *c);
    c->curl = new_handle(&c->body);
    snprintf(c->info_url, sizeof c->info_url, "%s%s", base_url, INFO_PATH);
    snprintf(c->orders_url, sizeof c->orders_url, "%s%s", base_url, ORDERS_PATH);
}

static void client_free(struct client *c) {
    curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->auth_headers);
    free(c->body.data);
}

/* One authenticated GET into the client's buffer (reused across calls). */
static size_t get(struct client *c, const char *url) {
    c->body.len = 0;
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    if (perform(c->curl, url) != 200) die("GET: status is not 200");
    return c->body.len;
}

static void mode_rtt(long n) {
    struct client c;
    client_init(&c);
    login(&c);
    for (long i = 0; i < n / 10 + 1; i++) get(&c, c.info_url);
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    uint64_t user0, sys0;
    cpu_times(&user0, &sys0);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        get(&c, c.info_url);
        ns[i] = now_ns() - t0;
    }
    report_cpu("libcurl", n, user0, sys0);
    report_latency(fig_name("rtt"), "libcurl", ns, (size_t)n);
    free(ns);
    client_free(&c);
}

struct worker {
    struct client client;
    long count;
    pthread_barrier_t *start;
};

static void *tput_worker(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < 200; i++) get(&w->client, w->client.info_url);
    pthread_barrier_wait(w->start);
    for (long i = 0; i < w->count; i++) get(&w->client, w->client.info_url);
    return NULL;
}

static void mode_tput(long n) {
    enum { THREADS = 2 };
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS + 1);
    pthread_t tid[THREADS];
    struct worker w[THREADS];
    for (int t = 0; t < THREADS; t++) {
        /* Two handles (two connections); each logs in for its own token, as two sessions would. */
        client_init(&w[t].client);
        login(&w[t].client);
        w[t].count = n / THREADS;
        w[t].start = &start;
        pthread_create(&tid[t], NULL, tput_worker, &w[t]);
    }
    pthread_barrier_wait(&start);
    uint64_t t0 = now_ns();
    for (int t = 0; t < THREADS; t++) pthread_join(tid[t], NULL);
    double secs = (double)(now_ns() - t0) / 1e9;
    long done = (n / THREADS) * THREADS;
    printf("RESULT fig=%s who=libcurl n=%ld threads=%d secs=%.4f req_per_s=%.0f\n", fig_name("tput"),
           done, THREADS, secs, done / secs);
    for (int t = 0; t < THREADS; t++) client_free(&w[t].client);
}

static void mode_page(long n) {
    struct client c;
    client_init(&c);
    login(&c);
    size_t bytes = get(&c, c.orders_url);
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = 0; i < n; i++) {
        /* A fresh buffer each time: the text is handed to the caller, who owns and frees it. */
        free(c.body.data);
        c.body = (struct buffer){0};
        uint64_t t0 = now_ns();
        size_t got = get(&c, c.orders_url);
        char *text = c.body.data;
        ns[i] = now_ns() - t0;
        if (got != bytes || text[bytes - 1] != '}') die("orders page: wrong length");
    }
    printf("RESULT fig=%s who=libcurl bytes=%zu\n", fig_name("page_bytes"), bytes);
    report_latency(fig_name("page"), "libcurl", ns, (size_t)n);
    free(ns);
    client_free(&c);
}

/* The broker's order statuses in code order (ETNA_ORDER_STATUS_*). */
static const char *const STATUSES[] = {
    "New", "PartiallyFilled", "Filled", "DoneForDay", "Canceled", "Replaced", "PendingCancel",
    "Stopped", "Rejected", "Suspended", "PendingNew", "Calculated", "Expired",
    "AcceptedForBidding", "PendingReplace", "Error", "Held",
};

static int status_code(const char *text) {
    for (size_t i = 0; i < sizeof STATUSES / sizeof STATUSES[0]; i++)
        if (!strcmp(STATUSES[i], text)) return (int)i;
    return -1;
}

/* One typed fetch: the page's text parsed with cJSON, every order read into the checksum, the
 * tree freed. Returns the number of orders. */
static size_t typed_fetch(struct client *c, double *checksum) {
    size_t bytes = get(c, c->orders_url);
    cJSON *page = cJSON_ParseWithLength(c->body.data, bytes);
    if (!page) die("orders page: not JSON");
    const cJSON *orders = cJSON_GetObjectItemCaseSensitive(page, "Result");
    size_t n = 0;
    double sum = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, orders) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "Id");
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(o, "Status");
        const cJSON *price = cJSON_GetObjectItemCaseSensitive(o, "AveragePrice");
        const char *symbol = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "Symbol"));
        if (!cJSON_IsNumber(id) || !cJSON_IsString(status) || !symbol) die("orders page: an order without its fields");
        unsigned sym = 0;
        for (const char *ch = symbol; *ch; ch++) sym = sym * 31 + (unsigned char)*ch;
        double average = cJSON_IsNumber(price) ? price->valuedouble : NAN;
        sum += id->valuedouble + (double)status_code(status->valuestring) + average + (double)sym;
        n++;
    }
    cJSON_Delete(page);
    *checksum += sum;
    return n;
}

static void mode_typed(long n) {
    struct client c;
    client_init(&c);
    login(&c);
    double checksum = 0;
    size_t orders = typed_fetch(&c, &checksum); /* warm up */
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        size_t got = typed_fetch(&c, &checksum);
        ns[i] = now_ns() - t0;
        if (got != orders) die("orders page: the number of orders changed");
    }
    printf("RESULT fig=typed_orders who=libcurl orders=%zu checksum_per_fetch=%.2f\n", orders,
           checksum / (double)(n + 1));
    report_latency(fig_name("typed"), "libcurl", ns, (size_t)n);
    free(ns);
    client_free(&c);
}

static void mode_login(long n, const char *fig) {
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = -5; i < n; i++) { /* 5 rounds of warm-up */
        struct client c;
        uint64_t t0 = now_ns();
        client_init(&c);
        login(&c);
        if (i >= 0) ns[i] = now_ns() - t0;
        client_free(&c);
    }
    report_latency(fig_name(fig), "libcurl", ns, (size_t)n);
    free(ns);
}

static void mode_sessions(long n) {
    long rss_before = status_kb("VmRSS");
    struct client *c = malloc((size_t)n * sizeof *c);
    for (long i = 0; i < n; i++) {
        client_init(&c[i]);
        login(&c[i]);
        get(&c[i], c[i].info_url);
    }
    printf("RESULT fig=%s who=libcurl n=%ld rss_before_kb=%ld rss_kb=%ld hwm_kb=%ld\n",
           fig_name("sessions"), n, rss_before, status_kb("VmRSS"), status_kb("VmHWM"));
    fflush(stdout);
    for (long i = 0; i < n; i++) client_free(&c[i]);
    free(c);
}

static void mode_growth(long n) {
    struct client c;
    client_init(&c);
    login(&c);
    long rss[GROWTH_SAMPLES];
    long step = n / GROWTH_SAMPLES;
    for (int k = 0; k < GROWTH_SAMPLES; k++) {
        for (long i = 0; i < step; i++) get(&c, c.info_url);
        rss[k] = status_kb("VmRSS");
    }
    report_growth("libcurl", step * GROWTH_SAMPLES, rss);
    client_free(&c);
}

int main(int argc, char **argv) {
    if (argc != 4)
        die("usage: curl_bench rtt|tput|page|typed|login|login_resumed|sessions|growth COUNT BASE_URL");
    const char *mode = argv[1];
    long n = count_arg(argv[2]);
    base_url = argv[3];
    bench_base(base_url);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!strcmp(mode, "rtt")) mode_rtt(n);
    else if (!strcmp(mode, "tput")) mode_tput(n);
    else if (!strcmp(mode, "page")) mode_page(n);
    else if (!strcmp(mode, "typed")) mode_typed(n);
    else if (!strcmp(mode, "login")) mode_login(n, "login");
    else if (!strcmp(mode, "login_resumed")) {
        ssl_share = curl_share_init();
        if (!ssl_share || curl_share_setopt(ssl_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION))
            die("curl_share_init");
        mode_login(n, "login_resumed");
        curl_share_cleanup(ssl_share);
    }
    else if (!strcmp(mode, "sessions")) mode_sessions(n);
    else if (!strcmp(mode, "growth")) mode_growth(n);
    else die("unknown mode");
    curl_global_cleanup();
    return 0;
}
