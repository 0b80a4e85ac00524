/* A C program as a user builds it against an installed libetna, with pkg-config
 * (tests/install/consumers.rs; README.md, "Install"). Logs in as ETNA_USERNAME, places a market
 * order for ETNA_QUANTITY shares of ETNA_SYMBOL on account ETNA_ACCOUNT, waits for its fill. */
#include <etna.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !ETNA_VERSION_AT_LEAST(0, 1, 0)
#error "etna_version.h: ETNA_VERSION_AT_LEAST is wrong"
#endif

static const char *need(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "%s is not set\n", name);
        exit(2);
    }
    return v;
}

static int fail(const char *what, EtnaError *err) {
    fprintf(stderr, "%s failed: code %d: %s\n", what, (int)etna_error_code(err),
            etna_error_message(err));
    etna_error_free(err);
    return 1;
}

int main(void) {
    /* The headers' version and the loaded library's must agree. */
    printf("headers %s (%d.%d.%d), library %s\n", ETNA_VERSION, ETNA_VERSION_MAJOR,
           ETNA_VERSION_MINOR, ETNA_VERSION_PATCH, etna_version());
    if (strcmp(ETNA_VERSION, etna_version()) != 0) {
        fprintf(stderr, "version mismatch\n");
        return 1;
    }
    int64_t account = strtoll(need("ETNA_ACCOUNT"), NULL, 10);
    EtnaSession *s = NULL;
    EtnaError *err = NULL;
    EtnaAuthState state = ETNA_AUTH_NONE;
    EtnaStatus st = etna_session_new(need("ETNA_BASE_URL"), need("ETNA_APP_KEY"), &s, &err);
    if (st != ETNA_OK)
        return fail("etna_session_new", err);
    st = etna_login(s, need("ETNA_USERNAME"), need("ETNA_PASSWORD"), &state, &err);
    if (st != ETNA_OK || state != ETNA_AUTH_AUTHENTICATED) {
        etna_session_free(s);
        return fail("etna_login", err);
    }
    printf("logged in as %s\n", need("ETNA_USERNAME"));

    int64_t id = 0;
    st = etna_place_simple_order(s, account, need("ETNA_SYMBOL"), "Buy", "Market",
                                 atof(need("ETNA_QUANTITY")), 0, 0, NULL, &id, &err);
    if (st != ETNA_OK) {
        etna_session_free(s);
        return fail("etna_place_simple_order", err);
    }
    EtnaResult *r = NULL;
    st = etna_wait_for_order(s, account, id, 20000, &r, &err);
    if (st != ETNA_OK) {
        etna_session_free(s);
        return fail("etna_wait_for_order", err);
    }
    const EtnaOrder *o = etna_result_order(r, 0);
    printf("order %lld: %s %g at %.2f\n", (long long)o->id, o->status_text,
           o->executed_quantity, o->average_price);
    etna_result_free(r);
    st = etna_logout(s, &err);
    etna_session_free(s);
    if (st != ETNA_OK)
        return fail("etna_logout", err);
    printf("logged out\n");
    return 0;
}
