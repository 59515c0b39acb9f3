/*
 * Against the dev tenant: the headless browser flows and the SSO session
 * they leave in the handle's cookie jar — auth0_webauth_login_with_credentials,
 * auth0_webauth_cross_origin_login, auth0_webauth_renew_auth and
 * auth0_webauth_logout with "headless": true.
 *
 * Faults: none. The request-log check reads /v2/logout, which only this
 * binary requests.
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

#define WRONG_PASSWORD "Wr0ng-Session-Pa55word-c"
#define IMPLICIT "\"responseType\":\"token id_token\",\"scope\":\"openid profile email\""

/* {"connection":…,"username":…,"password":…} of the test user, or with
 * `password` when it is not NULL. */
static const char *credentials(char *buf, size_t cap, const char *password) {
    const dt_tenant *t = dt_env();
    if (!t) return "{}";
    snprintf(buf, cap, "{\"connection\":\"%s\",\"username\":\"%s\",\"password\":\"%s\"}",
             t->connection, t->username, password ? password : t->password);
    return buf;
}

/* {"username":…,"password":…,"realm":…} for the cross-origin login. */
static const char *co_credentials(char *buf, size_t cap, const char *password) {
    const dt_tenant *t = dt_env();
    if (!t) return "{}";
    snprintf(buf, cap, "{\"username\":\"%s\",\"password\":\"%s\",\"realm\":\"%s\"}",
             t->username, password ? password : t->password, t->connection);
    return buf;
}

/* Checks an authResult of the test user: tokens, and the e-mail of the
 * validated id_token. */
static void check_auth_result(const char *out) {
    const dt_tenant *t = dt_env();
    char *access = json_get_string(out, "accessToken");
    char *email = json_get_nested_string(out, "idTokenPayload", "email");
    CHECK(access != NULL && access[0] != '\0');
    if (t) CHECK_STREQ(email, t->username);
    free(access);
    free(email);
}

/* ---- auth0_webauth_login_with_credentials ------------------------------------ */

TEST(login_with_credentials_returns_a_validated_auth_result) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_login_with_credentials(web, credentials(buf, sizeof buf, NULL),
                                                      &out),
                 AUTH0_OK);
    check_auth_result(out);
    CHECK(json_has(out, "idToken"));
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(login_with_credentials_in_the_code_flow_with_pkce_exchanges_the_code) {
    auth0_webauth *web = dt_webauth("\"scope\":\"openid email\",\"pkce\":true");
    char buf[512];
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_login_with_credentials(web, credentials(buf, sizeof buf, NULL),
                                                      &out),
                 AUTH0_OK);
    check_auth_result(out);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(login_with_credentials_with_a_wrong_password_is_a_server_error_without_the_password) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_login_with_credentials(
                     web, credentials(buf, sizeof buf, WRONG_PASSWORD), &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_user_password", 401);
    CHECK_JSON_STR(out, "description", "Wrong email or password.");
    CHECK_NOT_CONTAINS(out, WRONG_PASSWORD);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_cross_origin_login ---------------------------------------- */

TEST(cross_origin_login_returns_a_validated_auth_result) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_cross_origin_login(web, co_credentials(buf, sizeof buf, NULL),
                                                  &out),
                 AUTH0_OK);
    check_auth_result(out);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(cross_origin_login_with_a_wrong_password_is_403_access_denied_without_the_password) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_cross_origin_login(
                     web, co_credentials(buf, sizeof buf, WRONG_PASSWORD), &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "access_denied", 403);
    CHECK_NOT_CONTAINS(out, WRONG_PASSWORD);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(cross_origin_login_without_a_password_is_an_invalid_argument_naming_it) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    const dt_tenant *t = dt_env();
    char buf[512];
    char *out = NULL;
    if (!web || !t) goto done;
    snprintf(buf, sizeof buf, "{\"username\":\"%s\",\"realm\":\"%s\"}", t->username,
             t->connection);
    CHECK_STATUS(auth0_webauth_cross_origin_login(web, buf, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_JSON_STR(out, "description", "password option is required");
done:
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_renew_auth ------------------------------------------------ */

TEST(renew_auth_without_a_session_is_an_authorization_error_login_required) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char *out = NULL, *state;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_renew_auth(web, NULL, &out), AUTH0_ERROR_AUTHORIZATION);
    CHECK_ERROR_JSON(out, "login_required");
    state = json_get_string(out, "state");
    CHECK(state != NULL && state[0] != '\0'); /* the state of its /authorize */
    free(state);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(renew_auth_after_login_with_credentials_uses_the_sso_session) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *login = NULL, *out = NULL, *first = NULL, *renewed = NULL;
    if (!web) return;
    if (CHECK_STATUS(auth0_webauth_login_with_credentials(
                         web, credentials(buf, sizeof buf, NULL), &login),
                     AUTH0_OK)) {
        CHECK_STATUS(auth0_webauth_renew_auth(web, NULL, &out), AUTH0_OK);
        check_auth_result(out);
        first = json_get_string(login, "accessToken");
        renewed = json_get_string(out, "accessToken");
        CHECK(first && renewed && strcmp(first, renewed) != 0); /* a new token */
        CHECK(!json_has(out, "code"));
    }
    free(first);
    free(renewed);
    auth0_string_free(out);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(renew_auth_after_a_cross_origin_login_uses_the_sso_session) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *login = NULL, *out = NULL;
    if (!web) return;
    if (CHECK_STATUS(auth0_webauth_cross_origin_login(web, co_credentials(buf, sizeof buf, NULL),
                                                      &login),
                     AUTH0_OK)) {
        CHECK_STATUS(auth0_webauth_renew_auth(web, "{}", &out), AUTH0_OK);
        check_auth_result(out);
    }
    auth0_string_free(out);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(renew_auth_session_belongs_to_its_handle) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    auth0_webauth *other = dt_webauth(IMPLICIT);
    char buf[512];
    char *login = NULL, *out = NULL;
    if (!web || !other) goto done;
    CHECK_STATUS(auth0_webauth_login_with_credentials(web, credentials(buf, sizeof buf, NULL),
                                                      &login),
                 AUTH0_OK);
    CHECK_STATUS(auth0_webauth_renew_auth(other, NULL, &out), AUTH0_ERROR_AUTHORIZATION);
    CHECK_ERROR_JSON(out, "login_required");
done:
    auth0_string_free(out);
    auth0_string_free(login);
    auth0_webauth_free(other);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_logout, headless ------------------------------------------ */

TEST(headless_logout_returns_the_url_and_ends_the_session) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *login = NULL, *logout = NULL, *out = NULL, *url;
    if (!web) return;
    if (CHECK_STATUS(auth0_webauth_login_with_credentials(
                         web, credentials(buf, sizeof buf, NULL), &login),
                     AUTH0_OK)) {
        CHECK_STATUS(auth0_webauth_logout(web, "{\"headless\":true}", &logout), AUTH0_OK);
        url = json_get_string(logout, "url");
        CHECK_CONTAINS(url, "/v2/logout?");
        if (url) CHECK_NOT_CONTAINS(url, "headless");
        free(url);
        CHECK_STATUS(auth0_webauth_renew_auth(web, NULL, &out), AUTH0_ERROR_AUTHORIZATION);
        CHECK_ERROR_JSON(out, "login_required");
    }
    auth0_string_free(out);
    auth0_string_free(logout);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

/* The tenant saw the /v2/logout request with the session cookie: the
 * session ended on the tenant, not only in the handle. */
TEST(headless_logout_sends_the_session_cookie_to_the_tenant) {
    auth0_webauth *web = dt_webauth(IMPLICIT);
    char buf[512];
    char *login = NULL, *logout = NULL, *log = NULL, *last = NULL, *headers = NULL;
    char *cookie = NULL;
    long n;
    if (!web) return;
    if (CHECK_STATUS(auth0_webauth_login_with_credentials(
                         web, credentials(buf, sizeof buf, NULL), &login),
                     AUTH0_OK) &&
        CHECK_STATUS(auth0_webauth_logout(web, "{\"headless\":true}", &logout), AUTH0_OK)) {
        log = dt_get("/__dev/requests?path=/v2/logout");
        n = json_array_length(log);
        CHECK(n >= 1);
        if (n >= 1) last = json_array_item(log, (size_t)(n - 1));
        headers = json_get_raw(last, "headers");
        cookie = json_get_string(headers, "cookie");
        CHECK_CONTAINS(cookie, "auth0=");
    }
    free(cookie);
    free(headers);
    free(last);
    free(log);
    auth0_string_free(logout);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(headless_logout_of_a_closed_loopback_port_is_a_network_error) {
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
    CHECK_STATUS(auth0_webauth_logout(web, "{\"headless\":true}", &out), AUTH0_ERROR_NETWORK);
    CHECK_ERROR_JSON(out, "network_error");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(login_with_credentials_returns_a_validated_auth_result),
             TEST_ENTRY(login_with_credentials_in_the_code_flow_with_pkce_exchanges_the_code),
             TEST_ENTRY(login_with_credentials_with_a_wrong_password_is_a_server_error_without_the_password),
             TEST_ENTRY(cross_origin_login_returns_a_validated_auth_result),
             TEST_ENTRY(cross_origin_login_with_a_wrong_password_is_403_access_denied_without_the_password),
             TEST_ENTRY(cross_origin_login_without_a_password_is_an_invalid_argument_naming_it),
             TEST_ENTRY(renew_auth_without_a_session_is_an_authorization_error_login_required),
             TEST_ENTRY(renew_auth_after_login_with_credentials_uses_the_sso_session),
             TEST_ENTRY(renew_auth_after_a_cross_origin_login_uses_the_sso_session),
             TEST_ENTRY(renew_auth_session_belongs_to_its_handle),
             TEST_ENTRY(headless_logout_returns_the_url_and_ends_the_session),
             TEST_ENTRY(headless_logout_sends_the_session_cookie_to_the_tenant),
             TEST_ENTRY(headless_logout_of_a_closed_loopback_port_is_a_network_error))
