/*
 * Helpers of the authorize C tests (test_authorize.c,
 * test_authorize_file_store.c): a handle from options JSON and an
 * authorize call that records a failure.
 */
#ifndef AUTH0_TEST_AUTHORIZE_H
#define AUTH0_TEST_AUTHORIZE_H

#include "harness.h"

static auth0_webauth *new_handle(const char *options_json) {
    auth0_webauth *web = NULL;
    char *error = NULL;
    if (!CHECK_STATUS(auth0_webauth_new(options_json, &web, &error), AUTH0_OK))
        h_fail_at(__FILE__, __LINE__, "error: %s", error ? error : "(NULL)");
    auth0_string_free(error);
    return web;
}

/* Runs authorize and returns the result JSON (free with auth0_string_free),
 * or NULL after recording a failure. */
static char *authorize_ok(const auth0_webauth *web, const char *options_json) {
    char *out = NULL;
    if (!CHECK_STATUS(auth0_webauth_authorize(web, options_json, &out), AUTH0_OK)) {
        h_fail_at(__FILE__, __LINE__, "options %s: %s", options_json ? options_json : "NULL",
                  out ? out : "(NULL)");
        auth0_string_free(out);
        return NULL;
    }
    CHECK(json_is_object(out));
    return out;
}

#endif
