/* The figures of the C tasks (bench/tasks.sh runs it; see BENCHMARKS.md,
 * "C tasks").
 *
 *   tasks poll                  ns per auth0_task_poll on a pending task
 *   tasks cancel DOMAIN         ms from auth0_task_cancel to the task's
 *                               CANCELLED status and to its callback, with
 *                               a login request in flight (to a socket that
 *                               never answers), and until a cancelled
 *                               device.poll gives its worker back (DOMAIN:
 *                               the dev tenant; client id from
 *                               AUTH0_TEST_CLIENT_ID)
 *   tasks login OPTIONS LOGIN   one HTTPS login in a fresh process: OPTIONS
 *                               for auth0_webauth_new, LOGIN for
 *                               "client.login"; prints in-process ms
 *   tasks login-warm OPTIONS LOGIN   the same after auth0_task_pool_start,
 *                               the login run as a task and waited for
 *
 *   cc -O2 -pthread bench/tasks.c -Iinclude -Ltarget/release -lauth0_native
 */
#define _POSIX_C_SOURCE 200809L
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth0.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A listening socket nobody accepts on: a request to it stays in flight. */
static int hung_port(void) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 128) ||
        getsockname(fd, (struct sockaddr *)&a, &len))
        exit(2);
    return ntohs(a.sin_port);
}

static auth0_webauth *web_on(const char *domain, const char *extra) {
    char options[512];
    auth0_webauth *web = NULL;
    snprintf(options, sizeof options, "{\"domain\":\"%s\",\"clientID\":\"c\"%s}", domain, extra);
    if (auth0_webauth_new(options, &web, NULL) != AUTH0_OK) exit(3);
    return web;
}

static auth0_task *start(const auth0_webauth *web, const char *op, const char *options,
                         const auth0_task_options *opts) {
    auth0_task *t = NULL;
    if (auth0_webauth_start(web, op, options, opts, &t, NULL) != AUTH0_OK) exit(4);
    return t;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *LOGIN_HUNG = "{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}";

static int poll_bench(void) {
    char domain[64];
    const long n = 20000000;
    long i;
    double t0, t1, t2;
    char *out = NULL;
    int pending = 0;
    snprintf(domain, sizeof domain, "http://127.0.0.1:%d", hung_port());
    auth0_webauth *web = web_on(domain, ",\"timeout\":600000");
    auth0_task *task = start(web, "client.login", LOGIN_HUNG, NULL);
    sleep_ms(100);
    t0 = now_ms();
    for (i = 0; i < n; i++) pending += auth0_task_poll(task, NULL) == AUTH0_PENDING;
    t1 = now_ms();
    for (i = 0; i < n; i++) pending += auth0_task_poll(task, &out) == AUTH0_PENDING;
    t2 = now_ms();
    if (pending != 2 * n) return 5;
    printf("FIGURE task_poll_pending_ns %.1f\n", (t1 - t0) * 1e6 / (double)n);
    printf("FIGURE task_poll_pending_with_out_ns %.1f\n", (t2 - t1) * 1e6 / (double)n);
    auth0_task_free(task);
    auth0_webauth_free(web);
    return 0;
}

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    double at;
} stamp;

static void on_done(auth0_task *task, auth0_status status, const char *json, void *user_data) {
    stamp *s = (stamp *)user_data;
    (void)task, (void)status, (void)json;
    pthread_mutex_lock(&s->lock);
    s->at = now_ms();
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

static int cancel_bench(const char *device_domain) {
    enum { ROUNDS = 30 };
    double status_ms[ROUNDS], callback_ms[ROUNDS], worker_ms[5];
    char domain[64], *code = NULL, *poll_options;
    int r;
    auth0_task_options opts;
    stamp s;
    snprintf(domain, sizeof domain, "http://127.0.0.1:%d", hung_port());
    auth0_webauth *web = web_on(domain, ",\"timeout\":3000");
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.cond, NULL);
    memset(&opts, 0, sizeof opts);
    opts.on_done = on_done;
    opts.user_data = &s;
    auth0_task_pool_start(ROUNDS + 2); /* every hung request keeps its worker */
    for (r = 0; r < ROUNDS; r++) {
        auth0_task *task;
        double t0;
        s.at = 0;
        task = start(web, "client.login", LOGIN_HUNG, &opts);
        sleep_ms(20); /* the request is in flight */
        t0 = now_ms();
        auth0_task_cancel(task);
        if (auth0_task_wait(task, -1, NULL) != AUTH0_ERROR_CANCELLED) return 6;
        status_ms[r] = now_ms() - t0;
        pthread_mutex_lock(&s.lock);
        while (s.at == 0) pthread_cond_wait(&s.cond, &s.lock);
        pthread_mutex_unlock(&s.lock);
        callback_ms[r] = s.at - t0;
        auth0_task_free(task);
    }
    qsort(status_ms, ROUNDS, sizeof(double), cmp);
    qsort(callback_ms, ROUNDS, sizeof(double), cmp);
    printf("FIGURE task_cancel_in_flight_status_ms median %.3f max %.3f\n", status_ms[ROUNDS / 2],
           status_ms[ROUNDS - 1]);
    printf("FIGURE task_cancel_in_flight_callback_ms median %.3f max %.3f\n",
           callback_ms[ROUNDS / 2], callback_ms[ROUNDS - 1]);
    auth0_webauth_free(web);

    /* A cancelled device.poll on a pool of one: until another task runs. */
    {
        char options[512];
        const char *client_id = getenv("AUTH0_TEST_CLIENT_ID");
        snprintf(options, sizeof options, "{\"domain\":\"%s\",\"clientID\":\"%s\"}",
                 device_domain, client_id ? client_id : "");
        if (auth0_webauth_new(options, &web, NULL) != AUTH0_OK) return 7;
    }
    sleep_ms(3500); /* the hung requests time out: their workers are free */
    auth0_task_pool_start(1);
    sleep_ms(200);
    for (r = 0; r < 5; r++) {
        auth0_task *poll, *quick;
        double t0;
        if (auth0_webauth_device_start(web, NULL, &code) != AUTH0_OK) return 7;
        /* {"device_code":…,…} with a long interval (the last key wins): only
         * the token ends the wait. */
        poll_options = malloc(strlen(code) + 32);
        if (!poll_options) return 7;
        sprintf(poll_options, "%.*s,\"interval\":60}", (int)(strrchr(code, '}') - code), code);
        auth0_string_free(code);
        poll = start(web, "device.poll", poll_options, NULL);
        free(poll_options);
        sleep_ms(100);
        t0 = now_ms();
        auth0_task_cancel(poll);
        quick = start(web, "logout", NULL, NULL);
        if (auth0_task_wait(quick, -1, NULL) != AUTH0_OK) return 8;
        worker_ms[r] = now_ms() - t0;
        auth0_task_free(quick);
        auth0_task_free(poll);
    }
    qsort(worker_ms, 5, sizeof(double), cmp);
    printf("FIGURE task_cancel_device_poll_worker_back_ms median %.3f max %.3f\n", worker_ms[2],
           worker_ms[4]);
    auth0_webauth_free(web);
    return 0;
}

static int login_once(const char *options, const char *login, int warm) {
    double t0 = now_ms(), t1;
    auth0_webauth *web = NULL;
    char *out = NULL;
    auth0_status s;
    if (warm) auth0_task_pool_start(2);
    if (auth0_webauth_new(options, &web, NULL) != AUTH0_OK) return 9;
    if (warm) {
        auth0_task *task = start(web, "client.login", login, NULL);
        s = auth0_task_wait(task, -1, &out);
        auth0_task_free(task);
    } else {
        s = auth0_webauth_login(web, login, &out);
    }
    t1 = now_ms();
    if (s != AUTH0_OK) {
        fprintf(stderr, "%s\n", out ? out : "?");
        return 10;
    }
    printf("login_ms %.3f\n", t1 - t0);
    auth0_string_free(out);
    auth0_webauth_free(web);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "poll") == 0) return poll_bench();
    if (argc >= 3 && strcmp(argv[1], "cancel") == 0) return cancel_bench(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "login") == 0) return login_once(argv[2], argv[3], 0);
    if (argc >= 4 && strcmp(argv[1], "login-warm") == 0) return login_once(argv[2], argv[3], 1);
    fprintf(stderr, "usage: see the comment at the top of bench/tasks.c\n");
    return 2;
}
