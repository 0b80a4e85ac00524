/*
 * Every order of an account, page by page: log in (a verification code or PIN is read from stdin
 * when the broker asks for one), then ask for page 0, 1, ... until etna_result_next_page says -1,
 * printing each order's id, symbol, status and average price. The answers are read as C structs:
 * no JSON library.
 *
 *   ETNA_BASE_URL    default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
 *   ETNA_APP_KEY     default sim-app-key
 *   ETNA_USERNAME    default bob (the simulator's two-factor user)
 *   ETNA_PASSWORD    default bob-pass
 *   ETNA_ACCOUNT     the account id; default the user's first account
 *   ETNA_PAGE_SIZE   orders per page, 1 to 100; default 100
 *
 * Build (after cargo build --release), from the repository root:
 *   cc -std=c11 -Iinclude examples/c/orders.c -Ltarget/release -letna -Wl,-rpath,target/release -o orders
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etna.h"

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return (value != NULL && value[0] != '\0') ? value : fallback;
}

/* Prints what failed, frees the error and returns 1 (the exit status). */
static int fail(const char *what, EtnaError *err) {
    fprintf(stderr, "%s failed: %s (code %d)\n", what, etna_error_message(err), (int)etna_error_code(err));
    etna_error_free(err);
    return 1;
}

/* Logs in, answering a verification code or PIN step from stdin; 0 on success, 1 on failure. */
static int log_in(EtnaSession *s) {
    EtnaAuthState state = ETNA_AUTH_NONE;
    EtnaError *err = NULL;
    EtnaStatus st = etna_login(s, env_or("ETNA_USERNAME", "bob"), env_or("ETNA_PASSWORD", "bob-pass"), &state, &err);
    char answer[64];
    while (st == ETNA_OK && state != ETNA_AUTH_AUTHENTICATED) {
        int code = state == ETNA_AUTH_VERIFICATION_REQUIRED;
        fputs(code ? "Enter the verification code: " : "Enter your PIN: ", stdout);
        fflush(stdout);
        if (fgets(answer, sizeof answer, stdin) == NULL) {
            fprintf(stderr, "no input: login abandoned\n");
            return 1;
        }
        answer[strcspn(answer, "\r\n")] = '\0';
        st = code ? etna_login_verify(s, answer, &state, &err) : etna_login_pin(s, answer, &state, &err);
    }
    return st == ETNA_OK ? 0 : fail("login", err);
}

/* The account to list: ETNA_ACCOUNT, or the user's first account; -1 on failure. */
static int64_t pick_account(EtnaSession *s) {
    EtnaResult *r = NULL;
    EtnaError *err = NULL;
    const EtnaAccount *first;
    int64_t id;
    if (getenv("ETNA_ACCOUNT") != NULL) {
        return atoll(getenv("ETNA_ACCOUNT"));
    }
    if (etna_get_accounts(s, &r, &err) != ETNA_OK) {
        fail("etna_get_accounts", err);
        return -1;
    }
    first = etna_result_account(r, 0); /* NULL when the user has no account */
    id = first != NULL ? first->id : -1;
    etna_result_free(r);
    return id;
}

int main(void) {
    EtnaSession *s = NULL;
    EtnaError *err = NULL;
    int32_t page = 0, page_size = (int32_t)atoi(env_or("ETNA_PAGE_SIZE", "100"));
    int64_t account, listed = 0;
    int status = 1;

    if (etna_session_new(env_or("ETNA_BASE_URL", "http://127.0.0.1:18080/api/"),
                         env_or("ETNA_APP_KEY", "sim-app-key"), &s, &err) != ETNA_OK) {
        return fail("etna_session_new", err);
    }
    if (log_in(s) != 0 || (account = pick_account(s)) < 0) {
        goto done;
    }
    printf("Orders of account %lld\n", (long long)account);
    while (page != -1) {
        EtnaResult *r = NULL;
        size_t i;
        if (etna_get_orders(s, account, NULL, page, page_size, &r, &err) != ETNA_OK) {
            fail("etna_get_orders", err);
            goto done;
        }
        for (i = 0; i < etna_result_len(r); i++) {
            const EtnaOrder *o = etna_result_order(r, i);
            printf("%lld %s %s ", (long long)o->id, o->symbol, o->status_text);
            if (isnan(o->average_price)) {
                printf("-\n"); /* the broker sent no average price */
            } else {
                printf("%.4f\n", o->average_price);
            }
            listed++;
        }
        printf("page %d: %zu orders of %lld\n", (int)page, etna_result_len(r), (long long)etna_result_total_count(r));
        page = etna_result_next_page(r); /* -1 after the last page */
        etna_result_free(r);
    }
    printf("%lld orders\n", (long long)listed);
    etna_logout(s, NULL);
    status = 0;

done:
    etna_session_free(s);
    return status;
}
