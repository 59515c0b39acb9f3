/*
 * Against the dev tenant: MFA and Organizations through the C API.
 *
 * MFA — auth0_webauth_login of an enrolled user fails with
 * AUTH0_ERROR_AUTHORIZATION `mfa_required` and its `mfaToken`; then
 * auth0_webauth_mfa_challenge / _mfa_verify (an OTP from the tenant's
 * /__dev/mfa/totp for the known secret, a push approved through
 * /__dev/mfa/approve, an sms code with its binding code, a recovery code),
 * _mfa_authenticators and _mfa_associate.
 * Organizations — `organization` on auth0_webauth_authorize, followed with
 * a login ticket, and the id_token's org_id / org_name checked by
 * auth0_webauth_parse_hash (a mismatch refused).
 *
 * Every test signs up its own user (and creates its own organization), so
 * the binaries can run at once and the seeded user never needs MFA. The
 * tenant's settings are never changed. Faults: none.
 */
#define _POSIX_C_SOURCE 200809L

#include "devtenant.h"

#define SECRET "JBSWY3DPEHPK3PXP"
#define PASSWORD "Mfa-Test-Passw0rd"
#define SCOPE_OPTIONS "\"scope\":\"openid email\""

/* Signs up a new user with PASSWORD; its e-mail in `email`. */
static int new_user(const auth0_webauth *web, char *email, size_t cap, const char *tag) {
    const dt_tenant *t = dt_env();
    char options[1024];
    char *out = NULL;
    int ok;
    if (!t) return 0;
    dt_unique_email(email, cap, tag);
    snprintf(options, sizeof options,
             "{\"connection\":\"%s\",\"email\":\"%s\",\"password\":\"" PASSWORD "\"}",
             t->connection, email);
    ok = CHECK_STATUS(auth0_webauth_signup(web, options, &out), AUTH0_OK);
    if (!ok) h_fail_at(__FILE__, __LINE__, "signup: %s", out ? out : "(NULL)");
    auth0_string_free(out);
    return ok;
}

/* Enrols `email` (`/__dev/mfa/enroll` with the members `what`); the
 * tenant's answer (malloc'd: free), or NULL. */
static char *enroll(const char *email, const char *what) {
    char body[1024];
    snprintf(body, sizeof body, "{\"user\":\"%s\",%s}", email, what);
    return dt_post("/__dev/mfa/enroll", body);
}

/* A password login of `email` that must end in mfa_required: its
 * mfaToken (malloc'd), or NULL after recording a failure. */
static char *mfa_token_of(const auth0_webauth *web, const char *email) {
    const dt_tenant *t = dt_env();
    char options[1024];
    char *out = NULL, *token = NULL;
    if (!t) return NULL;
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"" PASSWORD "\",\"realm\":\"%s\"," SCOPE_OPTIONS
             "}",
             email, t->connection);
    if (CHECK_STATUS(auth0_webauth_login(web, options, &out), AUTH0_ERROR_AUTHORIZATION) &&
        CHECK_HTTP_ERROR(out, "mfa_required", 403))
        token = dt_result_string(out, "mfaToken");
    auth0_string_free(out);
    return token;
}

/* The tenant's current TOTP code for SECRET (malloc'd). */
static char *totp_code(void) {
    char *answer = dt_get("/__dev/mfa/totp?secret=" SECRET);
    char *code = dt_result_string(answer, "code");
    free(answer);
    return code;
}

/* {"mfaToken":TOKEN,<extra>} in `buf`. */
static const char *with_token(char *buf, size_t cap, const char *token, const char *extra) {
    snprintf(buf, cap, "{\"mfaToken\":\"%s\"%s%s}", token, extra ? "," : "", extra ? extra : "");
    return buf;
}

/* A user enrolled in OTP (SECRET), and its mfaToken. */
static char *otp_user(const auth0_webauth *web, char *email, size_t cap, char **enrolled) {
    char *answer;
    if (!new_user(web, email, cap, "mfa-otp")) return NULL;
    answer = enroll(email, "\"type\":\"otp\",\"secret\":\"" SECRET "\"");
    if (!answer) return NULL;
    if (enrolled) *enrolled = answer;
    else free(answer);
    return mfa_token_of(web, email);
}

/* ---- mfa_required ------------------------------------------------------------ */

TEST(login_of_an_enrolled_user_is_mfa_required_with_the_mfa_token_kept_out_of_original) {
    const dt_tenant *t = dt_env();
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[1024];
    char *out = NULL, *token = NULL, *original = NULL, *answer = NULL;
    if (!web || !t || !new_user(web, email, sizeof email, "mfa-req")) goto done;
    answer = enroll(email, "\"type\":\"otp\",\"secret\":\"" SECRET "\"");
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"" PASSWORD "\",\"realm\":\"%s\"}", email,
             t->connection);
    CHECK_STATUS(auth0_webauth_login(web, options, &out), AUTH0_ERROR_AUTHORIZATION);
    CHECK_HTTP_ERROR(out, "mfa_required", 403);
    token = dt_result_string(out, "mfaToken");
    original = json_get_raw(out, "original");
    CHECK(original != NULL);
    if (token) CHECK_NOT_CONTAINS(original, token);
    CHECK_NOT_CONTAINS(out, PASSWORD);
done:
    free(original);
    free(token);
    free(answer);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- OTP --------------------------------------------------------------------- */

TEST(an_otp_challenge_and_verify_give_an_auth_result_with_a_verified_id_token) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[2048];
    char *token = NULL, *challenge = NULL, *out = NULL, *code = NULL, *got_email = NULL;
    if (!web || !(token = otp_user(web, email, sizeof email, NULL))) goto done;
    CHECK_STATUS(auth0_webauth_mfa_challenge(
                     web, with_token(options, sizeof options, token, "\"challengeType\":\"otp\""),
                     &challenge),
                 AUTH0_OK);
    CHECK_JSON_STR(challenge, "challengeType", "otp");
    CHECK_JSON_STR(challenge, "oobCode", NULL);
    if (!(code = totp_code())) goto done;
    snprintf(options, sizeof options, "{\"mfaToken\":\"%s\",\"otp\":\"%s\"}", token, code);
    if (!CHECK_STATUS(auth0_webauth_mfa_verify(web, options, NULL, &out), AUTH0_OK)) {
        h_fail_at(__FILE__, __LINE__, "mfa_verify: %s", out ? out : "(NULL)");
        goto done;
    }
    got_email = json_get_nested_string(out, "idTokenPayload", "email");
    CHECK_STREQ(got_email, email);
    free(dt_result_string(out, "accessToken"));
    CHECK(j_find(out, "recoveryCode") == NULL);
done:
    free(got_email);
    free(code);
    auth0_string_free(out);
    auth0_string_free(challenge);
    free(token);
    auth0_webauth_free(web);
}

TEST(a_wrong_otp_is_a_server_error_403_invalid_grant) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[2048];
    char *token = NULL, *out = NULL, *code = NULL;
    if (!web || !(token = otp_user(web, email, sizeof email, NULL))) goto done;
    if (!(code = totp_code())) goto done;
    /* Another six digits than the tenant's code. */
    code[0] = code[0] == '9' ? '0' : (char)(code[0] + 1);
    snprintf(options, sizeof options, "{\"mfaToken\":\"%s\",\"otp\":\"%s\"}", token, code);
    CHECK_STATUS(auth0_webauth_mfa_verify(web, options, NULL, &out), AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_grant", 403);
    CHECK_NOT_CONTAINS(out, code);
    CHECK_NOT_CONTAINS(out, token);
done:
    free(code);
    auth0_string_free(out);
    free(token);
    auth0_webauth_free(web);
}

TEST(a_recovery_code_logs_in_and_hands_back_the_next_recovery_code) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[2048];
    char *token = NULL, *enrolled = NULL, *recovery = NULL, *out = NULL, *next = NULL;
    if (!web || !(token = otp_user(web, email, sizeof email, &enrolled))) goto done;
    if (!(recovery = dt_result_string(enrolled, "recovery_code"))) goto done;
    snprintf(options, sizeof options, "{\"mfaToken\":\"%s\",\"recoveryCode\":\"%s\"}", token,
             recovery);
    if (!CHECK_STATUS(auth0_webauth_mfa_verify(web, options, NULL, &out), AUTH0_OK)) goto done;
    next = dt_result_string(out, "recoveryCode");
    CHECK(next != NULL && strcmp(next, recovery) != 0);
    free(dt_result_string(out, "idToken"));
done:
    free(next);
    auth0_string_free(out);
    free(recovery);
    free(enrolled);
    free(token);
    auth0_webauth_free(web);
}

/* ---- out of band --------------------------------------------------------------- */

/* A user enrolled in push (`oob_channel` auth0); its mfaToken and the
 * oobCode of an oob challenge (both malloc'd) */
static int push_challenge(const auth0_webauth *web, char *email, size_t cap, char **token,
                          char **oob) {
    char options[2048];
    char *answer, *challenge = NULL;
    *token = *oob = NULL;
    if (!new_user(web, email, cap, "mfa-push")) return 0;
    answer = enroll(email, "\"type\":\"oob\"");
    free(answer);
    if (!answer || !(*token = mfa_token_of(web, email))) return 0;
    if (CHECK_STATUS(auth0_webauth_mfa_challenge(
                         web,
                         with_token(options, sizeof options, *token, "\"challengeType\":\"oob\""),
                         &challenge),
                     AUTH0_OK)) {
        CHECK_JSON_STR(challenge, "challengeType", "oob");
        *oob = dt_result_string(challenge, "oobCode");
    }
    auth0_string_free(challenge);
    return *oob != NULL;
}

TEST(a_push_approved_through_the_dev_endpoint_logs_in) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[2048], body[512];
    char *token = NULL, *oob = NULL, *approved = NULL, *out = NULL, *got_email = NULL;
    if (!web || !push_challenge(web, email, sizeof email, &token, &oob)) goto done;
    snprintf(body, sizeof body, "{\"oob_code\":\"%s\"}", oob);
    if (!(approved = dt_post("/__dev/mfa/approve", body))) goto done;
    snprintf(options, sizeof options, "{\"mfaToken\":\"%s\",\"oobCode\":\"%s\"}", token, oob);
    if (!CHECK_STATUS(auth0_webauth_mfa_verify(web, options, NULL, &out), AUTH0_OK)) goto done;
    got_email = json_get_nested_string(out, "idTokenPayload", "email");
    CHECK_STREQ(got_email, email);
done:
    free(got_email);
    auth0_string_free(out);
    free(approved);
    free(oob);
    free(token);
    auth0_webauth_free(web);
}

TEST(a_push_not_approved_is_polled_until_the_timeout) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[2048];
    char *token = NULL, *oob = NULL, *out = NULL;
    if (!web || !push_challenge(web, email, sizeof email, &token, &oob)) goto done;
    snprintf(options, sizeof options,
             "{\"mfaToken\":\"%s\",\"oobCode\":\"%s\",\"interval\":1000,\"timeout\":1500}", token,
             oob);
    CHECK_STATUS(auth0_webauth_mfa_verify(web, options, NULL, &out), AUTH0_ERROR_TIMEOUT);
    CHECK_ERROR_JSON(out, "timeout");
done:
    auth0_string_free(out);
    free(oob);
    free(token);
    auth0_webauth_free(web);
}

TEST(an_sms_challenge_is_verified_with_its_binding_code) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[2048], what[256];
    char *answer = NULL, *token = NULL, *challenge = NULL, *oob = NULL, *pending = NULL;
    char *item = NULL, *binding = NULL, *out = NULL, *item_oob = NULL;
    long i, n;
    if (!web || !new_user(web, email, sizeof email, "mfa-sms")) goto done;
    snprintf(what, sizeof what,
             "\"type\":\"oob\",\"oob_channel\":\"sms\",\"phone_number\":\"+1555%07ld\"",
             (long)getpid() % 10000000);
    if (!(answer = enroll(email, what)) || !(token = mfa_token_of(web, email))) goto done;
    if (!CHECK_STATUS(auth0_webauth_mfa_challenge(
                          web, with_token(options, sizeof options, token,
                                          "\"challengeType\":\"oob\""),
                          &challenge),
                      AUTH0_OK))
        goto done;
    CHECK_JSON_STR(challenge, "bindingMethod", "prompt");
    if (!(oob = dt_result_string(challenge, "oobCode"))) goto done;
    pending = dt_get("/__dev/mfa/pending");
    n = json_array_length(pending);
    for (i = 0; i < n && binding == NULL; i++) {
        item = json_array_item(pending, (size_t)i);
        item_oob = json_get_string(item, "oob_code");
        if (item_oob && strcmp(item_oob, oob) == 0) binding = json_get_string(item, "binding_code");
        free(item_oob);
        free(item);
    }
    CHECK(binding != NULL);
    if (!binding) goto done;
    snprintf(options, sizeof options,
             "{\"mfaToken\":\"%s\",\"oobCode\":\"%s\",\"bindingCode\":\"%s\"}", token, oob,
             binding);
    CHECK_STATUS(auth0_webauth_mfa_verify(web, options, NULL, &out), AUTH0_OK);
    free(dt_result_string(out, "accessToken"));
done:
    auth0_string_free(out);
    free(binding);
    free(pending);
    free(oob);
    auth0_string_free(challenge);
    free(token);
    free(answer);
    auth0_webauth_free(web);
}

/* ---- authenticators, associate, arguments ---------------------------------------- */

TEST(authenticators_lists_the_otp_authenticator_of_the_mfa_token) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], options[2048];
    char *token = NULL, *out = NULL, *first = NULL;
    if (!web || !(token = otp_user(web, email, sizeof email, NULL))) goto done;
    if (!CHECK_STATUS(auth0_webauth_mfa_authenticators(
                          web, with_token(options, sizeof options, token, NULL), &out),
                      AUTH0_OK))
        goto done;
    CHECK(json_array_length(out) >= 1);
    first = json_array_item(out, 0);
    CHECK_JSON_STR(first, "authenticatorType", "otp");
    CHECK_CONTAINS(first, "\"active\":true");
done:
    free(first);
    auth0_string_free(out);
    free(token);
    auth0_webauth_free(web);
}

TEST(associate_with_a_rejected_token_is_a_server_error_401) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_mfa_associate(
                     web, "{\"mfaToken\":\"not-a-token\",\"authenticatorTypes\":[\"otp\"]}", &out),
                 AUTH0_ERROR_SERVER);
    CHECK_HTTP_ERROR(out, "invalid_token", 401);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(mfa_options_are_checked_before_anything_is_sent) {
    auth0_webauth *web = dt_webauth(NULL);
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_mfa_verify(web, NULL, NULL, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_JSON_STR(out, "description", "mfaToken option is required");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_mfa_verify(web, "{\"mfaToken\":\"t\"}", NULL, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_JSON_STR(out, "description", "one of otp, oobCode or recoveryCode option is required");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_mfa_challenge(web, "{\"mfaToken\":\"t\",\"challengeType\":5}", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_JSON_STR(out, "description", "challengeType option is not valid");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_mfa_associate(web, "{\"mfaToken\":\"t\"}", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_JSON_STR(out, "description", "authenticatorTypes option is required");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_mfa_authenticators(web, "[]", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

/* ---- organizations ------------------------------------------------------------- */

/* Creates an organization named `name` whose member is `email`. */
static int new_org(const char *name, const char *email) {
    char body[512];
    char *answer;
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"members\":[\"%s\"]}", name, email);
    answer = dt_post("/__dev/organizations", body);
    free(answer);
    return answer != NULL;
}

/* auth0_webauth_authorize with `options`, the URL's `organization=FROM`
 * replaced by `organization=TO` when `from` is not NULL, followed with a
 * login ticket of `email`; then auth0_webauth_parse_hash of where the
 * tenant redirected. Its status, the result or error in `*out`. */
static auth0_status authorize_and_parse(const auth0_webauth *web, const char *options,
                                        const char *email, const char *from, const char *to,
                                        char **out) {
    const dt_tenant *t = dt_env();
    char *tx = NULL, *url = NULL, *ticket_answer = NULL, *ticket = NULL, *hash = NULL;
    char body[1024], path[8192], parse[8192], needle[256];
    dt_response r = {0, NULL, NULL};
    auth0_status status = AUTH0_ERROR_INTERNAL;
    const char *at;
    *out = NULL;
    if (!t || !CHECK_STATUS(auth0_webauth_authorize(web, options, &tx), AUTH0_OK)) goto done;
    if (!(url = dt_result_string(tx, "url"))) goto done;
    CHECK(strncmp(url, t->domain, strlen(t->domain)) == 0);
    snprintf(body, sizeof body,
             "{\"client_id\":\"%s\",\"username\":\"%s\",\"password\":\"" PASSWORD
             "\",\"realm\":\"%s\","
             "\"credential_type\":\"http://auth0.com/oauth/grant-type/password-realm\"}",
             t->client_id, email, t->connection);
    ticket_answer = dt_post("/co/authenticate", body);
    if (!(ticket = dt_result_string(ticket_answer, "login_ticket"))) goto done;
    if (from) {
        snprintf(needle, sizeof needle, "organization=%s", from);
        at = strstr(url, needle);
        CHECK(at != NULL);
        if (!at) goto done;
        snprintf(path, sizeof path, "%.*sorganization=%s%s&login_ticket=%s",
                 (int)(at - url - strlen(t->domain)), url + strlen(t->domain), to,
                 at + strlen(needle), ticket);
    } else {
        snprintf(path, sizeof path, "%s&login_ticket=%s", url + strlen(t->domain), ticket);
    }
    if (!dt_request_at("GET", path, NULL, NULL, &r, __FILE__, __LINE__)) goto done;
    CHECK(r.status == 302);
    CHECK_CONTAINS(r.location, DT_REDIRECT_URI "?code=");
    if (!r.location) goto done;
    hash = json_quote(r.location);
    snprintf(parse, sizeof parse, "{\"hash\":%s}", hash);
    status = auth0_webauth_parse_hash(web, parse, out);
done:
    free(hash);
    dt_response_free(&r);
    free(ticket);
    free(ticket_answer);
    free(url);
    auth0_string_free(tx);
    return status;
}

TEST(an_organization_login_by_name_is_checked_against_the_org_name_claim) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], org[64], options[256];
    char *out = NULL, *org_name = NULL, *org_id = NULL;
    if (!web || !new_user(web, email, sizeof email, "org")) goto done;
    snprintf(org, sizeof org, "corg%ld", (long)getpid());
    if (!new_org(org, email)) goto done;
    /* Upper case: a name compares ignoring case. */
    snprintf(options, sizeof options, "{\"organization\":\"C%s\"}", org + 1);
    if (!CHECK_STATUS(authorize_and_parse(web, options, email, NULL, NULL, &out), AUTH0_OK)) {
        h_fail_at(__FILE__, __LINE__, "parse_hash: %s", out ? out : "(NULL)");
        goto done;
    }
    org_name = json_get_nested_string(out, "idTokenPayload", "org_name");
    org_id = json_get_nested_string(out, "idTokenPayload", "org_id");
    CHECK_STREQ(org_name, org);
    CHECK(org_id != NULL && strncmp(org_id, "org_", 4) == 0);
done:
    free(org_id);
    free(org_name);
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(a_token_of_another_organization_is_refused_with_the_org_name_mismatch) {
    auth0_webauth *web = dt_webauth(SCOPE_OPTIONS);
    char email[128], asked[64], other[64], options[256], want[512];
    char *out = NULL;
    if (!web || !new_user(web, email, sizeof email, "org-mismatch")) goto done;
    snprintf(asked, sizeof asked, "casked%ld", (long)getpid());
    snprintf(other, sizeof other, "cother%ld", (long)getpid());
    if (!new_org(asked, email) || !new_org(other, email)) goto done;
    /* The app asks for `asked`; the URL reaches the tenant with `other`. */
    snprintf(options, sizeof options, "{\"organization\":\"%s\"}", asked);
    CHECK_STATUS(authorize_and_parse(web, options, email, asked, other, &out),
                 AUTH0_ERROR_INVALID_TOKEN);
    snprintf(want, sizeof want,
             "Organization Name (org_name) claim mismatch in the ID token; expected \"%s\", "
             "found \"%s\"",
             asked, other);
    CHECK_JSON_STR(out, "description", want);
done:
    auth0_string_free(out);
    auth0_webauth_free(web);
}

TEST(organization_and_invitation_reach_the_authorize_url) {
    auth0_webauth *web = dt_webauth("\"organization\":\"org_6f00000000000001\"");
    char *out = NULL;
    if (!web) return;
    CHECK_STATUS(auth0_webauth_build_authorize_url(web, "{\"invitation\":\"tck\",\"state\":\"s\"}",
                                                   &out),
                 AUTH0_OK);
    CHECK_CONTAINS(out, "&organization=org_6f00000000000001");
    CHECK_CONTAINS(out, "&invitation=tck");
    auth0_string_free(out);
    CHECK_STATUS(auth0_webauth_authorize(web, "{\"organization\":7}", &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_JSON_STR(out, "description", "organization option is not valid");
    auth0_string_free(out);
    auth0_webauth_free(web);
}

HARNESS_MAIN(
    TEST_ENTRY(login_of_an_enrolled_user_is_mfa_required_with_the_mfa_token_kept_out_of_original),
    TEST_ENTRY(an_otp_challenge_and_verify_give_an_auth_result_with_a_verified_id_token),
    TEST_ENTRY(a_wrong_otp_is_a_server_error_403_invalid_grant),
    TEST_ENTRY(a_recovery_code_logs_in_and_hands_back_the_next_recovery_code),
    TEST_ENTRY(a_push_approved_through_the_dev_endpoint_logs_in),
    TEST_ENTRY(a_push_not_approved_is_polled_until_the_timeout),
    TEST_ENTRY(an_sms_challenge_is_verified_with_its_binding_code),
    TEST_ENTRY(authenticators_lists_the_otp_authenticator_of_the_mfa_token),
    TEST_ENTRY(associate_with_a_rejected_token_is_a_server_error_401),
    TEST_ENTRY(mfa_options_are_checked_before_anything_is_sent),
    TEST_ENTRY(an_organization_login_by_name_is_checked_against_the_org_name_claim),
    TEST_ENTRY(a_token_of_another_organization_is_refused_with_the_org_name_mismatch),
    TEST_ENTRY(organization_and_invitation_reach_the_authorize_url))
