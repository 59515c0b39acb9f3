/* Cold start: load libauth0_native.so (dlopen), create a handle, build the
 * first /authorize URL. Run as a fresh process each time (bench/run.sh
 * times repeated launches with hyperfine, or a loop); it also prints its
 * own in-process time from main() to the URL, in microseconds.
 *
 *   cc -O2 bench/coldstart.c -o target/bench/coldstart -ldl
 *   target/bench/coldstart target/release/libauth0_native.so
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef int (*new_fn)(const char *, void **, char **);
typedef int (*call_fn)(const void *, const char *, char **);
typedef void (*free_fn)(void *);
typedef void (*sfree_fn)(char *);

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    double t0 = now_us();
    const char *lib = argc > 1 ? argv[1] : "libauth0_native.so";
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); return 2; }
    new_fn webauth_new = (new_fn)dlsym(h, "auth0_webauth_new");
    call_fn build = (call_fn)dlsym(h, "auth0_webauth_build_authorize_url");
    free_fn webauth_free = (free_fn)dlsym(h, "auth0_webauth_free");
    sfree_fn string_free = (sfree_fn)dlsym(h, "auth0_string_free");
    double t_loaded = now_us();
    void *web = NULL; char *err = NULL, *out = NULL;
    if (webauth_new("{\"domain\":\"me.auth0.com\",\"clientID\":\"abc\","
                    "\"redirectUri\":\"com.example.app://callback\",\"scope\":\"openid profile\"}",
                    &web, &err) != 0) { fprintf(stderr, "%s\n", err); return 3; }
    int st = build(web, "{\"state\":\"xyz\",\"connection\":\"twitter\"}", &out);
    double t_done = now_us();
    if (st != 0 || !strstr(out, "/authorize?")) { fprintf(stderr, "%s\n", out); return 4; }
    if (argc > 2) printf("load_us %.0f total_us %.0f\n", t_loaded - t0, t_done - t0);
    string_free(out);
    webauth_free(web);
    return 0;
}
