/*
 * libetna quickstart: log in (password, then a verification code or PIN when the broker asks
 * for one), print the user, the accounts and the first one's balances, then (against the
 * simulator only) trade: a limit order placed, replaced and canceled, a market order followed to
 * its fill, the resulting position. Log out. Every answer is read as typed C structs (an
 * EtnaResult and its getters): no JSON library is needed.
 *
 *   ETNA_BASE_URL  default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
 *   ETNA_APP_KEY   default sim-app-key
 *   ETNA_USERNAME  default bob (the simulator's two-factor user)
 *   ETNA_PASSWORD  default bob-pass
 *   ETNA_PLACE_ORDERS=1  also trade when ETNA_BASE_URL is not the local simulator (real money!)
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

/* One line for an order: its id, status (the broker's word), price and fill. Numbers the broker
 * did not send are NaN. */
static void print_order(const char *label, const EtnaOrder *o) {
    printf("%s: order %lld is %s", label, (long long)o->id, o->status_text);
    if (!isnan(o->price) && o->price > 0) {
        printf(" at %.2f", o->price);
    }
    if (!isnan(o->executed_quantity) && o->executed_quantity > 0) {
        printf(", %g %s at %.2f on average", o->executed_quantity, o->symbol, o->average_price);
    }
    putchar('\n');
}

/* Orders only where no real money is at stake, unless the user says otherwise. */
static int may_trade(const char *base_url) {
    const char *yes = getenv("ETNA_PLACE_ORDERS");
    return strstr(base_url, "://127.0.0.1") != NULL || strstr(base_url, "://localhost") != NULL ||
           (yes != NULL && strcmp(yes, "1") == 0);
}

static int trade(EtnaSession *session, int64_t account) {
    EtnaError *err = NULL;
    EtnaResult *r = NULL;
    const EtnaOrder *o;
    const EtnaPosition *p;
    int64_t limit_id = 0, market_id = 0;
    EtnaStatus st;

    /* A limit order far below the market rests; replace its price, then cancel it. */
    st = etna_place_simple_order(session, account, "AAPL", "Buy", "Limit", 10, 1.00, 0, "Day", &limit_id, &err);
    if (st != ETNA_OK) {
        report("etna_place_simple_order (limit)", err);
        return 0;
    }
    printf("Placed limit order %lld: buy 10 AAPL at 1.00\n", (long long)limit_id);
    st = etna_replace_order(session, account, limit_id, "{\"Price\":1.05}", &r, &err);
    if (st != ETNA_OK) {
        report("etna_replace_order", err);
        return 0;
    }
    o = etna_result_order(r, 0);
    if (o != NULL) {
        limit_id = o->id; /* a replace may give the order a new id */
        print_order("Replaced (price 1.05)", o);
    }
    etna_result_free(r);

    /* A market order fills at the ask: follow it to its fill. */
    st = etna_place_simple_order(session, account, "AAPL", "Buy", "Market", 5, 0, 0, "Day", &market_id, &err);
    if (st != ETNA_OK) {
        report("etna_place_simple_order (market)", err);
        return 0;
    }
    printf("Placed market order %lld: buy 5 AAPL\n", (long long)market_id);
    st = etna_wait_for_order(session, account, market_id, 10000, &r, &err);
    if (st != ETNA_OK) {
        report("etna_wait_for_order", err);
        return 0;
    }
    o = etna_result_order(r, 0);
    if (o != NULL) {
        print_order("Market order, final", o);
    }
    etna_result_free(r);

    st = etna_get_position(session, account, "AAPL", &r, &err);
    if (st != ETNA_OK) {
        report("etna_get_position", err);
        return 0;
    }
    p = etna_result_position(r, 0); /* NULL: no position */
    if (p != NULL) {
        printf("Position in AAPL: %g at %.2f on average\n", p->quantity, p->average_open_price);
    }
    etna_result_free(r);

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
    EtnaResult *r = NULL;
    const EtnaUser *user;
    const EtnaBalances *balances;
    double option_bp = 0;
    int64_t account = -1;
    size_t i;
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

    /* A typed read: call, check, read the item's fields, free the result. */
    if (etna_get_user_info(session, &r, &err) != ETNA_OK) {
        report("etna_get_user_info", err);
        goto done;
    }
    user = etna_result_user(r, 0);
    if (user != NULL) {
        printf("User: %s (id %lld)\n", user->login, (long long)user->id);
    }
    etna_result_free(r);

    if (etna_get_accounts(session, &r, &err) != ETNA_OK) {
        report("etna_get_accounts", err);
        goto done;
    }
    for (i = 0; i < etna_result_len(r); i++) {
        const EtnaAccount *a = etna_result_account(r, i);
        if (a == NULL) {
            continue;
        }
        printf("Account %lld: %s (%s)\n", (long long)a->id, a->alias, a->margin_type_text);
        if (i == 0) {
            account = a->id;
        }
    }
    etna_result_free(r);
    if (account < 0) {
        fprintf(stderr, "the user has no account\n");
        goto done;
    }

    if (etna_get_account_info(session, account, &r, &err) != ETNA_OK) {
        report("etna_get_account_info", err);
        goto done;
    }
    balances = etna_result_balances(r, 0);
    if (balances != NULL) {
        printf("Balances: cash %.2f, stock buying power %.2f", balances->cash, balances->stock_buying_power);
        /* Any other number the broker sends, by its name. */
        if (etna_balances_value(balances, "optionBuyingPower", &option_bp, NULL) == ETNA_OK) {
            printf(", option buying power %.2f", option_bp);
        }
        putchar('\n');
    }
    etna_result_free(r);

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
