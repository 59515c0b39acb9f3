/* Memory: peak RSS of a process holding 100 WebAuth handles (each has made
 * a login, so each holds its HTTP client and JWKS cache), then RSS growth
 * over 10 000 calls on one handle (after a 1 000-call warm-up):
 * validateIdToken, parseHash, buildAuthorizeUrl (local) and userInfo
 * (over HTTP) in turn.
 *
 *   cc -O2 bench/rss.c -Iinclude -Ltarget/release -lauth0_native -o rss
 *   LD_LIBRARY_PATH=target/release ./rss http://127.0.0.1:PORT CLIENT_ID
 */
#include "auth0.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256]; long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = atol(line + 6);
    if (f) fclose(f);
    return kb;
}

static long peak_kb(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/* The value of "key":"…" in a JSON text (tokens have no escapes). */
static char *field(const char *json, const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(json, pat);
    if (!p) return NULL;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    char *v = malloc(e - p + 1);
    memcpy(v, p, e - p); v[e - p] = 0;
    return v;
}

static void check(auth0_status st, char *out, const char *what) {
    if (st != AUTH0_OK) { fprintf(stderr, "%s: %d %s\n", what, st, out); exit(1); }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: rss DOMAIN CLIENT_ID\n"); return 2; }
    char opts[1024], *err = NULL, *out = NULL;
    snprintf(opts, sizeof opts,
             "{\"domain\":\"%s\",\"clientID\":\"%s\",\"redirectUri\":\"http://127.0.0.1/callback\","
             "\"responseType\":\"id_token token\",\"scope\":\"openid profile email\"}", argv[1], argv[2]);
    const char *login = "{\"username\":\"dev@example.com\",\"password\":\"DevTenant-Passw0rd\","
                        "\"realm\":\"Username-Password-Authentication\",\"scope\":\"openid profile email\"}";
    long base = rss_kb();
    enum { N = 100 };
    auth0_webauth *h[N];
    char *id_token = NULL, *access_token = NULL;
    for (int i = 0; i < N; i++) {
        if (auth0_webauth_new(opts, &h[i], &err) != AUTH0_OK) { fprintf(stderr, "%s\n", err); return 1; }
        check(auth0_webauth_login(h[i], login, &out), out, "login");
        if (!id_token) { id_token = field(out, "idToken"); access_token = field(out, "accessToken"); }
        auth0_string_free(out);
    }
    long held = rss_kb();
    printf("FIGURE rss_base_kb %ld\nFIGURE rss_100_handles_kb %ld\nFIGURE peak_rss_100_handles_kb %ld\n",
           base, held, peak_kb());
    for (int i = 1; i < N; i++) auth0_webauth_free(h[i]);

    size_t cap = strlen(id_token) + strlen(access_token) + 512;
    char *validate = malloc(cap), *userinfo = malloc(cap), *parse = malloc(cap);
    snprintf(validate, cap, "{\"idToken\":\"%s\",\"accessToken\":\"%s\"}", id_token, access_token);
    snprintf(userinfo, cap, "{\"accessToken\":\"%s\"}", access_token);
    /* The caller's state; the id_token from login has no nonce. */
    snprintf(parse, cap, "{\"hash\":\"#access_token=%s&id_token=%s&token_type=Bearer&state=s\",\"state\":\"s\"}",
             access_token, id_token);
    long after_warmup = 0;
    for (int i = 0; i < 11000; i++) {
        if (i == 1000) after_warmup = rss_kb();
        switch (i % 4) {
        case 0: check(auth0_webauth_validate_id_token(h[0], validate, &out), out, "validate"); break;
        case 1: check(auth0_webauth_parse_hash(h[0], parse, &out), out, "parse_hash"); break;
        case 2: check(auth0_webauth_build_authorize_url(h[0], "{\"state\":\"x\",\"nonce\":\"n\"}", &out), out, "url"); break;
        default: check(auth0_webauth_user_info(h[0], userinfo, &out), out, "userinfo"); break;
        }
        auth0_string_free(out);
    }
    long end = rss_kb();
    printf("FIGURE rss_after_1000_warmup_kb %ld\nFIGURE rss_after_10000_more_calls_kb %ld\n"
           "FIGURE rss_growth_10000_calls_kb %ld\nFIGURE peak_rss_kb %ld\n",
           after_warmup, end, end - after_warmup, peak_kb());
    auth0_webauth_free(h[0]);
    free(validate); free(userinfo); free(parse);
    free(id_token); free(access_token);
    return 0;
}
