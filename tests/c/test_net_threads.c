/*
 * Thread safety over the network: 4 pthreads share one WebAuth handle and
 * each makes 10 auth0_webauth_login + auth0_webauth_user_info calls at the
 * same time. Two users take turns (the test user, and a user signed up for
 * this run), so an answer that crossed threads would show as the wrong
 * e-mail.
 *
 * The workers only record what they saw; the CHECKs run on the main thread
 * after the join. AUTH0_C_TEST_NET_CALLS_PER_THREAD lowers the number of
 * calls (run.sh does for valgrind, where each call is much slower).
 *
 * Faults: none.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>

#include "devtenant.h"

#define THREADS 4
#define CALLS_PER_THREAD 10
#define SECOND_PASSWORD "Thr3ads-Passw0rd!"

static int calls_per_thread(void) {
    const char *env = getenv("AUTH0_C_TEST_NET_CALLS_PER_THREAD");
    int n = env ? atoi(env) : CALLS_PER_THREAD;
    return n >= 1 && n <= CALLS_PER_THREAD ? n : CALLS_PER_THREAD;
}

typedef struct {
    const auth0_webauth *web;
    const char *realm;
    const char *username;
    const char *password;
    int logins_ok;
    int user_infos_ok;
    int failures;
    char first_error[768];
} worker;

static void note_failure(worker *w, const char *what, auth0_status status, const char *out) {
    if (w->failures++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "%s: status %d: %s", what, (int)status,
                 out ? out : "(NULL)");
}

static void *login_worker(void *arg) {
    worker *w = (worker *)arg;
    int i, calls = calls_per_thread();
    for (i = 0; i < calls; i++) {
        char options[512], *login = NULL, *info = NULL, *access = NULL, *quoted = NULL;
        char *email = NULL, *info_email = NULL, *request = NULL;
        auth0_status status;
        snprintf(options, sizeof options,
                 "{\"username\":\"%s\",\"password\":\"%s\",\"realm\":\"%s\","
                 "\"scope\":\"openid email\"}",
                 w->username, w->password, w->realm);
        status = auth0_webauth_login(w->web, options, &login);
        email = json_get_nested_string(login, "idTokenPayload", "email");
        access = json_get_string(login, "accessToken");
        if (status != AUTH0_OK || email == NULL || strcmp(email, w->username) != 0 || !access) {
            note_failure(w, "login", status, login);
            goto next;
        }
        w->logins_ok++;
        quoted = json_quote(access);
        request = quoted ? (char *)malloc(strlen(quoted) + 32) : NULL;
        if (!request) goto next;
        sprintf(request, "{\"accessToken\":%s}", quoted);
        status = auth0_webauth_user_info(w->web, request, &info);
        info_email = json_get_string(info, "email");
        if (status != AUTH0_OK || info_email == NULL || strcmp(info_email, w->username) != 0) {
            note_failure(w, "user_info", status, info);
            goto next;
        }
        w->user_infos_ok++;
    next:
        free(request);
        free(quoted);
        free(info_email);
        free(access);
        free(email);
        auth0_string_free(info);
        auth0_string_free(login);
    }
    return NULL;
}

TEST(login_and_user_info_from_4_threads_on_one_handle_give_each_thread_its_own_user) {
    static worker workers[THREADS];
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(NULL);
    pthread_t threads[THREADS];
    int started[THREADS];
    char second[128], signup[512];
    char *out = NULL;
    int i, calls = calls_per_thread();
    if (!web || !t) {
        auth0_webauth_free(web);
        return;
    }
    /* The second user, signed up for this run. */
    dt_unique_email(second, sizeof second, "threads");
    snprintf(signup, sizeof signup,
             "{\"connection\":\"%s\",\"email\":\"%s\",\"password\":\"" SECOND_PASSWORD "\"}",
             t->connection, second);
    if (!CHECK_STATUS(auth0_webauth_signup(web, signup, &out), AUTH0_OK)) {
        h_fail_at(__FILE__, __LINE__, "signup: %s", out ? out : "(NULL)");
        auth0_string_free(out);
        auth0_webauth_free(web);
        return;
    }
    auth0_string_free(out);

    memset(workers, 0, sizeof workers);
    for (i = 0; i < THREADS; i++) {
        workers[i].web = web;
        workers[i].realm = t->connection;
        workers[i].username = i % 2 == 0 ? t->username : second;
        workers[i].password = i % 2 == 0 ? t->password : SECOND_PASSWORD;
        started[i] = pthread_create(&threads[i], NULL, login_worker, &workers[i]) == 0;
        CHECK(started[i]);
    }
    for (i = 0; i < THREADS; i++)
        if (started[i]) pthread_join(threads[i], NULL);
    auth0_webauth_free(web);

    for (i = 0; i < THREADS; i++) {
        if (!started[i]) continue;
        if (workers[i].failures)
            h_fail_at(__FILE__, __LINE__, "thread %d (%s): %d failed calls, first: %s", i,
                      workers[i].username, workers[i].failures, workers[i].first_error);
        CHECK(workers[i].logins_ok == calls);
        CHECK(workers[i].user_infos_ok == calls);
    }
}

HARNESS_MAIN(TEST_ENTRY(login_and_user_info_from_4_threads_on_one_handle_give_each_thread_its_own_user))
