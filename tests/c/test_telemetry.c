/*
 * Telemetry: with `_sendTelemetry` left on, every URL ends with
 * `&auth0Client=<v8's base64url-ish JSON>`, naming this library and its C
 * binding; `_sendTelemetry: false` removes it; `_telemetryInfo` replaces it.
 */
#include "harness.h"

#ifndef EXPECTED_VERSION
#error "compile with -DEXPECTED_VERSION='\"x.y.z\"' (the version in Cargo.toml)"
#endif

typedef auth0_status (*op_fn)(const auth0_webauth *, const char *, char **);

#define HANDLE "{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\""

static auth0_webauth *new_handle(const char *options_json) {
    auth0_webauth *web = NULL;
    CHECK_STATUS(auth0_webauth_new(options_json, &web, NULL), AUTH0_OK);
    return web;
}

/* The URL `op` gives for `options_json` (malloc'd), or NULL. */
static char *url_of(op_fn op, const auth0_webauth *web, const char *options_json) {
    char *out = NULL;
    char *url = NULL;
    if (web == NULL) return NULL;
    if (CHECK_STATUS(op(web, options_json, &out), AUTH0_OK)) url = json_get_string(out, "url");
    auth0_string_free(out);
    return url;
}

/* The raw value after the last `&auth0Client=` when it ends the URL. */
static const char *trailing_auth0_client(const char *url) {
    const char *key = "&auth0Client=";
    const char *p = url ? strstr(url, key) : NULL;
    if (p == NULL) return NULL;
    p += strlen(key);
    return strchr(p, '&') == NULL ? p : NULL;
}

/* Decodes v8's telemetry value: URL-encoded (`%3D`), base64 with `-` for
 * `+` and `_` for `/`. Returns the malloc'd text, or NULL when malformed. */
static char *decode_telemetry(const char *value) {
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(value), i, len = 0;
    char *b64 = (char *)malloc(n + 1), *out;
    unsigned long acc = 0;
    int bits = 0;
    if (!b64) return NULL;
    for (i = 0; i < n; i++) {
        char c = value[i];
        if (c == '%' && strncmp(value + i, "%3D", 3) == 0) {
            c = '=';
            i += 2;
        } else if (c == '-') {
            c = '+';
        } else if (c == '_') {
            c = '/';
        }
        b64[len++] = c;
    }
    b64[len] = '\0';
    out = (char *)malloc(len + 1);
    if (!out || len % 4 != 0) {
        free(b64);
        free(out);
        return NULL;
    }
    n = 0;
    for (i = 0; i < len && b64[i] != '='; i++) {
        const char *pos = strchr(alphabet, b64[i]);
        if (pos == NULL || b64[i] == '\0') {
            free(b64);
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned long)(pos - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[n] = '\0';
    free(b64);
    return out;
}

static void ends_with_auth0_client(op_fn op, const char *options_json) {
    auth0_webauth *web = new_handle(HANDLE "}");
    char *url = url_of(op, web, options_json);
    if (trailing_auth0_client(url) == NULL)
        h_fail_at(__FILE__, __LINE__, "URL %s does not end with &auth0Client=...",
                  url ? url : "(NULL)");
    free(url);
    auth0_webauth_free(web);
}

TEST(build_authorize_url_ends_with_auth0_client_by_default) {
    ends_with_auth0_client(auth0_webauth_build_authorize_url, NULL);
}

TEST(authorize_url_ends_with_auth0_client_by_default) {
    ends_with_auth0_client(auth0_webauth_authorize, "{\"responseType\":\"id_token\",\"pkce\":true}");
}

TEST(logout_url_ends_with_auth0_client_by_default) {
    ends_with_auth0_client(auth0_webauth_logout, "{\"returnTo\":\"http://127.0.0.1/\"}");
}

TEST(auth0_client_decodes_to_json_naming_auth0_native_and_the_c_binding) {
    auth0_webauth *web = new_handle(HANDLE "}");
    char *url = url_of(auth0_webauth_build_authorize_url, web, NULL);
    const char *value = trailing_auth0_client(url);
    char *info = value ? decode_telemetry(value) : NULL;
    char *env;
    CHECK(value != NULL);
    CHECK(info != NULL && json_is_object(info));
    CHECK_JSON_STR(info, "name", "auth0-native");
    CHECK_JSON_STR(info, "version", EXPECTED_VERSION);
    env = json_get_raw(info, "env");
    CHECK(env != NULL && json_is_object(env));
    CHECK_JSON_STR(env, "c", EXPECTED_VERSION);
    CHECK(!json_has(env, "rust") && !json_has(env, "python"));
    free(env);
    free(info);
    free(url);
    auth0_webauth_free(web);
}

TEST(auth0_client_is_the_same_for_every_operation) {
    auth0_webauth *web = new_handle(HANDLE "}");
    char *a = url_of(auth0_webauth_build_authorize_url, web, NULL);
    char *b = url_of(auth0_webauth_authorize, web, NULL);
    char *c = url_of(auth0_webauth_logout, web, NULL);
    const char *ta = trailing_auth0_client(a), *tb = trailing_auth0_client(b),
               *tc = trailing_auth0_client(c);
    CHECK(ta && tb && tc && strcmp(ta, tb) == 0 && strcmp(ta, tc) == 0);
    free(a);
    free(b);
    free(c);
    auth0_webauth_free(web);
}

TEST(send_telemetry_false_removes_auth0_client_from_every_url) {
    auth0_webauth *web = new_handle(HANDLE ",\"_sendTelemetry\":false}");
    op_fn ops[] = {auth0_webauth_build_authorize_url, auth0_webauth_authorize,
                   auth0_webauth_logout};
    size_t i;
    for (i = 0; web && i < sizeof ops / sizeof ops[0]; i++) {
        char *url = url_of(ops[i], web, NULL);
        CHECK(url != NULL);
        if (url && strstr(url, "auth0Client") != NULL)
            h_fail_at(__FILE__, __LINE__, "operation %u: %s", (unsigned)i, url);
        free(url);
    }
    auth0_webauth_free(web);
}

TEST(telemetry_info_replaces_the_payload) {
    auth0_webauth *web =
        new_handle(HANDLE ",\"_telemetryInfo\":{\"name\":\"my-app\",\"version\":\"2.0.0\"}}");
    char *url = url_of(auth0_webauth_build_authorize_url, web, NULL);
    const char *value = trailing_auth0_client(url);
    char *info = value ? decode_telemetry(value) : NULL;
    CHECK(info != NULL && json_is_object(info));
    CHECK_JSON_STR(info, "name", "my-app");
    CHECK_JSON_STR(info, "version", "2.0.0");
    free(info);
    free(url);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(build_authorize_url_ends_with_auth0_client_by_default),
             TEST_ENTRY(authorize_url_ends_with_auth0_client_by_default),
             TEST_ENTRY(logout_url_ends_with_auth0_client_by_default),
             TEST_ENTRY(auth0_client_decodes_to_json_naming_auth0_native_and_the_c_binding),
             TEST_ENTRY(auth0_client_is_the_same_for_every_operation),
             TEST_ENTRY(send_telemetry_false_removes_auth0_client_from_every_url),
             TEST_ENTRY(telemetry_info_replaces_the_payload))
