/*
 * The operations of the fault C tests (test_net_faults.c,
 * test_net_faults_answers.c): the timeouts and retry policy their handles
 * get, a host store with a save counter for the credentials manager, and
 * the table of operations, each a setup made before the fault is injected
 * and the call the fault meets.
 */
#ifndef AUTH0_TEST_FAULT_OPS_H
#define AUTH0_TEST_FAULT_OPS_H

#include <pthread.h>
#include <stdint.h>

#include "devtenant.h"

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

#endif
