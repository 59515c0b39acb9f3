/*
 * Helpers shared by the credentials manager's C tests
 * (test_net_credentials.c, test_net_credentials_storage.c): a login whose
 * access token is already expired, a memory manager, and get/save that
 * record a failure with the error's text.
 */
#ifndef AUTH0_TEST_CREDENTIALS_H
#define AUTH0_TEST_CREDENTIALS_H

#include "devtenant.h"

#define OFFLINE "\"scope\":\"openid profile email offline_access\""

/* A login with offline_access whose authResult says it expires now
 * ("expiresIn":0): the next get must renew. malloc'd, or NULL. */
static char *expired_login(const auth0_webauth *web) {
    char *result = dt_login(web, OFFLINE);
    const char *p;
    char *copy, *end;
    size_t head;
    if (result == NULL) return NULL;
    p = strstr(result, "\"expiresIn\":");
    copy = (char *)malloc(strlen(result) + 16);
    if (p == NULL || copy == NULL) {
        h_fail_at(__FILE__, __LINE__, "no expiresIn in %s", result);
        free(copy);
        auth0_string_free(result);
        return NULL;
    }
    p += strlen("\"expiresIn\":");
    head = (size_t)(p - result);
    memcpy(copy, result, head);
    strtol(p, &end, 10);
    sprintf(copy + head, "0%s", end);
    auth0_string_free(result);
    return copy;
}

static auth0_credentials *memory_manager(const auth0_webauth *web) {
    auth0_credentials *c = NULL;
    char *error = NULL;
    if (web == NULL) return NULL;
    if (!CHECK_STATUS(auth0_credentials_new(web, "{\"type\":\"memory\"}", &c, &error), AUTH0_OK))
        printf("    %s\n", error ? error : "(NULL)");
    auth0_string_free(error);
    return c;
}

/* auth0_credentials_get with `options`: the credentials JSON, or NULL after
 * recording a failure. */
static char *get_ok(const auth0_credentials *c, const char *options) {
    char *out = NULL;
    auth0_status s = auth0_credentials_get(c, options, &out);
    if (s != AUTH0_OK) {
        h_fail_at(__FILE__, __LINE__, "auth0_credentials_get gave %s: %s", h_status_name(s),
                  out ? out : "(NULL)");
        auth0_string_free(out);
        return NULL;
    }
    return out;
}

static int save_ok(const auth0_credentials *c, const char *result) {
    char *error = NULL;
    int ok = CHECK_STATUS(auth0_credentials_save(c, result, &error), AUTH0_OK);
    if (!ok) printf("    %s\n", error ? error : "(NULL)");
    CHECK(error == NULL);
    auth0_string_free(error);
    return ok;
}

#endif
