/*
 * Against the dev tenant: the credentials manager (auth0_credentials_*)
 * over memory — saving, renewal, eight threads sharing one renewal, tasks —
 * and the plain refresh-token operations (auth0_webauth_refresh_token,
 * auth0_webauth_revoke_token). The file and host stores and the bad
 * arguments: test_net_credentials_storage.c.
 *
 * Expiry: an authResult is saved with "expiresIn":0, so the stored access
 * token is expired at once and the next auth0_credentials_get renews it.
 * The tenant's own access_token_lifetime_secs is left alone: it is global,
 * and run.sh runs the binaries in parallel under valgrind.
 *
 * Every test logs in for a refresh-token family of its own. The thread test
 * reads /__dev/stats before and after; no other C binary presents a rotated
 * refresh token, so the reuse counters must not move.
 *
 * Faults: none.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>

#include "credentials.h"

#define THREADS 8

static long stat_of(const char *key) {
    char *stats = dt_get("/__dev/stats");
    long n = -1;
    if (!json_get_long(stats, key, &n)) h_fail_at(__FILE__, __LINE__, "no %s in %s", key, stats);
    free(stats);
    return n;
}

/* ---- memory: save, get, has_valid, user, clear ------------------------------- */

TEST(saved_credentials_come_back_without_renewal_while_valid) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = dt_login(web, OFFLINE);
    char *access = dt_result_string(result, "accessToken");
    char *refresh = dt_result_string(result, "refreshToken");
    char *out = NULL, *got_access = NULL, *got_refresh = NULL;
    long expires_at = 0, expires_in = 0;
    if (c && result && save_ok(c, result)) {
        out = get_ok(c, NULL);
        got_access = json_get_string(out, "accessToken");
        got_refresh = json_get_string(out, "refreshToken");
        CHECK_STREQ(got_access, access);
        CHECK_STREQ(got_refresh, refresh);
        CHECK_JSON_STR(out, "tokenType", "Bearer");
        CHECK(json_get_long(out, "expiresAt", &expires_at) && expires_at > (long)time(NULL));
        CHECK(json_get_long(out, "expiresIn", &expires_in) && expires_in > 0);
        CHECK(json_has(out, "idTokenPayload"));
    }
    free(access);
    free(refresh);
    free(got_access);
    free(got_refresh);
    auth0_string_free(out);
    auth0_string_free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

/* One task of `operation` on `c`, waited for: its status, its JSON in *out. */
static auth0_status run_task(const auth0_credentials *c, const char *operation,
                             const char *options, char **out) {
    auth0_task *task = NULL;
    char *error = NULL;
    auth0_status s = auth0_credentials_start(c, operation, options, NULL, &task, &error);
    if (s != AUTH0_OK) {
        *out = error;
        return s;
    }
    s = auth0_task_wait(task, -1, out);
    auth0_task_free(task);
    return s;
}

TEST(the_manager_runs_as_tasks_too) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = dt_login(web, OFFLINE);
    char *access = dt_result_string(result, "accessToken");
    char *out = NULL, *got = NULL;
    if (c && result) {
        CHECK_STATUS(run_task(c, "credentials", NULL, &out), AUTH0_ERROR_CREDENTIALS);
        CHECK_CONTAINS(out, "no_credentials");
        auth0_string_free(out);
        CHECK_STATUS(run_task(c, "save", result, &out), AUTH0_OK);
        CHECK_STREQ(out, "{}");
        auth0_string_free(out);
        CHECK_STATUS(run_task(c, "hasValidCredentials", "{\"minTtl\":60}", &out), AUTH0_OK);
        CHECK_STREQ(out, "{\"valid\":true}");
        auth0_string_free(out);
        CHECK_STATUS(run_task(c, "credentials", NULL, &out), AUTH0_OK);
        got = json_get_string(out, "accessToken");
        CHECK_STREQ(got, access);
        auth0_string_free(out);
        CHECK_STATUS(run_task(c, "user", NULL, &out), AUTH0_OK);
        CHECK_CONTAINS(out, "\"sub\"");
        auth0_string_free(out);
        CHECK_STATUS(run_task(c, "clear", "{\"revoke\":false}", &out), AUTH0_OK);
        auth0_string_free(out);
        CHECK_STATUS(run_task(c, "user", NULL, &out), AUTH0_OK);
        CHECK_STREQ(out, "null");
        auth0_string_free(out);
        CHECK_STATUS(run_task(c, "renew", NULL, &out), AUTH0_ERROR_INVALID_ARGUMENT);
        CHECK_CONTAINS(out, "renew");
        auth0_string_free(out);
    }
    free(access);
    free(got);
    auth0_string_free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

TEST(has_valid_user_and_clear_follow_what_is_stored) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = dt_login(web, OFFLINE);
    char *user = NULL, *email = NULL, *sub = NULL, *out = NULL, *error = NULL;
    int valid = -1;
    if (c == NULL || result == NULL) goto done;
    /* Nothing stored yet. */
    CHECK_STATUS(auth0_credentials_has_valid(c, 0, &valid, &error), AUTH0_OK);
    CHECK(valid == 0);
    CHECK(error == NULL);
    CHECK_STATUS(auth0_credentials_user(c, &user), AUTH0_OK);
    CHECK_STREQ(user, "null");
    auth0_string_free(user);
    user = NULL;
    CHECK_STATUS(auth0_credentials_get(c, NULL, &out), AUTH0_ERROR_CREDENTIALS);
    CHECK_ERROR_JSON(out, "no_credentials");
    CHECK_CONTAINS(out, "\"retryable\":false");
    auth0_string_free(out);
    out = NULL;

    if (!save_ok(c, result)) goto done;
    CHECK_STATUS(auth0_credentials_has_valid(c, 60, &valid, NULL), AUTH0_OK);
    CHECK(valid == 1);
    CHECK_STATUS(auth0_credentials_user(c, &user), AUTH0_OK);
    email = json_get_string(user, "email");
    sub = json_get_string(user, "sub");
    if (t) CHECK_STREQ(email, t->username);
    CHECK_STREQ(sub, DT_USER_ID);

    CHECK_STATUS(auth0_credentials_clear(c, NULL, &error), AUTH0_OK);
    CHECK(error == NULL);
    auth0_string_free(error);
    error = NULL;
    CHECK_STATUS(auth0_credentials_has_valid(c, 0, &valid, NULL), AUTH0_OK);
    CHECK(valid == 0);
    CHECK_STATUS(auth0_credentials_get(c, NULL, &out), AUTH0_ERROR_CREDENTIALS);
    CHECK_ERROR_JSON(out, "no_credentials");
    /* Clearing nothing succeeds. */
    CHECK_STATUS(auth0_credentials_clear(c, "{\"revoke\":true}", NULL), AUTH0_OK);
done:
    free(email);
    free(sub);
    auth0_string_free(user);
    auth0_string_free(out);
    auth0_string_free(error);
    auth0_string_free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

TEST(clear_revokes_the_refresh_token_at_the_tenant) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = dt_login(web, OFFLINE);
    char *refresh = dt_result_string(result, "refreshToken");
    char *quoted = refresh ? json_quote(refresh) : NULL;
    char options[1024], *out = NULL;
    if (c && quoted && save_ok(c, result)) {
        CHECK_STATUS(auth0_credentials_clear(c, "{\"revoke\":true}", NULL), AUTH0_OK);
        snprintf(options, sizeof options, "{\"refreshToken\":%s}", quoted);
        CHECK_STATUS(auth0_webauth_refresh_token(web, options, &out), AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(out, "invalid_grant", 403);
        CHECK_NOT_CONTAINS(out, refresh);
    }
    free(refresh);
    free(quoted);
    auth0_string_free(out);
    auth0_string_free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

TEST(clear_without_revoke_keeps_the_refresh_token_working) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = dt_login(web, OFFLINE);
    char *refresh = dt_result_string(result, "refreshToken");
    char *quoted = refresh ? json_quote(refresh) : NULL;
    char options[1024], *out = NULL;
    int valid = -1;
    if (c && quoted && save_ok(c, result)) {
        CHECK_STATUS(auth0_credentials_clear(c, "{\"revoke\":false}", NULL), AUTH0_OK);
        CHECK_STATUS(auth0_credentials_has_valid(c, 0, &valid, NULL), AUTH0_OK);
        CHECK(valid == 0);
        snprintf(options, sizeof options, "{\"refreshToken\":%s}", quoted);
        CHECK_STATUS(auth0_webauth_refresh_token(web, options, &out), AUTH0_OK);
    }
    free(refresh);
    free(quoted);
    auth0_string_free(out);
    auth0_string_free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

/* ---- renewal ------------------------------------------------------------------ */

TEST(an_expired_access_token_is_renewed_and_the_rotated_refresh_token_stored) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = expired_login(web);
    char *old_access = json_get_string(result, "accessToken");
    char *old_refresh = json_get_string(result, "refreshToken");
    char *first = NULL, *second = NULL, *a1 = NULL, *r1 = NULL, *a2 = NULL;
    long expires_in = 0;
    int valid = -1;
    if (c == NULL || result == NULL || !save_ok(c, result)) goto done;
    /* Expired, but renewable: has_valid says yes without the network. */
    CHECK_STATUS(auth0_credentials_has_valid(c, 0, &valid, NULL), AUTH0_OK);
    CHECK(valid == 1);
    first = get_ok(c, NULL);
    a1 = json_get_string(first, "accessToken");
    r1 = json_get_string(first, "refreshToken");
    CHECK(a1 != NULL && old_access != NULL && strcmp(a1, old_access) != 0);
    CHECK(r1 != NULL && old_refresh != NULL && strcmp(r1, old_refresh) != 0);
    CHECK(json_get_long(first, "expiresIn", &expires_in) && expires_in > 60);
    /* Now valid: served from the store, the same token. */
    second = get_ok(c, "{\"minTtl\":60}");
    a2 = json_get_string(second, "accessToken");
    CHECK_STREQ(a2, a1);
done:
    free(old_access);
    free(old_refresh);
    free(a1);
    free(r1);
    free(a2);
    auth0_string_free(first);
    auth0_string_free(second);
    free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

TEST(a_min_ttl_beyond_the_lifetime_renews) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = dt_login(web, OFFLINE);
    char *old_access = json_get_string(result, "accessToken");
    char *out = NULL, *access = NULL;
    if (c && result && save_ok(c, result)) {
        /* Ten years: no access token lives that long. */
        out = get_ok(c, "{\"minTtl\":315360000}");
        access = json_get_string(out, "accessToken");
        CHECK(access != NULL && old_access != NULL && strcmp(access, old_access) != 0);
    }
    free(old_access);
    free(access);
    auth0_string_free(out);
    auth0_string_free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

TEST(an_expired_token_without_a_refresh_token_is_no_refresh_token) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = dt_login(web, "\"scope\":\"openid email\"");
    char *out = NULL;
    if (c && result && save_ok(c, result)) {
        CHECK_STATUS(auth0_credentials_get(c, "{\"minTtl\":315360000}", &out),
                     AUTH0_ERROR_CREDENTIALS);
        CHECK_ERROR_JSON(out, "no_refresh_token");
    }
    auth0_string_free(out);
    auth0_string_free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

TEST(a_revoked_refresh_token_is_renew_failed_with_the_servers_answer) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = expired_login(web);
    char *refresh = json_get_string(result, "refreshToken");
    char *quoted = refresh ? json_quote(refresh) : NULL, *cause = NULL;
    char options[1024], *revoked = NULL, *out = NULL;
    if (c && quoted && save_ok(c, result)) {
        snprintf(options, sizeof options, "{\"refreshToken\":%s}", quoted);
        CHECK_STATUS(auth0_webauth_revoke_token(web, options, &revoked), AUTH0_OK);
        CHECK_STATUS(auth0_credentials_get(c, NULL, &out), AUTH0_ERROR_CREDENTIALS);
        CHECK_HTTP_ERROR(out, "renew_failed", 403);
        cause = json_get_string(out, "cause");
        CHECK_STREQ(cause, "invalid_grant");
        CHECK_CONTAINS(out, "\"retryable\":false");
        CHECK_NOT_CONTAINS(out, refresh);
    }
    free(cause);
    free(refresh);
    free(quoted);
    auth0_string_free(revoked);
    auth0_string_free(out);
    free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

/* ---- eight threads, one renewal ------------------------------------------------ */

typedef struct {
    const auth0_credentials *c;
    pthread_barrier_t *start;
    auth0_status status;
    char access[4096];
    char error[512];
} getter;

static void *get_worker(void *arg) {
    getter *g = (getter *)arg;
    char *out = NULL, *access;
    pthread_barrier_wait(g->start);
    g->status = auth0_credentials_get(g->c, NULL, &out);
    access = json_get_string(out, "accessToken");
    if (g->status == AUTH0_OK && access && strlen(access) < sizeof g->access)
        strcpy(g->access, access);
    else
        snprintf(g->error, sizeof g->error, "%s", out ? out : "(NULL)");
    free(access);
    auth0_string_free(out);
    return NULL;
}

TEST(eight_threads_on_an_expired_token_share_one_renewal_and_reuse_nothing) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = memory_manager(web);
    char *result = expired_login(web);
    char *old_access = json_get_string(result, "accessToken");
    long reuse_before = stat_of("refresh_reuse_detections");
    long within_before = stat_of("refresh_reuse_within_interval");
    pthread_t threads[THREADS];
    getter g[THREADS];
    pthread_barrier_t start;
    int i;
    if (c == NULL || result == NULL || !save_ok(c, result)) goto done;
    pthread_barrier_init(&start, NULL, THREADS);
    memset(g, 0, sizeof g);
    for (i = 0; i < THREADS; i++) {
        g[i].c = c;
        g[i].start = &start;
        pthread_create(&threads[i], NULL, get_worker, &g[i]);
    }
    for (i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    for (i = 0; i < THREADS; i++) {
        if (!CHECK_STATUS(g[i].status, AUTH0_OK)) printf("    thread %d: %s\n", i, g[i].error);
        /* One renewal: every thread holds the same new token. */
        CHECK_STREQ(g[i].access, g[0].access);
    }
    CHECK(old_access != NULL && strcmp(g[0].access, old_access) != 0);
    CHECK(stat_of("refresh_reuse_detections") == reuse_before);
    CHECK(stat_of("refresh_reuse_within_interval") == within_before);
done:
    free(old_access);
    free(result);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

/* ---- the plain operations -------------------------------------------------------- */

TEST(refresh_token_rotates_and_revoke_token_ends_the_family) {
    auth0_webauth *web = dt_webauth(NULL);
    char *result = dt_login(web, OFFLINE);
    char *refresh = dt_result_string(result, "refreshToken");
    char *quoted = refresh ? json_quote(refresh) : NULL;
    char *renewed = NULL, *new_refresh = NULL, *new_quoted = NULL, *revoked = NULL;
    char *after = NULL, *payload_sub = NULL, *access = NULL;
    char options[2048];
    if (quoted == NULL) goto done;
    snprintf(options, sizeof options, "{\"refreshToken\":%s,\"scope\":\"openid email offline_access\"}",
             quoted);
    if (!CHECK_STATUS(auth0_webauth_refresh_token(web, options, &renewed), AUTH0_OK)) {
        printf("    %s\n", renewed ? renewed : "(NULL)");
        goto done;
    }
    access = json_get_string(renewed, "accessToken");
    new_refresh = json_get_string(renewed, "refreshToken");
    payload_sub = json_get_nested_string(renewed, "idTokenPayload", "sub");
    CHECK(access != NULL);
    CHECK(new_refresh != NULL && strcmp(new_refresh, refresh) != 0);
    CHECK_STREQ(payload_sub, DT_USER_ID);
    new_quoted = new_refresh ? json_quote(new_refresh) : NULL;
    if (new_quoted == NULL) goto done;
    snprintf(options, sizeof options, "{\"refreshToken\":%s}", new_quoted);
    CHECK_STATUS(auth0_webauth_revoke_token(web, options, &revoked), AUTH0_OK);
    CHECK_STREQ(revoked, "{}");
    CHECK_STATUS(auth0_webauth_refresh_token(web, options, &after), AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(after, "invalid_grant", 403);
    CHECK_NOT_CONTAINS(after, new_refresh);
done:
    free(refresh);
    free(quoted);
    free(access);
    free(new_refresh);
    free(new_quoted);
    free(payload_sub);
    auth0_string_free(renewed);
    auth0_string_free(revoked);
    auth0_string_free(after);
    auth0_string_free(result);
    auth0_webauth_free(web);
}

TEST(refresh_and_revoke_token_name_a_missing_refresh_token) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    CHECK_STATUS(auth0_webauth_refresh_token(web, "{}", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "refreshToken option is required");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_revoke_token(web, NULL, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "refreshToken option is required");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_revoke_token(NULL, "{}", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "webauth must not be NULL");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(saved_credentials_come_back_without_renewal_while_valid),
             TEST_ENTRY(has_valid_user_and_clear_follow_what_is_stored),
             TEST_ENTRY(clear_revokes_the_refresh_token_at_the_tenant),
             TEST_ENTRY(clear_without_revoke_keeps_the_refresh_token_working),
             TEST_ENTRY(an_expired_access_token_is_renewed_and_the_rotated_refresh_token_stored),
             TEST_ENTRY(a_min_ttl_beyond_the_lifetime_renews),
             TEST_ENTRY(an_expired_token_without_a_refresh_token_is_no_refresh_token),
             TEST_ENTRY(a_revoked_refresh_token_is_renew_failed_with_the_servers_answer),
             TEST_ENTRY(eight_threads_on_an_expired_token_share_one_renewal_and_reuse_nothing),
             TEST_ENTRY(refresh_token_rotates_and_revoke_token_ends_the_family),
             TEST_ENTRY(refresh_and_revoke_token_name_a_missing_refresh_token),
             /* Last: once it has started the task pool, every new handle warms
              * up on a worker, and a warm-up still queued at exit holds its
              * handle (valgrind: "possibly lost"). */
             TEST_ENTRY(the_manager_runs_as_tasks_too))
