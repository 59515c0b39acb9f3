/*
 * Against the dev tenant's Management API v2: auth0_management_new/_free,
 * _get_user, _patch_user_metadata, _link_user and _unlink_user, with the
 * HTTP errors (401, 403, 404, 429 as rate_limited with retryAfter), the
 * `retry` policy (on by default, `retry: false`), a handle's `timeout` over
 * a slow and a dripping answer, an HTML 200 answer, an overlong user id,
 * and an unreachable tenant.
 *
 * Tokens: the test user's (and the second seeded user's) access token for
 * the /api/v2/ audience with the current-user scopes (password-realm).
 *
 * Faults: only on /api/v2/users/..., which no other binary requests (faults
 * are global to the tenant and the binaries run in parallel under
 * valgrind). The second user is linked and unlinked here only.
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

#include <time.h>

#define USER_PATH "/api/v2/users/" DT_USER_ID_PATH

/* {"userId":"<id>"} in `buf`. */
static const char *user_id_options(char *buf, size_t cap, const char *user_id) {
    snprintf(buf, cap, "{\"userId\":\"%s\"}", user_id);
    return buf;
}

/* A Management handle with the test user's token and `extra` options. */
static auth0_management *user_handle(const char *extra) {
    const dt_tenant *t = dt_env();
    char *token = t ? dt_management_token(t->username, t->password) : NULL;
    auth0_management *m = token ? dt_management(token, extra) : NULL;
    free(token);
    return m;
}

/* ---- auth0_management_new / _free --------------------------------------------- */

TEST(management_new_gives_a_handle_and_no_error) {
    const dt_tenant *t = dt_env();
    char options[512];
    auth0_management *m = NULL;
    char *error = &options[0]; /* non-NULL: the library must reset it */
    if (!t) return;
    snprintf(options, sizeof options, "{\"domain\":\"%s\",\"token\":\"x\"}", t->domain);
    CHECK_STATUS(auth0_management_new(options, &m, &error), AUTH0_OK);
    CHECK(m != NULL);
    CHECK(error == NULL);
    auth0_management_free(m);
    auth0_management_free(NULL); /* NULL-safe */
}

/* ---- auth0_management_get_user ----------------------------------------------- */

TEST(get_user_returns_the_users_own_profile) {
    const dt_tenant *t = dt_env();
    auth0_management *m = user_handle(NULL);
    char buf[256];
    char *out = NULL;
    if (!m || !t) goto done;
    CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID), &out),
                 AUTH0_OK);
    CHECK_JSON_STR(out, "user_id", DT_USER_ID);
    CHECK_JSON_STR(out, "email", t->username);
    CHECK(json_has(out, "identities"));
done:
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_with_a_bad_token_is_a_server_error_401) {
    auth0_management *m = dt_management("not-a-valid-token", NULL);
    char buf[256];
    char *out = NULL;
    if (!m) return;
    CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID), &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, NULL, 401);
    CHECK_JSON_STR(out, "description", "Invalid token"); /* the API's message */
    CHECK_NOT_CONTAINS(out, "not-a-valid-token");
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_of_another_user_is_a_server_error_403_with_the_apis_message) {
    auth0_management *m = user_handle(NULL);
    char buf[256];
    char *out = NULL, *description = NULL, *original = NULL, *message = NULL;
    if (!m) return;
    CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_OTHER_ID), &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, NULL, 403);
    description = json_get_string(out, "description");
    original = json_get_raw(out, "original");
    message = json_get_string(original, "message");
    CHECK(message != NULL);
    CHECK_STREQ(description, message);
    free(message);
    free(original);
    free(description);
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_of_an_unknown_user_is_a_server_error_404) {
    const dt_tenant *t = dt_env();
    char claims[512];
    char *token = NULL, *out = NULL;
    auth0_management *m = NULL;
    if (!t) return;
    snprintf(claims, sizeof claims,
             "{\"sub\":\"auth0|c-test-ghost\",\"aud\":\"%s/api/v2/\",\"scope\":\"%s\"}", t->domain,
             DT_MANAGEMENT_SCOPE);
    token = dt_sign(claims);
    m = dt_management(token, NULL);
    if (m) {
        CHECK_STATUS(auth0_management_get_user(m, "{\"userId\":\"auth0|c-test-ghost\"}", &out),
                     AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(out, NULL, 404);
    }
    auth0_string_free(out);
    auth0_management_free(m);
    free(token);
}

/* Seconds since an arbitrary start, for elapsed-time bounds. */
static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

TEST(get_user_rate_limited_for_a_day_fails_at_once_as_rate_limited) {
    auth0_management *m = user_handle(NULL);
    char buf[256];
    char *out = NULL, *again = NULL;
    long retry_after = -1;
    double started;
    if (!m) return;
    if (dt_fault("{\"path\":\"" USER_PATH "\",\"status\":429,\"retry_after\":86400,\"count\":1}")) {
        started = now_seconds();
        CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID),
                                               &out),
                     AUTH0_ERROR_SERVER);
        CHECK(now_seconds() - started < 5.0); /* not slept */
        CHECK_HTTP_ERROR(out, "rate_limited", 429);
        CHECK(json_get_long(out, "retryAfter", &retry_after) && retry_after == 86400);
        /* One request only: the next call is the one that succeeds. */
        CHECK_STATUS(auth0_management_get_user(m, buf, &again), AUTH0_OK);
    }
    auth0_string_free(again);
    auth0_string_free(out);
    auth0_management_free(m);
}

/* The request log is shared by every binary and bounded, so the attempts are
 * counted by the fault: a 503 for one request, then success, is exactly two
 * requests; an error is exactly one (a retry would have succeeded). */
TEST(get_user_answered_503_once_is_retried_and_succeeds_in_two_requests) {
    auth0_management *m = user_handle("\"retry\":{\"baseDelayMs\":10}");
    char buf[256];
    char *out = NULL;
    if (!m) return;
    if (dt_fault("{\"path\":\"" USER_PATH "\",\"status\":503,\"count\":1}")) {
        CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID),
                                               &out),
                     AUTH0_OK);
        CHECK_JSON_STR(out, "user_id", DT_USER_ID);
    }
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_with_retry_false_reports_a_503_after_one_request) {
    auth0_management *m = user_handle("\"retry\":false");
    char buf[256];
    char *out = NULL;
    if (!m) return;
    if (dt_fault("{\"path\":\"" USER_PATH "\",\"status\":503,\"count\":1}")) {
        CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID),
                                               &out),
                     AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(out, NULL, 503);
    }
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_answered_200_with_an_html_page_is_an_invalid_response) {
    auth0_management *m = user_handle(NULL);
    char buf[256];
    char *out = NULL;
    if (!m) return;
    if (dt_fault("{\"path\":\"" USER_PATH "\",\"body\":\"<html><body>Hotel Wi-Fi</body></html>\"}")) {
        CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID),
                                               &out),
                     AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(out, "invalid_response", 200);
        CHECK_NOT_CONTAINS(out, "Hotel");
    }
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_from_a_tenant_that_drips_its_answer_ends_at_the_timeout) {
    /* Headers at once, then a byte every 400 ms: only a deadline over the
     * whole body stops it (the answer would take minutes). */
    auth0_management *m = user_handle("\"timeout\":1000");
    char buf[256];
    char *out = NULL;
    double started;
    if (!m) return;
    if (dt_fault("{\"path\":\"" USER_PATH "\",\"drip_ms\":400,\"count\":1}")) {
        started = now_seconds();
        CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID),
                                               &out),
                     AUTH0_ERROR_TIMEOUT);
        CHECK(now_seconds() - started < 1.0 + 4.0); /* the deadline plus a margin */
        CHECK_ERROR_JSON(out, "timeout");
    }
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_with_a_10_mb_user_id_is_an_invalid_argument_naming_it) {
    auth0_management *m = user_handle(NULL);
    const size_t id_len = 10u * 1024u * 1024u;
    char *options = malloc(id_len + 32);
    char *out = NULL;
    if (!m || !options) goto done;
    memcpy(options, "{\"userId\":\"", 11);
    memset(options + 11, 'a', id_len);
    memcpy(options + 11 + id_len, "\"}", 3);
    CHECK_STATUS(auth0_management_get_user(m, options, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "userId parameter is not valid");
done:
    free(options);
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_with_the_retry_option_waits_out_a_429) {
    auth0_management *m = user_handle("\"retry\":{\"maxAttempts\":3,\"maxDelayMs\":2000}");
    char buf[256];
    char *out = NULL;
    if (!m) return;
    if (dt_fault("{\"path\":\"" USER_PATH "\",\"status\":429,\"retry_after\":1,\"count\":1}")) {
        CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID),
                                               &out),
                     AUTH0_OK);
        CHECK_JSON_STR(out, "user_id", DT_USER_ID);
    }
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_on_a_handle_with_a_300_ms_timeout_and_a_slow_tenant_is_a_timeout) {
    auth0_management *m = user_handle("\"timeout\":300");
    char buf[256];
    char *out = NULL;
    if (!m) return;
    if (dt_fault("{\"path\":\"" USER_PATH "\",\"latency_ms\":3000,\"count\":1}")) {
        CHECK_STATUS(auth0_management_get_user(m, user_id_options(buf, sizeof buf, DT_USER_ID),
                                               &out),
                     AUTH0_ERROR_TIMEOUT);
        CHECK_ERROR_JSON(out, "timeout");
    }
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(get_user_on_a_closed_loopback_port_is_a_network_error) {
    int port = dt_closed_port();
    char options[512];
    auth0_management *m = NULL;
    char *out = NULL;
    CHECK(port != 0);
    if (!port) return;
    snprintf(options, sizeof options, "{\"domain\":\"http://127.0.0.1:%d\",\"token\":\"t\"}", port);
    if (!CHECK_STATUS(auth0_management_new(options, &m, NULL), AUTH0_OK)) return;
    CHECK_STATUS(auth0_management_get_user(m, "{\"userId\":\"auth0|1\"}", &out),
                 AUTH0_ERROR_NETWORK);
    CHECK_ERROR_JSON(out, "network_error");
    auth0_string_free(out);
    auth0_management_free(m);
}

/* ---- auth0_management_patch_user_metadata ------------------------------------ */

TEST(patch_user_metadata_merges_keys_and_returns_the_updated_user) {
    auth0_management *m = user_handle(NULL);
    char key[64], options[512];
    char *first = NULL, *second = NULL, *metadata = NULL, *value = NULL;
    if (!m) return;
    snprintf(key, sizeof key, "cTest%ld", (long)getpid());
    snprintf(options, sizeof options,
             "{\"userId\":\"" DT_USER_ID "\",\"userMetadata\":{\"%s\":\"blue\"}}", key);
    CHECK_STATUS(auth0_management_patch_user_metadata(m, options, &first), AUTH0_OK);
    CHECK_JSON_STR(first, "user_id", DT_USER_ID);
    metadata = json_get_raw(first, "user_metadata");
    value = json_get_string(metadata, key);
    CHECK_STREQ(value, "blue");
    free(value);
    free(metadata);
    /* null removes the key again */
    snprintf(options, sizeof options, "{\"userId\":\"" DT_USER_ID "\",\"userMetadata\":{\"%s\":null}}",
             key);
    CHECK_STATUS(auth0_management_patch_user_metadata(m, options, &second), AUTH0_OK);
    metadata = json_get_raw(second, "user_metadata");
    CHECK(metadata != NULL && !json_has(metadata, key));
    free(metadata);
    auth0_string_free(second);
    auth0_string_free(first);
    auth0_management_free(m);
}

TEST(patch_user_metadata_of_another_user_is_a_server_error_403) {
    auth0_management *m = user_handle(NULL);
    char *out = NULL;
    if (!m) return;
    CHECK_STATUS(auth0_management_patch_user_metadata(
                     m, "{\"userId\":\"" DT_OTHER_ID "\",\"userMetadata\":{\"a\":1}}", &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, NULL, 403);
    auth0_string_free(out);
    auth0_management_free(m);
}

/* ---- auth0_management_link_user / _unlink_user -------------------------------- */

/* Links the second seeded user into the test user; returns the identities
 * array (auth0_string_free) or NULL. */
static char *link_other_user(const auth0_management *m, auth0_status *status) {
    char *other = dt_management_token(DT_OTHER_EMAIL, DT_OTHER_PASSWORD);
    char *quoted = other ? json_quote(other) : NULL;
    char *options, *out = NULL;
    size_t cap;
    *status = AUTH0_ERROR_INTERNAL;
    if (!quoted) {
        free(other);
        return NULL;
    }
    cap = strlen(quoted) + 128;
    options = (char *)malloc(cap);
    if (options) {
        snprintf(options, cap, "{\"userId\":\"" DT_USER_ID "\",\"secondaryUserToken\":%s}",
                 quoted);
        *status = auth0_management_link_user(m, options, &out);
    }
    free(options);
    free(quoted);
    free(other);
    return out;
}

#define UNLINK_OTHER                                                           \
    "{\"userId\":\"" DT_USER_ID "\",\"provider\":\"auth0\","                  \
    "\"identityUserId\":\"6f0000000000000000000002\"}"

/* The identity of the array `identities` whose user_id is `id`, or NULL. */
static char *find_identity(const char *identities, const char *id) {
    long i, n = json_array_length(identities);
    for (i = 0; i < n; i++) {
        char *item = json_array_item(identities, (size_t)i);
        char *uid = json_get_string(item, "user_id");
        int match = uid != NULL && strcmp(uid, id) == 0;
        free(uid);
        if (match) return item;
        free(item);
    }
    return NULL;
}

TEST(link_user_links_the_second_user_and_returns_both_identities) {
    auth0_management *m = user_handle(NULL);
    auth0_status status;
    char *out = NULL, *unlinked = NULL, *identity;
    if (!m) return;
    out = link_other_user(m, &status);
    if (CHECK_STATUS(status, AUTH0_OK)) {
        CHECK(json_array_length(out) == 2);
        identity = find_identity(out, "6f0000000000000000000002");
        CHECK(identity != NULL);
        CHECK_JSON_STR(identity, "provider", "auth0");
        free(identity);
        /* Leave the tenant as it was for the next run. */
        CHECK_STATUS(auth0_management_unlink_user(m, UNLINK_OTHER, &unlinked), AUTH0_OK);
    } else {
        h_fail_at(__FILE__, __LINE__, "link_user: %s", out ? out : "(NULL)");
    }
    auth0_string_free(unlinked);
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(unlink_user_returns_the_remaining_identity_and_frees_the_second_user) {
    auth0_management *m = user_handle(NULL);
    auth0_status status;
    char *linked = NULL, *out = NULL, *identity, *token;
    if (!m) return;
    linked = link_other_user(m, &status);
    if (CHECK_STATUS(status, AUTH0_OK)) {
        CHECK_STATUS(auth0_management_unlink_user(m, UNLINK_OTHER, &out), AUTH0_OK);
        CHECK(json_array_length(out) == 1);
        identity = find_identity(out, "6f0000000000000000000001");
        CHECK(identity != NULL);
        free(identity);
        /* The second user is a user of its own again: it can log in. */
        token = dt_management_token(DT_OTHER_EMAIL, DT_OTHER_PASSWORD);
        CHECK(token != NULL);
        free(token);
    }
    auth0_string_free(out);
    auth0_string_free(linked);
    auth0_management_free(m);
}

TEST(link_user_with_an_invalid_secondary_token_is_a_server_error_400) {
    auth0_management *m = user_handle(NULL);
    char *out = NULL;
    if (!m) return;
    CHECK_STATUS(auth0_management_link_user(
                     m, "{\"userId\":\"" DT_USER_ID "\",\"secondaryUserToken\":\"forged\"}", &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, NULL, 400);
    CHECK_NOT_CONTAINS(out, "forged");
    auth0_string_free(out);
    auth0_management_free(m);
}

TEST(unlink_user_of_an_identity_that_is_not_linked_is_a_server_error_400) {
    auth0_management *m = user_handle(NULL);
    char *out = NULL;
    if (!m) return;
    CHECK_STATUS(auth0_management_unlink_user(m,
                                              "{\"userId\":\"" DT_USER_ID "\",\"provider\":"
                                              "\"auth0\",\"identityUserId\":\"not-linked\"}",
                                              &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, NULL, 400);
    auth0_string_free(out);
    auth0_management_free(m);
}

HARNESS_MAIN(TEST_ENTRY(management_new_gives_a_handle_and_no_error),
             TEST_ENTRY(get_user_returns_the_users_own_profile),
             TEST_ENTRY(get_user_with_a_bad_token_is_a_server_error_401),
             TEST_ENTRY(get_user_of_another_user_is_a_server_error_403_with_the_apis_message),
             TEST_ENTRY(get_user_of_an_unknown_user_is_a_server_error_404),
             TEST_ENTRY(get_user_rate_limited_for_a_day_fails_at_once_as_rate_limited),
             TEST_ENTRY(get_user_answered_503_once_is_retried_and_succeeds_in_two_requests),
             TEST_ENTRY(get_user_with_retry_false_reports_a_503_after_one_request),
             TEST_ENTRY(get_user_answered_200_with_an_html_page_is_an_invalid_response),
             TEST_ENTRY(get_user_from_a_tenant_that_drips_its_answer_ends_at_the_timeout),
             TEST_ENTRY(get_user_with_a_10_mb_user_id_is_an_invalid_argument_naming_it),
             TEST_ENTRY(get_user_with_the_retry_option_waits_out_a_429),
             TEST_ENTRY(get_user_on_a_handle_with_a_300_ms_timeout_and_a_slow_tenant_is_a_timeout),
             TEST_ENTRY(get_user_on_a_closed_loopback_port_is_a_network_error),
             TEST_ENTRY(patch_user_metadata_merges_keys_and_returns_the_updated_user),
             TEST_ENTRY(patch_user_metadata_of_another_user_is_a_server_error_403),
             TEST_ENTRY(link_user_links_the_second_user_and_returns_both_identities),
             TEST_ENTRY(unlink_user_returns_the_remaining_identity_and_frees_the_second_user),
             TEST_ENTRY(link_user_with_an_invalid_secondary_token_is_a_server_error_400),
             TEST_ENTRY(unlink_user_of_an_identity_that_is_not_linked_is_a_server_error_400))
