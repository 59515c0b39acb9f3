/*
 * The loopback listener of auth0_webauth_popup_authorize against other
 * local programs: a request whose Host is not the listener's own
 * (127.0.0.1, [::1] or localhost on its port) is answered 400 and does not
 * end the login, even with the right state (DNS rebinding); sockets that
 * connect and send nothing do not keep the real callback out.
 *
 * No tenant is contacted: the "browser" answers the listener with the
 * tenant's refusal (error=access_denied and the transaction's state).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "devtenant.h"

#define OFFLINE_WEBAUTH "{\"domain\":\"http://127.0.0.1:9\",\"clientID\":\"c\"}"
#define SILENT_SOCKETS 36 /* past the listener's cap of 32 */

static int connect_loopback(int port) {
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends `request` as it is; the status of the answer, 0 when none came. */
static int raw_status(int port, const char *request) {
    char answer[32];
    size_t got = 0;
    ssize_t n;
    int fd = connect_loopback(port), status = 0;
    if (fd < 0) return 0;
    if (write(fd, request, strlen(request)) == (ssize_t)strlen(request)) {
        while (got < sizeof answer - 1 && (n = read(fd, answer + got, sizeof answer - 1 - got)) > 0)
            got += (size_t)n;
        answer[got] = '\0';
        if (strncmp(answer, "HTTP/1.1 ", 9) == 0) status = atoi(answer + 9);
    }
    close(fd);
    return status;
}

typedef struct {
    pthread_t thread;
    int started;
    int port;
    char *state;
    char *path; /* the redirect path, "/callback" */
    int silent[SILENT_SOCKETS];
    int foreign_status, hostless_status, own_status;
} browser;

static void *browse(void *arg) {
    browser *b = (browser *)arg;
    char request[1024];
    size_t i;
    for (i = 0; i < SILENT_SOCKETS; i++) b->silent[i] = connect_loopback(b->port);
    snprintf(request, sizeof request,
             "GET %s?error=access_denied&state=%s HTTP/1.1\r\nHost: rebound.example:%d\r\n"
             "Connection: close\r\n\r\n",
             b->path, b->state, b->port);
    b->foreign_status = raw_status(b->port, request);
    snprintf(request, sizeof request,
             "GET %s?error=access_denied&state=%s HTTP/1.1\r\nConnection: close\r\n\r\n", b->path,
             b->state);
    b->hostless_status = raw_status(b->port, request);
    snprintf(request, sizeof request,
             "GET %s?error=access_denied&state=%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
             "Connection: close\r\n\r\n",
             b->path, b->state, b->port);
    b->own_status = raw_status(b->port, request);
    for (i = 0; i < SILENT_SOCKETS; i++)
        if (b->silent[i] >= 0) close(b->silent[i]);
    return NULL;
}

static int open_url(const char *url, void *user_data) {
    browser *b = (browser *)user_data;
    char *redirect = url_query_param(url, "redirect_uri");
    const char *prefix = "http://127.0.0.1:";
    char *end = NULL;
    int ok = 0;
    b->state = url_query_param(url, "state");
    if (redirect == NULL || b->state == NULL || strncmp(redirect, prefix, strlen(prefix)) != 0)
        goto done;
    b->port = (int)strtol(redirect + strlen(prefix), &end, 10);
    b->path = strdup(end);
    if (b->path == NULL || pthread_create(&b->thread, NULL, browse, b) != 0) goto done;
    b->started = 1;
    ok = 1;
done:
    free(redirect);
    return ok ? 0 : 1;
}

TEST(a_foreign_host_is_refused_and_silent_sockets_do_not_keep_the_callback_out) {
    auth0_webauth *web = NULL;
    browser b;
    char *out = NULL;
    memset(&b, 0, sizeof b);
    if (!CHECK_STATUS(auth0_webauth_new(OFFLINE_WEBAUTH, &web, NULL), AUTH0_OK)) return;
    CHECK_STATUS(auth0_webauth_popup_authorize(
                     web, "{\"redirectUri\":\"http://127.0.0.1:0/callback\",\"timeout\":60000}",
                     open_url, &b, NULL, &out),
                 AUTH0_ERROR_AUTHORIZATION);
    CHECK_JSON_STR(out, "error", "access_denied");
    if (b.started) pthread_join(b.thread, NULL);
    CHECK(b.foreign_status == 400);
    CHECK(b.hostless_status == 400);
    CHECK(b.own_status == 400); /* the error page of the refusal */
    free(b.state);
    free(b.path);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(a_foreign_host_is_refused_and_silent_sockets_do_not_keep_the_callback_out))
