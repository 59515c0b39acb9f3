/*
 * Thread safety: one handle shared by several threads, each calling the
 * operations at the same time. The header promises every auth0_webauth_*
 * operation may run concurrently on the same handle.
 *
 * The worker threads only record what they saw; all CHECKs run on the main
 * thread after the join.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <pthread.h>

#include "harness.h"

#define THREADS 8
#define CALLS_PER_THREAD 200

/* CALLS_PER_THREAD, or fewer when AUTH0_C_TEST_CALLS_PER_THREAD says so:
 * run.sh lowers it for the valgrind re-run, where each call is ~100x
 * slower and the point is memory errors, not contention. */
static int calls_per_thread(void) {
    const char *env = getenv("AUTH0_C_TEST_CALLS_PER_THREAD");
    int n = env ? atoi(env) : CALLS_PER_THREAD;
    return n >= 1 && n <= CALLS_PER_THREAD ? n : CALLS_PER_THREAD;
}

typedef struct {
    const auth0_webauth *web;
    int index;
    int failures;           /* calls that did not give what was expected */
    char first_error[512];  /* the first unexpected answer, for the report */
    char *states[CALLS_PER_THREAD];
} worker;

static void note_failure(worker *w, auth0_status status, const char *out) {
    if (w->failures++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "status %d: %s", (int)status,
                 out ? out : "(NULL)");
}

static void *authorize_worker(void *arg) {
    worker *w = (worker *)arg;
    int i, calls = calls_per_thread();
    for (i = 0; i < calls; i++) {
        char *out = NULL;
        auth0_status status = auth0_webauth_authorize(w->web, NULL, &out);
        char *state = status == AUTH0_OK ? json_get_string(out, "state") : NULL;
        if (state == NULL) note_failure(w, status, out);
        w->states[i] = state;
        auth0_string_free(out);
    }
    return NULL;
}

static int compare_strings(const void *a, const void *b) {
    const char *sa = *(const char *const *)a, *sb = *(const char *const *)b;
    if (sa == NULL || sb == NULL) return (sa != NULL) - (sb != NULL);
    return strcmp(sa, sb);
}

static auth0_webauth *new_handle(void) {
    auth0_webauth *web = NULL;
    CHECK_STATUS(auth0_webauth_new("{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\","
                                   "\"redirectUri\":\"http://127.0.0.1:8080/callback\"}",
                                   &web, NULL),
                 AUTH0_OK);
    return web;
}

TEST(authorize_from_8_threads_on_one_handle_succeeds_with_distinct_states) {
    static worker workers[THREADS];
    static char *all[THREADS * CALLS_PER_THREAD];
    pthread_t threads[THREADS];
    int started[THREADS];
    auth0_webauth *web = new_handle();
    size_t n = 0, i, duplicates = 0;
    int t, j;
    if (!web) return;
    memset(workers, 0, sizeof workers);
    for (t = 0; t < THREADS; t++) {
        workers[t].web = web;
        workers[t].index = t;
        started[t] = pthread_create(&threads[t], NULL, authorize_worker, &workers[t]) == 0;
        CHECK(started[t]);
    }
    for (t = 0; t < THREADS; t++)
        if (started[t]) pthread_join(threads[t], NULL);
    auth0_webauth_free(web);

    for (t = 0; t < THREADS; t++) {
        if (workers[t].failures)
            h_fail_at(__FILE__, __LINE__, "thread %d: %d failed calls, first: %s", t,
                      workers[t].failures, workers[t].first_error);
        for (j = 0; j < CALLS_PER_THREAD; j++)
            if (workers[t].states[j]) all[n++] = workers[t].states[j];
    }
    CHECK(n == (size_t)THREADS * (size_t)calls_per_thread());
    qsort(all, n, sizeof all[0], compare_strings);
    for (i = 1; i < n; i++)
        if (strcmp(all[i - 1], all[i]) == 0) duplicates++;
    if (duplicates) h_fail_at(__FILE__, __LINE__, "%u duplicate states", (unsigned)duplicates);
    for (i = 0; i < n; i++) free(all[i]);
}

/* Each thread builds URLs with its own state and checks it gets exactly its
 * own URL back: no answer crosses threads. */
static void *build_worker(void *arg) {
    worker *w = (worker *)arg;
    int i, calls = calls_per_thread();
    for (i = 0; i < calls; i++) {
        char options[128], expected[256];
        char *out = NULL, *url;
        auth0_status status;
        snprintf(options, sizeof options, "{\"state\":\"t%d-%d\"}",
                 w->index, i);
        snprintf(expected, sizeof expected,
                 "https://me.auth0.com/authorize?client_id=abc123&response_type=code&"
                 "redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A8080%%2Fcallback&state=t%d-%d",
                 w->index, i);
        status = auth0_webauth_build_authorize_url(w->web, options, &out);
        url = status == AUTH0_OK ? json_get_string(out, "url") : NULL;
        /* The handle keeps telemetry on; only compare what precedes it. */
        if (url == NULL || strncmp(url, expected, strlen(expected)) != 0 ||
            (url[strlen(expected)] != '\0' && url[strlen(expected)] != '&'))
            note_failure(w, status, url ? url : out);
        free(url);
        auth0_string_free(out);

        out = NULL;
        status = auth0_webauth_logout(w->web, NULL, &out);
        if (status != AUTH0_OK) note_failure(w, status, out);
        auth0_string_free(out);
    }
    return NULL;
}

TEST(build_authorize_url_and_logout_from_8_threads_give_each_thread_its_own_url) {
    static worker workers[THREADS];
    pthread_t threads[THREADS];
    int started[THREADS];
    auth0_webauth *web = new_handle();
    int t;
    if (!web) return;
    memset(workers, 0, sizeof workers);
    for (t = 0; t < THREADS; t++) {
        workers[t].web = web;
        workers[t].index = t;
        started[t] = pthread_create(&threads[t], NULL, build_worker, &workers[t]) == 0;
        CHECK(started[t]);
    }
    for (t = 0; t < THREADS; t++)
        if (started[t]) pthread_join(threads[t], NULL);
    auth0_webauth_free(web);
    for (t = 0; t < THREADS; t++)
        if (workers[t].failures)
            h_fail_at(__FILE__, __LINE__, "thread %d: %d wrong answers, first: %s", t,
                      workers[t].failures, workers[t].first_error);
}

HARNESS_MAIN(TEST_ENTRY(authorize_from_8_threads_on_one_handle_succeeds_with_distinct_states),
             TEST_ENTRY(build_authorize_url_and_logout_from_8_threads_give_each_thread_its_own_url))
