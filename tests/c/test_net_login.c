/*
 * Against the dev tenant: auth0_webauth_login (password-realm grant),
 * auth0_webauth_user_info, auth0_webauth_validate_id_token and
 * auth0_webauth_parse_hash (implicit and code answers, error answers).
 *
 * Faults: none (this binary shares /oauth/token and /userinfo with others).
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

/* A password no one has, to look for in error JSON. */
#define WRONG_PASSWORD "Wr0ng-Secret-Pa55word-7d1c"

/* ---- auth0_webauth_login ----------------------------------------------------- */

TEST(login_returns_an_access_token_and_a_validated_id_token_payload) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char *out = dt_login(web, "\"scope\":\"openid profile email\"");
    char *access = dt_result_string(out, "accessToken");
    char *id = dt_result_string(out, "idToken");
    char *email = json_get_nested_string(out, "idTokenPayload", "email");
    char *sub = json_get_nested_string(out, "idTokenPayload", "sub");
    if (t) CHECK_STREQ(email, t->username);
    CHECK_STREQ(sub, DT_USER_ID);
    CHECK(access == NULL || strlen(access) > 20);
    CHECK(id == NULL || strncmp(id, "eyJ", 3) == 0);
    free(access);
    free(id);
    free(email);
    free(sub);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(login_result_has_the_token_type_expiry_and_scope) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = dt_login(web, "\"scope\":\"openid email\"");
    long expires = 0;
    char *scope = json_get_string(out, "scope"), *raw;
    CHECK_JSON_STR(out, "tokenType", "Bearer");
    CHECK(json_get_long(out, "expiresIn", &expires) && expires > 0);
    CHECK_CONTAINS(scope, "openid");
    raw = json_get_raw(out, "refreshToken");
    CHECK_STREQ(raw, "null"); /* no offline_access: present, and null */
    free(raw);
    free(scope);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(login_with_a_wrong_password_is_a_server_error_403_invalid_grant) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    if (!web || !t) return;
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"" WRONG_PASSWORD "\",\"realm\":\"%s\"}",
             t->username, t->connection);
    CHECK_STATUS(auth0_webauth_login(web, options, &out), AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_grant", 403);
    CHECK_JSON_STR(out, "description", "Wrong email or password.");
    CHECK(json_has(out, "original"));
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(login_error_does_not_contain_the_password) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    if (!web || !t) return;
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"" WRONG_PASSWORD "\",\"realm\":\"%s\"}",
             t->username, t->connection);
    CHECK_STATUS(auth0_webauth_login(web, options, &out), AUTH0_ERROR_SERVER);
    CHECK(out != NULL);
    CHECK_NOT_CONTAINS(out, WRONG_PASSWORD);
    CHECK_NOT_CONTAINS(out, "Wr0ng-Secret"); /* not even a part of it */
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(login_with_an_unknown_user_is_the_same_403_invalid_grant) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char options[512];
    char *out = NULL;
    if (!web || !t) return;
    snprintf(options, sizeof options,
             "{\"username\":\"nobody-c-test@example.com\",\"password\":\"x\",\"realm\":\"%s\"}",
             t->connection);
    CHECK_STATUS(auth0_webauth_login(web, options, &out), AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_grant", 403);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(login_to_a_closed_loopback_port_is_a_network_error) {
    const dt_tenant *t = dt_env();
    int port = dt_closed_port();
    char options[512];
    auth0_webauth *web = NULL;
    char *out = NULL;
    CHECK(port != 0);
    if (!t || !port) return;
    snprintf(options, sizeof options,
             "{\"domain\":\"http://127.0.0.1:%d\",\"clientID\":\"%s\",\"connectTimeout\":2000}",
             port, t->client_id);
    if (!CHECK_STATUS(auth0_webauth_new(options, &web, NULL), AUTH0_OK)) return;
    CHECK_STATUS(auth0_webauth_login(web,
                                     "{\"username\":\"a@b.c\",\"password\":\"" WRONG_PASSWORD
                                     "\",\"realm\":\"x\"}",
                                     &out),
                 AUTH0_ERROR_NETWORK);
    CHECK_ERROR_JSON(out, "network_error");
    CHECK(!json_has(out, "statusCode"));
    CHECK_NOT_CONTAINS(out, WRONG_PASSWORD);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_user_info ------------------------------------------------- */

TEST(user_info_returns_the_profile_of_the_access_token) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char *login = dt_login(web, "\"scope\":\"openid profile email\"");
    char *access = login ? dt_result_string(login, "accessToken") : NULL;
    char *quoted = access ? json_quote(access) : NULL;
    char options[4096];
    char *out = NULL;
    if (quoted && t) {
        snprintf(options, sizeof options, "{\"accessToken\":%s}", quoted);
        CHECK_STATUS(auth0_webauth_user_info(web, options, &out), AUTH0_OK);
        CHECK(json_is_object(out));
        CHECK_JSON_STR(out, "sub", DT_USER_ID);
        CHECK_JSON_STR(out, "email", t->username);
        CHECK(json_has(out, "name"));
    }
    auth0_string_free(out);
    free(quoted);
    free(access);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(user_info_with_the_sub_of_another_user_is_invalid_token) {
    auth0_webauth *web = dt_webauth(NULL);
    char *login = dt_login(web, "\"scope\":\"openid\"");
    char *access = login ? dt_result_string(login, "accessToken") : NULL;
    char *quoted = access ? json_quote(access) : NULL;
    char options[4096];
    char *out = NULL;
    if (quoted) {
        snprintf(options, sizeof options, "{\"accessToken\":%s,\"sub\":\"" DT_USER_ID "\"}",
                 quoted);
        CHECK_STATUS(auth0_webauth_user_info(web, options, &out), AUTH0_OK);
        CHECK_JSON_STR(out, "sub", DT_USER_ID);
        auth0_string_free(out);
        out = NULL;
        snprintf(options, sizeof options, "{\"accessToken\":%s,\"sub\":\"auth0|other\"}",
                 quoted);
        CHECK_STATUS(auth0_webauth_user_info(web, options, &out), AUTH0_ERROR_INVALID_TOKEN);
        CHECK_CONTAINS(out, "`sub`");
    }
    auth0_string_free(out);
    free(quoted);
    free(access);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(user_info_with_a_rejected_token_is_a_server_error_401) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_user_info(web, "{\"accessToken\":\"not-a-token\"}", &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, NULL, 401);
    CHECK_NOT_CONTAINS(out, "not-a-token");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_validate_id_token ----------------------------------------- */

TEST(validate_id_token_returns_the_payload_of_a_token_from_login) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    char *login = dt_login(web, "\"scope\":\"openid email\"");
    char *id = login ? dt_result_string(login, "idToken") : NULL;
    char *quoted = id ? json_quote(id) : NULL;
    char options[8192];
    char *out = NULL;
    if (quoted && t) {
        snprintf(options, sizeof options, "{\"idToken\":%s}", quoted);
        CHECK_STATUS(auth0_webauth_validate_id_token(web, options, &out), AUTH0_OK);
        CHECK_JSON_STR(out, "sub", DT_USER_ID);
        CHECK_JSON_STR(out, "email", t->username);
        CHECK_JSON_STR(out, "aud", t->client_id);
    }
    auth0_string_free(out);
    free(quoted);
    free(id);
    auth0_string_free(login);
    auth0_webauth_free(web);
}

TEST(validate_id_token_of_a_garbage_token_is_invalid_token_malformed_jwt) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_validate_id_token(web, "{\"idToken\":\"garbage\"}", &out),
                 AUTH0_ERROR_INVALID_TOKEN);
    CHECK_ERROR_JSON(out, "invalid_token");
    CHECK_JSON_STR(out, "description", "Cannot decode a malformed JWT");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(validate_id_token_of_an_expired_tenant_signed_token_is_expired_token) {
    auth0_webauth *web = dt_webauth(NULL);
    char *token = dt_sign("{\"exp\":1}");
    char options[8192];
    char *out = NULL;
    if (!web || !token) {
        free(token);
        auth0_webauth_free(web);
        return;
    }
    snprintf(options, sizeof options, "{\"idToken\":\"%s\"}", token);
    CHECK_STATUS(auth0_webauth_validate_id_token(web, options, &out), AUTH0_ERROR_INVALID_TOKEN);
    CHECK_ERROR_JSON(out, "invalid_token");
    CHECK_JSON_STR(out, "description", "Expired token.");
    auth0_string_free(out);
    free(token);
    auth0_webauth_free(web);
}

TEST(validate_id_token_with_another_nonce_is_invalid_token) {
    auth0_webauth *web = dt_webauth(NULL);
    char *token = dt_sign("{\"nonce\":\"the-nonce-it-was-issued-for\"}");
    char options[8192];
    char *out = NULL, *description;
    if (!web || !token) {
        free(token);
        auth0_webauth_free(web);
        return;
    }
    snprintf(options, sizeof options, "{\"idToken\":\"%s\",\"nonce\":\"another-nonce\"}", token);
    CHECK_STATUS(auth0_webauth_validate_id_token(web, options, &out), AUTH0_ERROR_INVALID_TOKEN);
    CHECK_ERROR_JSON(out, "invalid_token");
    description = json_get_string(out, "description");
    CHECK_STREQ(description, "Nonce does not match.");
    free(description);
    auth0_string_free(out);
    free(token);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_parse_hash ------------------------------------------------ */

TEST(parse_hash_of_an_error_fragment_is_an_authorization_error_with_the_state) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    /* An error answer is matched against the transaction, too. */
    CHECK_STATUS(auth0_webauth_authorize(web, "{\"state\":\"s\"}", &out), AUTH0_OK);
    auth0_string_free(out);
    out = NULL;
    CHECK_STATUS(auth0_webauth_parse_hash(
                     web, "{\"hash\":\"#error=login_required&error_description=x&state=s\"}",
                     &out),
                 AUTH0_ERROR_AUTHORIZATION);
    CHECK_ERROR_JSON(out, "login_required");
    CHECK_JSON_STR(out, "description", "x");
    CHECK_JSON_STR(out, "state", "s");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(parse_hash_of_an_answer_without_tokens_is_ok_and_null) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_parse_hash(web, "{\"hash\":\"#foo=bar\"}", &out), AUTH0_OK);
    CHECK_STREQ(out, "null");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(parse_hash_of_an_id_token_answer_checks_the_recorded_state_and_nonce) {
    auth0_webauth *web = dt_webauth("\"responseType\":\"id_token\",\"scope\":\"openid\"");
    char *tx = NULL, *state = NULL, *nonce = NULL, *token = NULL, *out = NULL, *sub;
    char claims[256], options[8192];
    if (!web) return;
    if (!CHECK_STATUS(auth0_webauth_authorize(web, NULL, &tx), AUTH0_OK)) goto done;
    state = dt_result_string(tx, "state");
    nonce = dt_result_string(tx, "nonce");
    if (!state || !nonce) goto done;
    snprintf(claims, sizeof claims, "{\"nonce\":\"%s\"}", nonce);
    token = dt_sign(claims);
    if (!token) goto done;
    snprintf(options, sizeof options, "{\"hash\":\"#id_token=%s&state=%s\"}", token, state);
    CHECK_STATUS(auth0_webauth_parse_hash(web, options, &out), AUTH0_OK);
    sub = json_get_nested_string(out, "idTokenPayload", "sub");
    CHECK_STREQ(sub, DT_USER_ID);
    free(sub);
    CHECK_JSON_STR(out, "idToken", token);
    CHECK_JSON_STR(out, "state", state);
done:
    auth0_string_free(out);
    free(token);
    free(nonce);
    free(state);
    auth0_string_free(tx);
    auth0_webauth_free(web);
}

TEST(parse_hash_with_a_state_that_was_never_recorded_is_invalid_token) {
    auth0_webauth *web = dt_webauth("\"responseType\":\"id_token\"");
    char *token = dt_sign("{\"nonce\":\"n\"}");
    char options[8192];
    char *out = NULL;
    if (web && token) {
        snprintf(options, sizeof options,
                 "{\"hash\":\"#id_token=%s&state=never-recorded-state\"}", token);
        CHECK_STATUS(auth0_webauth_parse_hash(web, options, &out), AUTH0_ERROR_INVALID_TOKEN);
        CHECK_ERROR_JSON(out, NULL);
    }
    auth0_string_free(out);
    free(token);
    auth0_webauth_free(web);
}

/* The code answer of a real /authorize: the URL auth0_webauth_authorize
 * gives, with a login ticket from /co/authenticate, requested with the
 * tiny HTTP client; the tenant redirects to the callback with the code. */
TEST(parse_hash_of_a_code_answer_exchanges_the_code_with_the_pkce_verifier) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth("\"scope\":\"openid email\"");
    char *tx = NULL, *url = NULL, *ticket_answer = NULL, *ticket = NULL, *hash = NULL;
    char *out = NULL, *email, *access;
    char body[1024], path[8192], options[8192];
    dt_response r = {0, NULL, NULL};
    size_t prefix;
    if (!web || !t) goto done;
    /* PKCE and, with openid, a nonce, without asking for them. */
    if (!CHECK_STATUS(auth0_webauth_authorize(web, "{\"responseType\":\"code\"}", &tx), AUTH0_OK))
        goto done;
    url = dt_result_string(tx, "url");
    prefix = strlen(t->domain);
    CHECK(url != NULL && strncmp(url, t->domain, prefix) == 0);
    if (!url || strncmp(url, t->domain, prefix) != 0) goto done;
    CHECK_CONTAINS(url, "&code_challenge=");
    CHECK_CONTAINS(url, "&code_challenge_method=S256");
    CHECK_CONTAINS(url, "&nonce=");
    snprintf(body, sizeof body,
             "{\"client_id\":\"%s\",\"username\":\"%s\",\"password\":\"%s\",\"realm\":\"%s\","
             "\"credential_type\":\"http://auth0.com/oauth/grant-type/password-realm\"}",
             t->client_id, t->username, t->password, t->connection);
    ticket_answer = dt_post("/co/authenticate", body);
    ticket = json_get_string(ticket_answer, "login_ticket");
    CHECK(ticket != NULL);
    if (!ticket) goto done;
    snprintf(path, sizeof path, "%s&login_ticket=%s", url + prefix, ticket);
    if (!dt_request_at("GET", path, NULL, NULL, &r, __FILE__, __LINE__)) goto done;
    CHECK(r.status == 302);
    CHECK_CONTAINS(r.location, DT_REDIRECT_URI "?code=");
    if (!r.location) goto done;
    hash = json_quote(r.location);
    snprintf(options, sizeof options, "{\"hash\":%s}", hash);
    CHECK_STATUS(auth0_webauth_parse_hash(web, options, &out), AUTH0_OK);
    email = json_get_nested_string(out, "idTokenPayload", "email");
    access = json_get_string(out, "accessToken");
    CHECK_STREQ(email, t->username);
    CHECK(access != NULL && access[0] != '\0');
    free(email);
    free(access);
done:
    auth0_string_free(out);
    free(hash);
    dt_response_free(&r);
    free(ticket);
    free(ticket_answer);
    free(url);
    auth0_string_free(tx);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(login_returns_an_access_token_and_a_validated_id_token_payload),
             TEST_ENTRY(login_result_has_the_token_type_expiry_and_scope),
             TEST_ENTRY(login_with_a_wrong_password_is_a_server_error_403_invalid_grant),
             TEST_ENTRY(login_error_does_not_contain_the_password),
             TEST_ENTRY(login_with_an_unknown_user_is_the_same_403_invalid_grant),
             TEST_ENTRY(login_to_a_closed_loopback_port_is_a_network_error),
             TEST_ENTRY(user_info_returns_the_profile_of_the_access_token),
             TEST_ENTRY(user_info_with_the_sub_of_another_user_is_invalid_token),
             TEST_ENTRY(user_info_with_a_rejected_token_is_a_server_error_401),
             TEST_ENTRY(validate_id_token_returns_the_payload_of_a_token_from_login),
             TEST_ENTRY(validate_id_token_of_a_garbage_token_is_invalid_token_malformed_jwt),
             TEST_ENTRY(validate_id_token_of_an_expired_tenant_signed_token_is_expired_token),
             TEST_ENTRY(validate_id_token_with_another_nonce_is_invalid_token),
             TEST_ENTRY(parse_hash_of_an_error_fragment_is_an_authorization_error_with_the_state),
             TEST_ENTRY(parse_hash_of_an_answer_without_tokens_is_ok_and_null),
             TEST_ENTRY(parse_hash_of_an_id_token_answer_checks_the_recorded_state_and_nonce),
             TEST_ENTRY(parse_hash_with_a_state_that_was_never_recorded_is_invalid_token),
             TEST_ENTRY(parse_hash_of_a_code_answer_exchanges_the_code_with_the_pkce_verifier))
