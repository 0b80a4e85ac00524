/*
 * The floor: the same HTTP/1.1 request bytes, built once, written on one raw keep-alive TCP
 * socket (TCP_NODELAY); the answer read until its Content-Length is in. No HTTP library, no
 * checks beyond the status: what the kernel and nginx cost on their own.
 *
 *   raw_bench MODE COUNT BASE_URL       modes as etna_bench.c (no ffi); BASE_URL http://IP:PORT/api/
 */
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in server;
static char host[96];
static char prefix[128]; /* the base URL's path, e.g. "/api/" */

static void parse_base_url(const char *url) {
    char ip[64];
    int port;
    if (sscanf(url, "http://%63[0-9.]:%d%127s", ip, &port, prefix) != 3)
        die("BASE_URL must be http://IPv4:PORT/path/");
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, ip, &server.sin_addr) != 1) die("bad IPv4 address");
    snprintf(host, sizeof host, "%s:%d", ip, port);
}

static int connect_server(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fd < 0 || connect(fd, (struct sockaddr *)&server, sizeof server) != 0) die("connect");
    return fd;
}

/* A connection and the buffer its answers are read into. */
struct conn {
    int fd;
    char head[8192]; /* status line and headers (and the start of the body) */
};

static void send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) die("send");
        p += w;
        n -= (size_t)w;
    }
}

/*
 * Sends `req` and reads one answer. The body goes to `*body` (a new malloc'd, NUL-terminated
 * buffer when `owned`, else into `scratch` of `scratch_size`). Returns the status.
 */
static int exchange(struct conn *c, const char *req, size_t req_len, char **body, size_t *body_len,
                    char *scratch, size_t scratch_size) {
    send_all(c->fd, req, req_len);
    size_t got = 0;
    char *end = NULL;
    while (!end) {
        if (got == sizeof c->head) die("headers too long");
        ssize_t r = recv(c->fd, c->head + got, sizeof c->head - got, 0);
        if (r <= 0) die("recv (headers)");
        got += (size_t)r;
        end = memmem(c->head, got, "\r\n\r\n", 4);
    }
    size_t head_len = (size_t)(end - c->head) + 4;
    int status = atoi(c->head + 9);
    /* nginx writes "Content-Length" in this capitalisation. */
    char *cl = memmem(c->head, head_len, "Content-Length: ", 16);
    if (!cl) die("no Content-Length");
    size_t len = strtoul(cl + 16, NULL, 10);
    char *out = scratch;
    if (!scratch || len + 1 > scratch_size) out = malloc(len + 1);
    size_t have = got - head_len;
    memcpy(out, c->head + head_len, have);
    while (have < len) {
        ssize_t r = recv(c->fd, out + have, len - have, 0);
        if (r <= 0) die("recv (body)");
        have += (size_t)r;
    }
    out[len] = '\0';
    *body = out;
    *body_len = len;
    return status;
}

static size_t token_request(char *out, size_t size, const char *bearer) {
    char extra[4200] = "";
    if (bearer)
        snprintf(extra, sizeof extra, "Authorization: Bearer %s\r\nVerificationCode: " VCODE "\r\n",
                 bearer);
    return (size_t)snprintf(out, size,
                            "POST %stoken HTTP/1.1\r\nHost: %s\r\nUser-Agent: " BENCH_UA
                            "\r\nAccept: application/json\r\nEt-App-Key: " APP_KEY
                            "\r\nUsername: " USERNAME "\r\nPassword: " PASSWORD
                            "\r\n%sContent-Length: 0\r\n\r\n",
                            prefix, host, extra);
}

/* The two /token calls on `c`; the final token goes to `token`. */
static void login(struct conn *c, char *token, size_t size) {
    char req[8192], *body;
    size_t req_len = token_request(req, sizeof req, NULL), body_len;
    int status = exchange(c, req, req_len, &body, &body_len, NULL, 0);
    if (status != 202 || !extract_token(body, token, size)) die("POST token: expected 202");
    free(body);
    req_len = token_request(req, sizeof req, token);
    status = exchange(c, req, req_len, &body, &body_len, NULL, 0);
    if (status != 200 || !extract_token(body, token, size)) die("POST token: expected 200");
    free(body);
}

/* A pre-built authenticated GET of `path`. */
static size_t get_request(char *out, size_t size, const char *path, const char *token) {
    return (size_t)snprintf(out, size,
                            "GET %s%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: " BENCH_UA
                            "\r\nAccept: application/json\r\nEt-App-Key: " APP_KEY
                            "\r\nAuthorization: Bearer %s\r\n\r\n",
                            prefix, path, host, token);
}

/* A logged-in connection with its GET request for `path` built once. */
struct client {
    struct conn conn;
    char req[8192];
    size_t req_len;
    char scratch[16384];
};

static void client_init(struct client *c, const char *path) {
    char token[4096];
    c->conn.fd = connect_server();
    login(&c->conn, token, sizeof token);
    c->req_len = get_request(c->req, sizeof c->req, path, token);
}

static size_t get(struct client *c) {
    char *body;
    size_t len;
    if (exchange(&c->conn, c->req, c->req_len, &body, &len, c->scratch, sizeof c->scratch) != 200)
        die("GET: status is not 200");
    if (body != c->scratch) free(body);
    return len;
}

static void mode_rtt(long n) {
    static struct client c;
    client_init(&c, INFO_PATH);
    for (long i = 0; i < n / 10 + 1; i++) get(&c);
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    uint64_t user0, sys0;
    cpu_times(&user0, &sys0);
    for (long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();
        get(&c);
        ns[i] = now_ns() - t0;
    }
    report_cpu("raw", n, user0, sys0);
    report_latency("rtt", "raw", ns, (size_t)n);
    free(ns);
    close(c.conn.fd);
}

struct worker {
    struct client client;
    long count;
    pthread_barrier_t *start;
};

static void *tput_worker(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < 200; i++) get(&w->client);
    pthread_barrier_wait(w->start);
    for (long i = 0; i < w->count; i++) get(&w->client);
    return NULL;
}

static void mode_tput(long n) {
    enum { THREADS = 2 };
    static struct worker w[THREADS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS + 1);
    pthread_t tid[THREADS];
    for (int t = 0; t < THREADS; t++) {
        client_init(&w[t].client, INFO_PATH);
        w[t].count = n / THREADS;
        w[t].start = &start;
        pthread_create(&tid[t], NULL, tput_worker, &w[t]);
    }
    pthread_barrier_wait(&start);
    uint64_t t0 = now_ns();
    for (int t = 0; t < THREADS; t++) pthread_join(tid[t], NULL);
    double secs = (double)(now_ns() - t0) / 1e9;
    long done = (n / THREADS) * THREADS;
    printf("RESULT fig=tput who=raw n=%ld threads=%d secs=%.4f req_per_s=%.0f\n", done, THREADS, secs,
           done / secs);
    for (int t = 0; t < THREADS; t++) close(w[t].client.conn.fd);
}

static void mode_page(long n) {
    static struct client c;
    client_init(&c, ORDERS_PATH);
    size_t bytes = get(&c);
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    for (long i = 0; i < n; i++) {
        char *body;
        size_t len;
        uint64_t t0 = now_ns();
        /* Handed over as a new NUL-terminated string of exactly the body's size. */
        int status = exchange(&c.conn, c.req, c.req_len, &body, &len, NULL, 0);
        ns[i] = now_ns() - t0;
        if (status != 200 || len != bytes || body[len - 1] != '}') die("orders page");
        free(body);
    }
    printf("RESULT fig=page_bytes who=raw bytes=%zu\n", bytes);
    report_latency("page", "raw", ns, (size_t)n);
    free(ns);
    close(c.conn.fd);
}

static void mode_login(long n) {
    uint64_t *ns = malloc((size_t)n * sizeof *ns);
    char token[4096];
    for (long i = -5; i < n; i++) {
        uint64_t t0 = now_ns();
        struct conn *c = malloc(sizeof *c);
        c->fd = connect_server();
        login(c, token, sizeof token);
        if (i >= 0) ns[i] = now_ns() - t0;
        close(c->fd);
        free(c);
    }
    report_latency("login", "raw", ns, (size_t)n);
    free(ns);
}

static void mode_sessions(long n) {
    long rss_before = status_kb("VmRSS");
    /* A session here is what the floor needs: a socket, its request and a read buffer. */
    struct client **c = malloc((size_t)n * sizeof *c);
    for (long i = 0; i < n; i++) {
        c[i] = malloc(sizeof **c);
        client_init(c[i], INFO_PATH);
        get(c[i]);
    }
    printf("RESULT fig=sessions who=raw n=%ld rss_before_kb=%ld rss_kb=%ld hwm_kb=%ld\n", n,
           rss_before, status_kb("VmRSS"), status_kb("VmHWM"));
    fflush(stdout);
    for (long i = 0; i < n; i++) {
        close(c[i]->conn.fd);
        free(c[i]);
    }
    free(c);
}

static void mode_growth(long n) {
    static struct client c;
    client_init(&c, INFO_PATH);
    long rss[GROWTH_SAMPLES];
    long step = n / GROWTH_SAMPLES;
    for (int k = 0; k < GROWTH_SAMPLES; k++) {
        for (long i = 0; i < step; i++) get(&c);
        rss[k] = status_kb("VmRSS");
    }
    report_growth("raw", step * GROWTH_SAMPLES, rss);
    close(c.conn.fd);
}

int main(int argc, char **argv) {
    if (argc != 4) die("usage: raw_bench rtt|tput|page|login|sessions|growth COUNT BASE_URL");
    const char *mode = argv[1];
    long n = count_arg(argv[2]);
    bench_base(argv[3]);
    parse_base_url(argv[3]);
    if (!strcmp(mode, "rtt")) mode_rtt(n);
    else if (!strcmp(mode, "tput")) mode_tput(n);
    else if (!strcmp(mode, "page")) mode_page(n);
    else if (!strcmp(mode, "login")) mode_login(n);
    else if (!strcmp(mode, "sessions")) mode_sessions(n);
    else if (!strcmp(mode, "growth")) mode_growth(n);
    else die("unknown mode");
    return 0;
}
