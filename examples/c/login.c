/*
 * login: log a user in with the auth0-native C API, end to end.
 *
 *   login [domain client_id username password]
 *
 * Missing arguments come from the environment: AUTH0_DOMAIN,
 * AUTH0_CLIENT_ID, AUTH0_USERNAME, AUTH0_PASSWORD, and AUTH0_CONNECTION
 * (the database connection, default "Username-Password-Authentication").
 * With the local dev tenant (tests/devtenant):
 *
 *   cargo run -p auth0-devtenant &      # http://127.0.0.1:3850
 *   AUTH0_DOMAIN=http://127.0.0.1:3850 \
 *   AUTH0_CLIENT_ID=devtenantNativeClient00000000001 \
 *   AUTH0_USERNAME=dev@example.com AUTH0_PASSWORD=DevTenant-Passw0rd ./login
 *
 * What it does:
 *   1. auth0_webauth_new       a handle for the tenant and application
 *   2. auth0_webauth_login     the password-realm grant (auth0.js's
 *                              client.login); the library verifies the
 *                              id_token and returns its claims
 *   3. prints the user's e-mail and name from idTokenPayload
 *   4. auth0_webauth_user_info GET /userinfo with the access token
 *   5. prints the profile JSON
 *
 * Tokens are secrets: this program never prints one, only its length.
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
#include <stdlib.h>
#include <string.h>

#include "auth0.h"

/* ---- small helpers (a real program would use its JSON library) ------------- */

/* The name of a status, for messages. */
/* Writes `s` into `buf` as a JSON string literal (quotes included).
 * Returns 0 when `buf` is too small. */
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
        if (n + len + 2 > cap) return 0;
        memcpy(buf + n, esc, len);
        n += len;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return 1;
}

/* Points `*start`/`*end` at the object that is the value of `"key":` in
 * `json` (the library writes compact JSON, `"key":{...}`). */
static int json_object(const char *json, const char *key, const char **start,
                       const char **end) {
    char pattern[64];
    const char *p;
    int depth = 0, in_string = 0;
    snprintf(pattern, sizeof pattern, "\"%s\":{", key);
    p = strstr(json, pattern);
    if (p == NULL) return 0;
    *start = p = p + strlen(pattern) - 1;
    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '{') {
            depth++;
        } else if (*p == '}' && --depth == 0) {
            *end = p + 1;
            return 1;
        }
    }
    return 0;
}

/* Copies the string member `"key":"..."` found in [start, end) into `buf`
 * (simple escapes decoded). Returns 0 when it is not there. */
static int json_string(const char *start, const char *end, const char *key, char *buf,
                       size_t cap) {
    char pattern[64];
    const char *p = start;
    size_t n = 0, len;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    len = strlen(pattern);
    for (; p + len <= end; p++) { /* strstr, bounded by `end` */
        if (memcmp(p, pattern, len) == 0) break;
    }
    if (p + len > end || cap == 0) return 0;
    for (p += len; p < end && *p != '"' && n + 1 < cap; p++) {
        if (*p == '\\' && p + 1 < end) p++; /* \" \\ \/ stand for the character */
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return 1;
}

/* The length of the string member `key` of a flat result, or -1 when it is
 * absent or null: how a program can show that it holds a token without
 * showing the token. */
static long token_length(const char *json, const char *key) {
    char pattern[64];
    const char *p, *q;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    p = strstr(json, pattern);
    if (p == NULL) return -1;
    p += strlen(pattern);
    q = strchr(p, '"'); /* tokens are base64url and dots: nothing escaped */
    return q ? (long)(q - p) : -1;
}

/* Prints a failed call: status name and the error's description (never the
 * options, which hold the password). */
static void print_error(const char *what, auth0_status status, const char *error_json) {
    char description[512];
    const char *end = error_json ? error_json + strlen(error_json) : NULL;
    if (error_json == NULL ||
        !json_string(error_json, end, "description", description, sizeof description))
        snprintf(description, sizeof description, "(no description)");
    fprintf(stderr, "%s failed: %s: %s\n", what, auth0_status_name(status), description);
}

/* The environment variable `name` when set and not empty, else `fallback`. */
static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && v[0] ? v : fallback;
}

/* ---- the program ----------------------------------------------------------- */

int main(int argc, char **argv) {
    const char *domain = argc > 1 ? argv[1] : env_or("AUTH0_DOMAIN", NULL);
    const char *client_id = argc > 2 ? argv[2] : env_or("AUTH0_CLIENT_ID", NULL);
    const char *username = argc > 3 ? argv[3] : env_or("AUTH0_USERNAME", NULL);
    const char *password = argc > 4 ? argv[4] : env_or("AUTH0_PASSWORD", NULL);
    const char *connection = env_or("AUTH0_CONNECTION", "Username-Password-Authentication");
    char q_domain[512], q_client_id[512], q_username[512], q_password[512], q_connection[512];
    char options[2600], email[256], name[256];
    char *request = NULL;
    size_t request_size = 0;
    const char *start, *end, *token;
    auth0_webauth *web = NULL;
    char *error = NULL, *result = NULL, *profile = NULL;
    auth0_status status;
    long length;
    int exit_code = 1;

    if (!domain || !client_id || !username || !password) {
        fprintf(stderr,
                "usage: login [domain client_id username password]\n"
                "  (or set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_USERNAME, AUTH0_PASSWORD)\n");
        return 2;
    }
    /* Every value goes into the JSON as a quoted string: any text is safe. */
    if (!json_quote(q_domain, sizeof q_domain, domain) ||
        !json_quote(q_client_id, sizeof q_client_id, client_id) ||
        !json_quote(q_username, sizeof q_username, username) ||
        !json_quote(q_password, sizeof q_password, password) ||
        !json_quote(q_connection, sizeof q_connection, connection)) {
        fprintf(stderr, "an argument is too long\n");
        return 2;
    }
    printf("auth0-native %s, tenant %s\n", auth0_version(), domain);

    /* 1. The handle: auth0.js's `new auth0.WebAuth({domain, clientID})`.
     *    It is thread-safe and meant to live as long as the program. */
    snprintf(options, sizeof options, "{\"domain\":%s,\"clientID\":%s}", q_domain, q_client_id);
    status = auth0_webauth_new(options, &web, &error);
    if (status != AUTH0_OK) {
        print_error("auth0_webauth_new", status, error);
        auth0_string_free(error);
        return 1;
    }

    /* 2. Log in (blocks until the tenant answers; bounded by the handle's
     *    "timeout", 30 s by default). The result is auth0.js's authResult:
     *    accessToken, idToken, idTokenPayload, expiresIn, tokenType, ... */
    snprintf(options, sizeof options,
             "{\"username\":%s,\"password\":%s,\"realm\":%s,\"scope\":\"openid profile email\"}",
             q_username, q_password, q_connection);
    memset(q_password, 0, sizeof q_password); /* done with the secret */
    status = auth0_webauth_login(web, options, &result);
    memset(options, 0, sizeof options);
    if (status != AUTH0_OK) {
        /* e.g. AUTH0_ERROR_SERVER: Wrong email or password. (the error never
         * contains the password) */
        print_error("auth0_webauth_login", status, result);
        goto done;
    }
    printf("logged in\n");

    /* 3. Who logged in: the claims of the id_token, already verified by the
     *    library (signature, issuer, audience, expiry). */
    if (json_object(result, "idTokenPayload", &start, &end)) {
        printf("  email: %s\n",
               json_string(start, end, "email", email, sizeof email) ? email : "(none)");
        printf("  name:  %s\n", json_string(start, end, "name", name, sizeof name) ? name : "(none)");
    }
    /* Never print a token: say that there is one, and its size. */
    if ((length = token_length(result, "accessToken")) >= 0)
        printf("  access token:  <redacted, %ld chars>\n", length);
    if ((length = token_length(result, "idToken")) >= 0)
        printf("  id token:      <redacted, %ld chars>\n", length);
    if ((length = token_length(result, "refreshToken")) >= 0)
        printf("  refresh token: <redacted, %ld chars>\n", length);

    /* 4. The profile from /userinfo, with the access token. A token is
     *    base64url and dots, nothing JSON escapes, so its text in the result
     *    (quotes included) is already the JSON string literal to send. The
     *    copy is wiped after use. */
    length = token_length(result, "accessToken");
    token = strstr(result, "\"accessToken\":\"");
    if (length < 0 || token == NULL) {
        fprintf(stderr, "the result has no access token\n");
        goto done;
    }
    token += strlen("\"accessToken\":"); /* at its opening quote */
    request_size = (size_t)length + 32;
    request = (char *)malloc(request_size);
    if (request == NULL) {
        fprintf(stderr, "out of memory\n");
        goto done;
    }
    snprintf(request, request_size, "{\"accessToken\":%.*s}", (int)length + 2, token);
    status = auth0_webauth_user_info(web, request, &profile);
    if (status != AUTH0_OK) {
        print_error("auth0_webauth_user_info", status, profile);
        goto done;
    }

    /* 5. The profile JSON as the tenant sent it (claims by scope). */
    printf("profile (/userinfo):\n  %s\n", profile);
    exit_code = 0;

done:
    if (request) memset(request, 0, request_size);
    free(request);
    auth0_string_free(profile); /* results and errors alike */
    auth0_string_free(result);
    auth0_webauth_free(web); /* after every call on it has returned */
    return exit_code;
}
