/*
 * Every network operation of the C API against the dev tenant's faults
 * (/__dev/faults): a table of operations and a table of faults, every
 * pair one case. Each case checks the status and the error JSON's code
 * and statusCode, that the call returned within its bound (a bound with a
 * generous margin for valgrind, not a speed test), how many requests
 * reached the faulted endpoint (the retry policy: reads retried on
 * 502/503 and a broken connection, nothing else here), and that the same
 * call succeeds once the fault is gone (nothing of the failed call is
 * left in the way).
 *
 * Faults: on every path, so this binary runs its own dev tenant
 * (AUTH0_TEST_DEVTENANT_BIN, exported by run.sh) rather than the shared
 * one.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "devtenant.h"

extern char **environ;

/* The faulted call's request timeout. */
#define TIMEOUT_MS 1000
/* Added to every bound: valgrind and a loaded machine. */
#define MARGIN_MS 8000
#define ATTEMPTS 3

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

/* ---- operations --------------------------------------------------------------- */

/* What an operation's call needs, made before the fault is injected. */
typedef struct {
    auth0_webauth *web;
    auth0_management *m;
    char options[1024];
} ctx;

typedef struct {
    const char *name;
    const char *path;          /* the faulted endpoint */
    int read;                  /* a GET the policy repeats */
    int walk;                  /* a redirect walk: a page is interaction_required;
                                * its steps follow the retry policy (only
                                * renewAuth's first GET is a read) */
    void (*setup)(ctx *c);
    auth0_status (*call)(ctx *c, char **out);
} op;

#define HANDLE_EXTRA                                                           \
    "\"timeout\":1000,\"connectTimeout\":1000,"                                \
    "\"retry\":{\"maxAttempts\":3,\"baseDelayMs\":1,\"maxDelayMs\":2000}"

static void setup_login(ctx *c) {
    const dt_tenant *t = dt_env();
    c->web = dt_webauth(HANDLE_EXTRA);
    if (t)
        snprintf(c->options, sizeof c->options,
                 "{\"username\":\"%s\",\"password\":\"%s\",\"realm\":\"%s\"}", t->username,
                 t->password, t->connection);
}
static auth0_status call_login(ctx *c, char **out) {
    return auth0_webauth_login(c->web, c->options, out);
}

static void setup_user_info(ctx *c) {
    char *result, *token;
    c->web = dt_webauth(HANDLE_EXTRA);
    result = dt_login(c->web, NULL);
    token = result ? dt_result_string(result, "accessToken") : NULL;
    snprintf(c->options, sizeof c->options, "{\"accessToken\":\"%s\"}", token ? token : "");
    free(token);
    auth0_string_free(result);
}
static auth0_status call_user_info(ctx *c, char **out) {
    return auth0_webauth_user_info(c->web, c->options, out);
}

static void setup_signup(ctx *c) {
    char email[128];
    const dt_tenant *t = dt_env();
    c->web = dt_webauth(HANDLE_EXTRA);
    dt_unique_email(email, sizeof email, "faults");
    if (t)
        snprintf(c->options, sizeof c->options,
                 "{\"connection\":\"%s\",\"email\":\"%s\",\"password\":\"Fault-Passw0rd-1\"}",
                 t->connection, email);
}
static auth0_status call_signup(ctx *c, char **out) {
    return auth0_webauth_signup(c->web, c->options, out);
}

static void setup_change_password(ctx *c) {
    const dt_tenant *t = dt_env();
    c->web = dt_webauth(HANDLE_EXTRA);
    if (t)
        snprintf(c->options, sizeof c->options, "{\"connection\":\"%s\",\"email\":\"%s\"}",
                 t->connection, t->username);
}
static auth0_status call_change_password(ctx *c, char **out) {
    return auth0_webauth_change_password(c->web, c->options, out);
}

static void setup_passwordless_start(ctx *c) {
    char email[128];
    c->web = dt_webauth(HANDLE_EXTRA);
    dt_unique_email(email, sizeof email, "pwless");
    snprintf(c->options, sizeof c->options,
             "{\"connection\":\"email\",\"send\":\"code\",\"email\":\"%s\"}", email);
}
static auth0_status call_passwordless_start(ctx *c, char **out) {
    return auth0_webauth_passwordless_start(c->web, c->options, out);
}

static void setup_headless_login(ctx *c) {
    const dt_tenant *t = dt_env();
    c->web = dt_webauth("\"responseType\":\"token\"," HANDLE_EXTRA);
    if (t)
        snprintf(c->options, sizeof c->options,
                 "{\"connection\":\"%s\",\"username\":\"%s\",\"password\":\"%s\"}",
                 t->connection, t->username, t->password);
}
static auth0_status call_headless_login(ctx *c, char **out) {
    return auth0_webauth_login_with_credentials(c->web, c->options, out);
}

static void setup_get_user(ctx *c) {
    const dt_tenant *t = dt_env();
    char *token = t ? dt_management_token(t->username, t->password) : NULL;
    c->m = dt_management(token, HANDLE_EXTRA);
    free(token);
    snprintf(c->options, sizeof c->options, "{\"userId\":\"%s\"}", DT_USER_ID);
}
static auth0_status call_get_user(ctx *c, char **out) {
    return auth0_management_get_user(c->m, c->options, out);
}

static const op OPS[] = {
    {"login", "/oauth/token", 0, 0, setup_login, call_login},
    {"userInfo", "/userinfo", 1, 0, setup_user_info, call_user_info},
    {"signup", "/dbconnections/signup", 0, 0, setup_signup, call_signup},
    {"changePassword", "/dbconnections/change_password", 0, 0, setup_change_password,
     call_change_password},
    {"passwordlessStart", "/passwordless/start", 0, 0, setup_passwordless_start,
     call_passwordless_start},
    {"headless login", "/usernamepassword/login", 0, 1, setup_headless_login,
     call_headless_login},
    {"Management getUser", "/api/v2/users/" DT_USER_ID_PATH, 1, 0, setup_get_user,
     call_get_user},
};

/* ---- faults ----------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *spec;     /* the fault's members besides path and count */
    auth0_status status;  /* what the call returns */
    const char *code;     /* the error JSON's code */
    long status_code;     /* its statusCode, 0 for none */
    int reads_retried;    /* the policy repeats it for reads */
    int handler_runs;     /* the tenant acted (a signup is then spent) */
} fault;

static const fault FAULTS[] = {
    {"latency past the deadline", "\"latency_ms\":2500", AUTH0_ERROR_TIMEOUT, "timeout", 0, 0,
     1},
    {"never answering", "\"latency_ms\":600000", AUTH0_ERROR_TIMEOUT, "timeout", 0, 0, 0},
    {"one byte a second", "\"drip_ms\":1000", AUTH0_ERROR_TIMEOUT, "timeout", 0, 0, 1},
    {"reset mid-body", "\"truncate\":true", AUTH0_ERROR_NETWORK, "network_error", 0, 1, 1},
    {"reset before answering", "\"drop\":true", AUTH0_ERROR_NETWORK, "network_error", 0, 1, 0},
    {"oversize", "\"oversize_bytes\":2097152", AUTH0_ERROR_SERVER, "response_too_large", 200, 0,
     1},
    {"500", "\"status\":500", AUTH0_ERROR_SERVER, "server_error", 500, 0, 0},
    {"502", "\"status\":502", AUTH0_ERROR_SERVER, "server_error", 502, 1, 0},
    {"503", "\"status\":503", AUTH0_ERROR_SERVER, "server_error", 503, 1, 0},
    {"429 with Retry-After: 60", "\"status\":429,\"retry_after\":60", AUTH0_ERROR_SERVER,
     "rate_limited", 429, 0, 0},
    {"an HTML 200", "\"body\":\"<!DOCTYPE html><html><body>Wi-Fi login</body></html>\"",
     AUTH0_ERROR_SERVER, "invalid_response", 200, 0, 0},
    {"an empty 200", "\"body\":\"\",\"content_type\":\"application/json\"", AUTH0_ERROR_SERVER,
     "invalid_response", 200, 0, 0},
};

static void run_case(const op *o, const fault *f) {
    ctx c;
    char spec[1024], *out = NULL;
    long started, elapsed, bound, reached, want_hits;
    const char *want_code = f->code;
    auth0_status got;
    memset(&c, 0, sizeof c);
    clear_tenant();
    o->setup(&c);
    clear_tenant();
    snprintf(spec, sizeof spec, "{\"path\":\"%s\",\"count\":10,%s}", o->path, f->spec);
    if (!dt_fault(spec)) goto done;

    started = now_ms();
    got = o->call(&c, &out);
    elapsed = now_ms() - started;

    if (o->walk && strcmp(want_code, "invalid_response") == 0) want_code = "interaction_required";
    bound = TIMEOUT_MS * (o->walk ? 4 : 1);
    if (elapsed > bound + MARGIN_MS)
        h_fail_at(__FILE__, __LINE__, "%s / %s: took %ld ms, bound %ld ms", o->name, f->name,
                  elapsed, bound);
    if (!h_check_status((int)got, (int)f->status, o->name, __FILE__, __LINE__) ||
        !h_check_http_error(out, want_code, f->status_code, __FILE__, __LINE__))
        h_fail_at(__FILE__, __LINE__, "(%s / %s: %s)", o->name, f->name, out ? out : "(NULL)");
    if (f->status == AUTH0_ERROR_SERVER && strcmp(f->code, "rate_limited") == 0) {
        long retry_after = 0;
        if (!(json_get_long(out, "retryAfter", &retry_after) && retry_after == 60))
            h_fail_at(__FILE__, __LINE__, "%s / %s: retryAfter in %s", o->name, f->name,
                      out ? out : "(NULL)");
    }
    auth0_string_free(out);
    out = NULL;

    want_hits = (f->reads_retried && o->read) ? ATTEMPTS : 1;
    reached = hits(o->path);
    if (reached != want_hits)
        h_fail_at(__FILE__, __LINE__, "%s / %s: %ld requests reached %s, expected %ld", o->name,
                  f->name, reached, o->path, want_hits);

    /* Nothing left in the way: the same call succeeds once the fault is gone
     * (a signup whose user was made by the faulted call is spent). */
    clear_tenant();
    got = o->call(&c, &out);
    if (!(o->setup == setup_signup && f->handler_runs) && got != AUTH0_OK)
        h_fail_at(__FILE__, __LINE__, "%s / %s: run again gave %s: %s", o->name, f->name,
                  h_status_name((int)got), out ? out : "(NULL)");
    auth0_string_free(out);
done:
    auth0_webauth_free(c.web);
    auth0_management_free(c.m);
}

/* One test per fault, every operation through it. */
static void run_fault(size_t fi) {
    size_t i;
    for (i = 0; i < sizeof OPS / sizeof OPS[0]; i++) run_case(&OPS[i], &FAULTS[fi]);
}

TEST(latency_past_the_deadline) { run_fault(0); }
TEST(never_answering) { run_fault(1); }
TEST(one_byte_a_second) { run_fault(2); }
TEST(reset_mid_body) { run_fault(3); }
TEST(reset_before_answering) { run_fault(4); }
TEST(oversize) { run_fault(5); }
TEST(status_500) { run_fault(6); }
TEST(status_502) { run_fault(7); }
TEST(status_503) { run_fault(8); }
TEST(rate_limited_past_the_policy) { run_fault(9); }
TEST(html_200) { run_fault(10); }
TEST(empty_200) { run_fault(11); }

int main(int argc, char **argv) {
    static const h_test tests[] = {
        TEST_ENTRY(latency_past_the_deadline), TEST_ENTRY(never_answering),
        TEST_ENTRY(one_byte_a_second),         TEST_ENTRY(reset_mid_body),
        TEST_ENTRY(reset_before_answering),    TEST_ENTRY(oversize),
        TEST_ENTRY(status_500),                TEST_ENTRY(status_502),
        TEST_ENTRY(status_503),                TEST_ENTRY(rate_limited_past_the_policy),
        TEST_ENTRY(html_200),                  TEST_ENTRY(empty_200),
    };
    int rc;
    start_own_tenant();
    rc = h_run_all(argc, argv, tests, sizeof tests / sizeof tests[0]);
    stop_own_tenant();
    return rc;
}
