/*
 * More JSON reading (numbers, nested members, array items, quoting, URL
 * encoding) and the checks of the network tests (an HTTP error answer, a
 * text that must not appear), over what harness.h reads. Included by
 * devtenant.h.
 */
#ifndef AUTH0_C_TEST_JSON_CHECKS_H
#define AUTH0_C_TEST_JSON_CHECKS_H

#include "harness.h"

/* ------------------------------------------------------------------------ */
/* More JSON reading                                                        */

/* The number member `key` as a long in `*out`; 0 when absent or not a
 * number (an integer is expected: the fraction, if any, is dropped). */
static inline int json_get_long(const char *json, const char *key, long *out) {
    const char *v = j_find(json, key);
    char *end;
    if (v == NULL || !(*v == '-' || (*v >= '0' && *v <= '9'))) return 0;
    *out = strtol(v, &end, 10);
    return end != v;
}

/* The string member `inner` of the object member `outer`, malloc'd, or NULL
 * (e.g. json_get_nested_string(result, "idTokenPayload", "email")). */
static inline char *json_get_nested_string(const char *json, const char *outer,
                                           const char *inner) {
    char *object = json_get_raw(json, outer);
    char *s = json_get_string(object, inner);
    free(object);
    return s;
}

/* The raw text of item `index` of the JSON array `json`, malloc'd, or NULL
 * when `json` is not an array or is shorter. */
static inline char *json_array_item(const char *json, size_t index) {
    const char *p, *end;
    size_t i = 0;
    char *out;
    if (json == NULL) return NULL;
    p = j_ws(json);
    if (*p != '[') return NULL;
    p = j_ws(p + 1);
    if (*p == ']') return NULL;
    for (;;) {
        end = j_skip_value(p);
        if (end == NULL) return NULL;
        if (i == index) {
            out = (char *)malloc((size_t)(end - p) + 1);
            if (!out) return NULL;
            memcpy(out, p, (size_t)(end - p));
            out[end - p] = '\0';
            return out;
        }
        p = j_ws(end);
        if (*p != ',') return NULL;
        p = j_ws(p + 1);
        i++;
    }
}

/* The number of items of the JSON array `json`, or -1 when it is not one. */
static inline long json_array_length(const char *json) {
    const char *p;
    long n = 0;
    if (json == NULL) return -1;
    p = j_ws(json);
    if (*p != '[') return -1;
    p = j_ws(p + 1);
    if (*p == ']') return 0;
    for (;;) {
        p = j_skip_value(p);
        if (p == NULL) return -1;
        n++;
        p = j_ws(p);
        if (*p == ']') return n;
        if (*p != ',') return -1;
        p = j_ws(p + 1);
    }
}

/* `s` as a JSON string literal (quotes included), malloc'd. */
static inline char *json_quote(const char *s) {
    size_t cap = strlen(s) * 6 + 3, n = 0;
    char *out = (char *)malloc(cap);
    if (!out) return NULL;
    out[n++] = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
        } else {
            out[n++] = (char)c;
        }
    }
    out[n++] = '"';
    out[n] = '\0';
    return out;
}

/* `s` percent-encoded for a query value (unreserved characters kept). */
static inline char *url_encode(const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    char *out = (char *)malloc(strlen(s) * 3 + 1), *o = out;
    if (!out) return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

/* CHECK that `json` is an error of the library with `code` (see
 * CHECK_ERROR_JSON) and, when `status_code` > 0, `statusCode` equal to it. */
#define CHECK_HTTP_ERROR(json, code, status_code)                              \
    h_check_http_error((json), (code), (status_code), __FILE__, __LINE__)

static inline int h_check_http_error(const char *json, const char *code, long status_code,
                                     const char *file, int line) {
    long got = -1;
    int ok = h_check_error_json(json, code, file, line);
    if (status_code > 0 && !(json_get_long(json, "statusCode", &got) && got == status_code)) {
        h_fail_at(file, line, "statusCode of %s is %ld, expected %ld", json ? json : "(NULL)",
                  got, status_code);
        ok = 0;
    }
    return ok;
}

/* CHECK that the text `haystack` does not contain `needle`. */
#define CHECK_NOT_CONTAINS(haystack, needle)                                   \
    h_check_not_contains((haystack), (needle), #haystack, __FILE__, __LINE__)

static inline int h_check_not_contains(const char *haystack, const char *needle,
                                       const char *what, const char *file, int line) {
    if (haystack == NULL || strstr(haystack, needle) == NULL) return 1;
    h_fail_at(file, line, "%s contains \"%s\": %s", what, needle, haystack);
    return 0;
}

#endif
