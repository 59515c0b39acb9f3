/*
 * What the user would do in a browser, done by the program itself, for the
 * unattended demos of desktop_login.c (--headless-demo) and
 * kiosk_device_login.c (--auto-approve) against the LOCAL DEV TENANT
 * (tests/devtenant, http://127.0.0.1:PORT).
 *
 * A real application never does any of this: it shows the login page (or
 * the device code) and the user types the password into the tenant's page,
 * never into the application. This file only exists so that the examples
 * can run end to end in CI, without a person.
 *
 *   demo_complete_login()   logs in and completes an /authorize URL without
 *                           a form: POST /co/authenticate gives a
 *                           login_ticket, /authorize?...&login_ticket=
 *                           answers 302 to the app's loopback callback,
 *                           which is then requested like a browser would
 *   demo_approve_device()   the /activate pages: log in, press Confirm
 *
 * A tiny HTTP/1.1 client over a socket to 127.0.0.1 (no TLS, no chunked
 * bodies: enough for the dev tenant and the library's loopback listener).
 * Include it in a file that defines _POSIX_C_SOURCE 200809L first.
 */
#ifndef AUTH0_EXAMPLES_DEMO_DEVTENANT_H
#define AUTH0_EXAMPLES_DEMO_DEVTENANT_H

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* An answer: status (0 when none), and the headers the demos need. */
typedef struct {
    int status;
    char location[2048]; /* Location, or "" */
    char cookie[512];    /* name=value of Set-Cookie, or "" */
    char *body;          /* malloc'd, NUL-terminated, or NULL */
} demo_response;

/* The value of header `name` in the header block [head, head_end) copied
 * into `out` (cut at `stop`, e.g. ";"), or "" when absent. */
static inline void demo_header(const char *head, const char *head_end, const char *name,
                               const char *stop, char *out, size_t cap) {
    size_t n = strlen(name);
    const char *line = strstr(head, "\r\n");
    out[0] = '\0';
    while (line != NULL && line + 2 < head_end) {
        const char *start = line + 2, *end = strstr(start, "\r\n");
        if (end == NULL) return;
        if (strncasecmp(start, name, n) == 0 && start[n] == ':') {
            const char *v = start + n + 1;
            size_t len;
            while (*v == ' ') v++;
            len = (size_t)(end - v);
            if (stop) {
                size_t s = strcspn(v, stop);
                if (s < len) len = s;
            }
            if (len >= cap) len = cap - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return;
        }
        line = end;
    }
}

/* One request to 127.0.0.1:`port`; reads the answer up to the close
 * (Connection: close). `content_type`, `cookie` and `body` may be NULL.
 * Returns 0 with `*r` filled (free r->body), -1 on a network error. */
static inline int demo_http(int port, const char *method, const char *path,
                            const char *content_type, const char *cookie, const char *body,
                            demo_response *r) {
    struct sockaddr_in addr;
    /* Bounds a hang. The app's listener answers only once the login is
     * complete (code exchanged, id_token verified): allow for a slow
     * machine (or valgrind). */
    struct timeval tv = {120, 0};
    char head[4096];
    char *buf = NULL, *head_end, *bigger;
    size_t len = 0, cap = 16384, sent = 0, head_len;
    int fd, ok = -1;
    long content_length = -1;

    memset(r, 0, sizeof *r);
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
             "%s%s%s%s%s%sContent-Length: %lu\r\n\r\n",
             method, path, port, content_type ? "Content-Type: " : "",
             content_type ? content_type : "", content_type ? "\r\n" : "",
             cookie ? "Cookie: " : "", cookie ? cookie : "", cookie ? "\r\n" : "",
             (unsigned long)(body ? strlen(body) : 0));
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) goto done;
    /* The head, then the body. */
    for (int part = 0; part < 2; part++) {
        const char *data = part == 0 ? head : (body ? body : "");
        size_t total = strlen(data);
        for (sent = 0; sent < total;) {
            ssize_t n = send(fd, data + sent, total - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) goto done;
            sent += (size_t)n;
        }
    }
    /* The answer, up to the close. */
    if ((buf = (char *)malloc(cap + 1)) == NULL) goto done;
    for (;;) {
        ssize_t n;
        if (len == cap) {
            if (cap >= ((size_t)8 << 20) || (bigger = (char *)realloc(buf, cap * 2 + 1)) == NULL)
                goto done;
            buf = bigger;
            cap *= 2;
        }
        n = recv(fd, buf + len, cap - len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) goto done;
        if (n == 0) break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    head_end = strstr(buf, "\r\n\r\n");
    if (head_end == NULL || strncmp(buf, "HTTP/1.", 7) != 0 || len < 12) goto done;
    r->status = atoi(buf + 9);
    demo_header(buf, head_end + 2, "Location", NULL, r->location, sizeof r->location);
    demo_header(buf, head_end + 2, "Set-Cookie", ";", r->cookie, sizeof r->cookie);
    {
        char value[32];
        demo_header(buf, head_end + 2, "Content-Length", NULL, value, sizeof value);
        if (value[0]) content_length = strtol(value, NULL, 10);
    }
    head_len = (size_t)(head_end - buf) + 4;
    if (content_length >= 0 && (size_t)content_length < len - head_len)
        len = head_len + (size_t)content_length;
    if ((r->body = (char *)malloc(len - head_len + 1)) == NULL) goto done;
    memcpy(r->body, buf + head_len, len - head_len);
    r->body[len - head_len] = '\0';
    ok = 0;
done:
    close(fd);
    free(buf);
    return ok;
}

/* The port of a loopback domain ("http://127.0.0.1:3850" or
 * "http://localhost:3850"), or 0 when the domain is not the local dev
 * tenant (the demos refuse to run against anything else). */
static inline int demo_loopback_port(const char *url, const char **rest) {
    static const char *const prefixes[] = {"http://127.0.0.1:", "http://localhost:"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(url, prefixes[i], n) == 0) {
            char *end;
            long port = strtol(url + n, &end, 10);
            if (port < 1 || port > 65535 || end == url + n) return 0;
            if (rest) *rest = end; /* the path, "/..." or "" */
            return (int)port;
        }
    }
    return 0;
}

/* `s` percent-encoded into `out` (`cap` bytes; 3x the length suffices). */
static inline void demo_url_encode(const char *s, char *out, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (; *s && n + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
}

/* The demo user, as the demos read it from the environment. */
typedef struct {
    const char *domain, *client_id, *username, *password, *connection;
} demo_user;

/* Logs `user` in and completes `authorize_url` (the URL the library asked
 * the opener to open) as a browser would: the tenant redirects to the
 * app's loopback listener, which answers a "you are logged in" page.
 * Returns 0, or -1 after printing why. */
static inline int demo_complete_login(const demo_user *user, const char *authorize_url) {
    char form[2048], e_client[256], e_user[512], e_password[512], e_realm[256];
    char *path = NULL, ticket[256];
    const char *authorize_path, *callback_path, *p, *q;
    int port = demo_loopback_port(user->domain, NULL), callback_port, rc = -1;
    demo_response r;
    size_t cap;

    memset(&r, 0, sizeof r);
    if (port == 0 || strncmp(authorize_url, user->domain, strlen(user->domain)) != 0) {
        fprintf(stderr, "demo: only for the local dev tenant (http://127.0.0.1:PORT)\n");
        return -1;
    }
    authorize_path = authorize_url + strlen(user->domain);

    /* 1. A cross-origin login: the password for a one-time login_ticket. */
    demo_url_encode(user->client_id, e_client, sizeof e_client);
    demo_url_encode(user->username, e_user, sizeof e_user);
    demo_url_encode(user->password, e_password, sizeof e_password);
    demo_url_encode(user->connection, e_realm, sizeof e_realm);
    snprintf(form, sizeof form,
             "client_id=%s&username=%s&password=%s&realm=%s&credential_type="
             "http%%3A%%2F%%2Fauth0.com%%2Foauth%%2Fgrant-type%%2Fpassword-realm",
             e_client, e_user, e_password, e_realm);
    memset(e_password, 0, sizeof e_password);
    if (demo_http(port, "POST", "/co/authenticate", "application/x-www-form-urlencoded", NULL,
                  form, &r) != 0 ||
        r.status != 200 || r.body == NULL ||
        (p = strstr(r.body, "\"login_ticket\":\"")) == NULL) {
        fprintf(stderr, "demo: /co/authenticate failed (status %d)\n", r.status);
        goto done;
    }
    memset(form, 0, sizeof form);
    p += strlen("\"login_ticket\":\"");
    q = strchr(p, '"');
    if (q == NULL || (size_t)(q - p) >= sizeof ticket) goto done;
    memcpy(ticket, p, (size_t)(q - p));
    ticket[q - p] = '\0';
    free(r.body);
    r.body = NULL;

    /* 2. The /authorize URL with the ticket: 302 to the loopback callback. */
    cap = strlen(authorize_path) + strlen(ticket) + 32;
    if ((path = (char *)malloc(cap)) == NULL) goto done;
    snprintf(path, cap, "%s&login_ticket=%s", authorize_path, ticket);
    if (demo_http(port, "GET", path, NULL, NULL, NULL, &r) != 0 || r.status != 302 ||
        (callback_port = demo_loopback_port(r.location, &callback_path)) == 0) {
        fprintf(stderr, "demo: /authorize did not redirect to the app (status %d)\n", r.status);
        goto done;
    }
    free(r.body);
    r.body = NULL;

    /* 3. Follow the redirect to the application's listener. */
    {
        char callback[sizeof r.location];
        snprintf(callback, sizeof callback, "%s", callback_path);
        if (demo_http(callback_port, "GET", callback, NULL, NULL, NULL, &r) != 0 ||
            r.status != 200) {
            fprintf(stderr, "demo: the app's callback answered %d\n", r.status);
            goto done;
        }
    }
    rc = 0;
done:
    free(r.body);
    free(path);
    return rc;
}

/* The /activate pages for `user_code`: log in as `user`, press Confirm.
 * Returns 0, or -1 after printing why. */
static inline int demo_approve_device(const demo_user *user, const char *user_code) {
    char form[2048], e_code[128], e_user[512], e_password[512], e_connection[256];
    char cookie[512];
    int port = demo_loopback_port(user->domain, NULL), rc = -1;
    demo_response r;

    memset(&r, 0, sizeof r);
    if (port == 0) {
        fprintf(stderr, "demo: only for the local dev tenant (http://127.0.0.1:PORT)\n");
        return -1;
    }
    demo_url_encode(user_code, e_code, sizeof e_code);
    demo_url_encode(user->username, e_user, sizeof e_user);
    demo_url_encode(user->password, e_password, sizeof e_password);
    demo_url_encode(user->connection, e_connection, sizeof e_connection);

    /* The login form of /activate?user_code=...: sets the session cookie. */
    snprintf(form, sizeof form, "user_code=%s&action=login&username=%s&password=%s&connection=%s",
             e_code, e_user, e_password, e_connection);
    memset(e_password, 0, sizeof e_password);
    if (demo_http(port, "POST", "/activate", "application/x-www-form-urlencoded", NULL, form,
                  &r) != 0 ||
        r.status != 200 || r.cookie[0] == '\0') {
        fprintf(stderr, "demo: the /activate login failed (status %d)\n", r.status);
        goto done;
    }
    memset(form, 0, sizeof form);
    snprintf(cookie, sizeof cookie, "%s", r.cookie);
    free(r.body);
    r.body = NULL;

    /* The confirmation page: Confirm. */
    snprintf(form, sizeof form, "user_code=%s&action=confirm", e_code);
    if (demo_http(port, "POST", "/activate", "application/x-www-form-urlencoded", cookie, form,
                  &r) != 0 ||
        r.status != 200) {
        fprintf(stderr, "demo: /activate confirm failed (status %d)\n", r.status);
        goto done;
    }
    rc = 0;
done:
    memset(form, 0, sizeof form);
    free(r.body);
    return rc;
}

#endif /* AUTH0_EXAMPLES_DEMO_DEVTENANT_H */
