/*
 * The argument contract every auth0_webauth_<op> shares:
 *
 *   auth0_status auth0_webauth_<op>(const auth0_webauth *webauth,
 *                                   const char *options_json, char **out_json);
 *
 * A NULL handle, NULL out_json, or options that are not UTF-8 / JSON / an
 * object are AUTH0_ERROR_INVALID_ARGUMENT; NULL options_json means `{}`.
 * On every status but a NULL out_json, *out_json is a JSON object (result
 * or error) that the caller releases with auth0_string_free.
 *
 * The same checks run for each operation: OP_TESTS(op) defines them.
 */
#include "harness.h"

typedef auth0_status (*op_fn)(const auth0_webauth *, const char *, char **);

static char sentinel_;
#define SENTINEL_STR (&sentinel_)

static auth0_webauth *new_handle(void) {
    auth0_webauth *web = NULL;
    CHECK_STATUS(auth0_webauth_new("{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\","
                                   "\"redirectUri\":\"http://127.0.0.1:8080/callback\"}",
                                   &web, NULL),
                 AUTH0_OK);
    return web;
}

/* Calls `op` and expects INVALID_ARGUMENT with an error JSON whose `code`
 * is `code` and whose description contains `names`. */
static void expect_invalid(op_fn op, const auth0_webauth *web, const char *options_json,
                           const char *code, const char *names) {
    char *out = SENTINEL_STR;
    char *description;
    CHECK_STATUS(op(web, options_json, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(out != SENTINEL_STR);
    if (out == SENTINEL_STR) return;
    CHECK_ERROR_JSON(out, code);
    CHECK(!json_has(out, "url"));
    description = json_get_string(out, "description");
    CHECK_CONTAINS(description, names);
    free(description);
    auth0_string_free(out);
}

static void rejects_a_null_handle(op_fn op) {
    expect_invalid(op, NULL, "{}", "null_parameter", "webauth");
}

static void rejects_a_null_handle_even_with_null_options(op_fn op) {
    expect_invalid(op, NULL, NULL, "null_parameter", "webauth");
}

static void treats_null_options_json_as_an_empty_object(op_fn op) {
    auth0_webauth *web = new_handle();
    char *out = SENTINEL_STR;
    char *url;
    if (!web) return;
    CHECK_STATUS(op(web, NULL, &out), AUTH0_OK);
    CHECK(out != SENTINEL_STR && json_is_object(out));
    if (out == SENTINEL_STR) out = NULL;
    url = json_get_string(out, "url");
    CHECK_CONTAINS(url, "https://me.auth0.com/");
    CHECK_CONTAINS(url, "client_id=abc123");
    CHECK(!json_has(out, "code"));
    free(url);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

static void rejects_a_null_out_json(op_fn op) {
    auth0_webauth *web = new_handle();
    if (!web) return;
    CHECK_STATUS(op(web, "{}", NULL), AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_webauth_free(web);
}

static void rejects_a_null_handle_and_null_out_json(op_fn op) {
    CHECK_STATUS(op(NULL, NULL, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
}

static void rejects_options_json_that_is_not_json(op_fn op) {
    auth0_webauth *web = new_handle();
    if (!web) return;
    expect_invalid(op, web, "{\"state\":", "invalid_json", "options_json");
    auth0_webauth_free(web);
}

static void rejects_options_json_that_is_not_utf8(op_fn op) {
    auth0_webauth *web = new_handle();
    if (!web) return;
    expect_invalid(op, web, "\xff\xfe", "invalid_utf8", "options_json");
    auth0_webauth_free(web);
}

static void rejects_options_that_are_not_an_object(op_fn op) {
    auth0_webauth *web = new_handle();
    if (!web) return;
    expect_invalid(op, web, "[]", "invalid_argument", "options");
    expect_invalid(op, web, "\"x\"", "invalid_argument", "options");
    auth0_webauth_free(web);
}

static void returns_an_object_with_the_url_on_success(op_fn op) {
    auth0_webauth *web = new_handle();
    char *out = SENTINEL_STR;
    char *url;
    if (!web) return;
    CHECK_STATUS(op(web, "{}", &out), AUTH0_OK);
    if (out == SENTINEL_STR) {
        CHECK(out != SENTINEL_STR);
        auth0_webauth_free(web);
        return;
    }
    CHECK(json_is_object(out));
    url = json_get_string(out, "url");
    CHECK(url != NULL && strncmp(url, "https://me.auth0.com/", 21) == 0);
    free(url);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

static void leaves_the_handle_usable_after_an_error(op_fn op) {
    auth0_webauth *web = new_handle();
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(op(web, "not json", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_string_free(out);
    out = NULL;
    CHECK_STATUS(op(web, "{}", &out), AUTH0_OK);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

#define OP_TESTS(op)                                                                           \
    TEST(op##_rejects_a_null_handle) { rejects_a_null_handle(auth0_webauth_##op); }            \
    TEST(op##_rejects_a_null_handle_even_with_null_options) {                                  \
        rejects_a_null_handle_even_with_null_options(auth0_webauth_##op);                      \
    }                                                                                          \
    TEST(op##_treats_null_options_json_as_an_empty_object) {                                   \
        treats_null_options_json_as_an_empty_object(auth0_webauth_##op);                       \
    }                                                                                          \
    TEST(op##_rejects_a_null_out_json) { rejects_a_null_out_json(auth0_webauth_##op); }        \
    TEST(op##_rejects_a_null_handle_and_null_out_json) {                                       \
        rejects_a_null_handle_and_null_out_json(auth0_webauth_##op);                           \
    }                                                                                          \
    TEST(op##_rejects_options_json_that_is_not_json) {                                         \
        rejects_options_json_that_is_not_json(auth0_webauth_##op);                             \
    }                                                                                          \
    TEST(op##_rejects_options_json_that_is_not_utf8) {                                         \
        rejects_options_json_that_is_not_utf8(auth0_webauth_##op);                             \
    }                                                                                          \
    TEST(op##_rejects_options_that_are_not_an_object) {                                        \
        rejects_options_that_are_not_an_object(auth0_webauth_##op);                            \
    }                                                                                          \
    TEST(op##_returns_an_object_with_the_url_on_success) {                                     \
        returns_an_object_with_the_url_on_success(auth0_webauth_##op);                         \
    }                                                                                          \
    TEST(op##_leaves_the_handle_usable_after_an_error) {                                       \
        leaves_the_handle_usable_after_an_error(auth0_webauth_##op);                           \
    }

#define OP_ENTRIES(op)                                                                         \
    TEST_ENTRY(op##_rejects_a_null_handle),                                                    \
        TEST_ENTRY(op##_rejects_a_null_handle_even_with_null_options),                         \
        TEST_ENTRY(op##_treats_null_options_json_as_an_empty_object),                          \
        TEST_ENTRY(op##_rejects_a_null_out_json),                                              \
        TEST_ENTRY(op##_rejects_a_null_handle_and_null_out_json),                              \
        TEST_ENTRY(op##_rejects_options_json_that_is_not_json),                                \
        TEST_ENTRY(op##_rejects_options_json_that_is_not_utf8),                                \
        TEST_ENTRY(op##_rejects_options_that_are_not_an_object),                               \
        TEST_ENTRY(op##_returns_an_object_with_the_url_on_success),                            \
        TEST_ENTRY(op##_leaves_the_handle_usable_after_an_error)

OP_TESTS(build_authorize_url)
OP_TESTS(authorize)
OP_TESTS(logout)

HARNESS_MAIN(OP_ENTRIES(build_authorize_url), OP_ENTRIES(authorize), OP_ENTRIES(logout))
