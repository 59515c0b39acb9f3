/*
 * The faults of the fault C tests (test_net_faults.c,
 * test_net_faults_answers.c) and what runs them: the binary's own dev
 * tenant, the request log's counts, the table of faults, and one case (an
 * operation of fault_ops.h through a fault) with all its checks.
 */
#ifndef AUTH0_TEST_FAULTS_H
#define AUTH0_TEST_FAULTS_H

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "fault_ops.h"

extern char **environ;

/* ---- this binary's own tenant ------------------------------------------------ */

static pid_t own_tenant = 0;

static void stop_own_tenant(void) {
    if (own_tenant > 0) {
        kill(own_tenant, SIGTERM);
        waitpid(own_tenant, NULL, 0);
        own_tenant = 0;
    }
}

/* Starts `$AUTH0_TEST_DEVTENANT_BIN --json --port 0` and points AUTH0_TEST_*
 * at it. Without the variable the tests fail in dt_env (never skip). */
static void start_own_tenant(void) {
    const char *bin = getenv("AUTH0_TEST_DEVTENANT_BIN");
    int fds[2];
    char line[4096];
    size_t n = 0;
    posix_spawn_file_actions_t actions;
    char *argv[] = {(char *)"auth0-devtenant", (char *)"--json", (char *)"--port", (char *)"0",
                    NULL};
    static const char *const keys[][2] = {{"domain", "AUTH0_TEST_DOMAIN"},
                                          {"client_id", "AUTH0_TEST_CLIENT_ID"},
                                          {"username", "AUTH0_TEST_USERNAME"},
                                          {"password", "AUTH0_TEST_PASSWORD"},
                                          {"connection", "AUTH0_TEST_CONNECTION"}};
    size_t i;
    if (bin == NULL || bin[0] == '\0' || pipe(fds) != 0) {
        unsetenv("AUTH0_TEST_DOMAIN");
        return;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    if (posix_spawn(&own_tenant, bin, &actions, NULL, argv, environ) != 0) own_tenant = 0;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    while (own_tenant > 0 && n + 1 < sizeof line) {
        ssize_t got = read(fds[0], line + n, 1);
        if (got <= 0 || line[n] == '\n') break;
        n++;
    }
    line[n] = '\0';
    close(fds[0]);
    atexit(stop_own_tenant);
    unsetenv("AUTH0_TEST_DOMAIN"); /* never the shared tenant */
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char *v = json_get_string(line, keys[i][0]);
        if (v) setenv(keys[i][1], v, 1);
        free(v);
    }
}

/* ---- helpers ---------------------------------------------------------------- */

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void clear_tenant(void) {
    dt_response r;
    if (dt_request_at("DELETE", "/__dev/faults", NULL, NULL, &r, __FILE__, __LINE__))
        dt_response_free(&r);
    if (dt_request_at("DELETE", "/__dev/requests", NULL, NULL, &r, __FILE__, __LINE__))
        dt_response_free(&r);
}

/* Requests logged whose path is exactly `path`. */
static long hits(const char *path) {
    char query[512], *log, *encoded = url_encode(path);
    long n, i, count = 0;
    if (!encoded) return -1;
    snprintf(query, sizeof query, "/__dev/requests?path=%s", encoded);
    free(encoded);
    log = dt_get(query);
    n = json_array_length(log);
    for (i = 0; i < n; i++) {
        char *item = json_array_item(log, (size_t)i);
        char *p = json_get_string(item, "path");
        if (p && strcmp(p, path) == 0) count++;
        free(p);
        free(item);
    }
    free(log);
    return count;
}

/* ---- faults ----------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *spec;     /* the fault's members besides path and count */
    auth0_status status;  /* what the call returns */
    const char *code;     /* the error JSON's code */
    long status_code;     /* its statusCode, 0 for none */
    int reads_retried;    /* the policy repeats it for reads */
    int handler_runs;     /* the tenant acted (a signup is then spent) */
    long timeout_ms;      /* the handles' request timeout, 0 for TIMEOUT_MS */
    int retried_then_ok;  /* a 429 the policy waits out: AUTH0_OK after 2 requests */
} fault;

static const fault FAULTS[] = {
    /* TIMEOUT_MS + LATENCY_MS */
    {"latency past the deadline", "\"latency_ms\":2800", AUTH0_ERROR_TIMEOUT, "timeout", 0, 0,
     1, 0, 0},
    {"never answering", "\"latency_ms\":600000", AUTH0_ERROR_TIMEOUT, "timeout", 0, 0, 0, 0, 0},
    {"one byte a second", "\"drip_ms\":1000", AUTH0_ERROR_TIMEOUT, "timeout", 0, 0, 1, 0, 0},
    {"reset mid-body", "\"truncate\":true", AUTH0_ERROR_NETWORK, "network_error", 0, 1, 1, ANSWERED_MS, 0},
    {"reset before answering", "\"drop\":true", AUTH0_ERROR_NETWORK, "network_error", 0, 1, 0, ANSWERED_MS, 0},
    {"oversize", "\"oversize_bytes\":2097152", AUTH0_ERROR_SERVER, "response_too_large", 200, 0,
     1, ANSWERED_MS, 0},
    {"500", "\"status\":500", AUTH0_ERROR_SERVER, "server_error", 500, 0, 0, ANSWERED_MS, 0},
    {"502", "\"status\":502", AUTH0_ERROR_SERVER, "server_error", 502, 1, 0, ANSWERED_MS, 0},
    {"503", "\"status\":503", AUTH0_ERROR_SERVER, "server_error", 503, 1, 0, ANSWERED_MS, 0},
    {"429 with Retry-After: 60", "\"status\":429,\"retry_after\":60", AUTH0_ERROR_SERVER,
     "rate_limited", 429, 0, 0, ANSWERED_MS, 0},
    {"an HTML 200", "\"body\":\"<!DOCTYPE html><html><body>Wi-Fi login</body></html>\"",
     AUTH0_ERROR_SERVER, "invalid_response", 200, 0, 0, ANSWERED_MS, 0},
    {"an empty 200", "\"body\":\"\",\"content_type\":\"application/json\"", AUTH0_ERROR_SERVER,
     "invalid_response", 200, 0, 0, ANSWERED_MS, 0},
    /* Retried for every call (the server did not act) after its Retry-After:
     * a timeout that leaves room for the wait. */
    {"429 with Retry-After: 1, once", "\"status\":429,\"retry_after\":1,\"count\":1", AUTH0_OK,
     "", 0, 0, 0, 4000, 1},
};

static void run_case(const op *o, const fault *f) {
    ctx c;
    char spec[1024], *out = NULL, *cause = NULL;
    const char *path, *want_code = f->code;
    long started, elapsed, bound, reached, want_hits, want_status_code = f->status_code;
    long retry_after = 0, want_retry_after = 0;
    auth0_status got, want_status = f->status;
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    int saves = 0, changed;
    memset(&c, 0, sizeof c);
    handle_timeout_ms = f->timeout_ms ? f->timeout_ms : TIMEOUT_MS;
    clear_tenant();
    o->setup(&c);
    path = c.path[0] ? c.path : o->path;
    clear_tenant();
    if (c.store) { /* what a failed renewal must leave as it was */
        pthread_mutex_lock(&c.store->mu);
        blob_len = c.store->len;
        blob = (unsigned char *)malloc(blob_len ? blob_len : 1);
        if (blob) memcpy(blob, c.store->data, blob_len);
        saves = c.store->saves;
        pthread_mutex_unlock(&c.store->mu);
    }
    /* Enough for every attempt to meet it, unless the fault says. */
    snprintf(spec, sizeof spec, "{\"path\":\"%s\",%s%s}", path,
             strstr(f->spec, "\"count\"") ? "" : "\"count\":10,", f->spec);
    if (!dt_fault(spec)) goto done;

    started = now_ms();
    got = o->call(&c, &out);
    elapsed = now_ms() - started;

    want_hits = (f->reads_retried && o->read) ? ATTEMPTS : 1;
    if (f->retried_then_ok) want_hits = 2;
    if (o->walk && strcmp(want_code, "invalid_response") == 0) want_code = "interaction_required";
    if (o->call == call_link_user && strcmp(want_code, "response_too_large") == 0)
        want_status_code = 201; /* its real answer, padded, is a 201 Created */
    if (strcmp(want_code, "rate_limited") == 0)
        want_retry_after = strstr(f->spec, "\"retry_after\":60") ? 60 : 1;
    bound = handle_timeout_ms * (o->walk ? 4 : 1) + (f->retried_then_ok ? 1000 : 0);
    if (elapsed > bound + MARGIN_MS)
        h_fail_at(__FILE__, __LINE__, "%s / %s: took %ld ms, bound %ld ms", o->name, f->name,
                  elapsed, bound);
    if (want_status == AUTH0_OK) {
        if (got != AUTH0_OK)
            h_fail_at(__FILE__, __LINE__, "%s / %s: gave %s: %s", o->name, f->name,
                      h_status_name((int)got), out ? out : "(NULL)");
        else if (elapsed < 900)
            h_fail_at(__FILE__, __LINE__, "%s / %s: Retry-After was not waited for (%ld ms)",
                      o->name, f->name, elapsed);
    } else {
        const char *outer = o->wrapped ? o->wrapped : want_code;
        auth0_status outer_status = o->wrapped ? AUTH0_ERROR_CREDENTIALS : want_status;
        if (!h_check_status((int)got, (int)outer_status, o->name, __FILE__, __LINE__) ||
            !h_check_http_error(out, outer, want_status_code, __FILE__, __LINE__))
            h_fail_at(__FILE__, __LINE__, "(%s / %s: %s)", o->name, f->name,
                      out ? out : "(NULL)");
        cause = o->wrapped ? json_get_string(out, "cause") : NULL;
        if (o->wrapped && !(cause && strcmp(cause, want_code) == 0))
            h_fail_at(__FILE__, __LINE__, "%s / %s: cause %s, expected %s", o->name, f->name,
                      cause ? cause : "(none)", want_code);
        if (want_retry_after &&
            !(json_get_long(out, "retryAfter", &retry_after) && retry_after == want_retry_after))
            h_fail_at(__FILE__, __LINE__, "%s / %s: retryAfter in %s", o->name, f->name,
                      out ? out : "(NULL)");
    }
    auth0_string_free(out);
    out = NULL;

    reached = hits(path);
    if (reached != want_hits)
        h_fail_at(__FILE__, __LINE__, "%s / %s: %ld requests reached %s, expected %ld", o->name,
                  f->name, reached, path, want_hits);
    if (got == AUTH0_OK) goto done;

    if (c.store) { /* compared, never printed: the blob holds the tokens */
        pthread_mutex_lock(&c.store->mu);
        changed = c.store->saves != saves || c.store->len != blob_len ||
                  (blob_len && (!blob || memcmp(c.store->data, blob, blob_len) != 0));
        pthread_mutex_unlock(&c.store->mu);
        if (changed)
            h_fail_at(__FILE__, __LINE__, "%s / %s: the failed call changed what is stored",
                      o->name, f->name);
    }
    /* Nothing left in the way: the same call succeeds once the fault is gone
     * (a single-use thing spent by the faulted call excepted). */
    clear_tenant();
    got = o->call(&c, &out);
    if (!(o->single_use && f->handler_runs) && got != AUTH0_OK)
        h_fail_at(__FILE__, __LINE__, "%s / %s: run again gave %s: %s", o->name, f->name,
                  h_status_name((int)got), out ? out : "(NULL)");
    auth0_string_free(out);
done:
    free(cause);
    free(blob);
    auth0_credentials_free(c.creds);
    auth0_webauth_free(c.web);
    auth0_management_free(c.m);
}

/* One test per fault, every operation through it. */
static void run_fault(size_t fi) {
    size_t i;
    for (i = 0; i < sizeof OPS / sizeof OPS[0]; i++) run_case(&OPS[i], &FAULTS[fi]);
}

/* The main of a fault binary: its own tenant, set up as the refresh
 * cases need, then `tests`. */
static int run_fault_suite(int argc, char **argv, const h_test *tests, size_t n) {
    int rc;
    start_own_tenant();
    /* Auth0's reuse interval: a refresh token rotated by a renewal whose
     * answer was lost is accepted again for a while. */
    if (getenv("AUTH0_TEST_DOMAIN"))
        free(dt_post("/__dev/settings", "{\"refresh_reuse_interval_secs\":60}"));
    rc = h_run_all(argc, argv, tests, n);
    stop_own_tenant();
    return rc;
}

#endif
