/*
 * libetna quickstart: log in (password, then a verification code or PIN when the broker asks
 * for one), print the user's info, accounts and balances, then (against the simulator only)
 * trade: a limit order placed, replaced and canceled, a market order followed to its fill, the
 * resulting position. Log out.
 *
 *   ETNA_BASE_URL  default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
 *   ETNA_APP_KEY   default sim-app-key
 *   ETNA_USERNAME  default bob (the simulator's two-factor user)
 *   ETNA_PASSWORD  default bob-pass
 *   ETNA_PLACE_ORDERS=1  also trade when ETNA_BASE_URL is not the local simulator (real money!)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etna.h"

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return (value != NULL && value[0] != '\0') ? value : fallback;
}

/* Prints what failed and frees the error. */
static void report(const char *what, EtnaError *err) {
    fprintf(stderr, "%s failed: %s (code %d: %s)", what, etna_error_message(err),
            (int)etna_error_code(err), etna_status_str(etna_error_code(err)));
    if (etna_error_http_status(err) != 0) {
        fprintf(stderr, " [HTTP %u]", (unsigned)etna_error_http_status(err));
    }
    fputc('\n', stderr);
    etna_error_free(err);
}

/* Reads one line from stdin without its newline; 0 at end of input. */
static int ask(const char *prompt, char *buf, size_t size) {
    fputs(prompt, stdout);
    fflush(stdout);
    if (fgets(buf, (int)size, stdin) == NULL) {
        return 0;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return 1;
}

/* Answers the broker's extra login steps until logged in. */
static int finish_login(EtnaSession *session, EtnaAuthState state) {
    char answer[64];
    while (state == ETNA_AUTH_VERIFICATION_REQUIRED || state == ETNA_AUTH_PIN_REQUIRED) {
        int wants_code = state == ETNA_AUTH_VERIFICATION_REQUIRED;
        EtnaError *err = NULL;
        EtnaStatus status;
        if (!ask(wants_code ? "Enter the verification code: " : "Enter your PIN: ", answer, sizeof answer)) {
            fprintf(stderr, "no input: login abandoned\n");
            return 0;
        }
        status = wants_code ? etna_login_verify(session, answer, &state, &err)
                            : etna_login_pin(session, answer, &state, &err);
        if (status == ETNA_ERR_INVALID_VERIFICATION_CODE || status == ETNA_ERR_INVALID_PIN) {
            fprintf(stderr, "%s\n", etna_error_message(err)); /* the user may try again */
            etna_error_free(err);
            state = etna_session_auth_state(session);
        } else if (status != ETNA_OK) {
            report(wants_code ? "etna_login_verify" : "etna_login_pin", err);
            return 0;
        }
    }
    return state == ETNA_AUTH_AUTHENTICATED;
}

/* The number after "field": in a JSON text (enough for the ids this program needs). */
static long long json_number(const char *json, const char *field) {
    char key[64];
    const char *at;
    snprintf(key, sizeof key, "\"%s\":", field);
    at = json ? strstr(json, key) : NULL;
    return at ? atoll(at + strlen(key)) : 0;
}

/* Prints a JSON answer under a label, frees it and returns 1; or reports the error and returns 0. */
static int show(const char *label, EtnaStatus status, char *json, EtnaError *err) {
    if (status != ETNA_OK) {
        report(label, err);
        return 0;
    }
    printf("%s: %s\n", label, json);
    etna_string_free(json);
    return 1;
}

/* Orders only where no real money is at stake, unless the user says otherwise. */
static int may_trade(const char *base_url) {
    const char *yes = getenv("ETNA_PLACE_ORDERS");
    return strstr(base_url, "://127.0.0.1") != NULL || strstr(base_url, "://localhost") != NULL ||
           (yes != NULL && strcmp(yes, "1") == 0);
}

static int trade(EtnaSession *session, long long account) {
    EtnaError *err = NULL;
    char *json = NULL;
    int64_t limit_id = 0, market_id = 0;
    EtnaStatus st;

    /* A limit order far below the market rests; replace its price, then cancel it. */
    st = etna_place_simple_order(session, account, "AAPL", "Buy", "Limit", 10, 1.00, 0, "Day", &limit_id, &err);
    if (st != ETNA_OK) {
        report("etna_place_simple_order (limit)", err);
        return 0;
    }
    printf("Placed limit order %lld: buy 10 AAPL at 1.00\n", (long long)limit_id);
    st = etna_replace_order(session, account, limit_id, "{\"Price\":1.05}", &json, &err);
    if (st == ETNA_OK && json_number(json, "Id") != 0) {
        limit_id = json_number(json, "Id"); /* a replace may give the order a new id */
    }
    if (!show("Replaced (price 1.05)", st, json, err)) {
        return 0;
    }
    /* A market order fills at the ask: follow it to its fill. */
    st = etna_place_simple_order(session, account, "AAPL", "Buy", "Market", 5, 0, 0, "Day", &market_id, &err);
    if (st != ETNA_OK) {
        report("etna_place_simple_order (market)", err);
        return 0;
    }
    printf("Placed market order %lld: buy 5 AAPL\n", (long long)market_id);
    st = etna_wait_for_order(session, account, market_id, 10000, &json, &err);
    if (!show("Market order, final", st, json, err)) {
        return 0;
    }
    st = etna_get_position(session, account, "AAPL", &json, &err);
    if (!show("Position in AAPL", st, json, err)) {
        return 0;
    }
    if (etna_cancel_order(session, account, limit_id, &err) != ETNA_OK) {
        report("etna_cancel_order", err);
        return 0;
    }
    printf("Canceled limit order %lld\n", (long long)limit_id);
    return 1;
}

int main(void) {
    const char *base_url = env_or("ETNA_BASE_URL", "http://127.0.0.1:18080/api/");
    EtnaSession *session = NULL;
    EtnaError *err = NULL;
    EtnaAuthState state = ETNA_AUTH_NONE;
    char *json = NULL;
    EtnaStatus status;
    long long account;
    int ok = 0;

    if (etna_session_new(base_url, env_or("ETNA_APP_KEY", "sim-app-key"), &session, &err) != ETNA_OK) {
        report("etna_session_new", err);
        return 1;
    }
    printf("libetna %s\n", etna_version());
    if (etna_login(session, env_or("ETNA_USERNAME", "bob"), env_or("ETNA_PASSWORD", "bob-pass"),
                   &state, &err) != ETNA_OK) {
        report("etna_login", err);
        goto done;
    }
    if (!finish_login(session, state)) {
        goto done;
    }
    printf("Logged in; the token expires at %lld (Unix time)\n",
           (long long)etna_session_token_expires_at(session));

    /* Call first, then read json and err: C does not order the evaluation of arguments. */
    status = etna_get_user_info(session, &json, &err);
    if (!show("User", status, json, err)) {
        goto done;
    }
    if (etna_get_accounts(session, &json, &err) != ETNA_OK) {
        report("etna_get_accounts", err);
        goto done;
    }
    account = json_number(json, "Id"); /* the first account */
    show("Accounts", ETNA_OK, json, NULL);
    status = etna_get_account_info(session, account, &json, &err);
    if (!show("Balances", status, json, err)) {
        goto done;
    }
    if (may_trade(base_url) && !trade(session, account)) {
        goto done;
    }
    if (etna_logout(session, &err) != ETNA_OK) {
        report("etna_logout", err);
        goto done;
    }
    printf("Logged out\n");
    ok = 1;

done:
    etna_session_free(session);
    return ok ? 0 : 1;
}
