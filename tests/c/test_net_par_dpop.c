/*
 * Against the dev tenant: pushed authorization requests ("par":true on
 * auth0_webauth_authorize) and DPoP ("dpop":true; auth0_webauth_dpop_key_export
 * / _import): bound tokens, user_info with the proof, a stolen token alone
 * refused, the key carried to another handle.
 *
 * Faults: none. The dev tenant's settings (dpop_require_nonce) are left
 * alone: other binaries share the tenant.
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

/* ---- PAR ------------------------------------------------------------------- */

TEST(authorize_with_par_opens_a_url_with_only_client_id_and_request_uri) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth("\"scope\":\"openid\",\"par\":true");
    char *out = NULL, *url = NULL, *state = NULL, *request_uri = NULL, *log = NULL;
    char *redirect = NULL, *path = NULL;
    dt_response r = {0};
    if (!web || !t) goto done;
    CHECK_STATUS(auth0_webauth_authorize(web, "{}", &out), AUTH0_OK);
    url = json_get_string(out, "url");
    state = json_get_string(out, "state");
    CHECK(url != NULL && state != NULL);
    if (!url || !state) goto done;
    request_uri = url_query_param(url, "request_uri");
    redirect = url_query_param(url, "redirect_uri");
    CHECK(request_uri != NULL &&
          strncmp(request_uri, "urn:ietf:params:oauth:request_uri:", 34) == 0);
    CHECK(redirect == NULL); /* it went to /oauth/par */
    CHECK_CONTAINS(url, "/authorize?client_id=");
    /* The pushed request carried the transaction's state. */
    log = dt_get("/__dev/requests?path=/oauth/par");
    CHECK_CONTAINS(log, state);
    CHECK_CONTAINS(log, "code_challenge");
    /* The short URL opens the login page. */
    path = strstr(url, "/authorize?");
    if (path && dt_request_at("GET", path, NULL, NULL, &r, __FILE__, __LINE__))
        CHECK(r.status == 200);
done:
    dt_response_free(&r);
    free(log);
    free(redirect);
    free(request_uri);
    free(state);
    free(url);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(a_refused_push_is_a_server_error_with_the_servers_code) {
    auth0_webauth *web = dt_webauth("\"par\":true");
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_authorize(
                     web, "{\"redirectUri\":\"https://evil.example/callback\"}", &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_request", 400);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(build_authorize_url_refuses_par) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_build_authorize_url(web, "{\"par\":true}", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "par option is not valid");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- DPoP ------------------------------------------------------------------ */

static char *user_info(const auth0_webauth *web, const char *access, auth0_status want) {
    char options[8192];
    char *out = NULL;
    snprintf(options, sizeof options, "{\"accessToken\":\"%s\"}", access);
    CHECK_STATUS(auth0_webauth_user_info(web, options, &out), want);
    return out;
}

TEST(a_dpop_login_is_bound_and_a_stolen_token_alone_is_refused) {
    auth0_webauth *web = dt_webauth("\"dpop\":true");
    auth0_webauth *plain = dt_webauth(NULL);
    auth0_webauth *thief = dt_webauth("\"dpop\":true");
    char *out = NULL, *access = NULL, *info = NULL;
    if (!web || !plain || !thief) goto done;
    out = dt_login(web, "\"scope\":\"openid\"");
    CHECK_JSON_STR(out, "tokenType", "DPoP");
    access = dt_result_string(out, "accessToken");
    if (!access) goto done;
    info = user_info(web, access, AUTH0_OK);
    CHECK_JSON_STR(info, "sub", DT_USER_ID);
    auth0_string_free(info);
    info = user_info(plain, access, AUTH0_ERROR_SERVER); /* as a Bearer token */
    CHECK_HTTP_ERROR(info, NULL, 401);
    auth0_string_free(info);
    info = user_info(thief, access, AUTH0_ERROR_SERVER); /* another key's proof */
    CHECK_HTTP_ERROR(info, NULL, 401);
done:
    auth0_string_free(info);
    free(access);
    auth0_string_free(out);
    auth0_webauth_free(thief);
    auth0_webauth_free(plain);
    auth0_webauth_free(web);
}

TEST(an_exported_key_imported_into_another_handle_keeps_the_binding) {
    auth0_webauth *web = dt_webauth("\"dpop\":true");
    auth0_webauth *later = dt_webauth(NULL);
    auth0_webauth *by_option = NULL;
    char *out = NULL, *access = NULL, *exported = NULL, *key = NULL, *thumb = NULL;
    char *info = NULL, *imported = NULL, *options = NULL, *quoted = NULL;
    char extra[1024];
    if (!web || !later) goto done;
    out = dt_login(web, "\"scope\":\"openid\"");
    access = dt_result_string(out, "accessToken");
    CHECK_STATUS(auth0_webauth_dpop_key_export(web, NULL, &exported), AUTH0_OK);
    key = dt_result_string(exported, "dpopKey");
    thumb = dt_result_string(exported, "thumbprint");
    if (!access || !key || !thumb) goto done;

    quoted = json_quote(key);
    snprintf(extra, sizeof extra, "\"dpopKey\":%s", quoted);
    by_option = dt_webauth(extra);
    info = user_info(by_option, access, AUTH0_OK);
    auth0_string_free(info);

    options = malloc(strlen(quoted) + 16);
    sprintf(options, "{\"dpopKey\":%s}", quoted);
    CHECK_STATUS(auth0_webauth_dpop_key_import(later, options, &imported), AUTH0_OK);
    CHECK_JSON_STR(imported, "thumbprint", thumb);
    CHECK(!json_has(imported, "dpopKey"));
    info = user_info(later, access, AUTH0_OK);
    auth0_string_free(info);
    auth0_string_free(imported);
    CHECK_STATUS(auth0_webauth_dpop_key_import(later, "{\"dpopKey\":null}", &imported),
                 AUTH0_OK);
    info = user_info(later, access, AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(info, NULL, 401);
done:
    auth0_string_free(info);
    auth0_string_free(imported);
    free(options);
    free(quoted);
    free(thumb);
    free(key);
    auth0_string_free(exported);
    free(access);
    auth0_string_free(out);
    auth0_webauth_free(by_option);
    auth0_webauth_free(later);
    auth0_webauth_free(web);
}

TEST(key_export_and_import_errors_name_the_problem) {
    auth0_webauth *plain = dt_webauth(NULL);
    char *out = NULL;
    if (!plain) return;
    CHECK_STATUS(auth0_webauth_dpop_key_export(plain, NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, "dpop_off");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_dpop_key_import(plain, "{\"dpopKey\":\"c2VjcmV0LWdhcmJhZ2U\"}",
                                               &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "dpopKey option is not valid");
    CHECK_NOT_CONTAINS(out, "c2VjcmV0LWdhcmJhZ2U");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_dpop_key_import(plain, "{}", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "dpopKey option is required");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_dpop_key_import(NULL, "{}", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_string_free(out);
    auth0_webauth_free(plain);
}

HARNESS_MAIN(TEST_ENTRY(authorize_with_par_opens_a_url_with_only_client_id_and_request_uri),
             TEST_ENTRY(a_refused_push_is_a_server_error_with_the_servers_code),
             TEST_ENTRY(build_authorize_url_refuses_par),
             TEST_ENTRY(a_dpop_login_is_bound_and_a_stolen_token_alone_is_refused),
             TEST_ENTRY(an_exported_key_imported_into_another_handle_keeps_the_binding),
             TEST_ENTRY(key_export_and_import_errors_name_the_problem))
