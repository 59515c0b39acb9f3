/*
 * desktop_login: the login of a desktop application, with the system
 * browser (RFC 8252: "OAuth 2.0 for Native Apps").
 *
 *   desktop_login                  opens the system browser; log in there
 *   desktop_login --headless-demo  logs the demo user in by itself (no
 *                                  browser, no person): for CI and a quick
 *                                  try against the local dev tenant
 *
 * Configuration (environment):
 *   AUTH0_DOMAIN     default http://127.0.0.1:3850 (the dev tenant)
 *   AUTH0_CLIENT_ID  default devtenantNativeClient00000000001
 *   AUTH0_USERNAME, AUTH0_PASSWORD, AUTH0_CONNECTION
 *                    only for --headless-demo (defaults: the dev tenant's
 *                    dev@example.com / DevTenant-Passw0rd,
 *                    Username-Password-Authentication)
 *
 * What one call, auth0_webauth_popup_authorize, does:
 *   1. binds a listener on 127.0.0.1 (an ephemeral port: the redirectUri
 *      below has none), records a transaction (state, nonce, PKCE);
 *   2. opens the /authorize URL in the system browser (or with the
 *      opener you give it: a web view, a kiosk browser...);
 *   3. waits until the browser comes back to http://127.0.0.1:PORT/callback
 *      (or the timeout, or a cancel), shows it a "you can close this
 *      window" page;
 *   4. exchanges the code (with the PKCE verifier) and verifies the
 *      id_token: the result is auth0.js's authResult.
 *
 * Register http://127.0.0.1/callback as an allowed callback URL of the
 * application (the dev tenant accepts it with any port).
 *
 * Tokens are secrets: this program prints who logged in, and the tokens'
 * lengths only.
 *
 * Build it by hand: see examples/c/README.md.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth0.h"
#include "demo_devtenant.h" /* only for --headless-demo */

/* ---- small helpers (a real program would use its JSON library) ------------- */

/* Copies the string member `"key":"..."` of `json` into `buf` (simple
 * escapes decoded: the library writes compact JSON). The first match wins,
 * so ask only for keys that occur once. Returns 0 when it is absent. */
static int json_string(const char *json, const char *key, char *buf, size_t cap) {
    char pattern[64];
    const char *p;
    size_t n = 0;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (json == NULL || cap == 0 || (p = strstr(json, pattern)) == NULL) return 0;
    for (p += strlen(pattern); *p && *p != '"' && n + 1 < cap; p++) {
        if (*p == '\\' && p[1]) p++; /* \" \\ \/ stand for the character */
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return 1;
}

/* The length of the token `"key":"..."`, or -1: show that there is a
 * token without showing it. */
static long token_length(const char *json, const char *key) {
    char pattern[64];
    const char *p, *q;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (json == NULL || (p = strstr(json, pattern)) == NULL) return -1;
    p += strlen(pattern);
    q = strchr(p, '"'); /* tokens are base64url and dots: nothing escaped */
    return q ? (long)(q - p) : -1;
}

/* Writes `s` into `buf` as a JSON string literal. 0 when it does not fit. */
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

/* ---- the --headless-demo opener -------------------------------------------- */

/* An auth0_open_url_fn gets the URL and a user_data pointer. The library
 * calls it on the thread that called auth0_webauth_popup_authorize and
 * then waits on that thread for the callback, so the opener must return
 * at once: it hands the URL to a pthread that plays the browser and the
 * user (demo_complete_login), and main() joins that pthread afterwards. */
typedef struct {
    demo_user user;
    char *url;       /* a copy: `url` is valid only during the callback */
    pthread_t thread;
    int started;
    int result;      /* 0 when the "browser" finished the login */
} headless_browser;

static void *headless_browser_main(void *arg) {
    headless_browser *b = (headless_browser *)arg;
    b->result = demo_complete_login(&b->user, b->url);
    return NULL;
}

static int headless_open(const char *url, void *user_data) {
    headless_browser *b = (headless_browser *)user_data;
    printf("(demo) completing the login without a browser\n");
    b->url = strdup(url);
    if (b->url == NULL) return 1; /* non-zero: "could not open" */
    if (pthread_create(&b->thread, NULL, headless_browser_main, b) != 0) return 1;
    b->started = 1;
    return 0;
}

/* ---- the program ----------------------------------------------------------- */

int main(int argc, char **argv) {
    const char *domain = env_or("AUTH0_DOMAIN", "http://127.0.0.1:3850");
    const char *client_id = env_or("AUTH0_CLIENT_ID", "devtenantNativeClient00000000001");
    char q_domain[512], q_client_id[512], options[1200], email[256], name[256];
    int headless = argc == 2 && strcmp(argv[1], "--headless-demo") == 0;
    headless_browser browser;
    auth0_webauth *web = NULL;
    char *result = NULL;
    auth0_status status;
    long length;
    int exit_code = 1;

    if (argc > 2 || (argc == 2 && !headless)) {
        fprintf(stderr, "usage: desktop_login [--headless-demo]\n"
                        "  (AUTH0_DOMAIN, AUTH0_CLIENT_ID; for the demo AUTH0_USERNAME,\n"
                        "   AUTH0_PASSWORD, AUTH0_CONNECTION)\n");
        return 2;
    }
    memset(&browser, 0, sizeof browser);
    browser.user.domain = domain;
    browser.user.client_id = client_id;
    browser.user.username = env_or("AUTH0_USERNAME", "dev@example.com");
    browser.user.password = env_or("AUTH0_PASSWORD", "DevTenant-Passw0rd");
    browser.user.connection = env_or("AUTH0_CONNECTION", "Username-Password-Authentication");
    if (!json_quote(q_domain, sizeof q_domain, domain) ||
        !json_quote(q_client_id, sizeof q_client_id, client_id)) {
        fprintf(stderr, "AUTH0_DOMAIN or AUTH0_CLIENT_ID is too long\n");
        return 2;
    }
    printf("auth0-native %s, tenant %s\n", auth0_version(), domain);

    /* 1. The handle. The redirectUri has no port: the listener takes an
     *    ephemeral one and the /authorize URL says which. */
    snprintf(options, sizeof options,
             "{\"domain\":%s,\"clientID\":%s,\"redirectUri\":\"http://127.0.0.1/callback\"}",
             q_domain, q_client_id);
    status = auth0_webauth_new(options, &web, &result);
    if (status != AUTH0_OK) {
        char description[512];
        if (!json_string(result, "description", description, sizeof description))
            snprintf(description, sizeof description, "(no description)");
        fprintf(stderr, "auth0_webauth_new failed: %s: %s\n", auth0_status_name(status), description);
        auth0_string_free(result);
        return 1;
    }

    /* 2. The login, in one blocking call. The opener is NULL (the system
     *    browser) unless this is the headless demo. No cancel token here
     *    (NULL): the browser's user ends it, or the timeout does; see
     *    kiosk_device_login.c for Ctrl+C and auth0_cancel_cancel. */
    snprintf(options, sizeof options, "{\"scope\":\"openid profile email\",\"timeout\":%d}",
             headless ? 60000 : 300000);
    if (!headless) printf("Log in in the browser window that opens (5 minutes at most)...\n");
    fflush(stdout);
    status = auth0_webauth_popup_authorize(web, options, headless ? headless_open : NULL,
                                           headless ? &browser : NULL, NULL, &result);
    if (browser.started) pthread_join(browser.thread, NULL);
    free(browser.url);

    if (status != AUTH0_OK) {
        /* AUTH0_ERROR_TIMEOUT: the browser never came back;
         * AUTH0_ERROR_AUTHORIZATION: the user or the tenant refused;
         * AUTH0_ERROR_INVALID_ARGUMENT with code browser_open_failed: no
         * browser could be opened (a headless machine: see
         * kiosk_device_login.c). Errors never hold a token or a code. */
        char code[128], description[512];
        if (!json_string(result, "code", code, sizeof code)) snprintf(code, sizeof code, "?");
        if (!json_string(result, "description", description, sizeof description))
            snprintf(description, sizeof description, "(no description)");
        fprintf(stderr, "login failed: %s (%s): %s\n", auth0_status_name(status), code, description);
        goto done;
    }
    if (headless && browser.result != 0) {
        fprintf(stderr, "the demo browser reported a failure\n");
        goto done;
    }

    /* 3. Who logged in: the verified id_token's claims (idTokenPayload).
     *    "email" and "name" occur once in the result: only the payload has
     *    them. */
    printf("logged in\n");
    printf("  email: %s\n", json_string(result, "email", email, sizeof email) ? email : "(none)");
    printf("  name:  %s\n", json_string(result, "name", name, sizeof name) ? name : "(none)");
    if ((length = token_length(result, "accessToken")) >= 0)
        printf("  access token: <redacted, %ld chars>\n", length);
    if ((length = token_length(result, "idToken")) >= 0)
        printf("  id token:     <redacted, %ld chars>\n", length);
    exit_code = 0;

done:
    auth0_string_free(result); /* results and errors alike */
    auth0_webauth_free(web);
    return exit_code;
}
