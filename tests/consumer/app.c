/*
 * A program as a C user writes it against the installed library: it is
 * built by tests/consumer/run.sh with pkg-config (shared, and --static) and
 * with CMake, and run against the dev tenant.
 *
 *   app [expect-static|expect-shared]
 *
 * Checks the header's AUTH0_VERSION_* against auth0_version(), logs the
 * dev tenant's user in (AUTH0_TEST_DOMAIN, AUTH0_TEST_CLIENT_ID,
 * AUTH0_TEST_USERNAME, AUTH0_TEST_PASSWORD, AUTH0_TEST_CONNECTION) and
 * prints "consumer: logged in as EMAIL". Exit status 0 only when all of
 * that worked.
 */
#include <auth0.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR2(x) #x
#define STR(x) STR2(x)

static const char *env(const char *name) {
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "consumer: %s is not set\n", name);
        exit(1);
    }
    return v;
}

int main(void) {
    char options[2048];
    char *error = NULL, *result = NULL;
    auth0_webauth *web = NULL;
    auth0_status status;
    const char *version = auth0_version();
    int ok = 1;

    if (strcmp(version, AUTH0_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: auth0_version() is %s, the header's %s\n", version,
                AUTH0_VERSION_STRING);
        ok = 0;
    }
    if (strcmp(STR(AUTH0_VERSION_MAJOR) "." STR(AUTH0_VERSION_MINOR) "." STR(AUTH0_VERSION_PATCH),
               AUTH0_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: AUTH0_VERSION_MAJOR.MINOR.PATCH is not AUTH0_VERSION_STRING\n");
        ok = 0;
    }

    snprintf(options, sizeof options,
             "{\"domain\":\"%s\",\"clientID\":\"%s\",\"_sendTelemetry\":false}",
             env("AUTH0_TEST_DOMAIN"), env("AUTH0_TEST_CLIENT_ID"));
    status = auth0_webauth_new(options, &web, &error);
    if (status != AUTH0_OK) {
        fprintf(stderr, "consumer: auth0_webauth_new: %d %s\n", (int)status, error ? error : "");
        auth0_string_free(error);
        return 1;
    }
    snprintf(options, sizeof options,
             "{\"username\":\"%s\",\"password\":\"%s\",\"realm\":\"%s\",\"scope\":\"openid email\"}",
             env("AUTH0_TEST_USERNAME"), env("AUTH0_TEST_PASSWORD"), env("AUTH0_TEST_CONNECTION"));
    status = auth0_webauth_login(web, options, &result);
    memset(options, 0, sizeof options); /* it held the password */
    if (status == AUTH0_OK && result != NULL && strstr(result, "\"accessToken\":\"") != NULL &&
        strstr(result, env("AUTH0_TEST_USERNAME")) != NULL) {
        printf("consumer: logged in as %s (library %s)\n", env("AUTH0_TEST_USERNAME"), version);
    } else {
        fprintf(stderr, "consumer: auth0_webauth_login gave %d\n", (int)status);
        ok = 0;
    }
    auth0_string_free(result);
    auth0_webauth_free(web);
    return ok ? 0 : 1;
}
