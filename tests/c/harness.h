/*
 * A tiny test harness for the C suite of auth0-native. No framework, no
 * dependencies beyond libc: include it once per test binary.
 *
 *   TEST(version_is_not_empty) { CHECK(auth0_version()[0] != '\0'); }
 *   ...
 *   HARNESS_MAIN(TEST_ENTRY(version_is_not_empty), ...)
 *
 * CHECK* macros record a failure with file:line and let the test go on, so
 * one run shows every broken expectation. Each test prints one line
 * (`ok`/`FAIL`); the binary ends with `c: <binary>: N passed, N failed`,
 * which tests/c/run.sh sums. Set HARNESS_QUIET=1 to print only failures and
 * the summary. An argument runs only the tests whose name contains it.
 *
 * Also here: a minimal JSON reader for the flat objects the library
 * returns (`{"url":…,"state":…}`, error objects), and small URL helpers.
 * The CHECK macros are for the main thread only.
 */
#ifndef AUTH0_C_TEST_HARNESS_H
#define AUTH0_C_TEST_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth0.h"

/* ------------------------------------------------------------------------ */
/* Test registration and bookkeeping                                        */

typedef struct {
    const char *name;
    void (*fn)(void);
} h_test;

#define TEST(name) static void name(void)
#define TEST_ENTRY(name) { #name, name }

typedef struct {
    const char *binary;
    const char *current;
    int quiet;
    int current_failures;
    int passed;
    int failed;
} h_state_t;

/* One instance per binary: the header is included by exactly one .c file. */
static h_state_t h_state;

#if defined(__GNUC__)
static inline void h_fail_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif

/* Records a failure of the current test and prints where it happened. */
static inline void h_fail_at(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    if (h_state.current_failures == 0) {
        /* The test's line comes first, its failed checks under it. */
        printf("  FAIL %s\n", h_state.current ? h_state.current : "?");
    }
    h_state.current_failures++;
    printf("    %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* Starts a test case; pair with h_end(). Tests that come from a data table
 * (the shared fixture) call these directly. */
static inline void h_begin(const char *name) {
    h_state.current = name;
    h_state.current_failures = 0;
}

static inline void h_end(void) {
    if (h_state.current_failures == 0) {
        h_state.passed++;
        if (!h_state.quiet) printf("  ok   %s\n", h_state.current);
    } else {
        h_state.failed++; /* its FAIL line was printed with the first failure */
    }
    fflush(stdout);
    h_state.current = NULL;
}

/* True when the test `name` was selected on the command line. */
static inline int h_selected(int argc, char **argv, const char *name) {
    return argc < 2 || strstr(name, argv[1]) != NULL;
}

static inline void h_init(int argc, char **argv) {
    const char *slash;
    const char *quiet = getenv("HARNESS_QUIET");
    (void)argc;
    h_state.binary = argv[0];
    slash = strrchr(argv[0], '/');
    if (slash) h_state.binary = slash + 1;
    h_state.quiet = quiet != NULL && quiet[0] != '\0' && strcmp(quiet, "0") != 0;
}

/* Prints the summary line and gives the exit status of the binary. */
static inline int h_finish(void) {
    printf("c: %s: %d passed, %d failed\n", h_state.binary, h_state.passed, h_state.failed);
    fflush(stdout);
    return h_state.failed == 0 ? 0 : 1;
}

static inline int h_run_all(int argc, char **argv, const h_test *tests, size_t n) {
    size_t i;
    h_init(argc, argv);
    for (i = 0; i < n; i++) {
        if (!h_selected(argc, argv, tests[i].name)) continue;
        h_begin(tests[i].name);
        tests[i].fn();
        h_end();
    }
    return h_finish();
}

/* Defines main() running the listed TEST_ENTRY(...)s in order. */
#define HARNESS_MAIN(...)                                                      \
    int main(int argc, char **argv) {                                          \
        static const h_test tests_[] = {__VA_ARGS__};                          \
        return h_run_all(argc, argv, tests_, sizeof tests_ / sizeof tests_[0]); \
    }

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) h_fail_at(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
    } while (0)

/* The library's name for a status; the range check keeps a garbage value
 * (a bug under test) from reaching auth0_status_name as an enum. */
static inline const char *h_status_name(int s) {
    if ((s < AUTH0_OK || s > AUTH0_ERROR_CREDENTIALS) && s != AUTH0_PENDING) return "(unknown status)";
    return auth0_status_name((auth0_status)s);
}

/* Evaluates `expr` once; returns whether it gave `expected`. */
#define CHECK_STATUS(expr, expected)                                           \
    h_check_status((int)(expr), (int)(expected), #expr, __FILE__, __LINE__)

static inline int h_check_status(int got, int want, const char *what, const char *file,
                                 int line) {
    if (got == want) return 1;
    h_fail_at(file, line, "%s gave %s (%d), expected %s (%d)", what, h_status_name(got), got,
              h_status_name(want), want);
    return 0;
}

/* Both may be NULL; NULL equals only NULL. */
#define CHECK_STREQ(got, want) h_check_streq((got), (want), #got, __FILE__, __LINE__)

static inline int h_check_streq(const char *got, const char *want, const char *what,
                                const char *file, int line) {
    if (got == NULL && want == NULL) return 1;
    if (got != NULL && want != NULL && strcmp(got, want) == 0) return 1;
    h_fail_at(file, line, "%s is \"%s\", expected \"%s\"", what, got ? got : "(NULL)",
              want ? want : "(NULL)");
    return 0;
}

/* `needle` occurs in `haystack` (a NULL haystack contains nothing). */
#define CHECK_CONTAINS(haystack, needle)                                       \
    h_check_contains((haystack), (needle), #haystack, __FILE__, __LINE__)

static inline int h_check_contains(const char *haystack, const char *needle, const char *what,
                                   const char *file, int line) {
    if (haystack != NULL && strstr(haystack, needle) != NULL) return 1;
    h_fail_at(file, line, "%s is \"%s\", expected it to contain \"%s\"", what,
              haystack ? haystack : "(NULL)", needle);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Minimal JSON reading (top-level members of one object)                   */

static inline const char *j_ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* `p` at the opening quote; returns just past the closing quote, or NULL. */
static inline const char *j_skip_string(const char *p) {
    if (*p != '"') return NULL;
    for (p++; *p; p++) {
        if (*p == '\\') {
            if (!p[1]) return NULL;
            p++;
        } else if (*p == '"') {
            return p + 1;
        } else if ((unsigned char)*p < 0x20) {
            return NULL; /* raw control characters are not JSON */
        }
    }
    return NULL;
}

/* Returns just past one JSON value starting at `p` (after whitespace), or
 * NULL when it is malformed. Checks structure, not every number's shape. */
static inline const char *j_skip_value(const char *p) {
    p = j_ws(p);
    if (*p == '"') return j_skip_string(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        int object = *p == '{';
        p = j_ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (object) {
                p = j_skip_string(j_ws(p));
                if (!p) return NULL;
                p = j_ws(p);
                if (*p != ':') return NULL;
                p++;
            }
            p = j_skip_value(p);
            if (!p) return NULL;
            p = j_ws(p);
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p == close) return p + 1;
            return NULL;
        }
    }
    if (strncmp(p, "true", 4) == 0) return p + 4;
    if (strncmp(p, "false", 5) == 0) return p + 5;
    if (strncmp(p, "null", 4) == 0) return p + 4;
    if (*p == '-' || (*p >= '0' && *p <= '9')) {
        const char *start = p;
        while (*p && strchr("+-0123456789.eE", *p)) p++;
        return p > start ? p : NULL;
    }
    return NULL;
}

/* The whole text is exactly one JSON object (whitespace around allowed). */
static inline int json_is_object(const char *json) {
    const char *end;
    if (json == NULL) return 0;
    if (*j_ws(json) != '{') return 0;
    end = j_skip_value(json);
    return end != NULL && *j_ws(end) == '\0';
}

static inline int j_hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static inline long j_hex4(const char *p) {
    long v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        int h = j_hex(p[i]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

static inline char *j_put_utf8(char *o, unsigned long cp) {
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Decodes the JSON string literal at `p` (opening quote) into a malloc'd
 * UTF-8 string, or NULL when malformed. */
static inline char *j_decode_string(const char *p) {
    const char *end = j_skip_string(p);
    char *out, *o;
    if (!end) return NULL;
    out = o = (char *)malloc((size_t)(end - p) + 1); /* decoding never grows */
    if (!out) return NULL;
    for (p++; p < end - 1; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        p++;
        switch (*p) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            long cp = j_hex4(p + 1);
            if (cp < 0) goto bad;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && p[1] == '\\' && p[2] == 'u') {
                long lo = j_hex4(p + 3);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            o = j_put_utf8(o, (unsigned long)cp);
            break;
        }
        default: goto bad;
        }
    }
    *o = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

/* Finds the top-level member `key` of the object `json`; returns a pointer
 * to its value (after whitespace) or NULL when absent or malformed. */
static inline const char *j_find(const char *json, const char *key) {
    const char *p;
    if (json == NULL) return NULL;
    p = j_ws(json);
    if (*p != '{') return NULL;
    p = j_ws(p + 1);
    if (*p == '}') return NULL;
    for (;;) {
        char *name = j_decode_string(p);
        const char *after = j_skip_string(p);
        int match;
        if (!name || !after) {
            free(name);
            return NULL;
        }
        match = strcmp(name, key) == 0;
        free(name);
        p = j_ws(after);
        if (*p != ':') return NULL;
        p = j_ws(p + 1);
        if (match) return p;
        p = j_skip_value(p);
        if (!p) return NULL;
        p = j_ws(p);
        if (*p != ',') return NULL;
        p = j_ws(p + 1);
    }
}

/* The object has a top-level member `key` (of any type, null included). */
static inline int json_has(const char *json, const char *key) {
    return j_find(json, key) != NULL;
}

/* The decoded string value of member `key`, malloc'd (free() it), or NULL
 * when absent or not a string. */
static inline char *json_get_string(const char *json, const char *key) {
    const char *v = j_find(json, key);
    if (v == NULL || *v != '"') return NULL;
    return j_decode_string(v);
}

/* The raw JSON text of member `key`, malloc'd, or NULL when absent. */
static inline char *json_get_raw(const char *json, const char *key) {
    const char *v = j_find(json, key);
    const char *end;
    char *out;
    if (v == NULL) return NULL;
    end = j_skip_value(v);
    if (end == NULL) return NULL;
    out = (char *)malloc((size_t)(end - v) + 1);
    if (!out) return NULL;
    memcpy(out, v, (size_t)(end - v));
    out[end - v] = '\0';
    return out;
}

/* CHECK that member `key` of `json` is the string `want` (or absent, when
 * `want` is NULL). */
#define CHECK_JSON_STR(json, key, want)                                        \
    h_check_json_str((json), (key), (want), __FILE__, __LINE__)

static inline int h_check_json_str(const char *json, const char *key, const char *want,
                                   const char *file, int line) {
    char *got = json_get_string(json, key);
    int ok = (got == NULL && want == NULL) ||
             (got != NULL && want != NULL && strcmp(got, want) == 0);
    if (!ok) {
        h_fail_at(file, line, "\"%s\" of %s is \"%s\", expected \"%s\"", key,
                  json ? json : "(NULL)", got ? got : "(absent or not a string)",
                  want ? want : "(absent)");
    }
    free(got);
    return ok;
}

/* CHECK that `json` is an error object of the library: `code`,
 * `description`, and auth0.js's other spelling `error`/`errorDescription`,
 * with `code` equal to `code` when that is not NULL. */
#define CHECK_ERROR_JSON(json, code) h_check_error_json((json), (code), __FILE__, __LINE__)

static inline int h_check_error_json(const char *json, const char *code, const char *file,
                                     int line) {
    char *c, *d, *e, *ed;
    int ok;
    if (!json_is_object(json)) {
        h_fail_at(file, line, "error JSON is not a JSON object: %s", json ? json : "(NULL)");
        return 0;
    }
    c = json_get_string(json, "code");
    d = json_get_string(json, "description");
    e = json_get_string(json, "error");
    ed = json_get_string(json, "errorDescription");
    ok = c && d && e && ed && strcmp(c, e) == 0 && strcmp(d, ed) == 0 && d[0] != '\0' &&
         (code == NULL || strcmp(c, code) == 0);
    if (!ok) {
        h_fail_at(file, line, "error JSON %s: expected code \"%s\" and matching "
                  "code/error, description/errorDescription", json, code ? code : "(any)");
    }
    free(c);
    free(d);
    free(e);
    free(ed);
    return ok;
}

/* ------------------------------------------------------------------------ */
/* URL helpers                                                              */

/* The decoded value of query parameter `name` in `url`, malloc'd, or NULL
 * when absent. A bare `name` (no `=`) gives "". `+` stays `+`. */
static inline char *url_query_param(const char *url, const char *name) {
    const char *q;
    size_t n = strlen(name);
    if (url == NULL || (q = strchr(url, '?')) == NULL) return NULL;
    q++;
    while (*q) {
        const char *amp = strchr(q, '&');
        const char *end = amp ? amp : q + strlen(q);
        if ((size_t)(end - q) >= n && strncmp(q, name, n) == 0 &&
            (q[n] == '=' || q + n == end)) {
            const char *v = q[n] == '=' ? q + n + 1 : end;
            char *out = (char *)malloc((size_t)(end - v) + 1), *o = out;
            if (!out) return NULL;
            for (; v < end; v++) {
                if (*v == '%' && end - v >= 3 && j_hex(v[1]) >= 0 && j_hex(v[2]) >= 0) {
                    *o++ = (char)(j_hex(v[1]) * 16 + j_hex(v[2]));
                    v += 2;
                } else {
                    *o++ = *v;
                }
            }
            *o = '\0';
            return out;
        }
        q = amp ? amp + 1 : end;
    }
    return NULL;
}

#endif /* AUTH0_C_TEST_HARNESS_H */
