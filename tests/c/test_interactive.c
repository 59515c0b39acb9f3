/*
 * The interactive C API against the dev tenant: the cancel token
 * (auth0_cancel_*) and the loopback login (auth0_webauth_popup_authorize
 * with an auth0_open_url_fn). The device flow: test_device.c.
 *
 * No browser: the opener of the popup tests is a "headless browser" on its
 * own pthread that logs in with /co/authenticate, opens the /authorize URL
 * with the login_ticket (the tenant answers 302 to the loopback callback)
 * and follows that redirect to the library's listener.
 *
 * Waits are kept short (a few hundred ms) because this binary also runs
 * under valgrind. Nothing here injects faults.
 */
#define _POSIX_C_SOURCE 200809L

#include "interactive.h"

/* The popup options of the tests: an ephemeral loopback port, the scopes
 * that put the e-mail into the id_token, and `extra` members. */
static void popup_options(char *buf, size_t cap, const char *extra) {
    snprintf(buf, cap,
             "{\"redirectUri\":\"http://127.0.0.1:0/callback\",\"scope\":\"openid profile email\""
             "%s%s}",
             extra ? "," : "", extra ? extra : "");
}

/* ------------------------------------------------------------------------ */
/* The headless browser of the popup tests                                  */

typedef struct {
    const dt_tenant *tenant;
    pthread_t thread;
    int started;         /* the pthread runs (join it) */
    int calls;           /* how often the opener was called */
    char *url;           /* the /authorize URL the library opened */
    char *callback_url;  /* where the tenant redirected to */
    int callback_status; /* the listener's answer to the callback */
    char *callback_body;
    char error[512];     /* why the browser gave up ("" when it did not) */
} browser;

static void browser_free(browser *b) {
    free(b->url);
    free(b->callback_url);
    free(b->callback_body);
}

/* The port and path of `http://127.0.0.1:PORT/path...`; 0 when not such a
 * URL. */
static int loopback_url(const char *url, const char **path) {
    const char *prefix = "http://127.0.0.1:";
    char *end;
    long port;
    if (url == NULL || strncmp(url, prefix, strlen(prefix)) != 0) return 0;
    port = strtol(url + strlen(prefix), &end, 10);
    if (port < 1 || port > 65535 || *end != '/') return 0;
    *path = end;
    return (int)port;
}

/* What a user in a browser does: log in (here without a form: a
 * cross-origin login gives a login_ticket, and /authorize with it
 * completes the login), then follow the redirect to the app. */
static void *browser_main(void *arg) {
    browser *b = (browser *)arg;
    const dt_tenant *t = b->tenant;
    char *q_user = json_quote(t->username), *q_password = json_quote(t->password);
    char *q_connection = json_quote(t->connection), *q_client = json_quote(t->client_id);
    char *body = NULL, *ticket = NULL, *path = NULL;
    const char *authorize_path, *callback_path;
    dt_response r;
    int port;
    size_t cap;

    memset(&r, 0, sizeof r);
    if (!q_user || !q_password || !q_connection || !q_client) {
        snprintf(b->error, sizeof b->error, "out of memory");
        goto done;
    }
    cap = strlen(q_user) + strlen(q_password) + strlen(q_connection) + strlen(q_client) + 256;
    body = (char *)malloc(cap);
    if (!body) goto done;
    snprintf(body, cap,
             "{\"client_id\":%s,\"username\":%s,\"password\":%s,\"realm\":%s,"
             "\"credential_type\":\"http://auth0.com/oauth/grant-type/password-realm\"}",
             q_client, q_user, q_password, q_connection);
    if (!dt_request_port(t->port, "POST", "/co/authenticate", "application/json", body, &r) ||
        r.status != 200 || (ticket = json_get_string(r.body, "login_ticket")) == NULL) {
        snprintf(b->error, sizeof b->error, "/co/authenticate: status %d: %.300s", r.status,
                 r.body ? r.body : "");
        goto done;
    }
    dt_response_free(&r);

    /* The URL the library opened is on the tenant: add the ticket. */
    if (strncmp(b->url, t->domain, strlen(t->domain)) != 0 ||
        (authorize_path = b->url + strlen(t->domain))[0] != '/') {
        snprintf(b->error, sizeof b->error, "the URL %.300s is not on the tenant", b->url);
        goto done;
    }
    cap = strlen(authorize_path) + strlen(ticket) + 32;
    path = (char *)malloc(cap);
    if (!path) goto done;
    snprintf(path, cap, "%s&login_ticket=%s", authorize_path, ticket);
    if (!dt_request_port(t->port, "GET", path, NULL, NULL, &r) || r.status != 302 ||
        r.location == NULL) {
        snprintf(b->error, sizeof b->error, "GET /authorize with a login_ticket: status %d",
                 r.status);
        goto done;
    }
    b->callback_url = r.location;
    r.location = NULL;
    dt_response_free(&r);

    /* The redirect goes to the library's loopback listener. */
    port = loopback_url(b->callback_url, &callback_path);
    if (port == 0) {
        snprintf(b->error, sizeof b->error, "the tenant redirected to %.300s", b->callback_url);
        goto done;
    }
    if (!dt_request_ex(port, "GET", callback_path, NULL, NULL, NULL, &r, NULL, 120)) {
        snprintf(b->error, sizeof b->error, "no answer from the listener on port %d", port);
        goto done;
    }
    b->callback_status = r.status;
    b->callback_body = r.body;
    r.body = NULL;
done:
    dt_response_free(&r);
    free(q_user);
    free(q_password);
    free(q_connection);
    free(q_client);
    free(body);
    free(ticket);
    free(path);
    return NULL;
}

/* The auth0_open_url_fn: copies the URL and lets the browser pthread do
 * the login, returning at once (the library waits on this thread). */
static int headless_open(const char *url, void *user_data) {
    browser *b = (browser *)user_data;
    b->calls++;
    b->url = strdup(url);
    if (b->url == NULL) return 1;
    if (pthread_create(&b->thread, NULL, browser_main, b) != 0) return 1;
    b->started = 1;
    return 0;
}

/* An opener that opens nothing: the user never comes back. */
static int idle_open(const char *url, void *user_data) {
    (void)url;
    (*(int *)user_data)++;
    return 0;
}

/* An opener that fails (no browser available). */
static int failing_open(const char *url, void *user_data) {
    (void)url;
    (*(int *)user_data)++;
    return 42;
}

/* ------------------------------------------------------------------------ */
/* Cancel tokens                                                            */

TEST(cancel_token_starts_uncancelled_and_stays_cancelled) {
    auth0_cancel *c = auth0_cancel_new();
    CHECK(c != NULL);
    CHECK(auth0_cancel_is_cancelled(c) == 0);
    auth0_cancel_cancel(c);
    CHECK(auth0_cancel_is_cancelled(c) == 1);
    auth0_cancel_cancel(c); /* any number of times */
    CHECK(auth0_cancel_is_cancelled(c) == 1);
    auth0_cancel_free(c);
}

TEST(cancel_functions_accept_null) {
    auth0_cancel_cancel(NULL);
    CHECK(auth0_cancel_is_cancelled(NULL) == 0);
    auth0_cancel_free(NULL);
}

TEST(cancel_tokens_are_independent) {
    auth0_cancel *a = auth0_cancel_new(), *b = auth0_cancel_new();
    CHECK(a != NULL && b != NULL && a != b);
    auth0_cancel_cancel(a);
    CHECK(auth0_cancel_is_cancelled(a) == 1);
    CHECK(auth0_cancel_is_cancelled(b) == 0);
    auth0_cancel_free(a);
    auth0_cancel_free(b);
}

/* ------------------------------------------------------------------------ */
/* auth0_webauth_popup_authorize                                            */

TEST(popup_headless_opener_completes_the_login) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    browser b;
    char options[512];
    char *out = NULL, *email = NULL, *redirect = NULL, *challenge = NULL;
    const char *path;
    auth0_status status;
    if (t == NULL || web == NULL) goto done;
    memset(&b, 0, sizeof b);
    b.tenant = t;
    popup_options(options, sizeof options, "\"timeout\":60000");
    status = auth0_webauth_popup_authorize(web, options, headless_open, &b, NULL, &out);
    if (b.started) pthread_join(b.thread, NULL);
    if (b.error[0]) h_fail_at(__FILE__, __LINE__, "the headless browser: %s", b.error);
    if (CHECK_STATUS(status, AUTH0_OK)) {
        char *token = json_get_string(out, "accessToken");
        CHECK(token != NULL && token[0] != '\0');
        free(token);
        email = json_get_nested_string(out, "idTokenPayload", "email");
        CHECK_STREQ(email, t->username);
    } else {
        fprintf(stderr, "    %s\n", out ? out : "(NULL)");
    }
    CHECK(b.calls == 1);
    /* The URL: PKCE, and the redirect_uri of the bound ephemeral port. */
    challenge = url_query_param(b.url, "code_challenge");
    CHECK(challenge != NULL && challenge[0] != '\0');
    redirect = url_query_param(b.url, "redirect_uri");
    CHECK(loopback_url(redirect, &path) > 0);
    CHECK_NOT_CONTAINS(redirect, ":0/");
    if (redirect) CHECK_STREQ(path, "/callback");
    /* The tenant redirected to it, and the listener answered a page. */
    CHECK(b.callback_url != NULL && redirect != NULL &&
          strncmp(b.callback_url, redirect, strlen(redirect)) == 0);
    CHECK(b.callback_status == 200);
    CHECK_CONTAINS(b.callback_body, "<");
    browser_free(&b);
done:
    free(email);
    free(redirect);
    free(challenge);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(popup_success_page_holds_no_token) {
    /* The page the listener shows the browser says "logged in", never a
     * token (the browser, its history and extensions are not the app). */
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    browser b;
    char options[512];
    char *out = NULL, *token = NULL;
    auth0_status status;
    if (t == NULL || web == NULL) goto done;
    memset(&b, 0, sizeof b);
    b.tenant = t;
    popup_options(options, sizeof options, "\"timeout\":60000");
    status = auth0_webauth_popup_authorize(web, options, headless_open, &b, NULL, &out);
    if (b.started) pthread_join(b.thread, NULL);
    if (b.error[0]) h_fail_at(__FILE__, __LINE__, "the headless browser: %s", b.error);
    if (CHECK_STATUS(status, AUTH0_OK)) {
        token = json_get_string(out, "accessToken");
        CHECK(token != NULL);
        /* The page shown to the browser never holds a token. */
        if (token) CHECK_NOT_CONTAINS(b.callback_body, token);
    }
    browser_free(&b);
done:
    free(token);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(popup_opener_failure_is_browser_open_failed) {
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    int calls = 0;
    if (web == NULL) return;
    popup_options(options, sizeof options, "\"timeout\":60000");
    CHECK_STATUS(auth0_webauth_popup_authorize(web, options, failing_open, &calls, NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, "browser_open_failed");
    CHECK(calls == 1);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(popup_times_out_when_the_user_never_comes_back) {
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    int calls = 0;
    double start, elapsed;
    if (web == NULL) return;
    popup_options(options, sizeof options, "\"timeout\":500");
    start = now_ms();
    CHECK_STATUS(auth0_webauth_popup_authorize(web, options, idle_open, &calls, NULL, &out),
                 AUTH0_ERROR_TIMEOUT);
    elapsed = now_ms() - start;
    CHECK_ERROR_JSON(out, "timeout");
    CHECK(calls == 1);
    /* Not before the timeout; well before anything else would end it
     * (generous for valgrind). */
    if (!(elapsed >= 450.0 && elapsed < 15000.0))
        h_fail_at(__FILE__, __LINE__, "the call took %.0f ms with a 500 ms timeout", elapsed);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(popup_cancel_from_another_thread_ends_the_wait) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_cancel *cancel = auth0_cancel_new();
    canceller c;
    char options[512];
    char *out = NULL;
    int calls = 0, started;
    double end;
    if (web == NULL || cancel == NULL) goto done;
    popup_options(options, sizeof options, "\"timeout\":120000");
    started = canceller_start(&c, cancel, 300);
    CHECK(started);
    CHECK_STATUS(auth0_webauth_popup_authorize(web, options, idle_open, &calls, cancel, &out),
                 AUTH0_ERROR_CANCELLED);
    end = now_ms();
    if (started) pthread_join(c.thread, NULL);
    CHECK_ERROR_JSON(out, "cancelled");
    CHECK(calls == 1);
    if (started && !(end - c.cancelled_at < 5000.0))
        h_fail_at(__FILE__, __LINE__, "the call returned %.0f ms after the cancel",
                  end - c.cancelled_at);
done:
    auth0_string_free(out);
    auth0_cancel_free(cancel);
    auth0_webauth_free(web);
}

TEST(popup_pre_cancelled_token_fails_without_opening) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_cancel *cancel = auth0_cancel_new();
    char options[512];
    char *out = NULL;
    int calls = 0;
    if (web == NULL || cancel == NULL) goto done;
    auth0_cancel_cancel(cancel);
    popup_options(options, sizeof options, "\"timeout\":60000");
    CHECK_STATUS(auth0_webauth_popup_authorize(web, options, idle_open, &calls, cancel, &out),
                 AUTH0_ERROR_CANCELLED);
    CHECK_ERROR_JSON(out, "cancelled");
    CHECK(calls == 0);
done:
    auth0_string_free(out);
    auth0_cancel_free(cancel);
    auth0_webauth_free(web);
}

TEST(popup_invalid_arguments) {
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    int calls = 0;
    if (web == NULL) return;
    popup_options(options, sizeof options, "\"timeout\":500");

    /* NULL handle: an error JSON, nothing opened. */
    CHECK_STATUS(auth0_webauth_popup_authorize(NULL, options, idle_open, &calls, NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, NULL);
    auth0_string_free(out);
    out = NULL;

    /* NULL out_json: nowhere to answer. */
    CHECK_STATUS(auth0_webauth_popup_authorize(web, options, idle_open, &calls, NULL, NULL),
                 AUTH0_ERROR_INVALID_ARGUMENT);

    /* Not JSON, and JSON that is not an object. */
    CHECK_STATUS(auth0_webauth_popup_authorize(web, "{\"timeout\":", idle_open, &calls, NULL,
                                               &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, NULL);
    auth0_string_free(out);
    out = NULL;
    CHECK_STATUS(auth0_webauth_popup_authorize(web, "[1,2]", idle_open, &calls, NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, NULL);
    auth0_string_free(out);
    out = NULL;

    /* A timeout out of range. */
    CHECK_STATUS(auth0_webauth_popup_authorize(web, "{\"timeout\":0}", idle_open, &calls, NULL,
                                               &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, NULL);
    auth0_string_free(out);

    CHECK(calls == 0);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(cancel_token_starts_uncancelled_and_stays_cancelled),
             TEST_ENTRY(cancel_functions_accept_null),
             TEST_ENTRY(cancel_tokens_are_independent),
             TEST_ENTRY(popup_headless_opener_completes_the_login),
             TEST_ENTRY(popup_success_page_holds_no_token),
             TEST_ENTRY(popup_opener_failure_is_browser_open_failed),
             TEST_ENTRY(popup_times_out_when_the_user_never_comes_back),
             TEST_ENTRY(popup_cancel_from_another_thread_ends_the_wait),
             TEST_ENTRY(popup_pre_cancelled_token_fails_without_opening),
             TEST_ENTRY(popup_invalid_arguments))
