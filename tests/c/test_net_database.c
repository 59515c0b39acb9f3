/*
 * Against the dev tenant: the database connection endpoints,
 * auth0_webauth_signup and auth0_webauth_change_password, and what a
 * transport failure becomes: a closed port, a slow tenant against a
 * handle's `timeout`, an answer cut short, a dropped connection, an answer
 * over `maxResponseBytes`, a 503.
 *
 * Faults: only on /dbconnections/change_password, which no other binary
 * requests (faults are global to the tenant and the binaries run in
 * parallel under valgrind).
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

#define NEW_PASSWORD "Str0ng-Passw0rd!-c"
#define WEAK_PASSWORD "abc"

/* Signs up `email` with `password`; returns the status, `*out` the JSON. */
static auth0_status signup(const auth0_webauth *web, const char *email, const char *password,
                           char **out) {
    const dt_tenant *t = dt_env();
    char options[1024];
    snprintf(options, sizeof options,
             "{\"connection\":\"%s\",\"email\":\"%s\",\"password\":\"%s\","
             "\"userMetadata\":{\"plan\":\"c-test\"}}",
             t ? t->connection : "", email, password);
    return auth0_webauth_signup(web, options, out);
}

/* ---- auth0_webauth_signup ---------------------------------------------------- */

TEST(signup_creates_a_user_and_returns_its_email_camel_cased) {
    auth0_webauth *web = dt_webauth(NULL);
    char email[128];
    char *out = NULL;
    if (!web) return;
    dt_unique_email(email, sizeof email, "signup");
    if (CHECK_STATUS(signup(web, email, NEW_PASSWORD, &out), AUTH0_OK)) {
        CHECK_JSON_STR(out, "email", email);
        CHECK(json_has(out, "Id")); /* v8 camelCases the tenant's _id */
        CHECK(json_has(out, "emailVerified"));
        CHECK(!json_has(out, "_id"));
    } else {
        h_fail_at(__FILE__, __LINE__, "error: %s", out ? out : "(NULL)");
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(signup_makes_a_user_who_can_log_in) {
    auth0_webauth *web = dt_webauth(NULL);
    char email[128];
    char *out = NULL, *login, *sub;
    if (!web) return;
    dt_unique_email(email, sizeof email, "signup-login");
    CHECK_STATUS(signup(web, email, NEW_PASSWORD, &out), AUTH0_OK);
    auth0_string_free(out);
    login = dt_login_as(web, email, NEW_PASSWORD, "\"scope\":\"openid email\"");
    sub = json_get_nested_string(login, "idTokenPayload", "email");
    CHECK_STREQ(sub, email);
    free(sub);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(signup_of_an_existing_user_is_a_server_error_user_exists) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web || !t) return;
    CHECK_STATUS(signup(web, t->username, NEW_PASSWORD, &out), AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "user_exists", 400);
    CHECK(json_has(out, "original"));
    CHECK_NOT_CONTAINS(out, NEW_PASSWORD);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(signup_with_a_weak_password_is_invalid_password_without_the_password) {
    auth0_webauth *web = dt_webauth(NULL);
    char email[128];
    char *out = NULL;
    if (!web) return;
    dt_unique_email(email, sizeof email, "weak");
    CHECK_STATUS(signup(web, email, WEAK_PASSWORD, &out), AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_password", 400);
    CHECK_NOT_CONTAINS(out, "\"" WEAK_PASSWORD "\"");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(signup_on_a_closed_loopback_port_is_a_network_error) {
    const dt_tenant *t = dt_env();
    int port = dt_closed_port();
    char options[512];
    auth0_webauth *web = NULL;
    char *out = NULL;
    CHECK(port != 0);
    if (!t || !port) return;
    snprintf(options, sizeof options, "{\"domain\":\"http://127.0.0.1:%d\",\"clientID\":\"%s\"}",
             port, t->client_id);
    if (!CHECK_STATUS(auth0_webauth_new(options, &web, NULL), AUTH0_OK)) return;
    CHECK_STATUS(signup(web, "someone@example.com", NEW_PASSWORD, &out), AUTH0_ERROR_NETWORK);
    CHECK_ERROR_JSON(out, "network_error");
    CHECK_NOT_CONTAINS(out, NEW_PASSWORD);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_change_password ------------------------------------------- */

TEST(change_password_returns_the_tenants_text_answer_as_a_json_string) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    if (!web || !t) return;
    snprintf(options, sizeof options, "{\"connection\":\"%s\",\"email\":\"%s\"}", t->connection,
             t->username);
    CHECK_STATUS(auth0_webauth_change_password(web, options, &out), AUTH0_OK);
    CHECK(out != NULL && out[0] == '"'); /* a JSON string, not an object */
    CHECK_CONTAINS(out, "reset your password");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(change_password_of_an_unknown_connection_is_a_server_error) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    if (!web || !t) return;
    snprintf(options, sizeof options,
             "{\"connection\":\"No-Such-Connection\",\"email\":\"%s\"}", t->username);
    CHECK_STATUS(auth0_webauth_change_password(web, options, &out), AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_connection", 400);
    CHECK_JSON_STR(out, "description", "Connection does not exist");
    CHECK(json_has(out, "original"));
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* The tenant holds the answer 5 s; the handle allows 300 ms. */
TEST(change_password_on_a_handle_with_a_300_ms_timeout_and_a_slow_tenant_is_a_timeout) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth("\"timeout\":300");
    char options[512];
    char *out = NULL;
    struct timespec start, end;
    double elapsed;
    if (!web || !t) return;
    /* A first call builds the handle's HTTP client (slow under valgrind),
     * so that the one timed below is only the request. */
    auth0_webauth_change_password(web, "{\"connection\":\"warm-up\",\"email\":\"a@b.c\"}", &out);
    auth0_string_free(out);
    out = NULL;
    if (!dt_fault("{\"path\":\"/dbconnections/change_password\",\"latency_ms\":5000,\"count\":1}")) {
        auth0_webauth_free(web);
        return;
    }
    snprintf(options, sizeof options, "{\"connection\":\"%s\",\"email\":\"%s\"}", t->connection,
             t->username);
    clock_gettime(CLOCK_MONOTONIC, &start);
    CHECK_STATUS(auth0_webauth_change_password(web, options, &out), AUTH0_ERROR_TIMEOUT);
    clock_gettime(CLOCK_MONOTONIC, &end);
    elapsed = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    CHECK_ERROR_JSON(out, "timeout");
    CHECK(!json_has(out, "statusCode"));
    if (elapsed >= 4.5)
        h_fail_at(__FILE__, __LINE__, "it took %.1f s: the 300 ms timeout did not act", elapsed);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* Runs change_password for the test user on `web` after injecting `fault`
 * on its path; returns the status, `*out` the JSON. */
static auth0_status change_password_with_fault(const auth0_webauth *web, const char *fault,
                                               char **out) {
    const dt_tenant *t = dt_env();
    char options[512];
    *out = NULL;
    if (!t || !web || !dt_fault(fault)) return AUTH0_ERROR_INTERNAL;
    snprintf(options, sizeof options, "{\"connection\":\"%s\",\"email\":\"%s\"}", t->connection,
             t->username);
    return auth0_webauth_change_password(web, options, out);
}

TEST(change_password_answer_cut_short_is_a_network_error) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    CHECK_STATUS(change_password_with_fault(
                     web, "{\"path\":\"/dbconnections/change_password\",\"truncate\":true}", &out),
                 AUTH0_ERROR_NETWORK);
    CHECK_ERROR_JSON(out, "network_error");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(change_password_connection_closed_without_an_answer_is_a_network_error) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    CHECK_STATUS(change_password_with_fault(
                     web, "{\"path\":\"/dbconnections/change_password\",\"drop\":true}", &out),
                 AUTH0_ERROR_NETWORK);
    CHECK_ERROR_JSON(out, "network_error");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(change_password_answer_over_max_response_bytes_is_response_too_large) {
    auth0_webauth *web = dt_webauth("\"maxResponseBytes\":1024");
    char *out = NULL;
    CHECK_STATUS(change_password_with_fault(web,
                                            "{\"path\":\"/dbconnections/change_password\","
                                            "\"oversize_bytes\":100000}",
                                            &out),
                 AUTH0_ERROR_SERVER);
    CHECK_ERROR_JSON(out, "response_too_large");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(change_password_answered_503_is_a_server_error_503) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    CHECK_STATUS(change_password_with_fault(
                     web, "{\"path\":\"/dbconnections/change_password\",\"status\":503}", &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "server_error", 503);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(signup_creates_a_user_and_returns_its_email_camel_cased),
             TEST_ENTRY(signup_makes_a_user_who_can_log_in),
             TEST_ENTRY(signup_of_an_existing_user_is_a_server_error_user_exists),
             TEST_ENTRY(signup_with_a_weak_password_is_invalid_password_without_the_password),
             TEST_ENTRY(signup_on_a_closed_loopback_port_is_a_network_error),
             TEST_ENTRY(change_password_returns_the_tenants_text_answer_as_a_json_string),
             TEST_ENTRY(change_password_of_an_unknown_connection_is_a_server_error),
             TEST_ENTRY(change_password_on_a_handle_with_a_300_ms_timeout_and_a_slow_tenant_is_a_timeout),
             TEST_ENTRY(change_password_answer_cut_short_is_a_network_error),
             TEST_ENTRY(change_password_connection_closed_without_an_answer_is_a_network_error),
             TEST_ENTRY(change_password_answer_over_max_response_bytes_is_response_too_large),
             TEST_ENTRY(change_password_answered_503_is_a_server_error_503))
