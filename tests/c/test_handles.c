/*
 * Handles are looked up in a registry, never dereferenced: a C caller's
 * mistake with one (a second free, a call after free, a pointer that was
 * never a handle, a handle of another type) is AUTH0_ERROR_INVALID_ARGUMENT
 * with `code` "invalid_handle" and a message naming the parameter, or is
 * ignored by the _free and auth0_cancel_* functions -- never a crash. A
 * handle freed by another thread while a call on it is in flight is
 * released only when that call returns (run.sh runs this under valgrind,
 * which must see no invalid access and no leak).
 *
 * No tenant is contacted: the handles point at a closed loopback port.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>

#include "harness.h"
#include "devtenant.h"

#define OFFLINE_WEBAUTH "{\"domain\":\"http://127.0.0.1:9\",\"clientID\":\"c\"}"
#define OFFLINE_MANAGEMENT "{\"domain\":\"http://127.0.0.1:9\",\"token\":\"t\"}"

static auth0_webauth *offline_webauth(void) {
    auth0_webauth *web = NULL;
    CHECK_STATUS(auth0_webauth_new(OFFLINE_WEBAUTH, &web, NULL), AUTH0_OK);
    return web;
}

/* A WebAuth call that must be refused for its `webauth` argument. */
static void check_refused_webauth(const auth0_webauth *web, const char *line_what) {
    char *out = NULL;
    if (!CHECK_STATUS(auth0_webauth_build_authorize_url(web, NULL, &out),
                      AUTH0_ERROR_INVALID_ARGUMENT))
        fprintf(stderr, "    (%s)\n", line_what);
    CHECK_ERROR_JSON(out, "invalid_handle");
    CHECK_CONTAINS(out, "webauth is not a live auth0_webauth handle");
    CHECK_CONTAINS(out, "auth0_webauth_free");
    auth0_string_free(out);
}

TEST(status_names_are_the_enumerators) {
    CHECK_STREQ(auth0_status_name(AUTH0_OK), "AUTH0_OK");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_INVALID_ARGUMENT), "AUTH0_ERROR_INVALID_ARGUMENT");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_NETWORK), "AUTH0_ERROR_NETWORK");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_TIMEOUT), "AUTH0_ERROR_TIMEOUT");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_SERVER), "AUTH0_ERROR_SERVER");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_INVALID_TOKEN), "AUTH0_ERROR_INVALID_TOKEN");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_AUTHORIZATION), "AUTH0_ERROR_AUTHORIZATION");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_CANCELLED), "AUTH0_ERROR_CANCELLED");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_STORAGE), "AUTH0_ERROR_STORAGE");
    CHECK_STREQ(auth0_status_name(AUTH0_ERROR_INTERNAL), "AUTH0_ERROR_INTERNAL");
}

TEST(webauth_double_free_is_harmless_and_later_calls_are_invalid_argument) {
    auth0_webauth *web = offline_webauth();
    char *out = NULL;
    if (web == NULL) return;
    CHECK_STATUS(auth0_webauth_build_authorize_url(web, NULL, &out), AUTH0_OK);
    auth0_string_free(out);
    auth0_webauth_free(web);
    auth0_webauth_free(web);
    check_refused_webauth(web, "after two frees");
}

TEST(a_freed_handle_stays_invalid_when_a_new_one_is_made) {
    /* The registry reuses the freed slot, under a new generation. */
    auth0_webauth *old = offline_webauth();
    auth0_webauth *fresh;
    char *out = NULL;
    if (old == NULL) return;
    auth0_webauth_free(old);
    fresh = offline_webauth();
    check_refused_webauth(old, "stale after a new handle");
    CHECK_STATUS(auth0_webauth_build_authorize_url(fresh, NULL, &out), AUTH0_OK);
    auth0_string_free(out);
    auth0_webauth_free(old); /* ignored: must not free `fresh` */
    out = NULL;
    CHECK_STATUS(auth0_webauth_build_authorize_url(fresh, NULL, &out), AUTH0_OK);
    auth0_string_free(out);
    auth0_webauth_free(fresh);
}

TEST(management_double_free_is_harmless_and_later_calls_are_invalid_argument) {
    auth0_management *m = NULL;
    char *out = NULL;
    if (!CHECK_STATUS(auth0_management_new(OFFLINE_MANAGEMENT, &m, NULL), AUTH0_OK)) return;
    auth0_management_free(m);
    auth0_management_free(m);
    CHECK_STATUS(auth0_management_get_user(m, "{\"userId\":\"auth0|1\"}", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, "invalid_handle");
    CHECK_CONTAINS(out, "management is not a live auth0_management handle");
    auth0_string_free(out);
}

TEST(cancel_token_double_free_is_harmless_and_a_freed_token_is_refused) {
    auth0_cancel *cancel = auth0_cancel_new();
    auth0_webauth *web = offline_webauth();
    char *out = NULL;
    CHECK(cancel != NULL);
    if (cancel == NULL || web == NULL) goto done;
    auth0_cancel_cancel(cancel);
    CHECK(auth0_cancel_is_cancelled(cancel) == 1);
    auth0_cancel_free(cancel);
    auth0_cancel_free(cancel);
    /* The functions that report no error ignore it. */
    auth0_cancel_cancel(cancel);
    CHECK(auth0_cancel_is_cancelled(cancel) == 0);
    /* A call given it is refused before it opens anything. */
    CHECK_STATUS(auth0_webauth_device_poll(web, "{\"device_code\":\"d\"}", cancel, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, "invalid_handle");
    CHECK_CONTAINS(out, "cancel is not a live auth0_cancel handle");
done:
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(pointers_that_were_never_handles_are_invalid_argument) {
    int local = 0;
    auth0_webauth *forged[3];
    auth0_management *m = NULL;
    auth0_cancel *cancel = auth0_cancel_new();
    size_t i;
    char *out = NULL;
    forged[0] = (auth0_webauth *)(uintptr_t)0x1234;
    forged[1] = (auth0_webauth *)(void *)&local;
    forged[2] = (auth0_webauth *)(void *)cancel; /* a handle of another type */
    for (i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        check_refused_webauth(forged[i], "a forged pointer");
        auth0_webauth_free(forged[i]); /* ignored */
    }
    CHECK(local == 0);
    CHECK_STATUS(auth0_management_get_user((const auth0_management *)(void *)&local,
                                           "{\"userId\":\"auth0|1\"}", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, "invalid_handle");
    auth0_string_free(out);
    auth0_management_free((auth0_management *)(uintptr_t)0x1234);
    auth0_cancel_cancel((const auth0_cancel *)(void *)&local);
    CHECK(auth0_cancel_is_cancelled((const auth0_cancel *)(uintptr_t)0x1234) == 0);
    auth0_cancel_free((auth0_cancel *)(void *)&local);
    /* The cancel token survived being passed as a WebAuth handle. */
    CHECK(auth0_cancel_is_cancelled(cancel) == 0);
    auth0_cancel_cancel(cancel);
    CHECK(auth0_cancel_is_cancelled(cancel) == 1);
    auth0_cancel_free(cancel);
    (void)m;
}

/* ------------------------------------------------------------------------ */
/* A free from another thread while a call is in flight                     */

typedef struct {
    auth0_webauth *web;
    auth0_cancel *cancel;
    int opened;
} in_flight;

/* Cancels the login, then frees both handles the call is using. */
static void *cancel_and_free_both(void *arg) {
    in_flight *f = (in_flight *)arg;
    auth0_cancel_cancel(f->cancel);
    auth0_webauth_free(f->web);
    auth0_cancel_free(f->cancel);
    return NULL;
}

/* The opener: has another thread cancel the login and free both handles
 * the call uses (and waits for it), then lets the call go on. */
static int free_during_the_call(const char *url, void *user_data) {
    in_flight *f = (in_flight *)user_data;
    pthread_t freer;
    (void)url;
    f->opened = 1;
    if (pthread_create(&freer, NULL, cancel_and_free_both, f) != 0) return 1;
    pthread_join(freer, NULL);
    return 0;
}

TEST(a_handle_freed_by_another_thread_during_a_call_lives_until_it_returns) {
    in_flight f;
    char *out = NULL;
    memset(&f, 0, sizeof f);
    f.web = offline_webauth();
    f.cancel = auth0_cancel_new();
    if (f.web == NULL || f.cancel == NULL) return;
    /* After the free the call still uses the handles' listener, transaction
     * store (the unused transaction is removed) and cancel token. */
    CHECK_STATUS(auth0_webauth_popup_authorize(
                     f.web, "{\"redirectUri\":\"http://127.0.0.1:0/callback\",\"timeout\":60000}",
                     free_during_the_call, &f, f.cancel, &out),
                 AUTH0_ERROR_CANCELLED);
    CHECK_ERROR_JSON(out, "cancelled");
    CHECK(f.opened == 1);
    /* Both handles are gone now. */
    check_refused_webauth(f.web, "after the in-flight call returned");
    CHECK(auth0_cancel_is_cancelled(f.cancel) == 0);
    auth0_string_free(out);
}

HARNESS_MAIN(TEST_ENTRY(status_names_are_the_enumerators),
             TEST_ENTRY(webauth_double_free_is_harmless_and_later_calls_are_invalid_argument),
             TEST_ENTRY(a_freed_handle_stays_invalid_when_a_new_one_is_made),
             TEST_ENTRY(management_double_free_is_harmless_and_later_calls_are_invalid_argument),
             TEST_ENTRY(cancel_token_double_free_is_harmless_and_a_freed_token_is_refused),
             TEST_ENTRY(pointers_that_were_never_handles_are_invalid_argument),
             TEST_ENTRY(a_handle_freed_by_another_thread_during_a_call_lives_until_it_returns))
