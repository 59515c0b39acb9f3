/*
 * auth0_webauth_new: success, and every way the constructor refuses its
 * arguments. On failure the status is AUTH0_ERROR_INVALID_ARGUMENT, `*out`
 * is NULL, and the error JSON's `code` says which mistake it was and its
 * `description` names the parameter or option.
 */
#include "harness.h"

#define MINIMAL_OPTIONS "{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\"}"

/* A non-NULL pointer value, to see the library overwrite out-parameters. */
static char sentinel_;
#define SENTINEL_STR (&sentinel_)
#define SENTINEL_WEB ((auth0_webauth *)(void *)&sentinel_)

/* Expects the constructor to refuse `options_json`; checks `*out`, the
 * status, the error's `code` and that `description` contains `names`
 * (or equals `exact` when that is not NULL). */
static void expect_refused(const char *options_json, const char *code, const char *names,
                           const char *exact) {
    auth0_webauth *web = SENTINEL_WEB;
    char *error = NULL;
    char *description;
    CHECK_STATUS(auth0_webauth_new(options_json, &web, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(web == NULL);
    CHECK(error != NULL);
    CHECK_ERROR_JSON(error, code);
    description = json_get_string(error, "description");
    if (names) CHECK_CONTAINS(description, names);
    if (exact) CHECK_STREQ(description, exact);
    free(description);
    auth0_string_free(error);
}

TEST(new_succeeds_with_domain_and_client_id) {
    auth0_webauth *web = NULL;
    char *error = SENTINEL_STR;
    CHECK_STATUS(auth0_webauth_new(MINIMAL_OPTIONS, &web, &error), AUTH0_OK);
    CHECK(web != NULL);
    CHECK(error == NULL); /* documented: NULL on success */
    auth0_webauth_free(web);
}

TEST(new_succeeds_with_every_documented_option) {
    auth0_webauth *web = NULL;
    char *error = NULL;
    CHECK_STATUS(auth0_webauth_new(
                     "{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\","
                     "\"redirectUri\":\"com.example.app://callback\",\"scope\":\"openid profile\","
                     "\"responseType\":\"code\",\"responseMode\":\"query\","
                     "\"audience\":\"https://api.example.com/\",\"leeway\":60,"
                     "\"_sendTelemetry\":true,\"_telemetryInfo\":{\"name\":\"x\",\"version\":\"1\"},"
                     "\"overrides\":{\"__tenant\":\"me\",\"__token_issuer\":\"https://me.auth0.com/\"},"
                     "\"transaction\":{\"store\":\"memory\",\"ttl\":600},\"pkce\":true}",
                     &web, &error),
                 AUTH0_OK);
    CHECK(web != NULL);
    if (error) h_fail_at(__FILE__, __LINE__, "error: %s", error);
    auth0_string_free(error);
    auth0_webauth_free(web);
}

TEST(new_allows_a_null_error_json_on_success) {
    auth0_webauth *web = NULL;
    CHECK_STATUS(auth0_webauth_new(MINIMAL_OPTIONS, &web, NULL), AUTH0_OK);
    CHECK(web != NULL);
    auth0_webauth_free(web);
}

TEST(new_rejects_null_options_json_as_null_parameter) {
    expect_refused(NULL, "null_parameter", "options_json", NULL);
}

TEST(new_rejects_options_json_that_is_not_utf8) {
    expect_refused("\xff\xfe", "invalid_utf8", "options_json", NULL);
}

TEST(new_rejects_options_json_with_invalid_utf8_inside_a_string) {
    expect_refused("{\"domain\":\"me.auth0.com\",\"clientID\":\"a\xc3\"}", "invalid_utf8",
                   "options_json", NULL);
}

TEST(new_rejects_options_json_that_is_not_json) {
    expect_refused("{domain: me.auth0.com", "invalid_json", "options_json", NULL);
}

TEST(new_rejects_an_empty_options_json_string) {
    expect_refused("", "invalid_json", "options_json", NULL);
}

TEST(new_rejects_a_json_array) {
    expect_refused("[]", "invalid_argument", "options", NULL);
}

TEST(new_rejects_a_json_string) {
    expect_refused("\"x\"", "invalid_argument", "options", NULL);
}

TEST(new_rejects_json_null) {
    expect_refused("null", "invalid_argument", "options", NULL);
}

TEST(new_rejects_missing_domain) {
    expect_refused("{\"clientID\":\"abc123\"}", "invalid_argument", NULL,
                   "domain option is required");
}

TEST(new_rejects_missing_client_id) {
    expect_refused("{\"domain\":\"me.auth0.com\"}", "invalid_argument", NULL,
                   "clientID option is required");
}

TEST(new_rejects_a_domain_that_is_not_a_string) {
    expect_refused("{\"domain\":1,\"clientID\":\"abc123\"}", "invalid_argument", "domain", NULL);
}

TEST(new_rejects_a_client_id_that_is_not_a_string) {
    expect_refused("{\"domain\":\"me.auth0.com\",\"clientID\":true}", "invalid_argument",
                   "clientID", NULL);
}

TEST(new_rejects_a_redirect_uri_that_is_not_a_string) {
    expect_refused("{\"domain\":\"me.auth0.com\",\"clientID\":\"a\",\"redirectUri\":5}",
                   "invalid_argument", NULL, "redirectUri is not valid");
}

TEST(new_rejects_a_transaction_store_that_is_not_an_object) {
    expect_refused("{\"domain\":\"me.auth0.com\",\"clientID\":\"a\",\"transaction\":\"file\"}",
                   "invalid_argument", "transaction", NULL);
}

TEST(new_rejects_a_pkce_flag_that_is_not_a_boolean) {
    expect_refused("{\"domain\":\"me.auth0.com\",\"clientID\":\"a\",\"pkce\":\"yes\"}",
                   "invalid_argument", NULL, "pkce option is not valid");
}

TEST(new_rejects_a_null_out) {
    char *error = NULL;
    char *description;
    CHECK_STATUS(auth0_webauth_new(MINIMAL_OPTIONS, NULL, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(error, "null_parameter");
    description = json_get_string(error, "description");
    CHECK_CONTAINS(description, "out");
    free(description);
    auth0_string_free(error);
}

TEST(new_with_null_out_and_null_error_json_returns_the_status) {
    CHECK_STATUS(auth0_webauth_new(MINIMAL_OPTIONS, NULL, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
}

TEST(new_failure_with_null_error_json_returns_the_status_and_nulls_out) {
    auth0_webauth *web = SENTINEL_WEB;
    CHECK_STATUS(auth0_webauth_new("{\"domain\":\"me.auth0.com\"}", &web, NULL),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(web == NULL);
}

TEST(new_keeps_no_pointer_to_options_json) {
    /* The options live in a heap buffer that is scribbled over and freed
     * right after the call; the handle must still work (and valgrind must
     * see no read of the freed buffer). */
    size_t n = strlen(MINIMAL_OPTIONS) + 1;
    char *copy = (char *)malloc(n);
    auth0_webauth *web = NULL;
    char *out = NULL;
    CHECK(copy != NULL);
    if (!copy) return;
    memcpy(copy, MINIMAL_OPTIONS, n);
    CHECK_STATUS(auth0_webauth_new(copy, &web, NULL), AUTH0_OK);
    memset(copy, 'x', n - 1);
    free(copy);
    CHECK_STATUS(auth0_webauth_build_authorize_url(web, NULL, &out), AUTH0_OK);
    {
        char *url = json_get_string(out, "url");
        CHECK_CONTAINS(url, "https://me.auth0.com/authorize?client_id=abc123&");
        free(url);
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(new_passes_non_ascii_utf8_options_through) {
    auth0_webauth *web = NULL;
    char *out = NULL;
    char *url;
    /* "é" as raw UTF-8 bytes, and "ü" as a JSON \u escape. */
    CHECK_STATUS(auth0_webauth_new("{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\","
                                   "\"_sendTelemetry\":false,\"scope\":\"caf\xc3\xa9 \\u00fc\"}",
                                   &web, NULL),
                 AUTH0_OK);
    CHECK_STATUS(auth0_webauth_build_authorize_url(web, NULL, &out), AUTH0_OK);
    url = json_get_string(out, "url");
    CHECK_CONTAINS(url, "&scope=caf%C3%A9%20%C3%BC");
    free(url);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(new_succeeds_with_domain_and_client_id),
             TEST_ENTRY(new_succeeds_with_every_documented_option),
             TEST_ENTRY(new_allows_a_null_error_json_on_success),
             TEST_ENTRY(new_rejects_null_options_json_as_null_parameter),
             TEST_ENTRY(new_rejects_options_json_that_is_not_utf8),
             TEST_ENTRY(new_rejects_options_json_with_invalid_utf8_inside_a_string),
             TEST_ENTRY(new_rejects_options_json_that_is_not_json),
             TEST_ENTRY(new_rejects_an_empty_options_json_string),
             TEST_ENTRY(new_rejects_a_json_array),
             TEST_ENTRY(new_rejects_a_json_string),
             TEST_ENTRY(new_rejects_json_null),
             TEST_ENTRY(new_rejects_missing_domain),
             TEST_ENTRY(new_rejects_missing_client_id),
             TEST_ENTRY(new_rejects_a_domain_that_is_not_a_string),
             TEST_ENTRY(new_rejects_a_client_id_that_is_not_a_string),
             TEST_ENTRY(new_rejects_a_redirect_uri_that_is_not_a_string),
             TEST_ENTRY(new_rejects_a_transaction_store_that_is_not_an_object),
             TEST_ENTRY(new_rejects_a_pkce_flag_that_is_not_a_boolean),
             TEST_ENTRY(new_rejects_a_null_out),
             TEST_ENTRY(new_with_null_out_and_null_error_json_returns_the_status),
             TEST_ENTRY(new_failure_with_null_error_json_returns_the_status_and_nulls_out),
             TEST_ENTRY(new_keeps_no_pointer_to_options_json),
             TEST_ENTRY(new_passes_non_ascii_utf8_options_through))
