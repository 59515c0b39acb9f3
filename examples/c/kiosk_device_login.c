/*
 * kiosk_device_login: the login of a device without a keyboard or a
 * browser (a kiosk, a TV, a CLI on a server) with the device flow
 * (RFC 8628). The kiosk shows a code and a QR code; the user opens the
 * URL on a phone, logs in there and confirms; the kiosk is logged in.
 *
 *   kiosk_device_login                     wait for a real user (Ctrl+C
 *                                          cancels cleanly)
 *   kiosk_device_login --auto-approve      the demo user approves by
 *                                          itself through the dev tenant's
 *                                          /activate pages (for CI)
 *   kiosk_device_login --cancel-after-ms N sends itself SIGINT after N ms:
 *                                          the Ctrl+C path, unattended
 *
 * Configuration (environment): AUTH0_DOMAIN (default
 * http://127.0.0.1:3850, the dev tenant), AUTH0_CLIENT_ID (default
 * devtenantNativeClient00000000001); for --auto-approve AUTH0_USERNAME,
 * AUTH0_PASSWORD, AUTH0_CONNECTION (defaults: the dev tenant's user).
 *
 * What it shows:
 *   - auth0_webauth_device_login: start, then an auth0_device_code_fn
 *     callback that displays the code, then polling at the tenant's
 *     interval until the user confirms, refuses, or the code expires;
 *   - a spinner while waiting (only when stdout is a terminal);
 *   - Ctrl+C done right. The library is never called from a signal
 *     handler (nothing but async-signal-safe functions may run there).
 *     Instead SIGINT and SIGTERM are BLOCKED in every thread — main blocks
 *     them before creating any thread, and threads inherit the mask,
 *     the library's own included — and one watcher thread takes them with
 *     sigwait() and calls auth0_cancel_cancel(). The blocked call then
 *     returns AUTH0_ERROR_CANCELLED and main cleans up as usual.
 *
 * Tokens are secrets: only their lengths are printed.
 *
 * Build it by hand: see examples/c/README.md.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth0.h"
#include "demo_devtenant.h" /* only for --auto-approve */

/* ---- small helpers (a real program would use its JSON library) ------------- */

/* The string member `"key":"..."` of `json` (first match: ask only for
 * keys that occur once), decoded, malloc'd; NULL when absent. Handles the
 * escapes the library writes (\n in the QR text, \" \\ \/ \uXXXX). */
static char *json_string(const char *json, const char *key) {
    char pattern[64];
    const char *p;
    char *out, *o;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (json == NULL || (p = strstr(json, pattern)) == NULL) return NULL;
    p += strlen(pattern);
    if ((out = o = (char *)malloc(strlen(p) + 1)) == NULL) return NULL;
    for (; *p && *p != '"'; p++) {
        if (*p != '\\' || !p[1]) {
            *o++ = *p; /* UTF-8 (the QR's half blocks) comes unescaped */
            continue;
        }
        switch (*++p) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'u': { /* only ASCII is escaped this way by the library */
            unsigned v = 0;
            int i;
            for (i = 1; i <= 4 && p[i]; i++) {
                char c = p[i];
                v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
            }
            if (i == 5) p += 4;
            *o++ = v < 0x80 ? (char)v : '?';
            break;
        }
        default: *o++ = *p; /* \" \\ \/ */
        }
    }
    *o = '\0';
    return out;
}

static long token_length(const char *json, const char *key) {
    char pattern[64];
    const char *p, *q;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (json == NULL || (p = strstr(json, pattern)) == NULL) return -1;
    p += strlen(pattern);
    q = strchr(p, '"');
    return q ? (long)(q - p) : -1;
}

static int json_quote(char *buf, size_t cap, const char *s) {
    size_t n = 0;
    if (cap < 3) return 0;
    buf[n++] = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (n + 8 >= cap) return 0;
        if (c == '"' || c == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(buf + n, cap - n, "\\u%04x", c);
        } else {
            buf[n++] = (char)c;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return 1;
}

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && v[0] ? v : fallback;
}

/* A deadline `ms` from now, for pthread_cond_timedwait (CLOCK_REALTIME). */
static struct timespec deadline_in(long ms) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* ---- the kiosk's state ------------------------------------------------------ */

typedef struct {
    auth0_cancel *cancel;
    int auto_approve;
    long cancel_after_ms; /* 0: never */
    demo_user user;       /* for --auto-approve */

    /* The Ctrl+C watcher. */
    pthread_t watcher;
    sigset_t signals; /* SIGINT, SIGTERM (cancel) and SIGUSR1 (main: stop) */
    int interrupted;  /* written by the watcher, read after joining it */

    /* The spinner and the demo approver, both started by on_code. */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int done; /* the login returned: the spinner stops (under `lock`) */
    pthread_t spinner, approver;
    int spinning, approving;
    char user_code[64];
} kiosk;

/* ---- Ctrl+C: a thread that waits for the signal ----------------------------- */

/* Signals are blocked in every thread, so they stay pending until this
 * thread takes them with sigwait(): from here on it is ordinary code, and
 * auth0_cancel_cancel() is safe to call. SIGUSR1 is main() saying "the
 * login is over, stop". */
static void *watcher_main(void *arg) {
    kiosk *k = (kiosk *)arg;
    for (;;) {
        int sig = 0;
        if (k->cancel_after_ms > 0) {
            /* --cancel-after-ms: wait that long for a signal; if none came,
             * send ourselves SIGINT, exactly what Ctrl+C does. */
            struct timespec timeout;
            timeout.tv_sec = k->cancel_after_ms / 1000;
            timeout.tv_nsec = (k->cancel_after_ms % 1000) * 1000000L;
            k->cancel_after_ms = 0;
            sig = sigtimedwait(&k->signals, NULL, &timeout);
            if (sig < 0) {
                printf("\n(--cancel-after-ms: sending SIGINT to myself, like Ctrl+C)\n");
                fflush(stdout);
                kill(getpid(), SIGINT);
                continue;
            }
        } else if (sigwait(&k->signals, &sig) != 0) {
            continue;
        }
        if (sig == SIGUSR1) return NULL;
        if (!k->interrupted) {
            k->interrupted = 1;
            printf("\nCancelling...\n");
            fflush(stdout);
            auth0_cancel_cancel(k->cancel); /* the blocked call returns at once */
        }
    }
}

/* ---- the spinner (a terminal only) ------------------------------------------ */

static void *spinner_main(void *arg) {
    static const char frames[] = "|/-\\";
    kiosk *k = (kiosk *)arg;
    unsigned i = 0;
    pthread_mutex_lock(&k->lock);
    while (!k->done) {
        struct timespec next = deadline_in(120);
        printf("\r%c waiting for you to confirm on your phone (Ctrl+C cancels) ",
               frames[i++ % 4]);
        fflush(stdout);
        pthread_cond_timedwait(&k->wake, &k->lock, &next);
    }
    pthread_mutex_unlock(&k->lock);
    printf("\r%72s\r", ""); /* erase the line */
    fflush(stdout);
    return NULL;
}

/* ---- --auto-approve: the "phone" of the demo -------------------------------- */

static void *approver_main(void *arg) {
    kiosk *k = (kiosk *)arg;
    struct timespec pause = {0, 300000000L}; /* the user picks up the phone */
    nanosleep(&pause, NULL);
    if (demo_approve_device(&k->user, k->user_code) == 0) {
        printf("(demo) the user confirmed on /activate\n");
    } else {
        /* Nobody else will approve: do not wait until the code expires. */
        fprintf(stderr, "(demo) approving failed; cancelling\n");
        auth0_cancel_cancel(k->cancel);
    }
    fflush(stdout);
    return NULL;
}

/* ---- the auth0_device_code_fn: show the code -------------------------------- */

/* Called once by auth0_webauth_device_login, on main's thread, with the
 * answer of the device code request, before polling starts. `code_json`
 * is valid only during the call. */
static void on_code(const char *code_json, void *user_data) {
    kiosk *k = (kiosk *)user_data;
    char *qr = json_string(code_json, "text"); /* qr.text: a terminal QR code */
    char *user_code = json_string(code_json, "user_code");
    char *uri = json_string(code_json, "verification_uri");

    printf("\nScan this QR code with your phone:\n%s\n", qr ? qr : "(no QR code)");
    printf("or open %s\nand enter the code:  %s\n\n", uri ? uri : "(?)",
           user_code ? user_code : "(?)");
    fflush(stdout);
    if (user_code) snprintf(k->user_code, sizeof k->user_code, "%s", user_code);

    if (isatty(STDOUT_FILENO))
        k->spinning = pthread_create(&k->spinner, NULL, spinner_main, k) == 0;
    if (k->auto_approve) {
        k->approving = pthread_create(&k->approver, NULL, approver_main, k) == 0;
        if (!k->approving) auth0_cancel_cancel(k->cancel);
    }
    free(qr);
    free(user_code);
    free(uri);
}

/* ---- the program ------------------------------------------------------------ */

int main(int argc, char **argv) {
    const char *domain = env_or("AUTH0_DOMAIN", "http://127.0.0.1:3850");
    const char *client_id = env_or("AUTH0_CLIENT_ID", "devtenantNativeClient00000000001");
    char q_domain[512], q_client_id[512], options[1200];
    char *result = NULL, *email = NULL, *name = NULL, *code = NULL, *description = NULL;
    auth0_webauth *web = NULL;
    auth0_status status;
    kiosk k;
    int i, watching = 0, exit_code = 1;
    long length;

    memset(&k, 0, sizeof k);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--auto-approve") == 0) {
            k.auto_approve = 1;
        } else if (strcmp(argv[i], "--cancel-after-ms") == 0 && i + 1 < argc &&
                   (k.cancel_after_ms = strtol(argv[i + 1], NULL, 10)) > 0) {
            i++;
        } else {
            fprintf(stderr, "usage: kiosk_device_login [--auto-approve] [--cancel-after-ms N]\n");
            return 2;
        }
    }
    k.user.domain = domain;
    k.user.client_id = client_id;
    k.user.username = env_or("AUTH0_USERNAME", "dev@example.com");
    k.user.password = env_or("AUTH0_PASSWORD", "DevTenant-Passw0rd");
    k.user.connection = env_or("AUTH0_CONNECTION", "Username-Password-Authentication");
    if (!json_quote(q_domain, sizeof q_domain, domain) ||
        !json_quote(q_client_id, sizeof q_client_id, client_id)) {
        fprintf(stderr, "AUTH0_DOMAIN or AUTH0_CLIENT_ID is too long\n");
        return 2;
    }

    /* 1. Block the signals FIRST, before any thread exists (the library
     *    starts threads of its own): every thread inherits the mask, so
     *    only the watcher's sigwait() ever sees them. */
    sigemptyset(&k.signals);
    sigaddset(&k.signals, SIGINT);
    sigaddset(&k.signals, SIGTERM);
    sigaddset(&k.signals, SIGUSR1);
    if (pthread_sigmask(SIG_BLOCK, &k.signals, NULL) != 0) {
        fprintf(stderr, "pthread_sigmask failed\n");
        return 1;
    }
    pthread_mutex_init(&k.lock, NULL);
    pthread_cond_init(&k.wake, NULL);

    /* 2. A cancel token for this one login, and the thread that fires it. */
    k.cancel = auth0_cancel_new();
    if (k.cancel == NULL) goto done;
    watching = pthread_create(&k.watcher, NULL, watcher_main, &k) == 0;
    if (!watching) goto done;

    /* 3. The handle. */
    printf("auth0-native %s, tenant %s\n", auth0_version(), domain);
    snprintf(options, sizeof options, "{\"domain\":%s,\"clientID\":%s}", q_domain, q_client_id);
    status = auth0_webauth_new(options, &web, &result);
    if (status != AUTH0_OK) {
        description = json_string(result, "description");
        fprintf(stderr, "auth0_webauth_new failed: %s: %s\n", auth0_status_name(status),
                description ? description : "(no description)");
        goto done;
    }
    auth0_string_free(result);
    result = NULL;

    /* 4. The device flow in one blocking call: the code goes to on_code,
     *    then it polls at the tenant's interval. Without a "timeout" it
     *    waits until the code expires (15 minutes on the dev tenant) or a
     *    Ctrl+C; the demo bounds it at one minute. */
    snprintf(options, sizeof options, "{\"scope\":\"openid profile email\"%s}",
             k.auto_approve ? ",\"timeout\":60000" : "");
    status = auth0_webauth_device_login(web, options, on_code, &k, k.cancel, &result);

    /* 5. Stop the helpers: the spinner (wake it), the approver (it ends by
     *    itself), the watcher (SIGUSR1, which it takes with sigwait). */
    pthread_mutex_lock(&k.lock);
    k.done = 1;
    pthread_cond_signal(&k.wake);
    pthread_mutex_unlock(&k.lock);
    if (k.spinning) pthread_join(k.spinner, NULL);
    if (k.approving) pthread_join(k.approver, NULL);

    /* 6. The outcome. */
    if (status == AUTH0_OK) {
        email = json_string(result, "email"); /* the verified id_token's claims */
        name = json_string(result, "name");
        printf("logged in as %s (%s)\n", email ? email : "(no email)", name ? name : "(no name)");
        if ((length = token_length(result, "accessToken")) >= 0)
            printf("  access token: <redacted, %ld chars>\n", length);
        if ((length = token_length(result, "idToken")) >= 0)
            printf("  id token:     <redacted, %ld chars>\n", length);
        exit_code = 0;
    } else if (status == AUTH0_ERROR_CANCELLED) {
        printf("login cancelled\n");
        exit_code = 130; /* the shell's convention for Ctrl+C */
    } else {
        /* AUTH0_ERROR_AUTHORIZATION: access_denied (the user pressed
         * Cancel) or expired_token; AUTH0_ERROR_TIMEOUT; network errors. */
        code = json_string(result, "code");
        description = json_string(result, "description");
        fprintf(stderr, "login failed: %s (%s): %s\n", auth0_status_name(status), code ? code : "?",
                description ? description : "(no description)");
    }

done:
    if (watching) {
        pthread_kill(k.watcher, SIGUSR1);
        pthread_join(k.watcher, NULL);
    }
    free(email);
    free(name);
    free(code);
    free(description);
    auth0_string_free(result);
    auth0_webauth_free(web);
    auth0_cancel_free(k.cancel); /* after every user of it has stopped */
    pthread_cond_destroy(&k.wake);
    pthread_mutex_destroy(&k.lock);
    return exit_code;
}
