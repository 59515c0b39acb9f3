/*
 * The dev tenant from the C tests: what the network tests of the suite add
 * to harness.h. Include it after harness.h, in a file that defines
 * _POSIX_C_SOURCE 200809L before any include (it uses POSIX sockets).
 *
 *   dt_env()            the tenant tests/c/run.sh started (AUTH0_TEST_*);
 *                       records a failure when a variable is missing, so a
 *                       test without a tenant FAILS, it never skips
 *   dt_webauth(extra)   a WebAuth handle on it (domain, clientID,
 *                       redirectUri) with `extra` JSON members merged in
 *   dt_get / dt_post    a tiny HTTP/1.1 client over a socket to 127.0.0.1,
 *                       for the tenant's /__dev/ endpoints (and the hosted
 *                       pages); bounded by SO_RCVTIMEO / SO_SNDTIMEO;
 *                       dt_request_ex adds headers (a Cookie) and reads
 *                       Set-Cookie, for the /activate pages
 *   dt_sign, dt_fault, dt_outbox_code   the /__dev/ endpoints the tests use
 *   json_* helpers      numbers, nested members, array items, quoting
 *                       (json_checks.h)
 *
 * Everything returned is malloc'd (release with free()), except what the
 * library returns (auth0_string_free).
 *
 * Faults are global to the tenant, and run.sh runs the test binaries in
 * parallel under valgrind: a binary only injects faults on paths no other
 * binary requests (see the comment at the top of each test_net_*.c).
 */
#ifndef AUTH0_C_TEST_DEVTENANT_H
#define AUTH0_C_TEST_DEVTENANT_H

#if !defined(_POSIX_C_SOURCE) || _POSIX_C_SOURCE < 200809L
#error "define _POSIX_C_SOURCE 200809L before any include to use devtenant.h"
#endif

#include <errno.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "json_checks.h"

/* ------------------------------------------------------------------------ */
/* The tenant                                                               */

/* The seeded users of the dev tenant (tests/devtenant/README.md). */
#define DT_USER_ID "auth0|6f0000000000000000000001"
#define DT_USER_ID_PATH "auth0%7C6f0000000000000000000001"
#define DT_OTHER_ID "auth0|6f0000000000000000000002"
#define DT_OTHER_EMAIL "other@example.com"
#define DT_OTHER_PASSWORD "Other-Passw0rd"
#define DT_MANAGEMENT_SCOPE                                                    \
    "openid read:current_user update:current_user_metadata update:current_user_identities"

typedef struct {
    const char *domain;     /* "http://127.0.0.1:PORT" */
    const char *client_id;
    const char *username;   /* the first seeded user's email */
    const char *password;
    const char *connection; /* the database connection */
    int port;
} dt_tenant;

/* The tenant run.sh started, from AUTH0_TEST_*; NULL after recording a
 * failure when a variable is missing or the domain is not a loopback URL. */
static inline const dt_tenant *dt_env_at(const char *file, int line) {
    static dt_tenant t;
    static const char *const names[] = {"AUTH0_TEST_DOMAIN", "AUTH0_TEST_CLIENT_ID",
                                        "AUTH0_TEST_USERNAME", "AUTH0_TEST_PASSWORD",
                                        "AUTH0_TEST_CONNECTION"};
    const char *values[5];
    const char *prefix = "http://127.0.0.1:";
    char *end;
    long port;
    size_t i;
    for (i = 0; i < 5; i++) {
        values[i] = getenv(names[i]);
        if (values[i] == NULL || values[i][0] == '\0') {
            h_fail_at(file, line, "%s is not set: run the network tests with tests/c/run.sh, "
                      "which starts the dev tenant", names[i]);
            return NULL;
        }
    }
    if (strncmp(values[0], prefix, strlen(prefix)) != 0) {
        h_fail_at(file, line, "AUTH0_TEST_DOMAIN=%s is not http://127.0.0.1:PORT", values[0]);
        return NULL;
    }
    port = strtol(values[0] + strlen(prefix), &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) {
        h_fail_at(file, line, "AUTH0_TEST_DOMAIN=%s has no valid port", values[0]);
        return NULL;
    }
    t.domain = values[0];
    t.client_id = values[1];
    t.username = values[2];
    t.password = values[3];
    t.connection = values[4];
    t.port = (int)port;
    return &t;
}
#define dt_env() dt_env_at(__FILE__, __LINE__)

/* The callback URL the tests' handles use (any port is accepted). */
#define DT_REDIRECT_URI "http://127.0.0.1:7777/callback"

/* A WebAuth handle on the tenant: domain, clientID and redirectUri, plus
 * `extra` (JSON object members without braces, e.g.
 * "\"scope\":\"openid email\"", or NULL). NULL after recording a failure. */
static inline auth0_webauth *dt_webauth_at(const char *extra, const char *file, int line) {
    const dt_tenant *t = dt_env_at(file, line);
    char options[4096];
    auth0_webauth *web = NULL;
    char *error = NULL;
    auth0_status status;
    if (t == NULL) return NULL;
    snprintf(options, sizeof options,
             "{\"domain\":\"%s\",\"clientID\":\"%s\",\"redirectUri\":\"" DT_REDIRECT_URI
             "\",\"_sendTelemetry\":false%s%s}",
             t->domain, t->client_id, extra ? "," : "", extra ? extra : "");
    status = auth0_webauth_new(options, &web, &error);
    if (status != AUTH0_OK)
        h_fail_at(file, line, "auth0_webauth_new(%s) gave %s: %s", options,
                  h_status_name(status), error ? error : "(NULL)");
    auth0_string_free(error);
    return web;
}
#define dt_webauth(extra) dt_webauth_at((extra), __FILE__, __LINE__)

/* A unique e-mail address for this process: the tenant lives for the whole
 * run.sh run, and the binaries run three times (shared, static, valgrind),
 * some of them at once. */
static inline void dt_unique_email(char *buf, size_t cap, const char *tag) {
    static unsigned counter;
    snprintf(buf, cap, "c-%s-%ld-%ld-%u@example.com", tag, (long)getpid(), (long)time(NULL),
             ++counter);
}

/* ------------------------------------------------------------------------ */
/* A tiny HTTP/1.1 client for 127.0.0.1                                     */

typedef struct {
    int status;     /* 0 when no answer was read */
    char *location; /* the Location header, or NULL */
    char *body;     /* NUL-terminated (chunked bodies decoded), or NULL */
} dt_response;

static inline void dt_response_free(dt_response *r) {
    free(r->location);
    free(r->body);
    r->location = r->body = NULL;
}

/* The value of header `name` in the header block `head` (which ends at the
 * empty line), malloc'd, or NULL. */
static inline char *dt_header(const char *head, const char *name) {
    size_t n = strlen(name);
    const char *line = strstr(head, "\r\n");
    while (line != NULL && line[2] != '\r' && line[2] != '\0') {
        const char *start = line + 2, *end = strstr(start, "\r\n");
        if (end == NULL) return NULL;
        if ((size_t)(end - start) > n && strncasecmp(start, name, n) == 0 && start[n] == ':') {
            const char *v = start + n + 1;
            char *out;
            while (v < end && (*v == ' ' || *v == '\t')) v++;
            out = (char *)malloc((size_t)(end - v) + 1);
            if (!out) return NULL;
            memcpy(out, v, (size_t)(end - v));
            out[end - v] = '\0';
            return out;
        }
        line = end;
    }
    return NULL;
}

/* Decodes the chunked body `body` (`len` bytes) into `out` (when not NULL;
 * it needs `len` bytes); returns the decoded length, or -1 while the body
 * is incomplete or when it is malformed. */
static inline long dt_dechunk(char *body, size_t len, char *out) {
    size_t in = 0, n = 0;
    for (;;) {
        char *end;
        unsigned long size;
        char *crlf = NULL;
        size_t i;
        for (i = in; i + 1 < len; i++)
            if (body[i] == '\r' && body[i + 1] == '\n') {
                crlf = body + i;
                break;
            }
        if (crlf == NULL) return -1;
        size = strtoul(body + in, &end, 16);
        if (end == body + in) return -1;
        in = (size_t)(crlf - body) + 2;
        if (size == 0) return (long)n; /* trailers are ignored */
        if (in + size + 2 > len) return -1;
        if (out) memcpy(out + n, body + in, size);
        n += size;
        in += size + 2;
    }
}

/* Sends one request to 127.0.0.1:`port` and reads the whole answer
 * (Content-Length, chunked, or up to the close). `body` may be NULL;
 * `headers` (may be NULL) are extra header lines, each ending in CRLF
 * (e.g. "Cookie: auth0=...\r\n"); when `set_cookie` is not NULL it gets
 * the name=value part of the answer's Set-Cookie (malloc'd) or NULL;
 * `timeout_secs` bounds each send and receive (0: 15 s; the library's
 * loopback listener answers only after the code exchange, which takes
 * long under valgrind with the whole suite running). Returns 1 with `*r`
 * filled, or 0 with `*r` empty after printing why to stderr. Safe on any
 * thread (records no failure itself). */
static inline int dt_request_ex(int port, const char *method, const char *path,
                                const char *content_type, const char *headers,
                                const char *body, dt_response *r, char **set_cookie,
                                int timeout_secs) {
    struct sockaddr_in addr;
    struct timeval tv;
    size_t body_len = body ? strlen(body) : 0, cap = 8192, len = 0, sent = 0;
    size_t head_len = 0, request_len;
    char *request = NULL, *buf = NULL, *head_end = NULL;
    char *length_header = NULL, *te = NULL;
    long content_length = -1;
    int fd = -1, ok = 0, chunked = 0;

    memset(r, 0, sizeof *r);
    if (set_cookie) *set_cookie = NULL;
    request_len = strlen(method) + strlen(path) + body_len + (headers ? strlen(headers) : 0) + 256;
    request = (char *)malloc(request_len);
    buf = (char *)malloc(cap + 1);
    if (!request || !buf) goto done;
    snprintf(request, request_len,
             "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
             "Accept: application/json\r\n%s%s%s%sContent-Length: %lu\r\n\r\n",
             method, path, port, content_type ? "Content-Type: " : "",
             content_type ? content_type : "", content_type ? "\r\n" : "",
             headers ? headers : "", (unsigned long)body_len);
    if (body) strcat(request, body);
    request_len = strlen(request);

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) goto done;
    tv.tv_sec = timeout_secs > 0 ? timeout_secs : 15; /* the tenant answers in ms; this bounds a hang */
    tv.tv_usec = 0;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) goto done;
    while (sent < request_len) {
        ssize_t n = send(fd, request + sent, request_len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) goto done;
        sent += (size_t)n;
    }

    for (;;) {
        ssize_t n;
        if (head_end != NULL) {
            size_t have = len - head_len;
            if (content_length >= 0 && have >= (size_t)content_length) break;
            if (chunked && dt_dechunk(buf + head_len, have, NULL) >= 0) break;
        }
        if (len == cap) {
            char *bigger;
            if (cap >= ((size_t)16 << 20)) goto done; /* 16 MiB: not our tenant */
            bigger = (char *)realloc(buf, cap * 2 + 1);
            if (!bigger) goto done;
            buf = bigger;
            cap *= 2;
        }
        n = recv(fd, buf + len, cap - len, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) goto done; /* including the SO_RCVTIMEO timeout */
        if (n == 0) break;    /* closed: the answer is complete */
        len += (size_t)n;
        buf[len] = '\0';
        if (head_end == NULL && (head_end = strstr(buf, "\r\n\r\n")) != NULL) {
            head_len = (size_t)(head_end - buf) + 4;
            head_end[2] = '\0'; /* the header block ends with its last CRLF */
            length_header = dt_header(buf, "Content-Length");
            te = dt_header(buf, "Transfer-Encoding");
            if (length_header) content_length = strtol(length_header, NULL, 10);
            chunked = te != NULL && strcasecmp(te, "chunked") == 0;
            if (strcmp(method, "HEAD") == 0) content_length = 0;
            if (strncmp(buf, "HTTP/1.", 7) != 0 || strlen(buf) < 12) goto done;
            r->status = atoi(buf + 9);
            if (r->status == 204 || r->status == 304) content_length = 0;
            r->location = dt_header(buf, "Location");
            if (set_cookie && (*set_cookie = dt_header(buf, "Set-Cookie")) != NULL)
                (*set_cookie)[strcspn(*set_cookie, ";")] = '\0'; /* name=value */
        }
    }
    if (head_end == NULL) goto done;
    {
        size_t have = len - head_len;
        char *b = (char *)malloc(have + 1);
        if (!b) goto done;
        if (chunked) {
            long n = dt_dechunk(buf + head_len, have, b);
            if (n < 0) {
                free(b);
                goto done;
            }
            b[n] = '\0';
        } else {
            if (content_length >= 0) {
                if (have < (size_t)content_length) {
                    free(b);
                    goto done; /* closed early */
                }
                have = (size_t)content_length;
            }
            memcpy(b, buf + head_len, have);
            b[have] = '\0';
        }
        r->body = b;
    }
    ok = 1;
done:
    if (!ok) {
        fprintf(stderr, "dev tenant: %s %s on port %d failed (errno %d: %s)\n", method, path,
                port, errno, strerror(errno));
        dt_response_free(r);
        r->status = 0;
        if (set_cookie) {
            free(*set_cookie);
            *set_cookie = NULL;
        }
    }
    if (fd >= 0) close(fd);
    free(length_header);
    free(te);
    free(request);
    free(buf);
    return ok;
}

/* dt_request_ex without extra headers or cookies. */
static inline int dt_request_port(int port, const char *method, const char *path,
                                  const char *content_type, const char *body, dt_response *r) {
    return dt_request_ex(port, method, path, content_type, NULL, body, r, NULL, 0);
}

/* A request to the tenant; records a failure when it gets no answer. */
static inline int dt_request_at(const char *method, const char *path, const char *content_type,
                                const char *body, dt_response *r, const char *file, int line) {
    const dt_tenant *t = dt_env_at(file, line);
    memset(r, 0, sizeof *r);
    if (t == NULL) return 0;
    if (!dt_request_port(t->port, method, path, content_type, body, r)) {
        h_fail_at(file, line, "no answer from the dev tenant to %s %s", method, path);
        return 0;
    }
    return 1;
}

/* GET `path` of the tenant: the body (malloc'd) of a 2xx answer, or NULL
 * after recording a failure. */
static inline char *dt_get_at(const char *path, const char *file, int line) {
    dt_response r;
    if (!dt_request_at("GET", path, NULL, NULL, &r, file, line)) return NULL;
    free(r.location);
    if (r.status < 200 || r.status > 299) {
        h_fail_at(file, line, "GET %s: status %d: %s", path, r.status, r.body ? r.body : "");
        free(r.body);
        return NULL;
    }
    return r.body;
}
#define dt_get(path) dt_get_at((path), __FILE__, __LINE__)

/* POST the JSON `body` to `path`: the body of a 2xx answer, or NULL. */
static inline char *dt_post_at(const char *path, const char *json, const char *file, int line) {
    dt_response r;
    if (!dt_request_at("POST", path, "application/json", json, &r, file, line)) return NULL;
    free(r.location);
    if (r.status < 200 || r.status > 299) {
        h_fail_at(file, line, "POST %s %s: status %d: %s", path, json, r.status,
                  r.body ? r.body : "");
        free(r.body);
        return NULL;
    }
    return r.body;
}
#define dt_post(path, json) dt_post_at((path), (json), __FILE__, __LINE__)

/* A token signed by the tenant's key: `/__dev/sign` with `claims` (a JSON
 * object over the defaults iss, aud, sub, iat, exp). malloc'd, or NULL. */
static inline char *dt_sign_at(const char *claims, const char *file, int line) {
    char body[2048];
    char *answer, *token;
    snprintf(body, sizeof body, "{\"claims\":%s}", claims);
    answer = dt_post_at("/__dev/sign", body, file, line);
    token = json_get_string(answer, "token");
    if (answer && !token) h_fail_at(file, line, "/__dev/sign answered %s", answer);
    free(answer);
    return token;
}
#define dt_sign(claims) dt_sign_at((claims), __FILE__, __LINE__)

/* Injects a fault (`/__dev/faults`); returns whether the tenant took it. */
static inline int dt_fault_at(const char *fault, const char *file, int line) {
    char *answer = dt_post_at("/__dev/faults", fault, file, line);
    free(answer);
    return answer != NULL;
}
#define dt_fault(fault) dt_fault_at((fault), __FILE__, __LINE__)

/* The code of the latest outbox message to `to` (e-mail or phone number),
 * malloc'd, or NULL after recording a failure. */
static inline char *dt_outbox_code_at(const char *to, const char *file, int line) {
    char path[512];
    char *encoded = url_encode(to), *outbox, *last = NULL, *code = NULL;
    long n;
    if (!encoded) return NULL;
    snprintf(path, sizeof path, "/__dev/outbox?to=%s", encoded);
    free(encoded);
    outbox = dt_get_at(path, file, line);
    n = json_array_length(outbox);
    if (n > 0) last = json_array_item(outbox, (size_t)(n - 1));
    code = json_get_string(last, "code");
    if (outbox && !code) h_fail_at(file, line, "no code for %s in the outbox: %s", to, outbox);
    free(last);
    free(outbox);
    return code;
}
#define dt_outbox_code(to) dt_outbox_code_at((to), __FILE__, __LINE__)

/* A loopback port nothing listens on: bound, read, closed. 0 on failure. */
static inline int dt_closed_port(void) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;
    if (fd < 0) return 0;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

/* ------------------------------------------------------------------------ */
/* Calls the tests repeat                                                   */

/* auth0_webauth_login (password-realm) as `username`/`password` with
 * `extra` options (members without braces, or NULL): the authResult, or
 * NULL after recording a failure. Release with auth0_string_free. */
static inline char *dt_login_as_at(const auth0_webauth *web, const char *username,
                                   const char *password, const char *extra, const char *file,
                                   int line) {
    const dt_tenant *t = dt_env_at(file, line);
    char options[2048];
    char *out = NULL;
    auth0_status status;
    if (t == NULL || web == NULL) return NULL;
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"%s\",\"realm\":\"%s\"%s%s}", username,
             password, t->connection, extra ? "," : "", extra ? extra : "");
    status = auth0_webauth_login(web, options, &out);
    if (status != AUTH0_OK) {
        h_fail_at(file, line, "auth0_webauth_login as %s gave %s: %s", username,
                  h_status_name(status), out ? out : "(NULL)");
        auth0_string_free(out);
        return NULL;
    }
    return out;
}
#define dt_login_as(web, username, password, extra)                            \
    dt_login_as_at((web), (username), (password), (extra), __FILE__, __LINE__)
#define dt_login(web, extra)                                                   \
    (dt_env() ? dt_login_as((web), dt_env()->username, dt_env()->password, (extra)) : NULL)

/* A string member of a library result, malloc'd; records a failure when it
 * is absent or empty. */
static inline char *dt_result_string_at(const char *json, const char *key, const char *file,
                                        int line) {
    char *s = json_get_string(json, key);
    if (s == NULL || s[0] == '\0') {
        h_fail_at(file, line, "no \"%s\" in %s", key, json ? json : "(NULL)");
        free(s);
        return NULL;
    }
    return s;
}
#define dt_result_string(json, key) dt_result_string_at((json), (key), __FILE__, __LINE__)

/* A Management API access token of a user (password-realm with the
 * /api/v2/ audience and the current-user scopes), malloc'd, or NULL. */
static inline char *dt_management_token_at(const char *username, const char *password,
                                           const char *file, int line) {
    const dt_tenant *t = dt_env_at(file, line);
    auth0_webauth *web = dt_webauth_at(NULL, file, line);
    char extra[512];
    char *result, *token;
    if (t == NULL || web == NULL) {
        auth0_webauth_free(web);
        return NULL;
    }
    snprintf(extra, sizeof extra, "\"audience\":\"%s/api/v2/\",\"scope\":\"" DT_MANAGEMENT_SCOPE "\"",
             t->domain);
    result = dt_login_as_at(web, username, password, extra, file, line);
    token = result ? dt_result_string_at(result, "accessToken", file, line) : NULL;
    auth0_string_free(result);
    auth0_webauth_free(web);
    return token;
}
#define dt_management_token(username, password)                                \
    dt_management_token_at((username), (password), __FILE__, __LINE__)

/* A Management handle on the tenant with `token` and `extra` options. */
static inline auth0_management *dt_management_at(const char *token, const char *extra,
                                                  const char *file, int line) {
    const dt_tenant *t = dt_env_at(file, line);
    auth0_management *m = NULL;
    char *error = NULL, *quoted;
    char *options;
    size_t cap;
    auth0_status status;
    if (t == NULL || token == NULL) return NULL;
    quoted = json_quote(token);
    if (!quoted) return NULL;
    cap = strlen(quoted) + (extra ? strlen(extra) : 0) + 256;
    options = (char *)malloc(cap);
    if (!options) {
        free(quoted);
        return NULL;
    }
    snprintf(options, cap, "{\"domain\":\"%s\",\"token\":%s%s%s}", t->domain, quoted,
             extra ? "," : "", extra ? extra : "");
    status = auth0_management_new(options, &m, &error);
    if (status != AUTH0_OK)
        h_fail_at(file, line, "auth0_management_new gave %s: %s", h_status_name(status),
                  error ? error : "(NULL)");
    auth0_string_free(error);
    free(options);
    free(quoted);
    return m;
}
#define dt_management(token, extra) dt_management_at((token), (extra), __FILE__, __LINE__)

#endif /* AUTH0_C_TEST_DEVTENANT_H */
