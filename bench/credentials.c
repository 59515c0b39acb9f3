/* credentials() served from storage, per call, from C: a memory and an
 * encrypted-file store holding a valid access token, so no call touches
 * the network (the handle's domain is a closed port on 127.0.0.1: a call
 * that did would fail). Prints one line per backend: ns per call.
 *
 *   cc -O2 -I include bench/credentials.c -L target/release -lauth0_native \
 *      -Wl,-rpath,target/release -o target/bench-credentials
 *   target/bench-credentials [CALLS] [DIR]
 */
#include "auth0.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* A login's shape: tokens of a real tenant's length, one hour left. */
static const char *result_json(void) {
    static char buf[4096];
    char at[760], rt[80];
    memset(at, 'a', sizeof at - 1);
    at[sizeof at - 1] = 0;
    memset(rt, 'r', sizeof rt - 1);
    rt[sizeof rt - 1] = 0;
    snprintf(buf, sizeof buf,
             "{\"accessToken\":\"%s\",\"refreshToken\":\"v1.%s\",\"tokenType\":\"Bearer\","
             "\"expiresIn\":3600,\"scope\":\"openid profile email offline_access\","
             "\"idTokenPayload\":{\"sub\":\"auth0|6f00\",\"email\":\"dev@example.com\","
             "\"name\":\"Dev\",\"iss\":\"http://127.0.0.1:9/\",\"aud\":\"abc\"}}",
             at, rt);
    return buf;
}

static int bench(auth0_webauth *web, const char *storage, const char *name, long calls) {
    auth0_credentials *c = NULL;
    char *err = NULL, *out = NULL;
    if (auth0_credentials_new(web, storage, &c, &err) != AUTH0_OK ||
        auth0_credentials_save(c, result_json(), &err) != AUTH0_OK) {
        fprintf(stderr, "%s: %s\n", name, err ? err : "?");
        auth0_string_free(err);
        auth0_credentials_free(c);
        return 1;
    }
    for (long i = 0; i < calls / 10; i++) { /* warm-up */
        auth0_credentials_get(c, "{\"minTtl\":60}", &out);
        auth0_string_free(out);
    }
    double t = now_ns();
    for (long i = 0; i < calls; i++) {
        if (auth0_credentials_get(c, "{\"minTtl\":60}", &out) != AUTH0_OK) {
            fprintf(stderr, "%s: %s\n", name, out);
            return 1;
        }
        auth0_string_free(out);
    }
    printf("FIGURE credentials_get_%s_c_ns %.0f\n", name, (now_ns() - t) / (double)calls);
    auth0_credentials_free(c);
    return 0;
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 20000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char storage[1024];
    auth0_webauth *web = NULL;
    char *err = NULL;
    if (auth0_webauth_new("{\"domain\":\"http://127.0.0.1:9\",\"clientID\":\"abc\"}", &web, &err) !=
        AUTH0_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int failed = bench(web, "{\"type\":\"memory\"}", "memory", calls);
    snprintf(storage, sizeof storage,
             "{\"type\":\"file\",\"path\":\"%s/auth0-bench-credentials.bin\","
             "\"key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}",
             dir);
    failed |= bench(web, storage, "file", calls / 10);
    auth0_webauth_free(web);
    return failed;
}
