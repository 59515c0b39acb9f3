/*
 * Every network operation of the C API against the dev tenant's faults
 * (/__dev/faults): a table of operations and a table of faults, every
 * pair one case. Each case checks the status and the error JSON's code
 * and statusCode, that the call returned within its bound (a bound with a
 * margin for a loaded machine, not a speed test, and less than the late
 * answer's latency), how many requests reached the faulted endpoint (the
 * retry policy: reads retried on 502/503 and a broken connection, a 429
 * with a short Retry-After retried for every call), and that the same call
 * succeeds once the fault is gone (nothing of the failed call is left in
 * the way; a single-use user, mfa_token or identity the server spent
 * excepted). A failed renewal of the credentials manager must also leave
 * its host store's blob as it was (no save).
 *
 * Faults: on every path, so this binary runs its own dev tenant
 * (AUTH0_TEST_DEVTENANT_BIN, exported by run.sh) rather than the shared
 * one.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/wait.h>

#include "devtenant.h"

extern char **environ;

/* The faulted call's request timeout. */
#define TIMEOUT_MS 300
/* The request timeout of the faults answered at once: every retry must fit
 * in the call's one deadline, also on a loaded machine (nothing waits for
 * it). TIMEOUT_MS is for the faults that make the client wait. */
#define ANSWERED_MS 1000
/* Added to every bound: a loaded machine. Less than LATENCY_MS, so a call
 * that waited for the late answer is over its bound. */
#define MARGIN_MS 2000
/* "latency past the deadline" answers this long after the request timeout
 * (the client gives up first: it costs no time). */
#define LATENCY_MS 2500
#define ATTEMPTS 3
#define MFA_SECRET "JBSWY3DPEHPK3PXP"
#define PASSWORD "Fault-Passw0rd-1"

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

/* ---- the credentials manager's store: a host store with a save counter ----- */

typedef struct {
    pthread_mutex_t mu;
    unsigned char *data;
    size_t len;
    int has, saves;
} slot;

static int slot_load(void *user_data, auth0_host_store_reply *reply) {
    slot *s = (slot *)user_data;
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    if (s->has) rc = auth0_host_store_set(reply, s->data, s->len) == AUTH0_OK ? 0 : 1;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static int slot_save(void *user_data, const uint8_t *blob, size_t len,
                     auth0_host_store_reply *reply) {
    slot *s = (slot *)user_data;
    unsigned char *copy = (unsigned char *)malloc(len ? len : 1);
    (void)reply;
    if (copy == NULL) return 1;
    memcpy(copy, blob, len);
    pthread_mutex_lock(&s->mu);
    free(s->data);
    s->data = copy;
    s->len = len;
    s->has = 1;
    s->saves++;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static int slot_remove(void *user_data, auth0_host_store_reply *reply) {
    slot *s = (slot *)user_data;
    (void)reply;
    pthread_mutex_lock(&s->mu);
    free(s->data);
    s->data = NULL;
    s->len = 0;
    s->has = 0;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static void slot_release(void *user_data) {
    slot *s = (slot *)user_data;
    free(s->data);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* ---- operations --------------------------------------------------------------- */

/* What an operation's call needs, made before the fault is injected. */
typedef struct {
    auth0_webauth *web;
    auth0_management *m;
    auth0_credentials *creds;
    slot *store; /* owned by `creds` (released through its release callback) */
    char options[4096];
    char path[512]; /* the faulted endpoint when only the setup knows it */
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
    int single_use;            /* spent when the server acted (run again may fail) */
    const char *wrapped;       /* the error code every failure is wrapped in (the
                                * request's own code then in `cause`) */
} op;

/* The handles' request timeout for the current fault. */
static long handle_timeout_ms = TIMEOUT_MS;

/* The handles' timeout and retry options, after `prefix` (members, or ""). */
static const char *handle_extra(const char *prefix) {
    static char buf[512];
    snprintf(buf, sizeof buf,
             "%s\"timeout\":%ld,\"connectTimeout\":%ld,"
             "\"retry\":{\"maxAttempts\":%d,\"baseDelayMs\":1,\"maxDelayMs\":2000}",
             prefix, handle_timeout_ms, handle_timeout_ms, ATTEMPTS);
    return buf;
}
#define HANDLE_EXTRA handle_extra("")

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
    c->web = dt_webauth(handle_extra("\"responseType\":\"token\","));
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

static void setup_patch_user(ctx *c) {
    setup_get_user(c);
    snprintf(c->options, sizeof c->options,
             "{\"userId\":\"%s\",\"userMetadata\":{\"fault\":\"test\"}}", DT_USER_ID);
}
static auth0_status call_patch_user(ctx *c, char **out) {
    return auth0_management_patch_user_metadata(c->m, c->options, out);
}

/* Signs up a new user with PASSWORD (its e-mail in `email`); 0 on failure. */
static int new_user(char *email, size_t cap, const char *tag) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char options[512], *out = NULL;
    int ok = 0;
    dt_unique_email(email, cap, tag);
    if (t && web) {
        snprintf(options, sizeof options,
                 "{\"connection\":\"%s\",\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
                 t->connection, email);
        ok = auth0_webauth_signup(web, options, &out) == AUTH0_OK;
        if (!ok) h_fail_at(__FILE__, __LINE__, "signup: %s", out ? out : "(NULL)");
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
    return ok;
}

/* A new user to link: its id_token and user id (malloc'd), or 0. */
static int new_secondary(char **id_token, char **sub) {
    char email[128], *result = NULL;
    auth0_webauth *web = dt_webauth(NULL);
    *id_token = *sub = NULL;
    if (new_user(email, sizeof email, "linked"))
        result = dt_login_as(web, email, PASSWORD, "\"scope\":\"openid\"");
    if (result) {
        *id_token = dt_result_string(result, "idToken");
        *sub = json_get_nested_string(result, "idTokenPayload", "sub");
    }
    auth0_string_free(result);
    auth0_webauth_free(web);
    return *id_token != NULL && *sub != NULL;
}

static void setup_link_user(ctx *c) {
    char *id_token, *sub;
    setup_get_user(c);
    if (new_secondary(&id_token, &sub))
        snprintf(c->options, sizeof c->options,
                 "{\"userId\":\"%s\",\"secondaryUserToken\":\"%s\"}", DT_USER_ID, id_token);
    free(id_token);
    free(sub);
}
static auth0_status call_link_user(ctx *c, char **out) {
    return auth0_management_link_user(c->m, c->options, out);
}

static void setup_unlink_user(ctx *c) {
    char *id_token, *sub, *out = NULL, *bar;
    setup_get_user(c);
    if (!new_secondary(&id_token, &sub)) goto done;
    snprintf(c->options, sizeof c->options,
             "{\"userId\":\"%s\",\"secondaryUserToken\":\"%s\"}", DT_USER_ID, id_token);
    if (auth0_management_link_user(c->m, c->options, &out) != AUTH0_OK)
        h_fail_at(__FILE__, __LINE__, "link: %s", out ? out : "(NULL)");
    bar = strchr(sub, '|');
    if (bar == NULL) goto done;
    *bar = '\0';
    snprintf(c->options, sizeof c->options,
             "{\"userId\":\"%s\",\"provider\":\"%s\",\"identityUserId\":\"%s\"}", DT_USER_ID,
             sub, bar + 1);
    snprintf(c->path, sizeof c->path, "/api/v2/users/%s/identities/%s/%s", DT_USER_ID_PATH, sub,
             bar + 1);
done:
    auth0_string_free(out);
    free(id_token);
    free(sub);
}
static auth0_status call_unlink_user(ctx *c, char **out) {
    return auth0_management_unlink_user(c->m, c->options, out);
}

/* MFA: every case signs up and enrols a user of its own, so the seeded user
 * (whom the other operations log in as) never meets MFA. */

/* A new user enrolled with `what` (members of /__dev/mfa/enroll): the
 * mfaToken of its password login (malloc'd), and the tenant's enrolment
 * answer in *enrolled (malloc'd, when not NULL); NULL on failure. */
static char *mfa_user(const char *what, char **enrolled) {
    const dt_tenant *t = dt_env();
    char email[128], body[512], options[512];
    char *answer = NULL, *out = NULL, *token = NULL;
    auth0_webauth *web = dt_webauth(NULL);
    if (enrolled) *enrolled = NULL;
    if (!t || !new_user(email, sizeof email, "mfa")) goto done;
    snprintf(body, sizeof body, "{\"user\":\"%s\",%s}", email, what);
    answer = dt_post("/__dev/mfa/enroll", body);
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"" PASSWORD "\",\"realm\":\"%s\"}", email,
             t->connection);
    if (auth0_webauth_login(web, options, &out) == AUTH0_ERROR_AUTHORIZATION)
        token = dt_result_string(out, "mfaToken");
    else
        h_fail_at(__FILE__, __LINE__, "login of an enrolled user: %s", out ? out : "(NULL)");
done:
    if (enrolled)
        *enrolled = answer;
    else
        free(answer);
    auth0_string_free(out);
    auth0_webauth_free(web);
    return token;
}

#define OTP_ENROLMENT "\"type\":\"otp\",\"secret\":\"" MFA_SECRET "\""

static void setup_mfa_challenge(ctx *c) {
    char *token = mfa_user(OTP_ENROLMENT, NULL);
    c->web = dt_webauth(HANDLE_EXTRA);
    snprintf(c->options, sizeof c->options, "{\"mfaToken\":\"%s\",\"challengeType\":\"otp\"}",
             token ? token : "");
    free(token);
}
static auth0_status call_mfa_challenge(ctx *c, char **out) {
    return auth0_webauth_mfa_challenge(c->web, c->options, out);
}

static void setup_mfa_otp(ctx *c) {
    char *token = mfa_user(OTP_ENROLMENT, NULL);
    char *answer = dt_get("/__dev/mfa/totp?secret=" MFA_SECRET);
    char *code = answer ? dt_result_string(answer, "code") : NULL;
    c->web = dt_webauth(HANDLE_EXTRA);
    snprintf(c->options, sizeof c->options, "{\"mfaToken\":\"%s\",\"otp\":\"%s\"}",
             token ? token : "", code ? code : "");
    free(code);
    free(answer);
    free(token);
}
static auth0_status call_mfa_verify(ctx *c, char **out) {
    return auth0_webauth_mfa_verify(c->web, c->options, NULL, out);
}

static void setup_mfa_recovery_code(ctx *c) {
    char *enrolled = NULL;
    char *token = mfa_user(OTP_ENROLMENT, &enrolled);
    char *code = enrolled ? dt_result_string(enrolled, "recovery_code") : NULL;
    c->web = dt_webauth(HANDLE_EXTRA);
    snprintf(c->options, sizeof c->options, "{\"mfaToken\":\"%s\",\"recoveryCode\":\"%s\"}",
             token ? token : "", code ? code : "");
    free(code);
    free(enrolled);
    free(token);
}

/* A push the user approved already: the first poll answers the tokens. */
static void setup_mfa_oob(ctx *c) {
    char *token = mfa_user("\"type\":\"oob\",\"oob_channel\":\"auth0\"", NULL);
    char *out = NULL, *oob = NULL, body[512];
    c->web = dt_webauth(HANDLE_EXTRA);
    snprintf(c->options, sizeof c->options, "{\"mfaToken\":\"%s\",\"challengeType\":\"oob\"}",
             token ? token : "");
    if (token && auth0_webauth_mfa_challenge(c->web, c->options, &out) == AUTH0_OK)
        oob = dt_result_string(out, "oobCode");
    else
        h_fail_at(__FILE__, __LINE__, "oob challenge: %s", out ? out : "(NULL)");
    if (oob) {
        snprintf(body, sizeof body, "{\"oob_code\":\"%s\"}", oob);
        free(dt_post("/__dev/mfa/approve", body));
    }
    snprintf(c->options, sizeof c->options,
             "{\"mfaToken\":\"%s\",\"oobCode\":\"%s\",\"interval\":1000}", token ? token : "",
             oob ? oob : "");
    auth0_string_free(out);
    free(oob);
    free(token);
}

static void setup_mfa_authenticators(ctx *c) {
    char *token = mfa_user(OTP_ENROLMENT, NULL);
    c->web = dt_webauth(HANDLE_EXTRA);
    snprintf(c->options, sizeof c->options, "{\"mfaToken\":\"%s\"}", token ? token : "");
    free(token);
}
static auth0_status call_mfa_authenticators(ctx *c, char **out) {
    return auth0_webauth_mfa_authenticators(c->web, c->options, out);
}

/* With an MFA API access token (`enroll`) of a user without MFA: every call
 * adds an authenticator, none is single use. */
static void setup_mfa_associate(ctx *c) {
    const dt_tenant *t = dt_env();
    char email[128], extra[512], *result = NULL, *token = NULL;
    c->web = dt_webauth(HANDLE_EXTRA);
    if (t && new_user(email, sizeof email, "associate")) {
        snprintf(extra, sizeof extra, "\"audience\":\"%s/mfa/\",\"scope\":\"enroll\"",
                 t->domain);
        result = dt_login_as(c->web, email, PASSWORD, extra);
    }
    token = result ? dt_result_string(result, "accessToken") : NULL;
    snprintf(c->options, sizeof c->options,
             "{\"mfaToken\":\"%s\",\"authenticatorTypes\":[\"otp\"]}", token ? token : "");
    free(token);
    auth0_string_free(result);
}
static auth0_status call_mfa_associate(ctx *c, char **out) {
    return auth0_webauth_mfa_associate(c->web, c->options, out);
}

/* The credentials manager over an expired login with a refresh token (its
 * authResult saved with "expiresIn":0): every get renews. */
static void setup_renewal(ctx *c) {
    auth0_host_store store;
    char *result, *expired = NULL, *error = NULL;
    const char *p;
    c->web = dt_webauth(handle_extra("\"scope\":\"openid profile email offline_access\","));
    c->store = (slot *)calloc(1, sizeof *c->store);
    if (c->web == NULL || c->store == NULL) {
        free(c->store);
        c->store = NULL;
        return;
    }
    pthread_mutex_init(&c->store->mu, NULL);
    memset(&store, 0, sizeof store);
    store.user_data = c->store;
    store.load = slot_load;
    store.save = slot_save;
    store.remove = slot_remove;
    store.release = slot_release;
    store.name = "c-fault-slot";
    if (auth0_credentials_new_with_host_store(c->web, &store, &c->creds, &error) != AUTH0_OK) {
        h_fail_at(__FILE__, __LINE__, "credentials: %s", error ? error : "(NULL)");
        auth0_string_free(error);
        c->store = NULL; /* released by the failed call */
        return;
    }
    result = dt_login(c->web, NULL);
    p = result ? strstr(result, "\"expiresIn\":") : NULL;
    if (p && strstr(result, "\"refreshToken\":\"")) {
        char *end;
        size_t head = (size_t)(p - result) + strlen("\"expiresIn\":");
        expired = (char *)malloc(strlen(result) + 2);
        if (expired) {
            memcpy(expired, result, head);
            strtol(result + head, &end, 10);
            sprintf(expired + head, "0%s", end);
        }
    } else {
        h_fail_at(__FILE__, __LINE__, "no refreshToken or expiresIn in %s",
                  result ? result : "(NULL)");
    }
    if (expired && auth0_credentials_save(c->creds, expired, &error) != AUTH0_OK)
        h_fail_at(__FILE__, __LINE__, "save: %s", error ? error : "(NULL)");
    auth0_string_free(error);
    free(expired);
    auth0_string_free(result);
}
static auth0_status call_renewal(ctx *c, char **out) {
    return auth0_credentials_get(c->creds, NULL, out);
}

static const op OPS[] = {
    {"login", "/oauth/token", 0, 0, setup_login, call_login, 0, NULL},
    {"userInfo", "/userinfo", 1, 0, setup_user_info, call_user_info, 0, NULL},
    {"signup", "/dbconnections/signup", 0, 0, setup_signup, call_signup, 1, NULL},
    {"changePassword", "/dbconnections/change_password", 0, 0, setup_change_password,
     call_change_password, 0, NULL},
    {"passwordlessStart", "/passwordless/start", 0, 0, setup_passwordless_start,
     call_passwordless_start, 0, NULL},
    {"headless login", "/usernamepassword/login", 0, 1, setup_headless_login,
     call_headless_login, 0, NULL},
    {"Management getUser", "/api/v2/users/" DT_USER_ID_PATH, 1, 0, setup_get_user,
     call_get_user, 0, NULL},
    {"Management patchUserMetadata", "/api/v2/users/" DT_USER_ID_PATH, 0, 0, setup_patch_user,
     call_patch_user, 0, NULL},
    {"Management linkUser", "/api/v2/users/" DT_USER_ID_PATH "/identities", 0, 0,
     setup_link_user, call_link_user, 1, NULL},
    /* (the identity's own path, set by the setup once it is linked) */
    {"Management unlinkUser", "/api/v2/users/" DT_USER_ID_PATH "/identities", 0, 0,
     setup_unlink_user, call_unlink_user, 1, NULL},
    {"MFA challenge", "/mfa/challenge", 0, 0, setup_mfa_challenge, call_mfa_challenge, 0, NULL},
    {"MFA verify (OTP)", "/oauth/token", 0, 0, setup_mfa_otp, call_mfa_verify, 1, NULL},
    {"MFA verify (recovery code)", "/oauth/token", 0, 0, setup_mfa_recovery_code,
     call_mfa_verify, 1, NULL},
    {"MFA verify (out-of-band)", "/oauth/token", 0, 0, setup_mfa_oob, call_mfa_verify, 1, NULL},
    {"MFA authenticators", "/mfa/authenticators", 1, 0, setup_mfa_authenticators,
     call_mfa_authenticators, 0, NULL},
    {"MFA associate", "/mfa/associate", 0, 0, setup_mfa_associate, call_mfa_associate, 0, NULL},
    /* A rotating refresh token is single use: never retried but for a 429.
     * With the tenant's reuse interval (set in main), a renewal the tenant
     * acted on but whose answer was lost can be made again. */
    {"credentials renewal", "/oauth/token", 0, 0, setup_renewal, call_renewal, 0,
     "renew_failed"},
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
TEST(rate_limited_then_answered) { run_fault(12); }

int main(int argc, char **argv) {
    static const h_test tests[] = {
        TEST_ENTRY(latency_past_the_deadline), TEST_ENTRY(never_answering),
        TEST_ENTRY(one_byte_a_second),         TEST_ENTRY(reset_mid_body),
        TEST_ENTRY(reset_before_answering),    TEST_ENTRY(oversize),
        TEST_ENTRY(status_500),                TEST_ENTRY(status_502),
        TEST_ENTRY(status_503),                TEST_ENTRY(rate_limited_past_the_policy),
        TEST_ENTRY(html_200),                  TEST_ENTRY(empty_200),
        TEST_ENTRY(rate_limited_then_answered),
    };
    int rc;
    start_own_tenant();
    /* Auth0's reuse interval: a refresh token rotated by a renewal whose
     * answer was lost is accepted again for a while. */
    if (getenv("AUTH0_TEST_DOMAIN"))
        free(dt_post("/__dev/settings", "{\"refresh_reuse_interval_secs\":60}"));
    rc = h_run_all(argc, argv, tests, sizeof tests / sizeof tests[0]);
    stop_own_tenant();
    return rc;
}
