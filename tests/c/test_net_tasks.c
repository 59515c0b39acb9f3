/*
 * Tasks: operations started without blocking (auth0_webauth_start,
 * auth0_management_start), polled, waited on, cancelled from any thread,
 * freed in any order, with callbacks on a library thread or run by
 * auth0_dispatch on the caller's thread.
 *
 * A "hung" server (a socket that listens and never accepts: the kernel
 * completes the connection, nobody answers) keeps a request in flight for
 * as long as a test wants. AUTH0_C_TEST_NET_CALLS_PER_THREAD lowers the
 * number of tasks (run.sh does for valgrind).
 *
 * Faults: none. Each device test uses its own device code.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>

#include "devtenant.h"

static int scale(void) {
    const char *env = getenv("AUTH0_C_TEST_NET_CALLS_PER_THREAD");
    int n = env ? atoi(env) : 10;
    return n >= 1 && n <= 10 ? n : 10;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A listening socket nobody accepts on: requests to it stay in flight. */
static int hung_server(int *port) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        h_fail_at(__FILE__, __LINE__, "could not listen on 127.0.0.1");
        if (fd >= 0) close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* A WebAuth handle on the hung server (requests bounded to 1.5 s). */
static auth0_webauth *hung_webauth(int port) {
    char options[256];
    auth0_webauth *web = NULL;
    snprintf(options, sizeof options,
             "{\"domain\":\"http://127.0.0.1:%d\",\"clientID\":\"c\",\"timeout\":1500,"
             "\"_sendTelemetry\":false}",
             port);
    CHECK_STATUS(auth0_webauth_new(options, &web, NULL), AUTH0_OK);
    return web;
}

static void login_options(char *buf, size_t cap) {
    const dt_tenant *t = dt_env();
    snprintf(buf, cap,
             "{\"username\":\"%s\",\"password\":\"%s\",\"realm\":\"%s\","
             "\"scope\":\"openid email\"}",
             t ? t->username : "", t ? t->password : "", t ? t->connection : "");
}

static auth0_task *start(const auth0_webauth *web, const char *op, const char *options,
                         const auth0_task_options *opts) {
    auth0_task *task = NULL;
    char *error = NULL;
    auth0_status s = auth0_webauth_start(web, op, options, opts, &task, &error);
    if (s != AUTH0_OK)
        h_fail_at(__FILE__, __LINE__, "auth0_webauth_start(%s) gave %s: %s", op,
                  h_status_name(s), error ? error : "(NULL)");
    auth0_string_free(error);
    return task;
}

/* ---- arguments ----------------------------------------------------------- */

TEST(an_unknown_operation_is_an_invalid_argument_naming_it) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_task *task = (auth0_task *)1;
    char *error = NULL;
    CHECK_STATUS(auth0_webauth_start(web, "client.logn", NULL, NULL, &task, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(task == NULL);
    CHECK_CONTAINS(error, "client.logn");
    CHECK_CONTAINS(error, "client.login");
    auth0_string_free(error);
    CHECK_STATUS(auth0_webauth_start(web, NULL, NULL, NULL, &task, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "operation must not be NULL");
    auth0_string_free(error);
    CHECK_STATUS(auth0_webauth_start(web, "parseHash", "[1]", NULL, &task, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "options_json");
    auth0_string_free(error);
    CHECK_STATUS(auth0_webauth_start(web, "parseHash", NULL, NULL, NULL, NULL),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_webauth_free(web);
}

TEST(a_bad_delivery_and_a_freed_task_are_invalid_arguments) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_task_options opts;
    auth0_task *task = NULL;
    char *error = NULL, *out = NULL;
    memset(&opts, 0, sizeof opts);
    opts.delivery = 7;
    CHECK_STATUS(auth0_webauth_start(web, "logout", NULL, &opts, &task, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "opts->delivery");
    auth0_string_free(error);
    task = start(web, "logout", NULL, NULL);
    CHECK_STATUS(auth0_task_wait(task, -1, &out), AUTH0_OK);
    CHECK_CONTAINS(out, "/v2/logout");
    auth0_string_free(out);
    auth0_task_free(task);
    CHECK_STATUS(auth0_task_poll(task, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "invalid_handle");
    auth0_string_free(out);
    auth0_task_cancel(task); /* ignored */
    auth0_task_free(task);   /* ignored */
    CHECK_STATUS(auth0_task_poll(NULL, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_webauth_free(web);
}

TEST(pending_is_its_own_status_number) {
    CHECK(AUTH0_PENDING == 100);
    CHECK_STREQ(auth0_status_name(AUTH0_PENDING), "AUTH0_PENDING");
}

/* ---- results ------------------------------------------------------------- */

TEST(a_task_gives_what_the_blocking_call_gives) {
    auth0_webauth *web = dt_webauth(NULL);
    const dt_tenant *t = dt_env();
    char options[1024], *out = NULL, *again = NULL, *email;
    auth0_task *task;
    login_options(options, sizeof options);
    task = start(web, "client.login", options, NULL);
    CHECK_STATUS(auth0_task_wait(task, -1, &out), AUTH0_OK);
    email = json_get_nested_string(out, "idTokenPayload", "email");
    CHECK_STREQ(email, t ? t->username : "?");
    CHECK_STATUS(auth0_task_poll(task, &again), AUTH0_OK);
    CHECK_STREQ(again, out);
    CHECK(again != out);
    free(email);
    auth0_string_free(out);
    auth0_string_free(again);
    auth0_task_free(task);
    /* An error of the operation is the task's final status. */
    task = start(web, "client.login", "{\"username\":\"x\",\"password\":\"wrong\",\"realm\":\"nope\"}",
                 NULL);
    CHECK_STATUS(auth0_task_wait(task, -1, &out), AUTH0_ERROR_SERVER);
    CHECK_CONTAINS(out, "\"statusCode\"");
    CHECK_NOT_CONTAINS(out, "wrong");
    auth0_string_free(out);
    auth0_task_free(task);
    auth0_webauth_free(web);
}

TEST(mfa_operations_run_as_tasks) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    auth0_task *task;
    /* The options are checked as the blocking call checks them. */
    task = start(web, "mfa.challenge", "{}", NULL);
    CHECK_STATUS(auth0_task_wait(task, -1, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "mfaToken");
    auth0_string_free(out);
    auth0_task_free(task);
    /* An unknown mfa_token reaches the tenant, which refuses it. */
    task = start(web, "mfa.authenticators", "{\"mfaToken\":\"not-a-token\"}", NULL);
    CHECK_STATUS(auth0_task_wait(task, -1, &out), AUTH0_ERROR_SERVER);
    CHECK_CONTAINS(out, "\"statusCode\"");
    CHECK_NOT_CONTAINS(out, "not-a-token");
    auth0_string_free(out);
    auth0_task_free(task);
    auth0_webauth_free(web);
}

TEST(management_operations_run_as_tasks) {
    const dt_tenant *t = dt_env();
    char *token = t ? dt_management_token(t->username, t->password) : NULL;
    auth0_management *m = token ? dt_management(token, NULL) : NULL;
    auth0_task *task = NULL;
    char *out = NULL, *error = NULL;
    CHECK_STATUS(auth0_management_start(m, "getUser", "{\"userId\":\"" DT_USER_ID "\"}", NULL,
                                        &task, &error),
                 AUTH0_OK);
    CHECK_STATUS(auth0_task_wait(task, -1, &out), AUTH0_OK);
    CHECK_CONTAINS(out, t ? t->username : "?");
    auth0_string_free(out);
    auth0_task_free(task);
    CHECK_STATUS(auth0_management_start(m, "deleteUser", NULL, NULL, &task, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "deleteUser");
    auth0_string_free(error);
    auth0_management_free(m);
    free(token);
}

TEST(a_task_whose_handle_is_freed_while_it_runs_finishes) {
    auth0_webauth *web = dt_webauth(NULL);
    char options[1024], *out = NULL;
    auth0_task *task;
    login_options(options, sizeof options);
    task = start(web, "client.login", options, NULL);
    auth0_webauth_free(web);
    CHECK_STATUS(auth0_task_wait(task, -1, &out), AUTH0_OK);
    CHECK_CONTAINS(out, "accessToken");
    auth0_string_free(out);
    auth0_task_free(task);
}

/* ---- cancellation -------------------------------------------------------- */

TEST(a_cancel_completes_a_task_with_a_request_in_flight_at_once) {
    int port = 0, fd = hung_server(&port);
    auth0_webauth *web = hung_webauth(port);
    char *out = (char *)1;
    auth0_task *task = start(web, "client.login",
                             "{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}", NULL);
    sleep_ms(50); /* the request is sent and unanswered */
    CHECK_STATUS(auth0_task_poll(task, &out), AUTH0_PENDING);
    CHECK(out == NULL);
    CHECK_STATUS(auth0_task_wait(task, 20, &out), AUTH0_PENDING);
    CHECK(out == NULL);
    auth0_task_cancel(task);
    /* No wait: the cancel itself completed the task. */
    CHECK_STATUS(auth0_task_poll(task, &out), AUTH0_ERROR_CANCELLED);
    CHECK_CONTAINS(out, "\"code\":\"cancelled\"");
    auth0_string_free(out);
    auth0_task_cancel(task);
    CHECK_STATUS(auth0_task_poll(task, NULL), AUTH0_ERROR_CANCELLED);
    /* The worker's late answer (a timeout) does not replace it. */
    auth0_task_free(task);
    auth0_webauth_free(web);
    close(fd);
}

/* With the pool at one worker: a task on `web` runs, so that worker is free
 * (a task still holding it would keep this one waiting). Then four again. */
static void check_the_one_worker_is_free(auth0_webauth *web) {
    char *out = NULL;
    auth0_task *quick = start(web, "client.buildAuthorizeUrl", "{\"state\":\"s\"}", NULL);
    CHECK_STATUS(auth0_task_wait(quick, 30000, &out), AUTH0_OK);
    CHECK_CONTAINS(out, "/authorize?");
    auth0_string_free(out);
    auth0_task_free(quick);
    CHECK_STATUS(auth0_task_pool_start(4), AUTH0_OK);
}

TEST(a_cancelled_device_poll_gives_its_worker_back) {
    auth0_webauth *web = dt_webauth(NULL);
    char *code = NULL, *device_code, options[1024];
    auth0_task *poll;
    CHECK_STATUS(auth0_webauth_device_start(web, "{\"scope\":\"openid\"}", &code), AUTH0_OK);
    device_code = json_get_string(code, "device_code");
    snprintf(options, sizeof options,
             "{\"device_code\":\"%s\",\"interval\":60,\"expires_in\":600,\"timeout\":600000}",
             device_code ? device_code : "");
    CHECK_STATUS(auth0_task_pool_start(1), AUTH0_OK);
    poll = start(web, "device.poll", options, NULL);
    sleep_ms(100);
    auth0_task_cancel(poll);
    CHECK_STATUS(auth0_task_poll(poll, NULL), AUTH0_ERROR_CANCELLED);
    check_the_one_worker_is_free(web);
    CHECK_STATUS(auth0_task_pool_start(0), AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_task_free(poll);
    free(device_code);
    auth0_string_free(code);
    auth0_webauth_free(web);
}

TEST(a_cancelled_request_in_flight_gives_its_worker_back) {
    int port = 0, fd = hung_server(&port);
    auth0_webauth *web = dt_webauth(NULL), *hung = NULL;
    char options[256];
    auth0_task *login;
    /* Left alone, the request would hold its worker for ten minutes. */
    snprintf(options, sizeof options,
             "{\"domain\":\"http://127.0.0.1:%d\",\"clientID\":\"c\",\"timeout\":600000,"
             "\"_sendTelemetry\":false}",
             port);
    CHECK_STATUS(auth0_webauth_new(options, &hung, NULL), AUTH0_OK);
    CHECK_STATUS(auth0_task_pool_start(1), AUTH0_OK);
    login = start(hung, "client.login", "{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}",
                  NULL);
    sleep_ms(100); /* the request is sent and unanswered */
    auth0_task_cancel(login);
    CHECK_STATUS(auth0_task_poll(login, NULL), AUTH0_ERROR_CANCELLED);
    check_the_one_worker_is_free(web);
    auth0_task_free(login);
    auth0_webauth_free(hung);
    auth0_webauth_free(web);
    close(fd);
}

static unsigned next_random(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

TEST(a_hundred_tasks_cancelled_at_random_and_freed_in_random_order) {
    enum { MAX = 100 };
    auth0_webauth *web = dt_webauth(NULL);
    auth0_task *tasks[MAX];
    int cancelled[MAX], order[MAX], i, n = 10 * scale(), ok = 0, stopped = 0, wrong = 0;
    unsigned seed = (unsigned)time(NULL);
    char options[1024];
    login_options(options, sizeof options);
    for (i = 0; i < n; i++) {
        tasks[i] = start(web, i % 3 ? "client.login" : "parseHash",
                         i % 3 ? options : "{\"hash\":\"#error=x&state=nope\"}", NULL);
        cancelled[i] = 0;
        order[i] = i;
    }
    /* Half of them, picked at random, cancelled at random moments. */
    for (i = 0; i < n / 2; i++) {
        int k = (int)(next_random(&seed) % (unsigned)n);
        while (cancelled[k]) k = (k + 1) % n;
        cancelled[k] = 1;
        if (next_random(&seed) % 2) sleep_ms(next_random(&seed) % 4);
        auth0_task_cancel(tasks[k]);
    }
    for (i = n - 1; i > 0; i--) {
        int j = (int)(next_random(&seed) % (unsigned)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (i = 0; i < n; i++) {
        int k = order[i];
        /* A quarter freed without looking at them (maybe still running). */
        if (i % 4 == 0) {
            auth0_task_free(tasks[k]);
            continue;
        }
        {
            auth0_status s = auth0_task_wait(tasks[k], -1, NULL);
            int expected = k % 3 ? AUTH0_OK : AUTH0_ERROR_INVALID_TOKEN;
            if (s == AUTH0_ERROR_CANCELLED && cancelled[k])
                stopped++;
            else if ((int)s == expected)
                ok++;
            else {
                if (wrong++ == 0)
                    h_fail_at(__FILE__, __LINE__, "task %d (cancelled %d) gave %s", k,
                              cancelled[k], h_status_name(s));
            }
        }
        auth0_task_free(tasks[k]);
    }
    CHECK(wrong == 0);
    CHECK(ok + stopped == n - (n + 3) / 4);
    auth0_webauth_free(web);
}

typedef struct {
    auth0_task *task;
    int final_status;
    int changed_after_final;
} poller;

static void *poll_until_final(void *arg) {
    poller *p = (poller *)arg;
    auth0_status s;
    while ((s = auth0_task_poll(p->task, NULL)) == AUTH0_PENDING) {
    }
    p->final_status = (int)s;
    for (int i = 0; i < 1000; i++)
        if (auth0_task_poll(p->task, NULL) != s) p->changed_after_final = 1;
    return NULL;
}

TEST(polling_from_one_thread_while_another_cancels) {
    auth0_webauth *web = dt_webauth(NULL);
    char options[1024];
    unsigned seed = 7;
    int i, rounds = 2 * scale();
    login_options(options, sizeof options);
    for (i = 0; i < rounds; i++) {
        poller p = {NULL, -1, 0};
        pthread_t th;
        p.task = start(web, "client.login", options, NULL);
        pthread_create(&th, NULL, poll_until_final, &p);
        sleep_ms(next_random(&seed) % 3);
        auth0_task_cancel(p.task);
        pthread_join(th, NULL);
        CHECK(p.final_status == AUTH0_OK || p.final_status == AUTH0_ERROR_CANCELLED);
        CHECK(p.changed_after_final == 0);
        CHECK(auth0_task_poll(p.task, NULL) == (auth0_status)p.final_status);
        auth0_task_free(p.task);
    }
    auth0_webauth_free(web);
}

/* ---- callbacks ----------------------------------------------------------- */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int calls;
    int last_status;
    int on_main;
    int json_ok;
    int free_inside;
} recorder;

static pthread_t main_thread;

static void record(auth0_task *task, auth0_status status, const char *json, void *user_data) {
    recorder *r = (recorder *)user_data;
    pthread_mutex_lock(&r->lock);
    r->calls++;
    r->last_status = (int)status;
    r->on_main += pthread_equal(pthread_self(), main_thread) ? 1 : 0;
    r->json_ok += json != NULL && json[0] == '{';
    if (r->free_inside) auth0_task_free(task);
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

static void recorder_init(recorder *r) {
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
}

static void wait_calls(recorder *r, int n) {
    pthread_mutex_lock(&r->lock);
    while (r->calls < n) pthread_cond_wait(&r->cond, &r->lock);
    pthread_mutex_unlock(&r->lock);
}

TEST(dispatch_runs_the_callbacks_on_the_calling_thread_only) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_task_options opts;
    auth0_task *tasks[3];
    recorder r;
    char options[1024];
    int i, port = 0, fd = hung_server(&port);
    auth0_webauth *hung = hung_webauth(port);
    recorder_init(&r);
    login_options(options, sizeof options);
    while (auth0_dispatch(0) > 0) {
    }
    memset(&opts, 0, sizeof opts);
    opts.on_done = record;
    opts.delivery = AUTH0_DELIVER_ON_DISPATCH;
    opts.user_data = &r;
    tasks[0] = start(web, "client.login", options, &opts);
    tasks[1] = start(web, "authorize", NULL, &opts);
    CHECK_STATUS(auth0_task_wait(tasks[0], -1, NULL), AUTH0_OK);
    CHECK_STATUS(auth0_task_wait(tasks[1], -1, NULL), AUTH0_OK);
    tasks[2] = start(hung, "client.login", "{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}",
                     &opts);
    auth0_task_cancel(tasks[2]);
    CHECK(r.calls == 0); /* nothing runs before auth0_dispatch */
    CHECK(auth0_dispatch(1) == 1);
    CHECK(r.calls == 1);
    CHECK(auth0_dispatch(0) == 2);
    CHECK(r.calls == 3);
    CHECK(r.on_main == 3);
    CHECK(r.json_ok == 3);
    CHECK(r.last_status == AUTH0_ERROR_CANCELLED);
    CHECK(auth0_dispatch(0) == 0);
    for (i = 0; i < 3; i++) auth0_task_free(tasks[i]);
    auth0_webauth_free(hung);
    auth0_webauth_free(web);
    close(fd);
}

TEST(a_freed_task_never_calls_back) {
    int port = 0, fd = hung_server(&port);
    auth0_webauth *hung = hung_webauth(port);
    auth0_task_options opts;
    auth0_task *task;
    recorder r;
    recorder_init(&r);
    while (auth0_dispatch(0) > 0) {
    }
    memset(&opts, 0, sizeof opts);
    opts.on_done = record;
    opts.delivery = AUTH0_DELIVER_ON_DISPATCH;
    opts.user_data = &r;
    task = start(hung, "client.login", "{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}",
                 &opts);
    auth0_task_free(task);
    CHECK(auth0_dispatch(0) == 0);
    opts.delivery = AUTH0_DELIVER_ON_LIBRARY_THREAD;
    task = start(hung, "client.login", "{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}",
                 &opts);
    auth0_task_free(task);
    sleep_ms(20);
    CHECK(r.calls == 0);
    auth0_webauth_free(hung);
    close(fd);
}

TEST(library_thread_callbacks_run_once_off_the_callers_thread) {
    auth0_webauth *web = dt_webauth(NULL);
    int port = 0, fd = hung_server(&port);
    auth0_webauth *hung = hung_webauth(port);
    auth0_task_options opts;
    auth0_task *done, *cancelled;
    recorder r;
    char options[1024];
    recorder_init(&r);
    login_options(options, sizeof options);
    memset(&opts, 0, sizeof opts);
    opts.on_done = record;
    opts.delivery = AUTH0_DELIVER_ON_LIBRARY_THREAD;
    opts.user_data = &r;
    done = start(web, "client.login", options, &opts);
    wait_calls(&r, 1);
    CHECK(r.last_status == AUTH0_OK);
    cancelled = start(hung, "client.login",
                      "{\"username\":\"u\",\"password\":\"p\",\"realm\":\"r\"}", &opts);
    auth0_task_cancel(cancelled);
    wait_calls(&r, 2);
    CHECK(r.last_status == AUTH0_ERROR_CANCELLED);
    CHECK(r.on_main == 0);
    CHECK(r.json_ok == 2);
    auth0_task_free(done);
    auth0_task_free(cancelled);
    CHECK(r.calls == 2);
    auth0_webauth_free(hung);
    auth0_webauth_free(web);
    close(fd);
}

TEST(a_callback_may_free_its_own_task) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_task_options opts;
    recorder r;
    char options[1024];
    recorder_init(&r);
    r.free_inside = 1;
    login_options(options, sizeof options);
    memset(&opts, 0, sizeof opts);
    opts.on_done = record;
    opts.user_data = &r;
    start(web, "client.login", options, &opts);
    start(web, "logout", NULL, &opts);
    wait_calls(&r, 2);
    opts.delivery = AUTH0_DELIVER_ON_DISPATCH;
    start(web, "logout", NULL, &opts);
    while (r.calls < 3) {
        auth0_dispatch(0);
        sleep_ms(1);
    }
    CHECK(r.calls == 3);
    auth0_webauth_free(web);
}

int main(int argc, char **argv) {
    static const h_test tests[] = {
        TEST_ENTRY(an_unknown_operation_is_an_invalid_argument_naming_it),
        TEST_ENTRY(a_bad_delivery_and_a_freed_task_are_invalid_arguments),
        TEST_ENTRY(pending_is_its_own_status_number),
        TEST_ENTRY(a_task_gives_what_the_blocking_call_gives),
        TEST_ENTRY(mfa_operations_run_as_tasks),
        TEST_ENTRY(management_operations_run_as_tasks),
        TEST_ENTRY(a_task_whose_handle_is_freed_while_it_runs_finishes),
        TEST_ENTRY(a_cancel_completes_a_task_with_a_request_in_flight_at_once),
        TEST_ENTRY(a_cancelled_device_poll_gives_its_worker_back),
        TEST_ENTRY(a_cancelled_request_in_flight_gives_its_worker_back),
        TEST_ENTRY(a_hundred_tasks_cancelled_at_random_and_freed_in_random_order),
        TEST_ENTRY(polling_from_one_thread_while_another_cancels),
        TEST_ENTRY(dispatch_runs_the_callbacks_on_the_calling_thread_only),
        TEST_ENTRY(a_freed_task_never_calls_back),
        TEST_ENTRY(library_thread_callbacks_run_once_off_the_callers_thread),
        TEST_ENTRY(a_callback_may_free_its_own_task),
    };
    main_thread = pthread_self();
    return h_run_all(argc, argv, tests, sizeof tests / sizeof tests[0]);
}
