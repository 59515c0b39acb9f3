/*
 * Against the dev tenant: passwordless with one-time codes —
 * auth0_webauth_passwordless_start (the code goes to the tenant's outbox,
 * read through /__dev/outbox), auth0_webauth_passwordless_verify (verify,
 * then the redirect followed headlessly and parsed) and
 * auth0_webauth_passwordless_login (the OTP grant).
 *
 * Every test uses its own recipient, so the binaries can run at once.
 * Faults: none.
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

/* The handle of these tests: an implicit answer with an id_token, so that
 * verify's redirect carries the tokens. */
#define HANDLE_OPTIONS "\"responseType\":\"token id_token\",\"scope\":\"openid email\""

/* Starts an e-mail code login for `email`; returns whether it worked. */
static int start_email_code(const auth0_webauth *web, const char *email) {
    char options[512];
    char *out = NULL;
    int ok;
    snprintf(options, sizeof options,
             "{\"connection\":\"email\",\"send\":\"code\",\"email\":\"%s\"}", email);
    ok = CHECK_STATUS(auth0_webauth_passwordless_start(web, options, &out), AUTH0_OK);
    if (!ok) h_fail_at(__FILE__, __LINE__, "passwordless_start: %s", out ? out : "(NULL)");
    auth0_string_free(out);
    return ok;
}

/* {"connection":"email","email":…,"verificationCode":…} in `buf`. */
static const char *code_options(char *buf, size_t cap, const char *email, const char *code) {
    snprintf(buf, cap, "{\"connection\":\"email\",\"email\":\"%s\",\"verificationCode\":\"%s\"}",
             email, code);
    return buf;
}

/* ---- auth0_webauth_passwordless_start ---------------------------------------- */

TEST(passwordless_start_with_an_email_returns_it_and_sends_a_code) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char email[128], options[512];
    char *out = NULL, *code = NULL;
    if (!web) return;
    dt_unique_email(email, sizeof email, "pl-start");
    snprintf(options, sizeof options,
             "{\"connection\":\"email\",\"send\":\"code\",\"email\":\"%s\"}", email);
    CHECK_STATUS(auth0_webauth_passwordless_start(web, options, &out), AUTH0_OK);
    CHECK_JSON_STR(out, "email", email);
    CHECK(json_has(out, "Id"));
    code = dt_outbox_code(email);
    CHECK(code != NULL && strlen(code) >= 6);
    free(code);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(passwordless_start_with_a_phone_number_sends_an_sms_code) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char phone[32], options[512];
    char *out = NULL, *code = NULL;
    if (!web) return;
    snprintf(phone, sizeof phone, "+1555%07ld", (long)getpid() % 10000000L);
    snprintf(options, sizeof options,
             "{\"connection\":\"sms\",\"send\":\"code\",\"phoneNumber\":\"%s\"}", phone);
    CHECK_STATUS(auth0_webauth_passwordless_start(web, options, &out), AUTH0_OK);
    CHECK_JSON_STR(out, "phoneNumber", phone);
    code = dt_outbox_code(phone);
    CHECK(code != NULL);
    free(code);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(passwordless_start_of_an_unknown_connection_is_a_server_error) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_passwordless_start(
                     web, "{\"connection\":\"carrier-pigeon\",\"send\":\"code\",\"email\":\"a@b.c\"}",
                     &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "bad.connection", 400);
    CHECK_JSON_STR(out, "description", "Connection does not exist");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_passwordless_verify --------------------------------------- */

TEST(passwordless_verify_with_the_code_returns_an_auth_result) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char email[128], options[512];
    char *code = NULL, *out = NULL, *payload_email, *access;
    if (!web) return;
    dt_unique_email(email, sizeof email, "pl-verify");
    if (start_email_code(web, email) && (code = dt_outbox_code(email)) != NULL) {
        CHECK_STATUS(auth0_webauth_passwordless_verify(
                         web, code_options(options, sizeof options, email, code), &out),
                     AUTH0_OK);
        access = json_get_string(out, "accessToken");
        payload_email = json_get_nested_string(out, "idTokenPayload", "email");
        CHECK(access != NULL && access[0] != '\0');
        CHECK_STREQ(payload_email, email);
        free(access);
        free(payload_email);
    }
    free(code);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(passwordless_verify_with_a_wrong_code_is_a_server_error_403) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char email[128], options[512];
    char *out = NULL;
    if (!web) return;
    dt_unique_email(email, sizeof email, "pl-verify-bad");
    if (start_email_code(web, email)) {
        CHECK_STATUS(auth0_webauth_passwordless_verify(
                         web, code_options(options, sizeof options, email, "000000x"), &out),
                     AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(out, "invalid_grant", 403);
        CHECK_JSON_STR(out, "description", "Wrong email or verification code.");
        CHECK_NOT_CONTAINS(out, "000000x");
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(passwordless_verify_names_the_recipient_its_connection_needs) {
    /* Refused before anything is sent, naming what is missing. */
    static const struct {
        const char *options;
        const char *message;
    } cases[] = {
        {"{\"connection\":\"email\",\"verificationCode\":\"1\"}", "email option is required"},
        {"{\"connection\":\"email\",\"verificationCode\":\"1\",\"phoneNumber\":\"+15555550100\"}",
         "email option is required"},
        {"{\"connection\":\"sms\",\"verificationCode\":\"1\",\"email\":\"a@example.com\"}",
         "phoneNumber option is required"},
        {"{\"connection\":\"custom\",\"verificationCode\":\"1\"}", "phoneNumber option is required"},
    };
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    size_t i;
    if (!web) return;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        CHECK_STATUS(auth0_webauth_passwordless_verify(web, cases[i].options, &out),
                     AUTH0_ERROR_INVALID_ARGUMENT);
        CHECK_JSON_STR(out, "description", cases[i].message);
        auth0_string_free(out);
    }
    auth0_webauth_free(web);
}

/* ---- auth0_webauth_passwordless_login ---------------------------------------- */

TEST(passwordless_login_with_the_code_returns_an_auth_result) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char email[128], options[512];
    char *code = NULL, *out = NULL, *payload_email;
    if (!web) return;
    dt_unique_email(email, sizeof email, "pl-login");
    if (start_email_code(web, email) && (code = dt_outbox_code(email)) != NULL) {
        CHECK_STATUS(auth0_webauth_passwordless_login(
                         web, code_options(options, sizeof options, email, code), &out),
                     AUTH0_OK);
        payload_email = json_get_nested_string(out, "idTokenPayload", "email");
        CHECK_STREQ(payload_email, email);
        CHECK(json_has(out, "accessToken"));
        free(payload_email);
    }
    free(code);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(passwordless_login_with_a_wrong_code_is_a_server_error_403_invalid_grant) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char email[128], options[512];
    char *out = NULL;
    if (!web) return;
    dt_unique_email(email, sizeof email, "pl-login-bad");
    if (start_email_code(web, email)) {
        CHECK_STATUS(auth0_webauth_passwordless_login(
                         web, code_options(options, sizeof options, email, "999999x"), &out),
                     AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(out, "invalid_grant", 403);
        CHECK_NOT_CONTAINS(out, "999999x");
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(passwordless_login_with_a_used_code_is_a_server_error_403_invalid_grant) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char email[128], options[512];
    char *code = NULL, *first = NULL, *second = NULL;
    if (!web) return;
    dt_unique_email(email, sizeof email, "pl-used");
    if (start_email_code(web, email) && (code = dt_outbox_code(email)) != NULL) {
        code_options(options, sizeof options, email, code);
        CHECK_STATUS(auth0_webauth_passwordless_login(web, options, &first), AUTH0_OK);
        CHECK_STATUS(auth0_webauth_passwordless_login(web, options, &second), AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(second, "invalid_grant", 403);
        CHECK_NOT_CONTAINS(second, code);
    }
    free(code);
    auth0_string_free(first);
    auth0_string_free(second);
    auth0_webauth_free(web);
}

TEST(passwordless_verify_with_a_code_the_otp_grant_spent_is_a_server_error_403) {
    auth0_webauth *web = dt_webauth(HANDLE_OPTIONS);
    char email[128], options[512];
    char *code = NULL, *first = NULL, *second = NULL;
    if (!web) return;
    dt_unique_email(email, sizeof email, "pl-spent");
    if (start_email_code(web, email) && (code = dt_outbox_code(email)) != NULL) {
        code_options(options, sizeof options, email, code);
        CHECK_STATUS(auth0_webauth_passwordless_login(web, options, &first), AUTH0_OK);
        CHECK_STATUS(auth0_webauth_passwordless_verify(web, options, &second),
                     AUTH0_ERROR_SERVER);
        CHECK_HTTP_ERROR(second, "invalid_grant", 403);
    }
    free(code);
    auth0_string_free(first);
    auth0_string_free(second);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(passwordless_start_with_an_email_returns_it_and_sends_a_code),
             TEST_ENTRY(passwordless_start_with_a_phone_number_sends_an_sms_code),
             TEST_ENTRY(passwordless_start_of_an_unknown_connection_is_a_server_error),
             TEST_ENTRY(passwordless_verify_with_the_code_returns_an_auth_result),
             TEST_ENTRY(passwordless_verify_with_a_wrong_code_is_a_server_error_403),
             TEST_ENTRY(passwordless_verify_names_the_recipient_its_connection_needs),
             TEST_ENTRY(passwordless_login_with_the_code_returns_an_auth_result),
             TEST_ENTRY(passwordless_login_with_a_wrong_code_is_a_server_error_403_invalid_grant),
             TEST_ENTRY(passwordless_login_with_a_used_code_is_a_server_error_403_invalid_grant),
             TEST_ENTRY(passwordless_verify_with_a_code_the_otp_grant_spent_is_a_server_error_403))
