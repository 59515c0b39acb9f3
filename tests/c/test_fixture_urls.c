/*
 * Every case of the shared fixture tests/fixtures/authorize_urls.json,
 * checked through the C ABI: the exact URLs of auth0.js v8 for
 * buildAuthorizeUrl and logout, the parameter order of authorize, and the
 * error of every refused option set.
 *
 * cases.h is generated from the fixture by gen_cases.py (run.sh does it).
 */
#include "harness.h"
#include "cases.h"

/* Creates the handle a case runs on; records a failure when it cannot. */
static auth0_webauth *new_webauth(const char *options_json) {
    auth0_webauth *web = NULL;
    char *error = NULL;
    if (!CHECK_STATUS(auth0_webauth_new(options_json, &web, &error), AUTH0_OK)) {
        h_fail_at(__FILE__, __LINE__, "options %s: error %s", options_json,
                  error ? error : "(NULL)");
    }
    auth0_string_free(error);
    return web;
}

static void check_url_case(const url_case *c) {
    auth0_webauth *web = new_webauth(c->webauth_json);
    char *out = NULL;
    auth0_status status;
    if (web == NULL) return;

    status = c->op == OP_LOGOUT ? auth0_webauth_logout(web, c->options_json, &out)
                                : auth0_webauth_build_authorize_url(web, c->options_json, &out);
    CHECK(out != NULL);
    CHECK(json_is_object(out));
    if (c->raw != NULL) {
        if (CHECK_STATUS(status, AUTH0_OK)) {
            /* The URL is JSON-escaped in `out` (`\/`, `\u0026`…): compare the
             * decoded string, byte for byte. */
            CHECK_JSON_STR(out, "url", c->raw);
        } else {
            h_fail_at(__FILE__, __LINE__, "error: %s", out ? out : "(NULL)");
        }
    } else {
        CHECK_STATUS(status, AUTH0_ERROR_INVALID_ARGUMENT);
        CHECK_ERROR_JSON(out, c->error_code);
        CHECK_JSON_STR(out, "description", c->error_description);
        CHECK(!json_has(out, "url"));
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* The parameter names of the query of `url`, comma-separated, in `buf`. */
static void query_keys(const char *url, char *buf, size_t cap) {
    const char *p = strchr(url, '?');
    size_t n = 0;
    buf[0] = '\0';
    if (p == NULL) return;
    for (p++; *p && n + 1 < cap;) {
        if (n > 0) buf[n++] = ',';
        while (*p && *p != '=' && *p != '&' && n + 1 < cap) buf[n++] = *p++;
        while (*p && *p != '&') p++;
        if (*p == '&') p++;
    }
    buf[n] = '\0';
}

static void check_key_order_case(const key_order_case *c) {
    auth0_webauth *web = new_webauth(c->webauth_json);
    char *out = NULL;
    char *url;
    char keys[2048];
    if (web == NULL) return;
    if (CHECK_STATUS(auth0_webauth_authorize(web, c->options_json, &out), AUTH0_OK)) {
        url = json_get_string(out, "url");
        CHECK(url != NULL && strncmp(url, c->url_base, strlen(c->url_base)) == 0);
        if (url != NULL) {
            query_keys(url, keys, sizeof keys);
            CHECK_STREQ(keys, c->keys);
        }
        free(url);
    } else {
        h_fail_at(__FILE__, __LINE__, "error: %s", out ? out : "(NULL)");
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
}

static void check_constructor_case(const constructor_case *c) {
    auth0_webauth *web = (auth0_webauth *)&web; /* any non-NULL value */
    char *error = NULL;
    CHECK_STATUS(auth0_webauth_new(c->webauth_json, &web, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(web == NULL);
    CHECK_ERROR_JSON(error, c->error_code);
    CHECK_JSON_STR(error, "description", c->error_description);
    auth0_string_free(error);
}

int main(int argc, char **argv) {
    char name[512];
    size_t i;
    h_init(argc, argv);
    for (i = 0; i < URL_CASE_COUNT; i++) {
        snprintf(name, sizeof name, "fixture url_cases[%u]: %s", (unsigned)i, URL_CASES[i].name);
        if (!h_selected(argc, argv, name)) continue;
        h_begin(name);
        check_url_case(&URL_CASES[i]);
        h_end();
    }
    for (i = 0; i < KEY_ORDER_CASE_COUNT; i++) {
        snprintf(name, sizeof name, "fixture authorize_key_orders[%u]: %s", (unsigned)i,
                 KEY_ORDER_CASES[i].name);
        if (!h_selected(argc, argv, name)) continue;
        h_begin(name);
        check_key_order_case(&KEY_ORDER_CASES[i]);
        h_end();
    }
    for (i = 0; i < CONSTRUCTOR_CASE_COUNT; i++) {
        snprintf(name, sizeof name, "fixture constructor_errors[%u]: %s", (unsigned)i,
                 CONSTRUCTOR_CASES[i].name);
        if (!h_selected(argc, argv, name)) continue;
        h_begin(name);
        check_constructor_case(&CONSTRUCTOR_CASES[i]);
        h_end();
    }
    return h_finish();
}
