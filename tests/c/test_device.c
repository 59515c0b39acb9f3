/*
 * The device flow's C API against the dev tenant: auth0_webauth_device_start
 * / _poll / _login with an auth0_device_code_fn, and their cancel tokens.
 * The tests approve or refuse through the tenant's /activate pages with
 * plain HTTP.
 *
 * Waits are kept short (the polls use an interval of 1 s instead of the
 * tenant's 5 s) because this binary also runs under valgrind. Nothing here
 * injects faults, and each test uses its own device code, so the parallel
 * runs of run.sh do not interfere.
 */
#define _POSIX_C_SOURCE 200809L

#include "interactive.h"

/* ------------------------------------------------------------------------ */
/* The device flow's /activate pages                                        */

/* The user of the tests logs in on /activate for `user_code` and then
 * presses `action` ("confirm" or "deny"). Returns 1 when the last page
 * answered 200. Records failures (main thread only). */
static int activate(const char *user_code, const char *action) {
    const dt_tenant *t = dt_env();
    char *e_code, *e_user, *e_password, *e_connection, *cookie = NULL;
    char form[1024], header[512], path[256];
    dt_response r;
    int ok = 0;
    if (t == NULL || user_code == NULL) return 0;
    e_code = url_encode(user_code);
    e_user = url_encode(t->username);
    e_password = url_encode(t->password);
    e_connection = url_encode(t->connection);
    if (!e_code || !e_user || !e_password || !e_connection) goto done;

    /* The page the QR code opens: the code is prefilled, log in first. */
    snprintf(path, sizeof path, "/activate?user_code=%s", e_code);
    if (!dt_request_ex(t->port, "GET", path, NULL, NULL, NULL, &r, NULL, 0)) goto done;
    CHECK(r.status == 200);
    CHECK_CONTAINS(r.body, "name=\"password\"");
    dt_response_free(&r);

    /* The login form: the answer sets the session cookie and shows the
     * confirmation page. */
    snprintf(form, sizeof form, "user_code=%s&action=login&username=%s&password=%s&connection=%s",
             e_code, e_user, e_password, e_connection);
    if (!dt_request_ex(t->port, "POST", "/activate", "application/x-www-form-urlencoded", NULL,
                       form, &r, &cookie, 0))
        goto done;
    CHECK(r.status == 200);
    CHECK_CONTAINS(r.body, "value=\"confirm\"");
    dt_response_free(&r);
    if (cookie == NULL) {
        h_fail_at(__FILE__, __LINE__, "the /activate login set no cookie");
        goto done;
    }

    /* Confirm (or Cancel) with the session. */
    snprintf(header, sizeof header, "Cookie: %s\r\n", cookie);
    snprintf(form, sizeof form, "user_code=%s&action=%s", e_code, action);
    if (!dt_request_ex(t->port, "POST", "/activate", "application/x-www-form-urlencoded",
                       header, form, &r, NULL, 0))
        goto done;
    ok = r.status == 200;
    if (!ok) h_fail_at(__FILE__, __LINE__, "/activate %s: status %d", action, r.status);
    dt_response_free(&r);
done:
    free(e_code);
    free(e_user);
    free(e_password);
    free(e_connection);
    free(cookie);
    return ok;
}

/* auth0_webauth_device_start with the test scopes: the answer, or NULL
 * after recording a failure. */
static char *device_start(const auth0_webauth *web) {
    char *out = NULL;
    if (web == NULL) return NULL;
    if (!CHECK_STATUS(auth0_webauth_device_start(web, "{\"scope\":\"openid profile email\"}", &out),
                      AUTH0_OK)) {
        fprintf(stderr, "    %s\n", out ? out : "(NULL)");
        auth0_string_free(out);
        return NULL;
    }
    return out;
}

/* Poll options for a started device flow: its device_code and an interval
 * of 1 s (the shortest the library honours; the tenant's is 5 s, and the
 * first poll of a code is never "too fast"), plus `extra`. */
static void poll_options(char *buf, size_t cap, const char *started, const char *extra) {
    char *device_code = json_get_string(started, "device_code");
    char *quoted = json_quote(device_code ? device_code : "");
    snprintf(buf, cap, "{\"device_code\":%s,\"interval\":1%s%s}", quoted ? quoted : "\"\"",
             extra ? "," : "", extra ? extra : "");
    free(quoted);
    free(device_code);
}

/* ------------------------------------------------------------------------ */
/* The device flow                                                          */

TEST(device_start_answers_the_code_and_a_qr_code) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char *out = device_start(web);
    char *qr = NULL, *qr_text = NULL, *qr_svg = NULL, *user_code = NULL, *uri = NULL;
    char *complete = NULL, *device_code = NULL, *in_uri = NULL;
    long interval = -1, expires_in = -1;
    if (t == NULL || out == NULL) goto done;
    device_code = json_get_string(out, "device_code");
    user_code = json_get_string(out, "user_code");
    uri = json_get_string(out, "verification_uri");
    complete = json_get_string(out, "verification_uri_complete");
    CHECK(device_code != NULL && device_code[0] != '\0');
    CHECK(user_code != NULL && user_code[0] != '\0');
    CHECK(uri != NULL && strncmp(uri, t->domain, strlen(t->domain)) == 0);
    in_uri = url_query_param(complete, "user_code");
    CHECK_STREQ(in_uri, user_code);
    CHECK(json_get_long(out, "interval", &interval) && interval == 5);
    CHECK(json_get_long(out, "expires_in", &expires_in) && expires_in > 0);
    qr = json_get_raw(out, "qr");
    qr_text = json_get_string(qr, "text");
    qr_svg = json_get_string(qr, "svg");
    /* Unicode half blocks for a terminal, an SVG document for a UI. */
    CHECK(qr_text != NULL && (strstr(qr_text, "\xe2\x96\x80") || strstr(qr_text, "\xe2\x96\x84")));
    CHECK(qr_text != NULL && strchr(qr_text, '\n') != NULL);
    CHECK_CONTAINS(qr_svg, "<svg");
    CHECK_CONTAINS(qr_svg, "</svg>");
done:
    free(qr);
    free(qr_text);
    free(qr_svg);
    free(user_code);
    free(uri);
    free(complete);
    free(device_code);
    free(in_uri);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(device_poll_cancel_from_another_thread) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_cancel *cancel = auth0_cancel_new();
    char *started = device_start(web), *out = NULL;
    canceller c;
    int running;
    double end;
    if (started == NULL || cancel == NULL) goto done;
    /* The tenant's own answer as is: interval 5 s, so the cancel lands
     * while the poll sleeps before its first request. */
    running = canceller_start(&c, cancel, 300);
    CHECK(running);
    CHECK_STATUS(auth0_webauth_device_poll(web, started, cancel, &out), AUTH0_ERROR_CANCELLED);
    end = now_ms();
    if (running) pthread_join(c.thread, NULL);
    CHECK_ERROR_JSON(out, "cancelled");
    if (running && !(end - c.cancelled_at < 3000.0))
        h_fail_at(__FILE__, __LINE__, "the poll returned %.0f ms after the cancel",
                  end - c.cancelled_at);
done:
    auth0_string_free(out);
    auth0_string_free(started);
    auth0_cancel_free(cancel);
    auth0_webauth_free(web);
}

TEST(device_poll_pre_cancelled_token) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_cancel *cancel = auth0_cancel_new();
    char *started = device_start(web), *out = NULL;
    double start;
    if (started == NULL || cancel == NULL) goto done;
    auth0_cancel_cancel(cancel);
    start = now_ms();
    CHECK_STATUS(auth0_webauth_device_poll(web, started, cancel, &out), AUTH0_ERROR_CANCELLED);
    CHECK(now_ms() - start < 3000.0);
    CHECK_ERROR_JSON(out, "cancelled");
done:
    auth0_string_free(out);
    auth0_string_free(started);
    auth0_cancel_free(cancel);
    auth0_webauth_free(web);
}

TEST(device_poll_timeout) {
    auth0_webauth *web = dt_webauth(NULL);
    char *started = device_start(web), *out = NULL;
    char options[1024];
    double start, elapsed;
    if (started == NULL) goto done;
    /* Nobody approves; the 300 ms timeout ends the wait before the first
     * poll (interval 1 s). */
    poll_options(options, sizeof options, started, "\"timeout\":300");
    start = now_ms();
    CHECK_STATUS(auth0_webauth_device_poll(web, options, NULL, &out), AUTH0_ERROR_TIMEOUT);
    elapsed = now_ms() - start;
    CHECK_ERROR_JSON(out, NULL);
    if (!(elapsed >= 250.0 && elapsed < 10000.0))
        h_fail_at(__FILE__, __LINE__, "the poll took %.0f ms with a 300 ms timeout", elapsed);
done:
    auth0_string_free(out);
    auth0_string_free(started);
    auth0_webauth_free(web);
}

TEST(device_poll_invalid_arguments) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (web == NULL) return;
    CHECK_STATUS(auth0_webauth_device_poll(NULL, "{\"device_code\":\"x\"}", NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, NULL);
    auth0_string_free(out);
    out = NULL;
    CHECK_STATUS(auth0_webauth_device_poll(web, "{\"interval\":1}", NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT); /* no device_code */
    CHECK_ERROR_JSON(out, NULL);
    auth0_string_free(out);
    out = NULL;
    CHECK_STATUS(auth0_webauth_device_poll(web, "not json", NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, NULL);
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_device_poll(web, "{\"device_code\":\"x\"}", NULL, NULL),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_STATUS(auth0_webauth_device_start(web, "{\"scope\":1}", NULL),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_webauth_free(web);
}

TEST(device_poll_succeeds_after_activation) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char *started = device_start(web), *out = NULL, *user_code = NULL, *email = NULL;
    char options[1024];
    if (t == NULL || started == NULL) goto done;
    user_code = json_get_string(started, "user_code");
    /* The user opens the QR code's URL, logs in and confirms. */
    if (!activate(user_code, "confirm")) goto done;
    poll_options(options, sizeof options, started, "\"timeout\":20000");
    if (CHECK_STATUS(auth0_webauth_device_poll(web, options, NULL, &out), AUTH0_OK)) {
        char *token = json_get_string(out, "accessToken");
        CHECK(token != NULL && token[0] != '\0');
        free(token);
        email = json_get_nested_string(out, "idTokenPayload", "email");
        CHECK_STREQ(email, t->username);
    } else {
        fprintf(stderr, "    %s\n", out ? out : "(NULL)");
    }
done:
    free(user_code);
    free(email);
    auth0_string_free(out);
    auth0_string_free(started);
    auth0_webauth_free(web);
}

TEST(device_poll_refused_is_access_denied) {
    auth0_webauth *web = dt_webauth(NULL);
    char *started = device_start(web), *out = NULL, *user_code = NULL;
    char options[1024];
    if (started == NULL) goto done;
    user_code = json_get_string(started, "user_code");
    if (!activate(user_code, "deny")) goto done;
    poll_options(options, sizeof options, started, "\"timeout\":20000");
    CHECK_STATUS(auth0_webauth_device_poll(web, options, NULL, &out),
                 AUTH0_ERROR_AUTHORIZATION);
    CHECK_ERROR_JSON(out, "access_denied");
done:
    free(user_code);
    auth0_string_free(out);
    auth0_string_free(started);
    auth0_webauth_free(web);
}

/* What the auth0_device_code_fn of the device_login tests saw. */
typedef struct {
    int calls;
    char *code_json; /* a copy */
    double called_at;
    /* When set: cancelled `cancel_delay_ms` after the code was shown, as a
     * user would (the start request itself is not what is measured). */
    canceller *canceller;
    const auth0_cancel *cancel;
    long cancel_delay_ms;
    int canceller_running;
} code_seen;

static void on_code(const char *code_json, void *user_data) {
    code_seen *seen = (code_seen *)user_data;
    seen->calls++;
    seen->called_at = now_ms();
    free(seen->code_json);
    seen->code_json = code_json ? strdup(code_json) : NULL;
    if (seen->canceller != NULL && !seen->canceller_running)
        seen->canceller_running =
            canceller_start(seen->canceller, seen->cancel, seen->cancel_delay_ms);
}

TEST(device_login_shows_the_code_then_can_be_cancelled) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_cancel *cancel = auth0_cancel_new();
    code_seen seen;
    canceller c;
    char *out = NULL, *user_code = NULL, *device_code = NULL, *qr = NULL;
    int running;
    double end;
    memset(&seen, 0, sizeof seen);
    if (web == NULL || cancel == NULL) goto done;
    seen.canceller = &c;
    seen.cancel = cancel;
    seen.cancel_delay_ms = 300;
    CHECK_STATUS(auth0_webauth_device_login(web, "{\"scope\":\"openid profile email\"}", on_code,
                                            &seen, cancel, &out),
                 AUTH0_ERROR_CANCELLED);
    end = now_ms();
    running = seen.canceller_running;
    CHECK(running);
    if (running) pthread_join(c.thread, NULL);
    CHECK_ERROR_JSON(out, "cancelled");
    /* The callback ran once, with the whole start answer. */
    CHECK(seen.calls == 1);
    CHECK(json_is_object(seen.code_json));
    user_code = json_get_string(seen.code_json, "user_code");
    device_code = json_get_string(seen.code_json, "device_code");
    qr = json_get_raw(seen.code_json, "qr");
    CHECK(user_code != NULL && strlen(user_code) >= 8);
    CHECK(device_code != NULL);
    CHECK(qr != NULL);
    if (running && !(end - c.cancelled_at < 3000.0))
        h_fail_at(__FILE__, __LINE__, "the login returned %.0f ms after the cancel",
                  end - c.cancelled_at);
done:
    free(seen.code_json);
    free(user_code);
    free(device_code);
    free(qr);
    auth0_string_free(out);
    auth0_cancel_free(cancel);
    auth0_webauth_free(web);
}

TEST(device_login_pre_cancelled_does_not_start) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_cancel *cancel = auth0_cancel_new();
    code_seen seen;
    char *out = NULL;
    memset(&seen, 0, sizeof seen);
    if (web == NULL || cancel == NULL) goto done;
    auth0_cancel_cancel(cancel);
    CHECK_STATUS(auth0_webauth_device_login(web, NULL, on_code, &seen, cancel, &out),
                 AUTH0_ERROR_CANCELLED);
    CHECK_ERROR_JSON(out, "cancelled");
    CHECK(seen.calls == 0);
done:
    free(seen.code_json);
    auth0_string_free(out);
    auth0_cancel_free(cancel);
    auth0_webauth_free(web);
}

TEST(device_login_timeout_after_showing_the_code) {
    auth0_webauth *web = dt_webauth(NULL);
    code_seen seen;
    char *out = NULL;
    double start;
    memset(&seen, 0, sizeof seen);
    if (web == NULL) return;
    start = now_ms();
    CHECK_STATUS(auth0_webauth_device_login(web, "{\"timeout\":300}", on_code, &seen, NULL, &out),
                 AUTH0_ERROR_TIMEOUT);
    CHECK_ERROR_JSON(out, NULL);
    CHECK(seen.calls == 1);
    CHECK(now_ms() - start < 10000.0);
    free(seen.code_json);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(device_start_answers_the_code_and_a_qr_code),
             TEST_ENTRY(device_poll_cancel_from_another_thread),
             TEST_ENTRY(device_poll_pre_cancelled_token),
             TEST_ENTRY(device_poll_timeout),
             TEST_ENTRY(device_poll_invalid_arguments),
             TEST_ENTRY(device_poll_succeeds_after_activation),
             TEST_ENTRY(device_poll_refused_is_access_denied),
             TEST_ENTRY(device_login_shows_the_code_then_can_be_cancelled),
             TEST_ENTRY(device_login_pre_cancelled_does_not_start),
             TEST_ENTRY(device_login_timeout_after_showing_the_code))
