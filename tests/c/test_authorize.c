/*
 * auth0_webauth_authorize: the state, nonce and PKCE challenge it records
 * and puts in the URL, what the callback must answer, and options checked
 * by type. The file-backed transaction store: test_authorize_file_store.c.
 */
#include "authorize.h"

#define CODE_HANDLE                                                            \
    "{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\","                  \
    "\"redirectUri\":\"http://127.0.0.1:8080/callback\",\"_sendTelemetry\":false}"

static int is_base64url(const char *s) {
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* ---- state ---------------------------------------------------------------- */

TEST(authorize_returns_a_state_of_at_least_32_characters) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, NULL) : NULL;
    char *state = json_get_string(out, "state");
    CHECK(state != NULL && strlen(state) >= 32);
    free(state);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_state_uses_only_url_safe_characters) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, NULL) : NULL;
    char *state = json_get_string(out, "state");
    CHECK(state != NULL && is_base64url(state));
    free(state);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_puts_the_state_in_the_url) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, NULL) : NULL;
    char *state = json_get_string(out, "state");
    char *url = json_get_string(out, "url");
    char *param = url_query_param(url, "state");
    CHECK(state != NULL);
    CHECK_STREQ(param, state);
    if (state) CHECK_CONTAINS(url, state);
    free(param);
    free(url);
    free(state);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_gives_a_different_state_on_each_call) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *a = web ? authorize_ok(web, NULL) : NULL;
    char *b = web ? authorize_ok(web, NULL) : NULL;
    char *sa = json_get_string(a, "state");
    char *sb = json_get_string(b, "state");
    CHECK(sa != NULL && sb != NULL && strcmp(sa, sb) != 0);
    free(sa);
    free(sb);
    auth0_string_free(a);
    auth0_string_free(b);
    auth0_webauth_free(web);
}

TEST(authorize_keeps_a_state_given_in_the_options) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, "{\"state\":\"my-own-state\"}") : NULL;
    char *url = json_get_string(out, "url");
    char *param = url_query_param(url, "state");
    CHECK_JSON_STR(out, "state", "my-own-state");
    CHECK_STREQ(param, "my-own-state");
    free(param);
    free(url);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- nonce ---------------------------------------------------------------- */

TEST(authorize_records_a_nonce_for_every_response_type_with_id_token) {
    static const char *const options[] = {
        "{\"responseType\":\"id_token\"}",
        "{\"responseType\":\"id_token token\"}",
        "{\"responseType\":\"token id_token\"}",
        "{\"responseType\":\"code id_token\"}",
    };
    auth0_webauth *web = new_handle(CODE_HANDLE);
    size_t i;
    for (i = 0; web && i < sizeof options / sizeof options[0]; i++) {
        char *out = authorize_ok(web, options[i]);
        char *nonce = json_get_string(out, "nonce");
        char *url = json_get_string(out, "url");
        char *param = url_query_param(url, "nonce");
        if (nonce == NULL || strlen(nonce) < 32)
            h_fail_at(__FILE__, __LINE__, "no nonce of 32+ characters for %s: %s", options[i],
                      out ? out : "(NULL)");
        CHECK_STREQ(param, nonce);
        free(param);
        free(url);
        free(nonce);
        auth0_string_free(out);
    }
    auth0_webauth_free(web);
}

TEST(authorize_records_no_nonce_without_id_token) {
    static const char *const options[] = {
        NULL,
        "{\"responseType\":\"code\"}",
        "{\"responseType\":\"token\"}",
        "{\"responseType\":\"code token\"}",
    };
    auth0_webauth *web = new_handle(CODE_HANDLE);
    size_t i;
    for (i = 0; web && i < sizeof options / sizeof options[0]; i++) {
        char *out = authorize_ok(web, options[i]);
        char *url = json_get_string(out, "url");
        char *param = url_query_param(url, "nonce");
        if (json_has(out, "nonce") || param != NULL)
            h_fail_at(__FILE__, __LINE__, "a nonce for %s: %s", options[i] ? options[i] : "NULL",
                      out ? out : "(NULL)");
        free(param);
        free(url);
        auth0_string_free(out);
    }
    auth0_webauth_free(web);
}

TEST(authorize_gives_a_different_nonce_on_each_call) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *a = web ? authorize_ok(web, "{\"responseType\":\"id_token\"}") : NULL;
    char *b = web ? authorize_ok(web, "{\"responseType\":\"id_token\"}") : NULL;
    char *na = json_get_string(a, "nonce");
    char *nb = json_get_string(b, "nonce");
    CHECK(na != NULL && nb != NULL && strcmp(na, nb) != 0);
    free(na);
    free(nb);
    auth0_string_free(a);
    auth0_string_free(b);
    auth0_webauth_free(web);
}

/* ---- PKCE ----------------------------------------------------------------- */

/* Checks that `out`'s URL has an S256 challenge (`want` = 1) or none. */
static void check_challenge(const char *out, int want) {
    char *url = json_get_string(out, "url");
    char *challenge = url_query_param(url, "code_challenge");
    char *method = url_query_param(url, "code_challenge_method");
    if (want) {
        /* base64url(SHA-256(verifier)) without padding: 43 characters. */
        CHECK(challenge != NULL && strlen(challenge) == 43 && is_base64url(challenge));
        CHECK_STREQ(method, "S256");
    } else {
        CHECK(challenge == NULL);
        CHECK(method == NULL);
    }
    CHECK(url == NULL || strstr(url, "pkce") == NULL); /* a native-only option */
    free(method);
    free(challenge);
    free(url);
}

TEST(authorize_pkce_with_a_code_response_type_adds_an_s256_challenge) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, "{\"pkce\":true,\"responseType\":\"code\"}") : NULL;
    check_challenge(out, 1);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_pkce_set_on_the_handle_adds_an_s256_challenge) {
    auth0_webauth *web = new_handle(
        "{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\",\"pkce\":true,"
        "\"redirectUri\":\"http://127.0.0.1:8080/callback\"}");
    char *out = web ? authorize_ok(web, NULL) : NULL;
    check_challenge(out, 1);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_pkce_without_code_in_the_response_type_adds_no_challenge) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, "{\"pkce\":true,\"responseType\":\"token\"}") : NULL;
    check_challenge(out, 0);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_adds_an_s256_challenge_to_a_code_flow_by_default) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, "{\"responseType\":\"code\"}") : NULL;
    check_challenge(out, 1);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_with_pkce_false_adds_no_challenge) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = web ? authorize_ok(web, "{\"responseType\":\"code\",\"pkce\":false}") : NULL;
    check_challenge(out, 0);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(authorize_pkce_gives_a_different_challenge_on_each_call) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *a = web ? authorize_ok(web, "{\"pkce\":true}") : NULL;
    char *b = web ? authorize_ok(web, "{\"pkce\":true}") : NULL;
    char *ua = json_get_string(a, "url");
    char *ub = json_get_string(b, "url");
    char *ca = url_query_param(ua, "code_challenge");
    char *cb = url_query_param(ub, "code_challenge");
    CHECK(ca != NULL && cb != NULL && strcmp(ca, cb) != 0);
    free(ca);
    free(cb);
    free(ua);
    free(ub);
    auth0_string_free(a);
    auth0_string_free(b);
    auth0_webauth_free(web);
}

TEST(authorize_rejects_a_pkce_flag_that_is_not_a_boolean) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_authorize(web, "{\"pkce\":\"yes\"}", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, "invalid_argument");
    CHECK_JSON_STR(out, "description", "pkce option is not valid");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- buildAuthorizeUrl records nothing ------------------------------------ */

TEST(build_authorize_url_generates_no_state_or_nonce) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = NULL;
    char *url, *state;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_build_authorize_url(web, "{\"responseType\":\"code id_token\"}",
                                                   &out),
                 AUTH0_OK);
    CHECK(!json_has(out, "state"));
    CHECK(!json_has(out, "nonce"));
    url = json_get_string(out, "url");
    state = url_query_param(url, "state");
    CHECK(state == NULL);
    free(state);
    free(url);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- the callback must answer what the transaction asked for ------------- */

/* parseHash of `fmt` (with the state of a fresh code + PKCE transaction put
 * in for %s) must give `want`; returns the error JSON (free it). */
static char *parse_callback_of_code_login(auth0_webauth *web, const char *fmt,
                                          auth0_status want) {
    char *req = authorize_ok(web, "{\"scope\":\"openid\"}");
    char *state = json_get_string(req, "state");
    char hash[1024], options[1200];
    char *out = NULL;
    snprintf(hash, sizeof hash, fmt, state ? state : "");
    snprintf(options, sizeof options, "{\"hash\":\"%s\"}", hash);
    CHECK_STATUS(auth0_webauth_parse_hash(web, options, &out), want);
    free(state);
    auth0_string_free(req);
    return out;
}

TEST(parse_hash_refuses_a_token_injected_into_a_code_login) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out;
    if (!web) return;
    out = parse_callback_of_code_login(web, "#access_token=X&state=%s",
                                       AUTH0_ERROR_INVALID_TOKEN);
    CHECK_ERROR_JSON(out, "invalid_token");
    CHECK_CONTAINS(out, "access_token");
    CHECK(!json_has(out, "accessToken"));
    auth0_string_free(out);
    out = parse_callback_of_code_login(web, "#id_token=a.b.c&state=%s",
                                       AUTH0_ERROR_INVALID_TOKEN);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(parse_hash_refuses_a_duplicated_parameter) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out;
    if (!web) return;
    out = parse_callback_of_code_login(web, "?code=c&state=%s&code=d", AUTH0_ERROR_INVALID_TOKEN);
    CHECK_CONTAINS(out, "repeats the `code` parameter");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(parse_hash_refuses_an_error_answer_of_an_unknown_state) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(
        auth0_webauth_parse_hash(web, "{\"hash\":\"#error=access_denied&state=forged\"}", &out),
        AUTH0_ERROR_INVALID_TOKEN);
    CHECK_JSON_STR(out, "description", "`state` does not match.");
    auth0_string_free(out);
    out = parse_callback_of_code_login(web, "#error=access_denied&error_description=No&state=%s",
                                       AUTH0_ERROR_AUTHORIZATION);
    CHECK_ERROR_JSON(out, "access_denied");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(parse_hash_refuses_a_foreign_iss) {
    auth0_webauth *web = new_handle(CODE_HANDLE);
    char *out;
    if (!web) return;
    out = parse_callback_of_code_login(web, "?code=c&state=%s&iss=https%%3A%%2F%%2Fevil.example%%2F",
                                       AUTH0_ERROR_INVALID_TOKEN);
    CHECK_CONTAINS(out, "`iss`");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- options are checked by type ------------------------------------------ */

TEST(wrong_typed_url_options_are_invalid_arguments_naming_them) {
    static const char *const cases[][2] = {
        {"{\"state\":[1]}", "state option is not valid"},
        {"{\"nonce\":{\"a\":1}}", "nonce option is not valid"},
        {"{\"maxAge\":\"soon\"}", "maxAge option is not valid"},
        {"{\"clientID\":5}", "clientID option is not valid"},
    };
    auth0_webauth *web = new_handle(CODE_HANDLE);
    size_t i;
    for (i = 0; web && i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        CHECK_STATUS(auth0_webauth_build_authorize_url(web, cases[i][0], &out),
                     AUTH0_ERROR_INVALID_ARGUMENT);
        CHECK_JSON_STR(out, "description", cases[i][1]);
        auth0_string_free(out);
        out = NULL;
        CHECK_STATUS(auth0_webauth_authorize(web, cases[i][0], &out),
                     AUTH0_ERROR_INVALID_ARGUMENT);
        CHECK_JSON_STR(out, "description", cases[i][1]);
        auth0_string_free(out);
    }
    if (web) {
        char *out = NULL;
        CHECK_STATUS(auth0_webauth_logout(web, "{\"federated\":1}", &out),
                     AUTH0_ERROR_INVALID_ARGUMENT);
        CHECK_JSON_STR(out, "description", "federated option is not valid");
        auth0_string_free(out);
    }
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(authorize_returns_a_state_of_at_least_32_characters),
             TEST_ENTRY(authorize_state_uses_only_url_safe_characters),
             TEST_ENTRY(authorize_puts_the_state_in_the_url),
             TEST_ENTRY(authorize_gives_a_different_state_on_each_call),
             TEST_ENTRY(authorize_keeps_a_state_given_in_the_options),
             TEST_ENTRY(authorize_records_a_nonce_for_every_response_type_with_id_token),
             TEST_ENTRY(authorize_records_no_nonce_without_id_token),
             TEST_ENTRY(authorize_gives_a_different_nonce_on_each_call),
             TEST_ENTRY(authorize_pkce_with_a_code_response_type_adds_an_s256_challenge),
             TEST_ENTRY(authorize_pkce_set_on_the_handle_adds_an_s256_challenge),
             TEST_ENTRY(authorize_pkce_without_code_in_the_response_type_adds_no_challenge),
             TEST_ENTRY(authorize_adds_an_s256_challenge_to_a_code_flow_by_default),
             TEST_ENTRY(authorize_with_pkce_false_adds_no_challenge),
             TEST_ENTRY(authorize_pkce_gives_a_different_challenge_on_each_call),
             TEST_ENTRY(authorize_rejects_a_pkce_flag_that_is_not_a_boolean),
             TEST_ENTRY(build_authorize_url_generates_no_state_or_nonce),
             TEST_ENTRY(parse_hash_refuses_a_token_injected_into_a_code_login),
             TEST_ENTRY(parse_hash_refuses_a_duplicated_parameter),
             TEST_ENTRY(parse_hash_refuses_an_error_answer_of_an_unknown_state),
             TEST_ENTRY(parse_hash_refuses_a_foreign_iss),
             TEST_ENTRY(wrong_typed_url_options_are_invalid_arguments_naming_them))
