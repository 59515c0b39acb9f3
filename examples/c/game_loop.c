/*
 * game_loop: a login that never stalls the game. A 60 fps loop keeps its
 * frames while the device flow (RFC 8628) runs on the library's task pool:
 * the loop starts "device.start" and polls it each frame, draws the QR
 * code, starts "device.poll" with a completion callback that
 * auth0_dispatch() runs on the loop's own thread, and at the end reports
 * its worst frame time.
 *
 *   game_loop                  wait for a real user to approve
 *   game_loop --auto-approve   the demo user approves by itself through the
 *                              dev tenant's /activate pages (for CI), on a
 *                              thread of its own: never on the loop
 *   game_loop --max-seconds N  give up after N seconds (default 120)
 *
 * Configuration (environment): AUTH0_DOMAIN (default
 * http://127.0.0.1:3850, the dev tenant), AUTH0_CLIENT_ID (default
 * devtenantNativeClient00000000001); for --auto-approve AUTH0_USERNAME,
 * AUTH0_PASSWORD, AUTH0_CONNECTION (defaults: the dev tenant's user).
 *
 * Tokens are secrets: only their lengths are printed.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth0.h"
#include "demo_devtenant.h" /* only for --auto-approve */

#define FRAME_NS 16666667L /* 60 fps */

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && v[0] ? v : fallback;
}

/* The string member "key":"..." of `json`, decoded (\n \" \\ \/ only:
 * enough for the library's answers), malloc'd; NULL when absent. */
static char *json_string(const char *json, const char *key) {
    char pattern[64];
    const char *p;
    char *out, *o;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (json == NULL || (p = strstr(json, pattern)) == NULL) return NULL;
    p += strlen(pattern);
    if ((out = o = (char *)malloc(strlen(p) + 1)) == NULL) return NULL;
    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            *o++ = *p == 'n' ? '\n' : *p;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* What the login's callback hands to the loop (it runs on the loop's
 * thread, inside auth0_dispatch, so no lock is needed). */
typedef struct {
    int done;
    auth0_status status;
    char *email;
    long access_token_length;
    char *error;
} login_result;

static void on_login_done(auth0_task *task, auth0_status status, const char *json,
                          void *user_data) {
    login_result *r = (login_result *)user_data;
    const char *p;
    (void)task;
    r->done = 1;
    r->status = status;
    if (status == AUTH0_OK) {
        r->email = json_string(strstr(json, "\"idTokenPayload\""), "email");
        p = strstr(json, "\"accessToken\":\"");
        r->access_token_length = p ? (long)strcspn(p + 15, "\"") : -1;
    } else {
        r->error = json_string(json, "description");
    }
}

typedef struct {
    demo_user user;
    char user_code[64];
    int rc;
} approver;

static void *approve_main(void *arg) {
    approver *a = (approver *)arg;
    a->rc = demo_approve_device(&a->user, a->user_code);
    return NULL;
}

int main(int argc, char **argv) {
    const char *domain = env_or("AUTH0_DOMAIN", "http://127.0.0.1:3850");
    const char *client_id = env_or("AUTH0_CLIENT_ID", "devtenantNativeClient00000000001");
    int auto_approve = 0, approving = 0, i, frames = 0, rc = 1;
    double max_seconds = 120, worst_ms = 0, worst_work_ms = 0, start, last;
    char options[1024], *error = NULL, *code_json = NULL;
    auth0_webauth *web = NULL;
    auth0_task *device_start = NULL, *device_poll = NULL;
    auth0_task_options opts;
    login_result result;
    approver a;
    pthread_t approver_thread;
    struct timespec next;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--auto-approve") == 0) {
            auto_approve = 1;
        } else if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc) {
            max_seconds = atof(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--auto-approve] [--max-seconds N]\n", argv[0]);
            return 2;
        }
    }
    memset(&result, 0, sizeof result);
    memset(&a, 0, sizeof a);

    /* At start-up, before the first frame: the workers start and warm the
     * TLS setup off this thread. */
    if (auth0_task_pool_start(2) != AUTH0_OK) return 1;
    snprintf(options, sizeof options, "{\"domain\":\"%s\",\"clientID\":\"%s\"}", domain,
             client_id);
    if (auth0_webauth_new(options, &web, &error) != AUTH0_OK) {
        fprintf(stderr, "auth0_webauth_new: %s\n", error ? error : "?");
        auth0_string_free(error);
        return 1;
    }
    if (auth0_webauth_start(web, "device.start", "{\"scope\":\"openid profile email\"}", NULL,
                            &device_start, &error) != AUTH0_OK) {
        fprintf(stderr, "device.start: %s\n", error ? error : "?");
        goto out;
    }

    start = last = now_ms();
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!result.done) {
        double frame_start = now_ms(), work;
        if (frame_start - last > worst_ms && frames > 0) worst_ms = frame_start - last;
        last = frame_start;
        frames++;

        /* ---- the frame's login work: never blocks ---- */
        if (device_start != NULL) {
            auth0_status s = auth0_task_poll(device_start, &code_json);
            if (s != AUTH0_PENDING) {
                char *qr, *user_code, *uri;
                auth0_task_free(device_start);
                device_start = NULL;
                if (s != AUTH0_OK) {
                    fprintf(stderr, "device.start: %s\n", code_json ? code_json : "?");
                    goto out;
                }
                qr = json_string(code_json, "text");
                user_code = json_string(code_json, "user_code");
                uri = json_string(code_json, "verification_uri");
                printf("%s\nscan the code, or open %s and enter the code: %s\n", qr ? qr : "",
                       uri ? uri : "?", user_code ? user_code : "?");
                fflush(stdout);
                memset(&opts, 0, sizeof opts);
                opts.on_done = on_login_done;
                opts.delivery = AUTH0_DELIVER_ON_DISPATCH;
                opts.user_data = &result;
                if (auth0_webauth_start(web, "device.poll", code_json, &opts, &device_poll,
                                        &error) != AUTH0_OK) {
                    fprintf(stderr, "device.poll: %s\n", error ? error : "?");
                    free(qr), free(user_code), free(uri);
                    goto out;
                }
                if (auto_approve && user_code) {
                    a.user.domain = domain;
                    a.user.client_id = client_id;
                    a.user.username = env_or("AUTH0_USERNAME", "dev@example.com");
                    a.user.password = env_or("AUTH0_PASSWORD", "DevTenant-Passw0rd");
                    a.user.connection =
                        env_or("AUTH0_CONNECTION", "Username-Password-Authentication");
                    snprintf(a.user_code, sizeof a.user_code, "%s", user_code);
                    approving = pthread_create(&approver_thread, NULL, approve_main, &a) == 0;
                }
                free(qr), free(user_code), free(uri);
            }
        }
        auth0_dispatch(0); /* on_login_done runs here, on this thread */

        /* ---- the rest of the frame: a spinner stands for the game ---- */
        if (isatty(1) && frames % 6 == 0) {
            printf("\r%c waiting for the login (frame %d)", "|/-\\"[(frames / 6) % 4], frames);
            fflush(stdout);
        }
        if (now_ms() - start > max_seconds * 1e3) {
            fprintf(stderr, "\ngave up after %.0f s\n", max_seconds);
            auth0_task_cancel(device_poll);
            break;
        }
        work = now_ms() - frame_start;
        if (work > worst_work_ms) worst_work_ms = work;

        /* Sleep to the next frame boundary. */
        next.tv_nsec += FRAME_NS;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_sec++;
            next.tv_nsec -= 1000000000L;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    if (isatty(1)) printf("\n");

    if (result.done && result.status == AUTH0_OK) {
        printf("logged in as %s\n", result.email ? result.email : "?");
        printf("access token: <redacted, %ld chars>\n", result.access_token_length);
        rc = 0;
    } else if (result.done) {
        printf("login failed: %s: %s\n", auth0_status_name(result.status),
               result.error ? result.error : "?");
    }
    printf("frames: %d in %.1f s, worst frame time: %.2f ms (worst work in a frame: %.3f ms)\n",
           frames, (now_ms() - start) / 1e3, worst_ms, worst_work_ms);

out:
    if (approving) {
        pthread_join(approver_thread, NULL);
        if (a.rc != 0) rc = 1;
    }
    auth0_task_free(device_start);
    auth0_task_free(device_poll);
    auth0_string_free(code_json);
    auth0_string_free(error);
    free(result.email);
    free(result.error);
    auth0_webauth_free(web);
    return rc;
}
