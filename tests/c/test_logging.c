/*
 * Logging: AUTH0_NATIVE_LOG (stderr, read at the first use) and
 * auth0_set_log_callback. Operations run at AUTH0_LOG_TRACE against the dev
 * tenant with known secrets (the password, the tokens of the answers, the
 * outbox's one-time code, a Management token); everything the callback
 * received must hold none of them, and must hold the expected events (an
 * HTTP request line with method, host, path and status; a JWKS fetch).
 *
 * Faults: none.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <unistd.h>

#include "devtenant.h"

#define WRONG_PASSWORD "Wr0ng-Secret-Pa55word-7d1c"

/* ---- the capturing callback -------------------------------------------------- */

/* Every record received, as "LEVEL|target|message\n" lines. The callback
 * may run on the library's threads, hence the lock. */
static pthread_mutex_t captured_lock = PTHREAD_MUTEX_INITIALIZER;
static char *captured = NULL;
static size_t captured_len = 0;
static int bad_record = 0; /* a level out of range or a NULL string */

static void capture(int level, const char *target, const char *message, void *user_data) {
    size_t add;
    char *grown;
    (void)user_data;
    pthread_mutex_lock(&captured_lock);
    if (level < AUTH0_LOG_ERROR || level > AUTH0_LOG_TRACE || !target || !message) {
        bad_record = 1;
    } else {
        add = strlen(target) + strlen(message) + 16;
        grown = (char *)realloc(captured, captured_len + add);
        if (grown) {
            captured = grown;
            captured_len += (size_t)snprintf(captured + captured_len, add, "%d|%s|%s\n", level,
                                             target, message);
        }
    }
    pthread_mutex_unlock(&captured_lock);
}

/* Starts capturing at `level` with an empty buffer. */
static int capture_start(int level) {
    pthread_mutex_lock(&captured_lock);
    free(captured);
    captured = NULL;
    captured_len = 0;
    bad_record = 0;
    pthread_mutex_unlock(&captured_lock);
    return CHECK_STATUS(auth0_set_log_callback(level, capture, NULL), AUTH0_OK);
}

/* Stops capturing; the buffer stays for the checks (freed by the next
 * capture_start or capture_free). */
static void capture_stop(void) {
    CHECK_STATUS(auth0_set_log_callback(AUTH0_LOG_OFF, NULL, NULL), AUTH0_OK);
    CHECK(!bad_record);
}

static void capture_free(void) {
    free(captured);
    captured = NULL;
    captured_len = 0;
}

/* `secret` (and, for a JWT, each of its three parts) is nowhere in what
 * was captured. */
#define CHECK_NOT_LOGGED(secret) h_check_not_logged((secret), #secret, __FILE__, __LINE__)

static void h_check_not_logged(const char *secret, const char *what, const char *file, int line) {
    const char *start, *dot;
    char part[4096];
    size_t n;
    if (secret == NULL || strlen(secret) < 6) {
        h_fail_at(file, line, "%s: no secret to look for", what);
        return;
    }
    if (captured && strstr(captured, secret))
        h_fail_at(file, line, "%s reached a log record", what);
    for (start = secret; *start; start = dot + 1) {
        dot = strchr(start, '.');
        n = dot ? (size_t)(dot - start) : strlen(start);
        if (n >= 6 && n < sizeof part && (dot || start != secret)) {
            memcpy(part, start, n);
            part[n] = '\0';
            if (captured && strstr(captured, part))
                h_fail_at(file, line, "a part of %s reached a log record", what);
        }
        if (!dot) break;
    }
}

/* ---- AUTH0_NATIVE_LOG (must run first: it is read at the first use) ----------- */

TEST(auth0_native_log_sends_records_to_stderr_from_the_first_use) {
    FILE *tmp = tmpfile();
    int saved;
    char text[8192];
    size_t n;
    auth0_webauth *web = NULL;
    char *out = NULL;
    if (!tmp) return;
    CHECK(setenv("AUTH0_NATIVE_LOG", "debug", 1) == 0);
    fflush(stderr);
    saved = dup(2);
    dup2(fileno(tmp), 2);
    /* The first handle of the process: the variable is read now. */
    CHECK_STATUS(auth0_webauth_new("{\"domain\":\"me.auth0.com\",\"clientID\":\"abc\"}", &web,
                                   NULL),
                 AUTH0_OK);
    CHECK_STATUS(auth0_webauth_authorize(web, "{\"state\":\"St4te-Secret-0123456789\"}", &out),
                 AUTH0_OK);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    unsetenv("AUTH0_NATIVE_LOG");
    rewind(tmp);
    n = fread(text, 1, sizeof text - 1, tmp);
    text[n] = '\0';
    fclose(tmp);
    CHECK_CONTAINS(text,
                   "auth0-native: DEBUG auth0_native::transaction: transaction recorded for state "
                   "St4t");
    CHECK_NOT_CONTAINS(text, "St4te-Secret-0123456789");
    /* A callback replaces the stderr logging. */
    CHECK_STATUS(auth0_set_log_callback(AUTH0_LOG_OFF, NULL, NULL), AUTH0_OK);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- auth0_set_log_callback ---------------------------------------------------- */

TEST(a_level_out_of_range_is_an_invalid_argument) {
    CHECK_STATUS(auth0_set_log_callback(6, capture, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_STATUS(auth0_set_log_callback(-1, capture, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_STATUS(auth0_set_log_callback(AUTH0_LOG_OFF, NULL, NULL), AUTH0_OK);
    CHECK_STATUS(auth0_set_log_callback(AUTH0_LOG_DEBUG, NULL, NULL), AUTH0_OK);
}

TEST(login_and_user_info_log_each_request_and_the_jwks_fetch_but_no_secret) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char *login = NULL, *access = NULL, *id = NULL, *refresh = NULL, *quoted = NULL;
    char *profile = NULL, *wrong = NULL;
    char options[8192], line[512];
    if (!t || !web || !capture_start(AUTH0_LOG_TRACE)) goto done;
    login = dt_login(web, "\"scope\":\"openid profile email offline_access\"");
    access = login ? dt_result_string(login, "accessToken") : NULL;
    id = login ? dt_result_string(login, "idToken") : NULL;
    refresh = login ? dt_result_string(login, "refreshToken") : NULL;
    quoted = access ? json_quote(access) : NULL;
    if (quoted) {
        snprintf(options, sizeof options, "{\"accessToken\":%s}", quoted);
        CHECK_STATUS(auth0_webauth_user_info(web, options, &profile), AUTH0_OK);
    }
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"" WRONG_PASSWORD "\",\"realm\":\"%s\"}",
             t->username, t->connection);
    CHECK_STATUS(auth0_webauth_login(web, options, &wrong), AUTH0_ERROR_SERVER);
    capture_stop();

    CHECK_NOT_LOGGED(t->password);
    CHECK_NOT_LOGGED(WRONG_PASSWORD);
    CHECK_NOT_LOGGED(access);
    CHECK_NOT_LOGGED(id);
    CHECK_NOT_LOGGED(refresh);

    snprintf(line, sizeof line, "4|auth0_native::http|POST %s/oauth/token -> 200 in ", t->domain);
    CHECK_CONTAINS(captured, line);
    snprintf(line, sizeof line, "4|auth0_native::http|GET %s/userinfo -> 200 in ", t->domain);
    CHECK_CONTAINS(captured, line);
    snprintf(line, sizeof line, "4|auth0_native::http|POST %s/oauth/token -> 403 in ", t->domain);
    CHECK_CONTAINS(captured, line);
    snprintf(line, sizeof line, "3|auth0_native::jwks|fetched 1 usable signing keys from %s/",
             t->domain);
    CHECK_CONTAINS(captured, line);
done:
    capture_free();
    auth0_string_free(wrong);
    auth0_string_free(profile);
    free(quoted);
    free(refresh);
    free(id);
    free(access);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(a_passwordless_code_never_reaches_a_record) {
    auth0_webauth *web = dt_webauth("\"scope\":\"openid email\"");
    char email[128], options[1024];
    char *out = NULL, *code = NULL, *result = NULL, *access = NULL;
    dt_unique_email(email, sizeof email, "logging");
    if (!web || !capture_start(AUTH0_LOG_TRACE)) goto done;
    snprintf(options, sizeof options,
             "{\"connection\":\"email\",\"send\":\"code\",\"email\":\"%s\"}", email);
    CHECK_STATUS(auth0_webauth_passwordless_start(web, options, &out), AUTH0_OK);
    code = dt_outbox_code(email);
    if (code) {
        snprintf(options, sizeof options,
                 "{\"connection\":\"email\",\"email\":\"%s\",\"verificationCode\":\"%s\"}", email,
                 code);
        CHECK_STATUS(auth0_webauth_passwordless_login(web, options, &result), AUTH0_OK);
        access = dt_result_string(result, "accessToken");
    }
    capture_stop();
    CHECK_NOT_LOGGED(code);
    CHECK_NOT_LOGGED(access);
    CHECK_CONTAINS(captured, "/passwordless/start -> 200");
done:
    capture_free();
    free(access);
    auth0_string_free(result);
    free(code);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(a_management_call_logs_its_path_but_not_its_token) {
    const dt_tenant *t = dt_env();
    char *token = dt_management_token(t ? t->username : "", t ? t->password : "");
    auth0_management *m = token ? dt_management(token, NULL) : NULL;
    char *out = NULL;
    if (!m || !capture_start(AUTH0_LOG_TRACE)) goto done;
    /* Another user than the test user: test_net_management injects faults
     * on the test user's path, and the binaries share one tenant under
     * valgrind. The tenant refuses it (the token is the test user's); the
     * request is logged all the same. */
    CHECK_STATUS(auth0_management_get_user(m, "{\"userId\":\"auth0|logging-check\"}", &out),
                 AUTH0_ERROR_SERVER);
    capture_stop();
    CHECK_NOT_LOGGED(token);
    CHECK_CONTAINS(captured, "4|auth0_native::http|GET ");
    CHECK_CONTAINS(captured, "/api/v2/users/auth0%7Clogging-check -> 4");
done:
    capture_free();
    auth0_string_free(out);
    auth0_management_free(m);
    free(token);
}

TEST(null_turns_logging_off) {
    auth0_webauth *web = dt_webauth(NULL);
    char *login = NULL;
    if (!web || !capture_start(AUTH0_LOG_TRACE)) goto done;
    CHECK_STATUS(auth0_set_log_callback(AUTH0_LOG_TRACE, NULL, NULL), AUTH0_OK);
    login = dt_login(web, NULL);
    CHECK(captured_len == 0);
    CHECK(login != NULL);
done:
    capture_free();
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(a_level_filters_the_records) {
    auth0_webauth *web = dt_webauth(NULL);
    char *login = NULL;
    if (!web || !capture_start(AUTH0_LOG_INFO)) goto done;
    login = dt_login(web, NULL);
    capture_stop();
    CHECK(captured == NULL || strstr(captured, "4|") == NULL);
    CHECK_CONTAINS(captured, "3|auth0_native::jwks|fetched");
done:
    capture_free();
    auth0_string_free(login);
    auth0_webauth_free(web);
}

/* A callback that tries to change the callback: refused, not a deadlock. */
static int inner_status = -1;
static void reentrant(int level, const char *target, const char *message, void *user_data) {
    (void)level;
    (void)target;
    (void)message;
    (void)user_data;
    if (inner_status == -1) inner_status = (int)auth0_set_log_callback(AUTH0_LOG_OFF, NULL, NULL);
}

TEST(changing_the_callback_from_inside_it_is_refused) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_set_log_callback(AUTH0_LOG_DEBUG, reentrant, NULL), AUTH0_OK);
    CHECK_STATUS(auth0_webauth_authorize(web, "{}", &out), AUTH0_OK);
    CHECK_STATUS(auth0_set_log_callback(AUTH0_LOG_OFF, NULL, NULL), AUTH0_OK);
    CHECK_STATUS(inner_status, AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(auth0_native_log_sends_records_to_stderr_from_the_first_use),
             TEST_ENTRY(a_level_out_of_range_is_an_invalid_argument),
             TEST_ENTRY(login_and_user_info_log_each_request_and_the_jwks_fetch_but_no_secret),
             TEST_ENTRY(a_passwordless_code_never_reaches_a_record),
             TEST_ENTRY(a_management_call_logs_its_path_but_not_its_token),
             TEST_ENTRY(null_turns_logging_off), TEST_ENTRY(a_level_filters_the_records),
             TEST_ENTRY(changing_the_callback_from_inside_it_is_refused))
