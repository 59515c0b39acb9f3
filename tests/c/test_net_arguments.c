/*
 * The argument contract of every network function of the C API, table
 * driven: a NULL handle, a NULL out_json, options_json that is not JSON,
 * not UTF-8 or not an object, and missing required options are all
 * AUTH0_ERROR_INVALID_ARGUMENT, with an error JSON naming the parameter,
 * and nothing is sent. Plus auth0_management_new's own argument errors.
 *
 * The handles point at a closed loopback port: an argument error that
 * reached the network would show as AUTH0_ERROR_NETWORK instead. No dev
 * tenant is needed.
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

typedef auth0_status (*webauth_op)(const auth0_webauth *, const char *, char **);
typedef auth0_status (*management_op)(const auth0_management *, const char *, char **);

typedef struct {
    const char *name;
    webauth_op web_fn;       /* one of the two is set */
    management_op mgmt_fn;
    const char *missing;     /* description for `{}`, or NULL when `{}` is valid */
} op_case;

#define WEB(op, missing) {#op, auth0_webauth_##op, NULL, missing}
#define MGMT(op, missing) {#op, NULL, auth0_management_##op, missing}

static const op_case OPS[] = {
    WEB(login, "username option is required"),
    WEB(user_info, "accessToken parameter is not valid"),
    WEB(parse_hash, "hash option is required"),
    WEB(validate_id_token, "idToken option is required"),
    WEB(signup, "connection option is required"),
    WEB(change_password, "connection option is required"),
    WEB(passwordless_start, "connection option is required"),
    WEB(passwordless_verify, "connection option is required"),
    WEB(passwordless_login, "connection option is required"),
    WEB(login_with_credentials, "username option is required"),
    WEB(cross_origin_login, "username option is required"),
    WEB(renew_auth, NULL),
    MGMT(get_user, "userId parameter is not valid"),
    MGMT(patch_user_metadata, "userMetadata parameter is not valid"),
    MGMT(link_user, "secondaryUserToken parameter is not valid"),
    MGMT(unlink_user, "provider parameter is not valid"),
};
#define OP_COUNT (sizeof OPS / sizeof OPS[0])

static int closed_port;
static auth0_webauth *web;
static auth0_management *mgmt;

/* Makes the two handles on the closed port. */
static int make_handles(void) {
    char options[256];
    closed_port = dt_closed_port();
    if (closed_port == 0) return 0;
    snprintf(options, sizeof options,
             "{\"domain\":\"http://127.0.0.1:%d\",\"clientID\":\"abc123\","
             "\"redirectUri\":\"http://127.0.0.1:7777/callback\"}",
             closed_port);
    if (auth0_webauth_new(options, &web, NULL) != AUTH0_OK) return 0;
    snprintf(options, sizeof options, "{\"domain\":\"http://127.0.0.1:%d\",\"token\":\"t\"}",
             closed_port);
    return auth0_management_new(options, &mgmt, NULL) == AUTH0_OK;
}

/* Calls the operation; a NULL `use_handle` passes a NULL handle. */
static auth0_status call(const op_case *op, int use_handle, const char *options, char **out) {
    if (op->web_fn) return op->web_fn(use_handle ? web : NULL, options, out);
    return op->mgmt_fn(use_handle ? mgmt : NULL, options, out);
}

static char sentinel_;
#define SENTINEL_STR (&sentinel_)

/* Expects INVALID_ARGUMENT with `code` and a description containing
 * `names` (or equal to `exact`). */
static void expect_invalid(const op_case *op, int use_handle, const char *options,
                           const char *code, const char *names, const char *exact) {
    char *out = SENTINEL_STR, *description;
    CHECK_STATUS(call(op, use_handle, options, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(out != SENTINEL_STR);
    if (out == SENTINEL_STR) return;
    CHECK_ERROR_JSON(out, code);
    CHECK(!json_has(out, "statusCode"));
    description = json_get_string(out, "description");
    if (names) CHECK_CONTAINS(description, names);
    if (exact) CHECK_STREQ(description, exact);
    free(description);
    auth0_string_free(out);
}

/* ---- the cases, each run for every operation --------------------------------- */

static void rejects_a_null_handle(const op_case *op) {
    expect_invalid(op, 0, "{}", "null_parameter", op->web_fn ? "webauth" : "management", NULL);
}

static void rejects_a_null_handle_with_null_options(const op_case *op) {
    expect_invalid(op, 0, NULL, "null_parameter", op->web_fn ? "webauth" : "management", NULL);
}

static void rejects_a_null_out_json(const op_case *op) {
    CHECK_STATUS(call(op, 1, "{}", NULL), AUTH0_ERROR_INVALID_ARGUMENT);
}

static void rejects_all_null(const op_case *op) {
    CHECK_STATUS(call(op, 0, NULL, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
}

static void rejects_options_that_are_not_json(const op_case *op) {
    expect_invalid(op, 1, "{\"userId\":", "invalid_json", "options_json", NULL);
}

static void does_not_echo_options_that_are_not_json(const op_case *op) {
    char *out = NULL;
    CHECK_STATUS(call(op, 1, "{\"password\":\"S3cret-Echo-Check\",", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(out != NULL);
    CHECK_NOT_CONTAINS(out, "S3cret-Echo-Check");
    auth0_string_free(out);
}

static void rejects_options_that_are_not_utf8(const op_case *op) {
    expect_invalid(op, 1, "{\"a\":\"\xff\xfe\"}", "invalid_utf8", "options_json", NULL);
}

static void rejects_options_that_are_not_an_object(const op_case *op) {
    expect_invalid(op, 1, "[]", "invalid_argument", "options", NULL);
    expect_invalid(op, 1, "42", "invalid_argument", "options", NULL);
}

static void rejects_empty_options_naming_the_missing_one(const op_case *op) {
    expect_invalid(op, 1, "{}", "invalid_argument", NULL, op->missing);
}

static void treats_null_options_as_empty(const op_case *op) {
    expect_invalid(op, 1, NULL, "invalid_argument", NULL, op->missing);
}

/* renew_auth takes `{}`: it tries, and the closed port says so. */
static void sends_with_empty_options(const op_case *op) {
    char *out = NULL;
    CHECK_STATUS(call(op, 1, NULL, &out), AUTH0_ERROR_NETWORK);
    CHECK_ERROR_JSON(out, "network_error");
    auth0_string_free(out);
}

typedef struct {
    const char *what;
    void (*fn)(const op_case *);
    int needs_missing; /* 1: only when `{}` is invalid; -1: only when valid */
} behaviour;

static const behaviour BEHAVIOURS[] = {
    {"rejects a NULL handle (null_parameter)", rejects_a_null_handle, 0},
    {"rejects a NULL handle with NULL options", rejects_a_null_handle_with_null_options, 0},
    {"rejects a NULL out_json", rejects_a_null_out_json, 0},
    {"rejects NULL handle, options and out_json", rejects_all_null, 0},
    {"rejects options_json that is not JSON (invalid_json)", rejects_options_that_are_not_json, 0},
    {"does not echo options_json that is not JSON", does_not_echo_options_that_are_not_json, 0},
    {"rejects options_json that is not UTF-8 (invalid_utf8)", rejects_options_that_are_not_utf8, 0},
    {"rejects options that are not an object", rejects_options_that_are_not_an_object, 0},
    {"rejects {} naming the missing option", rejects_empty_options_naming_the_missing_one, 1},
    {"treats NULL options_json as {}", treats_null_options_as_empty, 1},
    {"sends with NULL options_json (= {})", sends_with_empty_options, -1},
};
#define BEHAVIOUR_COUNT (sizeof BEHAVIOURS / sizeof BEHAVIOURS[0])

/* ---- auth0_management_new ----------------------------------------------------- */

static void management_new_refuses(const char *options, const char *code, const char *names,
                                   const char *exact) {
    auth0_management *m = (auth0_management *)(void *)&sentinel_;
    char *error = NULL, *description;
    CHECK_STATUS(auth0_management_new(options, &m, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(m == NULL);
    CHECK_ERROR_JSON(error, code);
    description = json_get_string(error, "description");
    if (names) CHECK_CONTAINS(description, names);
    if (exact) CHECK_STREQ(description, exact);
    free(description);
    auth0_string_free(error);
}

TEST(management_new_rejects_null_options_json) {
    management_new_refuses(NULL, "null_parameter", "options_json", NULL);
}

TEST(management_new_rejects_options_json_that_is_not_json) {
    management_new_refuses("{\"domain\":", "invalid_json", "options_json", NULL);
}

TEST(management_new_rejects_options_json_that_is_not_utf8) {
    management_new_refuses("{\"domain\":\"\xc3\"}", "invalid_utf8", "options_json", NULL);
}

TEST(management_new_rejects_options_that_are_not_an_object) {
    management_new_refuses("[]", "invalid_argument", "options", NULL);
}

TEST(management_new_rejects_a_missing_domain) {
    management_new_refuses("{\"token\":\"t\"}", "invalid_argument", NULL,
                           "domain option is required");
}

TEST(management_new_rejects_a_missing_token) {
    management_new_refuses("{\"domain\":\"me.auth0.com\"}", "invalid_argument", NULL,
                           "token option is required");
}

TEST(management_new_rejects_an_empty_token) {
    management_new_refuses("{\"domain\":\"me.auth0.com\",\"token\":\"\"}", "invalid_argument",
                           NULL, "token option is required");
}

TEST(management_new_rejects_a_null_out_and_says_so) {
    char *error = NULL, *description;
    CHECK_STATUS(auth0_management_new("{\"domain\":\"me.auth0.com\",\"token\":\"t\"}", NULL,
                                      &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(error, "null_parameter");
    description = json_get_string(error, "description");
    CHECK_CONTAINS(description, "out");
    free(description);
    auth0_string_free(error);
}

TEST(management_new_allows_a_null_error_json_on_failure) {
    auth0_management *m = (auth0_management *)(void *)&sentinel_;
    CHECK_STATUS(auth0_management_new("{}", &m, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(m == NULL);
}

TEST(management_new_rejects_a_transport_option_of_the_wrong_type) {
    management_new_refuses("{\"domain\":\"me.auth0.com\",\"token\":\"t\",\"timeout\":\"soon\"}",
                           "invalid_argument", "timeout", NULL);
}

TEST(management_free_of_null_is_a_no_op) {
    auth0_management_free(NULL);
    CHECK(1);
}

static const h_test MANAGEMENT_NEW_TESTS[] = {
    TEST_ENTRY(management_new_rejects_null_options_json),
    TEST_ENTRY(management_new_rejects_options_json_that_is_not_json),
    TEST_ENTRY(management_new_rejects_options_json_that_is_not_utf8),
    TEST_ENTRY(management_new_rejects_options_that_are_not_an_object),
    TEST_ENTRY(management_new_rejects_a_missing_domain),
    TEST_ENTRY(management_new_rejects_a_missing_token),
    TEST_ENTRY(management_new_rejects_an_empty_token),
    TEST_ENTRY(management_new_rejects_a_null_out_and_says_so),
    TEST_ENTRY(management_new_allows_a_null_error_json_on_failure),
    TEST_ENTRY(management_new_rejects_a_transport_option_of_the_wrong_type),
    TEST_ENTRY(management_free_of_null_is_a_no_op),
};

int main(int argc, char **argv) {
    char name[256];
    size_t i, j;
    int ready;
    h_init(argc, argv);
    ready = make_handles();
    for (i = 0; i < OP_COUNT; i++) {
        for (j = 0; j < BEHAVIOUR_COUNT; j++) {
            const behaviour *b = &BEHAVIOURS[j];
            if (b->needs_missing == 1 && OPS[i].missing == NULL) continue;
            if (b->needs_missing == -1 && OPS[i].missing != NULL) continue;
            snprintf(name, sizeof name, "%s_%s: %s", OPS[i].web_fn ? "auth0_webauth" :
                     "auth0_management", OPS[i].name, b->what);
            if (!h_selected(argc, argv, name)) continue;
            h_begin(name);
            if (ready) b->fn(&OPS[i]);
            else h_fail_at(__FILE__, __LINE__, "the handles on a closed port were not made");
            h_end();
        }
    }
    for (i = 0; i < sizeof MANAGEMENT_NEW_TESTS / sizeof MANAGEMENT_NEW_TESTS[0]; i++) {
        if (!h_selected(argc, argv, MANAGEMENT_NEW_TESTS[i].name)) continue;
        h_begin(MANAGEMENT_NEW_TESTS[i].name);
        MANAGEMENT_NEW_TESTS[i].fn();
        h_end();
    }
    auth0_management_free(mgmt);
    auth0_webauth_free(web);
    return h_finish();
}
