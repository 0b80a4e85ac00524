/*
 * Scenarios through the C ABI, using only the names of docs/c-abi.md and include/etna.h, against
 * the simulator: logins, errors, callbacks, the typed answers of the trading functions (every
 * result read through its getters and freed), and streams (typed quotes, an order's fill on the
 * data stream, a reader blocked in etna_stream_next woken by etna_stream_close on another thread).
 * Also: a timeout, TLS with an added CA, and one kept-alive connection (over TCP and over TLS)
 * probed each time it is taken again. Run by tests/bindings/c_scenarios.rs (built static and
 * dynamic, then under valgrind and the sanitizers, which also find any result or stream not
 * freed), and by tests/bindings/windows.rs (built with mingw-w64 against etna.dll, under Wine).
 *   ETNA_BASE_URL     the simulator (two-factor code fixed to 123456)
 *   ETNA_REFUSED_URL  a loopback port where nothing listens
 *   ETNA_SILENT_URL   a loopback port that accepts connections and never answers
 *   ETNA_FRONT_URL    the simulator behind a relay that counts connections
 *   ETNA_TLS_URL      the same behind HTTPS, with a certificate of the test CA
 *   ETNA_CA_FILE      that CA (PEM)
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <pthread.h>
#endif

#include "etna.h"

/* The little of threads and clocks the scenarios need, on POSIX and on Windows. */
#ifdef _WIN32
typedef struct {
    HANDLE handle;
    void *(*run)(void *);
    void *arg;
} thread_t;

static DWORD WINAPI thread_main(LPVOID t) {
    ((thread_t *)t)->run(((thread_t *)t)->arg);
    return 0;
}

static int thread_start(thread_t *t, void *(*run)(void *), void *arg) {
    t->run = run;
    t->arg = arg;
    t->handle = CreateThread(NULL, 0, thread_main, t, 0, NULL);
    return t->handle == NULL;
}

static int thread_join(thread_t *t) {
    DWORD waited = WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    return waited != WAIT_OBJECT_0;
}

/* Milliseconds on a monotonic clock. */
static long long now_ms(void) {
    return (long long)GetTickCount64();
}

static void sleep_ms(long ms) {
    Sleep((DWORD)ms);
}
#else
typedef pthread_t thread_t;

static int thread_start(thread_t *t, void *(*run)(void *), void *arg) {
    return pthread_create(t, NULL, run, arg);
}

static int thread_join(thread_t *t) {
    return pthread_join(*t, NULL);
}

/* Milliseconds on a monotonic clock. */
static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
    struct timespec t;
    t.tv_sec = ms / 1000;
    t.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&t, NULL);
}
#endif

static int passed, failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                      \
    } while (0)

static const char *base_url;

static EtnaSession *new_session(const char *url, const char *key) {
    EtnaSession *s = NULL;
    EtnaError *err = NULL;
    CHECK(etna_session_new(url, key, &s, &err) == ETNA_OK);
    CHECK(err == NULL && s != NULL);
    return s;
}

/* Expects `status` to be `code`; checks the error agrees, then frees it. The error is passed
 * by address because C does not order the evaluation of arguments: `*slot` is read only once
 * the call that fills it has returned. */
static void expect(EtnaStatus status, EtnaError **slot, EtnaStatus code, unsigned http) {
    EtnaError *err = *slot;
    *slot = NULL;
    if (status != code) {
        fprintf(stderr, "  expected %d, got %d: %s\n", (int)code, (int)status, etna_error_message(err));
    }
    CHECK(status == code);
    CHECK(err != NULL);
    CHECK(etna_error_code(err) == code);
    CHECK(strlen(etna_error_message(err)) > 0);
    CHECK(etna_error_http_status(err) == http);
    etna_error_free(err);
}

static void password_login_then_info_then_logout(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;
    EtnaAuthState state = -1;
    uint16_t http = 0;
    char *body = NULL;

    CHECK(etna_login(s, "alice", "alice-pass", &state, &err) == ETNA_OK);
    CHECK(state == ETNA_AUTH_AUTHENTICATED && etna_session_auth_state(s) == ETNA_AUTH_AUTHENTICATED);
    CHECK(etna_session_token_expires_at(s) > 0);
    CHECK(etna_request(s, "GET", "v1.0/users/@me/info", NULL, &http, &body, &err) == ETNA_OK);
    CHECK(http == 200 && body != NULL && strstr(body, "\"Login\":\"alice\"") != NULL);
    etna_string_free(body);
    CHECK(etna_logout(s, &err) == ETNA_OK && err == NULL);
    CHECK(etna_session_auth_state(s) == ETNA_AUTH_NONE && etna_session_token_expires_at(s) == 0);
    expect(etna_request(s, "GET", "v1.0/users/@me/info", NULL, &http, &body, &err), &err,
           ETNA_ERR_NOT_AUTHENTICATED, 0);
    etna_session_free(s);
}

static void two_factor_wrong_code_then_right_code(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;
    EtnaAuthState state = -1;

    CHECK(etna_login(s, "bob", "bob-pass", &state, &err) == ETNA_OK);
    CHECK(state == ETNA_AUTH_VERIFICATION_REQUIRED);
    expect(etna_login_verify(s, "000000", &state, &err), &err, ETNA_ERR_INVALID_VERIFICATION_CODE, 401);
    CHECK(etna_session_auth_state(s) == ETNA_AUTH_VERIFICATION_REQUIRED);
    CHECK(etna_login_verify(s, "123456", &state, &err) == ETNA_OK);
    CHECK(state == ETNA_AUTH_AUTHENTICATED);
    CHECK(etna_request(s, "GET", "v1.0/users/@me/info", NULL, NULL, NULL, &err) == ETNA_OK);
    etna_session_free(s);
}

static void pin_login(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;
    EtnaAuthState state = -1;

    CHECK(etna_login(s, "carol", "carol-pass", &state, &err) == ETNA_OK);
    CHECK(state == ETNA_AUTH_PIN_REQUIRED);
    expect(etna_login_pin(s, "1111", &state, &err), &err, ETNA_ERR_INVALID_PIN, 401);
    CHECK(etna_login_pin(s, "2468", &state, &err) == ETNA_OK);
    CHECK(state == ETNA_AUTH_AUTHENTICATED);
    etna_session_free(s);
}

static void documented_login_failures(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaSession *bad_key = new_session(base_url, "not-the-key");
    EtnaError *err = NULL;
    EtnaAuthState state = -1;

    CHECK(etna_login(s, "alice", "wrong", &state, &err) == ETNA_ERR_INVALID_CREDENTIALS);
    CHECK(state == -1); /* outputs are written only on success */
    CHECK(etna_error_http_status(err) == 401);
    CHECK(etna_error_api_reason(err) != NULL && strcmp(etna_error_api_reason(err), "Invalid credentials") == 0);
    CHECK(strstr(etna_error_message(err), "wrong") == NULL); /* never echoes the password */
    etna_error_free(err);
    expect(etna_login(bad_key, "alice", "alice-pass", &state, &err), &err, ETNA_ERR_INVALID_APP_KEY, 403);
    expect(etna_login_verify(s, "123456", &state, &err), &err, ETNA_ERR_INVALID_STATE, 0);
    CHECK(etna_session_auth_state(s) == ETNA_AUTH_NONE);
    etna_session_free(bad_key);
    etna_session_free(s);
}

static void null_and_invalid_utf8_arguments(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaSession *none = NULL;
    EtnaError *err = NULL;
    const char bad_utf8[] = {'b', 'o', (char)0xC3, (char)0x28, 0};

    expect(etna_session_new(NULL, "k", &none, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_session_new(base_url, "k", NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_session_new(bad_utf8, "k", &none, &err), &err, ETNA_ERR_INVALID_UTF8, 0);
    expect(etna_session_new("http://example.com/api/", "k", &none, &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    CHECK(none == NULL);
    expect(etna_login(NULL, "alice", "alice-pass", NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_login(s, NULL, "alice-pass", NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_login(s, "alice", NULL, NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_login(s, bad_utf8, "alice-pass", NULL, &err), &err, ETNA_ERR_INVALID_UTF8, 0);
    expect(etna_login(s, "alice", bad_utf8, NULL, &err), &err, ETNA_ERR_INVALID_UTF8, 0);
    expect(etna_login_verify(s, NULL, NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_login_pin(s, NULL, NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_request(s, NULL, "x", NULL, NULL, NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_request(s, "GET", NULL, NULL, NULL, NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_request(s, "GET", bad_utf8, NULL, NULL, NULL, &err), &err, ETNA_ERR_INVALID_UTF8, 0);
    expect(etna_session_set_timeouts(NULL, 1, 1, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_session_set_timeouts(s, 0, 1000, &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    expect(etna_logout(NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    /* NULL out_err is allowed: the code alone tells what happened. */
    CHECK(etna_login(s, NULL, NULL, NULL, NULL) == ETNA_ERR_NULL_ARGUMENT);
    CHECK(etna_session_set_log_callback(NULL, NULL, NULL, NULL, ETNA_LOG_INFO, NULL) == ETNA_ERR_NULL_ARGUMENT);
    CHECK(etna_session_set_auth_callback(NULL, NULL, NULL, NULL, NULL) == ETNA_ERR_NULL_ARGUMENT);
    expect(etna_session_set_log_callback(NULL, NULL, NULL, NULL, ETNA_LOG_INFO, &err), &err,
           ETNA_ERR_NULL_ARGUMENT, 0);
    expect(etna_session_set_auth_callback(NULL, NULL, NULL, NULL, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    CHECK(etna_session_auth_state(NULL) == ETNA_AUTH_NONE);
    CHECK(etna_session_token_expires_at(NULL) == 0);
    CHECK(etna_error_code(NULL) == ETNA_OK && etna_error_http_status(NULL) == 0);
    CHECK(etna_error_message(NULL) != NULL && etna_error_api_reason(NULL) == NULL);
    CHECK(etna_error_body(NULL) == NULL && etna_error_retry_after_ms(NULL) == 0);
    etna_error_free(NULL);
    etna_string_free(NULL);
    etna_session_free(NULL);
    etna_session_free(s);
}

static void http_errors_and_204(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;
    uint16_t http = 0;
    char *body = NULL;

    CHECK(etna_login(s, "alice", "alice-pass", NULL, &err) == ETNA_OK);
    CHECK(etna_request(s, "GET", "v1.0/no/such/route", NULL, &http, &body, &err) == ETNA_ERR_HTTP);
    CHECK(etna_error_http_status(err) == 404 && body == NULL);
    CHECK(etna_error_api_reason(err) != NULL && strncmp(etna_error_api_reason(err), "No HTTP resource", 16) == 0);
    CHECK(etna_error_body(err) != NULL && strstr(etna_error_body(err), "\"Message\"") != NULL);
    etna_error_free(err);
    /* Logging out through etna_request: the simulator answers 204 with no body. */
    CHECK(etna_request(s, "POST", "logout", NULL, &http, &body, &err) == ETNA_OK);
    CHECK(http == 204 && body != NULL && body[0] == '\0');
    etna_string_free(body);
    expect(etna_request(s, "GET", "v1.0/users/@me/info", NULL, &http, NULL, &err), &err,
           ETNA_ERR_NOT_AUTHENTICATED, 401);
    etna_session_free(s);
}

static void refused_connection(void) {
    const char *url = getenv("ETNA_REFUSED_URL");
    EtnaSession *s = new_session(url, "sim-app-key");
    EtnaError *err = NULL;
    EtnaAuthState state = -1;
    expect(etna_login(s, "alice", "alice-pass", &state, &err), &err, ETNA_ERR_NETWORK, 0);
    CHECK(etna_session_auth_state(s) == ETNA_AUTH_NONE);
    etna_session_free(s);
}

/* A server that takes the connection and never answers: the login gives up when the request
 * timeout runs out, as ETNA_ERR_TIMEOUT, and the session stays signed out. */
static void timeout_of_a_silent_server(void) {
    EtnaSession *s = new_session(getenv("ETNA_SILENT_URL"), "sim-app-key");
    EtnaError *err = NULL;
    long long started, took;

    CHECK(etna_session_set_timeouts(s, 1000, 300, &err) == ETNA_OK);
    started = now_ms();
    expect(etna_login(s, "alice", "alice-pass", NULL, &err), &err, ETNA_ERR_TIMEOUT, 0);
    took = now_ms() - started;
    if (took < 250 || took > 5000) {
        fprintf(stderr, "  the timed out login took %lld ms\n", took);
    }
    CHECK(took >= 250 && took <= 5000);
    CHECK(etna_session_auth_state(s) == ETNA_AUTH_NONE);
    etna_session_free(s);
}

/* A login and four requests, a little apart, on one session: the connection of each request is
 * kept alive and, taken from the pool for the next one, probed (still open, nothing unread) and
 * used again. The test counts the connections the relay in front of the simulator was given. */
static void requests_of_a_session(EtnaSession *s) {
    EtnaError *err = NULL;
    EtnaResult *r = NULL;
    int i;

    CHECK(etna_login(s, "alice", "alice-pass", NULL, &err) == ETNA_OK);
    for (i = 0; i < 4; i++) {
        sleep_ms(50);
        r = NULL;
        CHECK(etna_get_user_info(s, &r, &err) == ETNA_OK && err == NULL);
        CHECK(etna_result_user(r, 0) != NULL && strcmp(etna_result_user(r, 0)->login, "alice") == 0);
        etna_result_free(r);
    }
}

static void one_connection_kept_alive(void) {
    EtnaSession *s = new_session(getenv("ETNA_FRONT_URL"), "sim-app-key");
    requests_of_a_session(s);
    etna_session_free(s);
}

/* HTTPS with a certificate of a CA no system trusts: refused as ETNA_ERR_TLS until the CA is
 * added with etna_session_set_ca_file, then the same as over TCP, on one kept-alive connection. */
static void tls_with_an_added_ca(void) {
    EtnaSession *s = new_session(getenv("ETNA_TLS_URL"), "sim-app-key");
    EtnaError *err = NULL;

    expect(etna_login(s, "alice", "alice-pass", NULL, &err), &err, ETNA_ERR_TLS, 0);
    CHECK(etna_session_auth_state(s) == ETNA_AUTH_NONE);
    CHECK(etna_session_set_ca_file(s, getenv("ETNA_CA_FILE"), &err) == ETNA_OK && err == NULL);
    requests_of_a_session(s);
    etna_session_free(s);
}

static void status_strings(void) {
    static const EtnaStatus codes[] = {
        ETNA_OK, ETNA_ERR_NULL_ARGUMENT, ETNA_ERR_INVALID_UTF8, ETNA_ERR_INVALID_ARGUMENT,
        ETNA_ERR_INVALID_STATE, ETNA_ERR_NETWORK, ETNA_ERR_TIMEOUT, ETNA_ERR_TLS,
        ETNA_ERR_INVALID_APP_KEY, ETNA_ERR_INVALID_CREDENTIALS, ETNA_ERR_INVALID_VERIFICATION_CODE,
        ETNA_ERR_INVALID_PIN, ETNA_ERR_PASSWORD_EXPIRED, ETNA_ERR_NOT_AUTHENTICATED, ETNA_ERR_HTTP,
        ETNA_ERR_RATE_LIMITED, ETNA_ERR_PROTOCOL, ETNA_ERR_OUTCOME_UNKNOWN, ETNA_ERR_PANIC};
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(strcmp(etna_status_str(codes[i]), "unknown status code") != 0);
    }
    CHECK(strcmp(etna_status_str(-12345), "unknown status code") == 0);
    CHECK(etna_version() != NULL && strlen(etna_version()) > 0);
}

struct log_record {
    int lines, frees, leaked;
};

static void on_log(void *user_data, EtnaLogLevel level, const char *message) {
    struct log_record *rec = user_data;
    const char *secrets[] = {"bob-pass", "123456", "sim-app-key", "Bearer"};
    size_t i;
    (void)level;
    rec->lines++;
    for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        if (strstr(message, secrets[i]) != NULL) {
            rec->leaked++;
        }
    }
}

static void on_free(void *user_data) {
    ((struct log_record *)user_data)->frees++;
}

static void log_callback_sees_no_secrets(void) {
    struct log_record rec = {0, 0, 0};
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;

    expect(etna_session_set_log_callback(s, on_log, &rec, on_free, 0, &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    CHECK(rec.frees == 0);
    CHECK(etna_session_set_log_callback(s, on_log, &rec, on_free, ETNA_LOG_TRACE, &err) == ETNA_OK);
    CHECK(err == NULL);
    CHECK(etna_login(s, "bob", "bob-pass", NULL, &err) == ETNA_OK);
    CHECK(etna_login_verify(s, "123456", NULL, &err) == ETNA_OK);
    CHECK(etna_request(s, "GET", "v1.0/users/@me/info", NULL, NULL, NULL, &err) == ETNA_OK);
    etna_session_free(s);
    CHECK(rec.lines >= 3);
    CHECK(rec.leaked == 0);
    CHECK(rec.frees == 1);
}


/* Typed answers: the user, the accounts and the balances, read field by field. */
static void typed_user_accounts_and_balances(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;
    EtnaResult *r = NULL;
    const EtnaUser *user;
    const EtnaAccount *first, *second;
    const EtnaBalances *b;
    double value = -1;

    CHECK(etna_login(s, "alice", "alice-pass", NULL, &err) == ETNA_OK);
    CHECK(etna_get_user_info(s, &r, &err) == ETNA_OK && err == NULL);
    CHECK(etna_result_kind(r) == ETNA_KIND_USER && etna_result_len(r) == 1);
    CHECK(etna_result_total_count(r) == 1 && etna_result_next_page(r) == -1);
    user = etna_result_user(r, 0);
    CHECK(user != NULL);
    if (user != NULL) {
        CHECK(user->struct_size == sizeof(EtnaUser));
        CHECK(user->id == 101 && strcmp(user->login, "alice") == 0);
        CHECK(user->email != NULL && user->middle_name != NULL); /* strings are never NULL */
        CHECK(user->added_at_ms > 0);
        CHECK(strstr(user->json, "\"Login\":\"alice\"") != NULL);
    }
    CHECK(strstr(etna_result_json(r), "\"Login\":\"alice\"") != NULL);
    /* Another kind, out of range, NULL: no item. */
    CHECK(etna_result_order(r, 0) == NULL && etna_result_balances(r, 0) == NULL);
    CHECK(etna_result_user(r, 1) == NULL && etna_result_user(r, (size_t)-1) == NULL);
    CHECK(etna_result_user(NULL, 0) == NULL && etna_result_kind(NULL) == 0 && etna_result_len(NULL) == 0);
    CHECK(etna_result_json(NULL) == NULL && etna_result_next_page(NULL) == -1);
    etna_result_free(r);
    etna_result_free(NULL);

    r = NULL;
    CHECK(etna_get_accounts(s, &r, &err) == ETNA_OK);
    CHECK(etna_result_kind(r) == ETNA_KIND_ACCOUNT && etna_result_len(r) == 2);
    first = etna_result_account(r, 0);
    second = etna_result_account(r, 1);
    CHECK(first != NULL && second != NULL && etna_result_account(r, 2) == NULL);
    if (first != NULL && second != NULL) {
        CHECK(first->id == 1001 && second->id == 1002);
        CHECK(first->margin_type == ETNA_MARGIN_CASH && strcmp(first->margin_type_text, "Cash") == 0);
        CHECK(second->margin_type == ETNA_MARGIN_MARGIN && first->enabled == 1);
    }
    etna_result_free(r);
    /* A caller that does not want the answer passes NULL: nothing leaks. */
    CHECK(etna_get_accounts(s, NULL, &err) == ETNA_OK && err == NULL);

    r = NULL;
    CHECK(etna_get_account_info(s, 1001, &r, &err) == ETNA_OK);
    CHECK(etna_result_kind(r) == ETNA_KIND_BALANCES && etna_result_len(r) == 1);
    b = etna_result_balances(r, 0);
    CHECK(b != NULL);
    if (b != NULL) {
        CHECK(b->struct_size == sizeof(EtnaBalances));
        CHECK(!isnan(b->cash) && b->cash > 0 && !isnan(b->stock_buying_power));
        CHECK(etna_balances_value(b, "cash", &value, &err) == ETNA_OK && value == b->cash);
        value = -1;
        CHECK(etna_balances_value(b, "optionBuyingPower", &value, &err) == ETNA_OK && value >= 0);
        value = -1;
        expect(etna_balances_value(b, "noSuchBalance", &value, &err), &err, ETNA_ERR_NOT_FOUND, 0);
        CHECK(value == -1); /* outputs are written only on success */
        expect(etna_balances_value(b, NULL, &value, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
        expect(etna_balances_value(NULL, "cash", &value, &err), &err, ETNA_ERR_NULL_ARGUMENT, 0);
    }
    etna_result_free(r);
    etna_session_free(s);
}

/* The order with this id among a result's orders, or NULL. */
static const EtnaOrder *find_order(const EtnaResult *r, int64_t id) {
    size_t i;
    for (i = 0; i < etna_result_len(r); i++) {
        const EtnaOrder *o = etna_result_order(r, i);
        if (o != NULL && o->id == id) {
            return o;
        }
    }
    return NULL;
}

/* An order placed, followed to its fill, found in the positions and transactions; orders paged
 * through with etna_result_next_page. */
static void typed_orders_positions_and_transactions(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;
    EtnaResult *r = NULL, *untouched = NULL;
    const EtnaOrder *o;
    const EtnaPosition *p;
    const EtnaTransaction *t;
    int64_t id = -1, limit_id = -1;
    int32_t page = 0;
    int64_t total = -1, seen = 0, pages = 0, found = 0;
    size_t i;

    CHECK(etna_login(s, "alice", "alice-pass", NULL, &err) == ETNA_OK);
    CHECK(etna_place_order(s, 1001, "{\"Symbol\":\"MSFT\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":3,"
                                    "\"ClientId\":\"abi-typed-1\"}", &r, &err) == ETNA_OK);
    CHECK(etna_result_kind(r) == ETNA_KIND_ORDER && etna_result_len(r) == 1);
    o = etna_result_order(r, 0);
    CHECK(o != NULL);
    if (o != NULL) {
        id = o->id;
        CHECK(o->struct_size == sizeof(EtnaOrder) && o->id > 0 && o->account_id == 1001);
        CHECK(strcmp(o->symbol, "MSFT") == 0 && strcmp(o->client_id, "abi-typed-1") == 0);
        CHECK(o->side == ETNA_SIDE_BUY && o->type == ETNA_ORDER_TYPE_MARKET && o->quantity == 3);
        CHECK(strcmp(o->side_text, "Buy") == 0 && strcmp(o->type_text, "Market") == 0);
        CHECK(o->status != ETNA_UNKNOWN && strlen(o->status_text) > 0);
    }
    etna_result_free(r);

    r = NULL;
    CHECK(etna_wait_for_order(s, 1001, id, 20000, &r, &err) == ETNA_OK);
    o = etna_result_order(r, 0);
    CHECK(o != NULL);
    if (o != NULL) {
        CHECK(o->id == id && o->status == ETNA_ORDER_STATUS_FILLED);
        CHECK(strcmp(o->status_text, "Filled") == 0 && etna_order_status_is_final(o->status) == 1);
        CHECK(!isnan(o->average_price) && o->average_price > 0 && o->executed_quantity == 3);
        CHECK(o->created_at_ms > 0 && strstr(o->json, "\"Status\":\"Filled\"") != NULL);
    }
    CHECK(etna_result_position(r, 0) == NULL); /* an order is no position */
    etna_result_free(r);
    CHECK(etna_order_status_is_final(ETNA_ORDER_STATUS_NEW) == 0 && etna_order_status_is_final(ETNA_UNKNOWN) == 0);

    r = NULL;
    CHECK(etna_get_positions(s, 1001, 0, 50, &r, &err) == ETNA_OK);
    CHECK(etna_result_kind(r) == ETNA_KIND_POSITION);
    for (i = 0, found = 0; i < etna_result_len(r); i++) {
        p = etna_result_position(r, i);
        if (p != NULL && strcmp(p->symbol, "MSFT") == 0) {
            found = 1;
            CHECK(p->quantity >= 3 && p->account_id == 1001 && !isnan(p->average_open_price));
        }
    }
    CHECK(found);
    etna_result_free(r);
    r = NULL;
    CHECK(etna_get_position(s, 1001, "MSFT", &r, &err) == ETNA_OK);
    p = etna_result_position(r, 0);
    CHECK(p != NULL && strcmp(p->symbol, "MSFT") == 0 && p->quantity >= 3);
    etna_result_free(r);

    r = NULL;
    CHECK(etna_get_transactions(s, 1001, 0, 20, &r, &err) == ETNA_OK);
    CHECK(etna_result_kind(r) == ETNA_KIND_TRANSACTION);
    for (i = 0, found = 0; i < etna_result_len(r); i++) {
        t = etna_result_transaction(r, i);
        if (t != NULL && t->order_id == id && t->type == ETNA_TRANSACTION_ORDER_EXECUTION) {
            found = 1;
            CHECK(t->quantity == 3 && strcmp(t->type_text, "OrderExecution") == 0 && t->date_ms > 0);
        }
    }
    CHECK(found);
    etna_result_free(r);

    /* Two resting orders more, then every order, two to a page. */
    for (i = 0; i < 2; i++) {
        r = NULL;
        CHECK(etna_place_order(s, 1001, "{\"Symbol\":\"AAPL\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1,"
                                        "\"Price\":1.0}", &r, &err) == ETNA_OK);
        o = etna_result_order(r, 0);
        limit_id = o != NULL ? o->id : -1;
        CHECK(o != NULL && o->executed_quantity == 0 && o->leaves_quantity == 1); /* resting */
        etna_result_free(r);
    }
    found = 0;
    while (page != -1 && pages < 10) {
        r = NULL;
        CHECK(etna_get_orders(s, 1001, NULL, page, 2, &r, &err) == ETNA_OK);
        total = etna_result_total_count(r);
        CHECK(etna_result_len(r) <= 2);
        seen += (int64_t)etna_result_len(r);
        found += find_order(r, limit_id) != NULL;
        page = etna_result_next_page(r);
        pages++;
        etna_result_free(r);
    }
    CHECK(page == -1 && total >= 3 && seen == total && pages == (total + 1) / 2 && found == 1);

    /* A failure writes no result. */
    expect(etna_get_order(s, 1001, 987654321, &untouched, &err), &err, ETNA_ERR_HTTP, 404);
    CHECK(untouched == NULL);
    CHECK(etna_cancel_order(s, 1001, limit_id, &err) == ETNA_OK);
    etna_session_free(s);
}

static EtnaSession *alice(void) {
    EtnaSession *s = new_session(base_url, "sim-app-key");
    EtnaError *err = NULL;
    CHECK(etna_login(s, "alice", "alice-pass", NULL, &err) == ETNA_OK);
    return s;
}

/* The first event of every stream: ETNA_STREAM_STATE_CONNECTED. */
static void expect_connected(const EtnaStream *stream) {
    EtnaResult *r = NULL;
    EtnaError *err = NULL;
    const EtnaStreamState *state;
    CHECK(etna_stream_next(stream, 10000, &r, &err) == ETNA_OK && err == NULL);
    CHECK(etna_result_kind(r) == ETNA_KIND_STREAM_STATE && etna_result_len(r) == 1);
    state = etna_result_stream_state(r, 0);
    CHECK(state != NULL && etna_result_quote(r, 0) == NULL && etna_result_order(r, 0) == NULL);
    if (state != NULL) {
        CHECK(state->struct_size == sizeof(EtnaStreamState));
        CHECK(state->state == ETNA_STREAM_STATE_CONNECTED && state->reason != NULL);
        CHECK(strstr(state->json, "Connected") != NULL);
    }
    etna_result_free(r);
}

/* What a thread reading a stream until its end saw (CHECK is for the main thread only). */
struct reader {
    const EtnaStream *stream;
    int events, last_state;
    EtnaStatus status, error_code;
    long long ended_ms;
};

static void *read_until_end(void *arg) {
    struct reader *rd = arg;
    for (;;) {
        EtnaResult *r = NULL;
        EtnaError *err = NULL;
        EtnaStatus status = etna_stream_next(rd->stream, -1, &r, &err); /* waits without end */
        if (status != ETNA_OK) {
            rd->status = status;
            rd->error_code = etna_error_code(err);
            rd->ended_ms = now_ms();
            etna_error_free(err);
            return NULL;
        }
        rd->events++;
        if (etna_result_stream_state(r, 0) != NULL) {
            rd->last_state = etna_result_stream_state(r, 0)->state;
        }
        etna_result_free(r);
    }
}

static const char *const tickers[] = {"AAPL", "MSFT", "NVDA"};

/* A quote stream: connected, three tickers subscribed, a quote of each read as EtnaQuote, the
 * counters, the timing; then, with nothing subscribed any more, a reader blocked in
 * etna_stream_next(-1) on another thread, woken by etna_stream_close. */
static void stream_quotes_then_close_from_another_thread(void) {
    EtnaSession *s = alice();
    EtnaError *err = NULL;
    EtnaStream *q = NULL, *none = NULL;
    EtnaResult *r = NULL;
    EtnaStreamStats stats;
    struct reader rd = {NULL, 0, -1, ETNA_OK, ETNA_OK, 0};
    thread_t thread;
    int64_t ids[3] = {-1, -1, -1};
    char keys[64];
    int seen = 0, reads = 0, i;
    long long closed_ms;

    expect(etna_stream_open(s, 7, &none, &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    CHECK(none == NULL);
    CHECK(etna_stream_open(s, ETNA_STREAM_QUOTES, &q, &err) == ETNA_OK && q != NULL);
    expect_connected(q);
    CHECK(etna_stream_subscribe_quotes(q, "AAPL;MSFT;NVDA", &err) == ETNA_OK && err == NULL);
    expect(etna_stream_subscribe_quotes(q, "NOSUCHTICKER", &err), &err, ETNA_ERR_HTTP, 404);
    expect(etna_stream_subscribe(q, "Order", "1001", &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    expect(etna_stream_subscribe(q, "Teleport", "1", &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);

    /* A quote of each ticker (the streamer sends the current one on subscribing). */
    while (seen != 7 && reads++ < 300) {
        const EtnaQuote *quote;
        r = NULL;
        if (etna_stream_next(q, 100, &r, &err) != ETNA_OK) {
            CHECK(etna_error_code(err) == ETNA_ERR_TIMEOUT);
            etna_error_free(err);
            err = NULL;
            continue;
        }
        CHECK(etna_result_kind(r) == ETNA_KIND_QUOTE && etna_result_len(r) == 1);
        quote = etna_result_quote(r, 0);
        CHECK(quote != NULL && etna_result_stream_state(r, 0) == NULL);
        if (quote != NULL) {
            CHECK(quote->struct_size == sizeof(EtnaQuote) && quote->security_id > 0);
            CHECK(!isnan(quote->bid) && quote->bid > 0 && quote->bid < quote->ask);
            CHECK(quote->time_ms > 0 && strstr(quote->json, "\"Bid\"") != NULL);
            for (i = 0; i < 3; i++) {
                if (strcmp(quote->symbol, tickers[i]) == 0) {
                    seen |= 1 << i;
                    ids[i] = quote->security_id;
                }
            }
        }
        etna_result_free(r);
    }
    CHECK(seen == 7);

    memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    CHECK(etna_stream_stats(q, &stats, &err) == ETNA_OK);
    CHECK(stats.received >= 3 && stats.delivered >= 4 && stats.last_message_age_ms >= 0);
    CHECK(stats.high_water >= stats.queued && stats.reconnects == 0 && stats.gaps == 0);
    stats.struct_size = 4;
    expect(etna_stream_stats(q, &stats, &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    CHECK(etna_stream_set_timing(q, 30000, 250, 30000, &err) == ETNA_OK);
    expect(etna_stream_set_timing(q, 10, 250, 30000, &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    expect(etna_stream_next(q, -2, &r, &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);

    /* Nothing subscribed: the reader waits until the stream is closed. */
    snprintf(keys, sizeof keys, "%lld;%lld;%lld", (long long)ids[0], (long long)ids[1], (long long)ids[2]);
    CHECK(etna_stream_unsubscribe(q, "Quote", keys, &err) == ETNA_OK);
    rd.stream = q;
    CHECK(thread_start(&thread, read_until_end, &rd) == 0);
    sleep_ms(300);
    closed_ms = now_ms();
    CHECK(etna_stream_close(q, &err) == ETNA_OK && err == NULL);
    CHECK(etna_stream_close(q, &err) == ETNA_OK); /* closing again does nothing */
    CHECK(thread_join(&thread) == 0);
    CHECK(rd.status == ETNA_ERR_CANCELLED && rd.error_code == ETNA_ERR_CANCELLED);
    CHECK(rd.last_state == ETNA_STREAM_STATE_CLOSED && rd.events >= 1);
    CHECK(rd.ended_ms - closed_ms < 5000);
    /* Closed and drained. */
    r = NULL;
    expect(etna_stream_next(q, 0, &r, &err), &err, ETNA_ERR_CANCELLED, 0);
    CHECK(r == NULL);
    expect(etna_stream_subscribe(q, "Quote", keys, &err), &err, ETNA_ERR_INVALID_STATE, 0);
    CHECK(etna_stream_stats(q, NULL, NULL) == ETNA_ERR_NULL_ARGUMENT);
    etna_stream_free(q);
    etna_stream_free(NULL);
    etna_session_free(s);
}

/* A data stream: Order and Position events of account 1002 (the scenarios above trade in 1001,
 * and events of their orders may still come); a Market order placed over REST is seen to its fill
 * on the stream. The stream outlives its session. */
static void stream_data_sees_an_orders_fill(void) {
    EtnaSession *s = alice();
    EtnaError *err = NULL;
    EtnaStream *d = NULL;
    EtnaResult *r = NULL;
    int64_t id = -1;
    int filled = 0, orders = 0, positions = 0, reads = 0;

    CHECK(etna_stream_open(s, ETNA_STREAM_DATA, &d, &err) == ETNA_OK && d != NULL);
    expect_connected(d);
    CHECK(etna_stream_subscribe(d, "Order", "1002", &err) == ETNA_OK);
    CHECK(etna_stream_subscribe(d, "Position", "1002", &err) == ETNA_OK);
    expect(etna_stream_subscribe(d, "Quote", "1", &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    expect(etna_stream_subscribe(d, "Order", "", &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    expect(etna_stream_subscribe_quotes(d, "AAPL", &err), &err, ETNA_ERR_INVALID_ARGUMENT, 0);
    /* Nothing happens on the account: the wait runs out (and gives the subscriptions time to
     * reach the streamer; subscribing does not wait for it). */
    expect(etna_stream_next(d, 700, &r, &err), &err, ETNA_ERR_TIMEOUT, 0);
    CHECK(r == NULL);

    CHECK(etna_place_order(s, 1002, "{\"Symbol\":\"MSFT\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":2,"
                                    "\"ClientId\":\"abi-stream-1\"}", &r, &err) == ETNA_OK);
    if (etna_result_order(r, 0) != NULL) {
        id = etna_result_order(r, 0)->id;
    }
    etna_result_free(r);
    etna_session_free(s); /* the stream goes on without its session */

    while (!filled && reads++ < 300) {
        const EtnaOrder *o;
        r = NULL;
        if (etna_stream_next(d, 100, &r, &err) != ETNA_OK) {
            CHECK(etna_error_code(err) == ETNA_ERR_TIMEOUT);
            etna_error_free(err);
            err = NULL;
            continue;
        }
        positions += etna_result_kind(r) == ETNA_KIND_POSITION && etna_result_position(r, 0) != NULL;
        o = etna_result_order(r, 0);
        if (o != NULL && strcmp(o->client_id, "abi-stream-1") == 0) {
            orders++;
            CHECK(etna_result_kind(r) == ETNA_KIND_ORDER && o->struct_size == sizeof(EtnaOrder));
            CHECK(o->id == id && o->account_id == 1002 && strcmp(o->symbol, "MSFT") == 0);
            CHECK(o->side == ETNA_SIDE_BUY && o->quantity == 2);
            if (o->status == ETNA_ORDER_STATUS_FILLED) {
                filled = 1;
                CHECK(etna_order_status_is_final(o->status) == 1 && o->executed_quantity == 2);
                CHECK(!isnan(o->average_price) && o->average_price > 0);
                CHECK(strcmp(o->status_text, "Filled") == 0);
            }
        }
        etna_result_free(r);
    }
    CHECK(filled && orders >= 1);
    /* The position the fill made follows it. */
    while (positions == 0 && reads++ < 400) {
        r = NULL;
        if (etna_stream_next(d, 100, &r, &err) == ETNA_OK) {
            const EtnaPosition *p = etna_result_position(r, 0);
            if (p != NULL) {
                positions++;
                CHECK(strcmp(p->symbol, "MSFT") == 0 && p->quantity >= 2 && p->account_id == 1002);
            }
            etna_result_free(r);
        } else {
            etna_error_free(err);
            err = NULL;
        }
    }
    CHECK(positions >= 1);
    etna_stream_free(d); /* closes it first */
}

int main(void) {
    static const char *const needed[] = {"ETNA_BASE_URL", "ETNA_REFUSED_URL", "ETNA_SILENT_URL",
                                         "ETNA_FRONT_URL", "ETNA_TLS_URL", "ETNA_CA_FILE"};
    size_t i;
    for (i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        if (getenv(needed[i]) == NULL) {
            fprintf(stderr, "set %s (and the others of the comment at the top)\n", needed[i]);
            return 2;
        }
    }
    base_url = getenv("ETNA_BASE_URL");
    status_strings();
    password_login_then_info_then_logout();
    two_factor_wrong_code_then_right_code();
    pin_login();
    documented_login_failures();
    null_and_invalid_utf8_arguments();
    http_errors_and_204();
    refused_connection();
    timeout_of_a_silent_server();
    one_connection_kept_alive();
    tls_with_an_added_ca();
    log_callback_sees_no_secrets();
    typed_user_accounts_and_balances();
    typed_orders_positions_and_transactions();
    stream_quotes_then_close_from_another_thread();
    stream_data_sees_an_orders_fill();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
