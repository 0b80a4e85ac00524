/*
 * Live quotes: log in (a verification code or PIN is read from stdin when the broker asks for
 * one), open the quote stream, subscribe three tickers, and print the bid and ask of every quote
 * that comes for ETNA_SECONDS seconds, with the stream's state changes (connected, reconnecting,
 * ...). Then close the stream, print its counters, log out and free everything. Quotes are read as
 * EtnaQuote structs: no JSON library.
 *
 *   ETNA_BASE_URL  default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
 *   ETNA_APP_KEY   default sim-app-key
 *   ETNA_USERNAME  default bob (the simulator's two-factor user)
 *   ETNA_PASSWORD  default bob-pass
 *   ETNA_TICKERS   the tickers, joined by ';'; default AAPL;MSFT;NVDA
 *   ETNA_SECONDS   how long to print quotes; default 10
 *
 * Build (after cargo build --release), from the repository root:
 *   cc -std=c11 -Iinclude examples/c/stream_quotes.c -Ltarget/release -letna -Wl,-rpath,target/release \
 *      -o stream_quotes
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "etna.h"

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return (value != NULL && value[0] != '\0') ? value : fallback;
}

/* Prints what failed and frees the error. */
static void report(const char *what, EtnaError *err) {
    fprintf(stderr, "%s failed: %s (code %d: %s)", what, etna_error_message(err), (int)etna_error_code(err),
            etna_status_str(etna_error_code(err)));
    if (etna_error_http_status(err) != 0) {
        fprintf(stderr, " [HTTP %u]", (unsigned)etna_error_http_status(err));
    }
    fputc('\n', stderr);
    etna_error_free(err);
}

/* Logs in, answering a verification code or PIN step from stdin; 1 when logged in. */
static int log_in(EtnaSession *s) {
    EtnaAuthState state = ETNA_AUTH_NONE;
    EtnaError *err = NULL;
    char answer[64];
    if (etna_login(s, env_or("ETNA_USERNAME", "bob"), env_or("ETNA_PASSWORD", "bob-pass"), &state, &err) !=
        ETNA_OK) {
        report("etna_login", err);
        return 0;
    }
    while (state == ETNA_AUTH_VERIFICATION_REQUIRED || state == ETNA_AUTH_PIN_REQUIRED) {
        int wants_code = state == ETNA_AUTH_VERIFICATION_REQUIRED;
        EtnaStatus status;
        fputs(wants_code ? "Enter the verification code: " : "Enter your PIN: ", stdout);
        fflush(stdout);
        if (fgets(answer, sizeof answer, stdin) == NULL) {
            fprintf(stderr, "no input: login abandoned\n");
            return 0;
        }
        answer[strcspn(answer, "\r\n")] = '\0';
        status = wants_code ? etna_login_verify(s, answer, &state, &err) : etna_login_pin(s, answer, &state, &err);
        if (status == ETNA_ERR_INVALID_VERIFICATION_CODE || status == ETNA_ERR_INVALID_PIN) {
            fprintf(stderr, "%s\n", etna_error_message(err)); /* the user may try again */
            etna_error_free(err);
            state = etna_session_auth_state(s);
        } else if (status != ETNA_OK) {
            report(wants_code ? "etna_login_verify" : "etna_login_pin", err);
            return 0;
        }
    }
    return state == ETNA_AUTH_AUTHENTICATED;
}

/* Milliseconds on a clock that only goes forward. */
static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A price with two decimals, or "-" when the streamer sent none (NaN). */
static void print_price(double price) {
    if (isnan(price)) {
        fputs("-", stdout);
    } else {
        printf("%.2f", price);
    }
}

static const char *state_name(int32_t state) {
    switch (state) {
    case ETNA_STREAM_STATE_CONNECTED: return "connected";
    case ETNA_STREAM_STATE_RECONNECTING: return "reconnecting";
    case ETNA_STREAM_STATE_RECONNECTED: return "reconnected";
    case ETNA_STREAM_STATE_GAP: return "gap";
    case ETNA_STREAM_STATE_CLOSED: return "closed";
    case ETNA_STREAM_STATE_FAILED: return "failed";
    default: return "unknown";
    }
}

/* Prints one event: a quote's bid and ask, or a state change. */
static void print_event(const EtnaResult *r) {
    const EtnaQuote *q = etna_result_quote(r, 0);
    const EtnaStreamState *state = etna_result_stream_state(r, 0);
    if (q != NULL) {
        printf("%s bid ", q->symbol);
        print_price(q->bid);
        fputs(" ask ", stdout);
        print_price(q->ask);
        putchar('\n');
    } else if (state != NULL) {
        printf("state: %s", state_name(state->state));
        if (state->reason[0] != '\0') {
            printf(" (%s)", state->reason);
        }
        putchar('\n');
    }
    fflush(stdout);
}

int main(void) {
    EtnaSession *s = NULL;
    EtnaStream *quotes = NULL;
    EtnaError *err = NULL;
    EtnaStreamStats stats;
    EtnaStatus status;
    const char *tickers = env_or("ETNA_TICKERS", "AAPL;MSFT;NVDA");
    long long seconds = atoll(env_or("ETNA_SECONDS", "10")), until;
    int exit_status = 1;

    if (etna_session_new(env_or("ETNA_BASE_URL", "http://127.0.0.1:18080/api/"), env_or("ETNA_APP_KEY", "sim-app-key"),
                         &s, &err) != ETNA_OK) {
        report("etna_session_new", err);
        return 1;
    }
    if (!log_in(s)) {
        goto done;
    }
    if (etna_stream_open(s, ETNA_STREAM_QUOTES, &quotes, &err) != ETNA_OK) {
        report("etna_stream_open", err);
        goto done;
    }
    /* Each ticker is looked up over REST, then its security id subscribed. */
    if (etna_stream_subscribe_quotes(quotes, tickers, &err) != ETNA_OK) {
        report("etna_stream_subscribe_quotes", err);
        goto done;
    }
    printf("Quotes of %s for %lld s\n", tickers, seconds);

    until = now_ms() + seconds * 1000;
    while (now_ms() < until) {
        EtnaResult *event = NULL;
        long long left = until - now_ms();
        /* Waits for the next event, at most until the time is up. */
        status = etna_stream_next(quotes, (int32_t)(left > 1000 ? 1000 : (left > 0 ? left : 0)), &event, &err);
        if (status == ETNA_ERR_TIMEOUT) {
            etna_error_free(err); /* nothing came in that second */
            continue;
        }
        if (status != ETNA_OK) {
            report("etna_stream_next", err); /* the stream failed: its last event said why */
            goto done;
        }
        print_event(event);
        etna_result_free(event);
    }

    /* Close, then take what was still queued: its last event is the "closed" state. */
    etna_stream_close(quotes, NULL);
    for (;;) {
        EtnaResult *event = NULL;
        status = etna_stream_next(quotes, -1, &event, &err);
        if (status != ETNA_OK) {
            etna_error_free(err); /* ETNA_ERR_CANCELLED: closed, and nothing left */
            break;
        }
        print_event(event);
        etna_result_free(event);
    }
    memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    if (etna_stream_stats(quotes, &stats, &err) == ETNA_OK) {
        printf("Received %llu messages, handed out %llu events, %llu quotes conflated, %llu reconnects\n",
               (unsigned long long)stats.received, (unsigned long long)stats.delivered,
               (unsigned long long)stats.conflated, (unsigned long long)stats.reconnects);
    } else {
        report("etna_stream_stats", err);
    }
    if (etna_logout(s, &err) != ETNA_OK) {
        report("etna_logout", err);
    }
    exit_status = 0;

done:
    etna_stream_free(quotes);
    etna_session_free(s);
    return exit_status;
}
