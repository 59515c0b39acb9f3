/*
 * authorize_url: build the URLs of an Auth0 login with the auth0-native C API.
 *
 *   authorize_url [domain] [client_id] [redirect_uri]
 *
 * Prints the /authorize URL of buildAuthorizeUrl, the /authorize URL of
 * authorize (with the state it recorded for the callback), and the logout
 * URL. Nothing goes over the network, so the defaults work offline.
 *
 * The API in four rules (see include/auth0.h):
 *   1. Options go in as a JSON object string.
 *   2. Every call returns an auth0_status; AUTH0_OK (0) is success.
 *   3. The result -- or, on failure, an error object with "code" and
 *      "description" -- comes back as a JSON string through the last
 *      parameter. You own it: release it with auth0_string_free(), never
 *      with free().
 *   4. A handle is released with auth0_webauth_free().
 *
 * Build it by hand: see examples/c/README.md.
 */
#include <stdio.h>
#include <string.h>

#include "auth0.h"

/* Writes `s` into `buf` as a JSON string literal (quotes included),
 * escaping what JSON requires. Returns 0 when `buf` is too small. */
static int json_quote(char *buf, size_t cap, const char *s) {
    size_t n = 0;
    if (cap < 3) return 0;
    buf[n++] = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        size_t len;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            esc[2] = '\0';
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
        } else {
            esc[0] = (char)c;
            esc[1] = '\0';
        }
        len = strlen(esc);
        if (n + len + 2 > cap) return 0; /* room for the closing quote and NUL */
        memcpy(buf + n, esc, len);
        n += len;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return 1;
}

/* Prints a failed call: its status and the error JSON (which may be NULL
 * only when the error had nowhere to go). */
static void print_error(const char *what, auth0_status status, const char *error_json) {
    fprintf(stderr, "%s failed with status %d: %s\n", what, (int)status,
            error_json ? error_json : "(no details)");
}

/* Copies the string member `key` of a flat result object such as
 * {"url":"https://...","state":"..."} into `buf`. Enough for this
 * library's results, whose values are ASCII; a real program would use its
 * JSON library (cJSON, jansson, ...). Returns 0 when `key` is missing. */
static int json_get(const char *json, const char *key, char *buf, size_t cap) {
    char pattern[64];
    const char *p;
    size_t n = 0;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    p = strstr(json, pattern);
    if (p == NULL || cap == 0) return 0;
    for (p += strlen(pattern); *p && *p != '"' && n + 1 < cap; p++) {
        if (*p == '\\' && p[1]) p++; /* \" \\ \/ stand for the character */
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return 1;
}

int main(int argc, char **argv) {
    const char *domain = argc > 1 ? argv[1] : "me.auth0.com";
    const char *client_id = argc > 2 ? argv[2] : "my-native-client-id";
    const char *redirect_uri = argc > 3 ? argv[3] : "http://127.0.0.1:8080/callback";
    char domain_json[512], client_id_json[512], redirect_uri_json[1024];
    char options[2200];
    char url[4096], state[128];
    auth0_webauth *web = NULL;
    char *error = NULL;
    char *out = NULL;
    auth0_status status;
    int ok = 1;

    printf("auth0-native %s\n", auth0_version()); /* static: do not free */

    /* The handle's options, as auth0.js's `new auth0.WebAuth({...})`. The
     * arguments are quoted as JSON strings, so any text is safe here. */
    if (!json_quote(domain_json, sizeof domain_json, domain) ||
        !json_quote(client_id_json, sizeof client_id_json, client_id) ||
        !json_quote(redirect_uri_json, sizeof redirect_uri_json, redirect_uri)) {
        fprintf(stderr, "an argument is too long\n");
        return 2;
    }
    snprintf(options, sizeof options,
             "{\"domain\":%s,\"clientID\":%s,\"redirectUri\":%s,"
             "\"scope\":\"openid profile email\"}",
             domain_json, client_id_json, redirect_uri_json);

    status = auth0_webauth_new(options, &web, &error);
    if (status != AUTH0_OK) {
        /* e.g. {"code":"invalid_argument","description":"domain option is required",...} */
        print_error("auth0_webauth_new", status, error);
        auth0_string_free(error);
        return 1;
    }

    /* client.buildAuthorizeUrl: a plain URL; no state is generated or kept,
     * so pass your own. The result is {"url":"https://.../authorize?..."}. */
    status = auth0_webauth_build_authorize_url(web, "{\"state\":\"my-own-state\"}", &out);
    if (status == AUTH0_OK && json_get(out, "url", url, sizeof url)) {
        printf("buildAuthorizeUrl:\n  %s\n", url);
    } else {
        print_error("auth0_webauth_build_authorize_url", status, out);
        ok = 0;
    }
    auth0_string_free(out); /* the result or the error: yours to release */
    out = NULL;

    /* webAuth.authorize: records a transaction (state; nonce when the
     * response type has id_token; a PKCE verifier with "pkce": true) and
     * gives {"url":...,"state":...}. Open the URL in the browser; the
     * callback must come back with that state. */
    status = auth0_webauth_authorize(web, "{\"responseType\":\"code\",\"pkce\":true}", &out);
    if (status == AUTH0_OK && json_get(out, "url", url, sizeof url) &&
        json_get(out, "state", state, sizeof state)) {
        printf("authorize:\n  url:   %s\n  state: %s\n", url, state);
    } else {
        print_error("auth0_webauth_authorize", status, out);
        ok = 0;
    }
    auth0_string_free(out);
    out = NULL;

    /* webAuth.logout: {"url":"https://.../v2/logout?..."}. */
    status = auth0_webauth_logout(web, "{\"returnTo\":\"http://127.0.0.1:8080/\"}", &out);
    if (status == AUTH0_OK && json_get(out, "url", url, sizeof url)) {
        printf("logout:\n  %s\n", url);
    } else {
        print_error("auth0_webauth_logout", status, out);
        ok = 0;
    }
    auth0_string_free(out);
    out = NULL;

    /* Every failure has the same shape: a status, and an error object with
     * "code" and "description". Here on purpose: an id_token response
     * needs a nonce, and buildAuthorizeUrl generates none. */
    status = auth0_webauth_build_authorize_url(web, "{\"responseType\":\"id_token\"}", &out);
    printf("a bad option (on purpose):\n  status %d, %s\n", (int)status, out ? out : "");
    if (status != AUTH0_ERROR_INVALID_ARGUMENT) ok = 0;
    auth0_string_free(out);

    auth0_webauth_free(web); /* after every call on it has returned */
    return ok ? 0 : 1;
}
