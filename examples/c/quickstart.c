/*
 * libetna quickstart: log in (password, then a verification code or PIN when the broker asks
 * for one), print the user's info and accounts, log out.
 *
 *   ETNA_BASE_URL  default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
 *   ETNA_APP_KEY   default sim-app-key
 *   ETNA_USERNAME  default bob (the simulator's two-factor user)
 *   ETNA_PASSWORD  default bob-pass
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

/* GET path and print the JSON body; returns it (free with etna_string_free) or NULL. */
static char *get(EtnaSession *session, const char *label, const char *path) {
    char *body = NULL;
    EtnaError *err = NULL;
    if (etna_request(session, "GET", path, NULL, NULL, &body, &err) != ETNA_OK) {
        report(path, err);
        return NULL;
    }
    printf("%s: %s\n", label, body);
    return body;
}

int main(void) {
    EtnaSession *session = NULL;
    EtnaError *err = NULL;
    EtnaAuthState state = ETNA_AUTH_NONE;
    char *info = NULL, *accounts = NULL, path[128];
    const char *id;
    int ok = 0;

    if (etna_session_new(env_or("ETNA_BASE_URL", "http://127.0.0.1:18080/api/"),
                         env_or("ETNA_APP_KEY", "sim-app-key"), &session, &err) != ETNA_OK) {
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

    if ((info = get(session, "User", "v1.0/users/@me/info")) == NULL) {
        goto done;
    }
    id = strstr(info, "\"UserId\":");
    snprintf(path, sizeof path, "v1.0/users/%lld/accounts", id ? atoll(id + 9) : 0LL);
    if ((accounts = get(session, "Accounts", path)) == NULL) {
        goto done;
    }
    if (etna_logout(session, &err) != ETNA_OK) {
        report("etna_logout", err);
        goto done;
    }
    printf("Logged out\n");
    ok = 1;

done:
    etna_string_free(info);
    etna_string_free(accounts);
    etna_session_free(session);
    return ok ? 0 : 1;
}
