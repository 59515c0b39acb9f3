/*
 * kiosk: a kiosk that keeps its user across restarts, with the credentials
 * manager (auth0_credentials_*) over an encrypted file.
 *
 *   kiosk [--store PATH] [--logout]
 *
 * The tenant and the user come from the environment: AUTH0_DOMAIN,
 * AUTH0_CLIENT_ID, AUTH0_USERNAME, AUTH0_PASSWORD, and AUTH0_CONNECTION
 * (default "Username-Password-Authentication"). With the local dev tenant:
 *
 *   cargo run -p auth0-devtenant &      # http://127.0.0.1:3850
 *   AUTH0_DOMAIN=http://127.0.0.1:3850 \
 *   AUTH0_CLIENT_ID=devtenantNativeClient00000000001 \
 *   AUTH0_USERNAME=dev@example.com AUTH0_PASSWORD=DevTenant-Passw0rd ./kiosk
 *   ./kiosk            # run again: no login, the stored credentials are used
 *   ./kiosk --logout   # revokes the refresh token and removes the store
 *
 * What it does:
 *   1. auth0_credentials_new   a manager over an AES-256-GCM file (PATH,
 *                              default ./kiosk-credentials.bin, created 0600)
 *   2. auth0_credentials_has_valid
 *                              anything stored that is valid or renewable?
 *   3a. yes: auth0_credentials_get returns a valid access token, renewed
 *       with the refresh token (and the rotated one stored) if it expired
 *   3b. no:  auth0_webauth_login (scope with offline_access, so a refresh
 *       token comes back), then auth0_credentials_save
 *   4. auth0_credentials_user  who is logged in, from the stored id_token
 *
 * The file's key: a real kiosk is given it when it is provisioned (or keeps
 * it in the OS keyring: "keyring":{"service":…,"account":…} in place of
 * "key"). This demo makes one at PATH.key (0600) on the first run, which
 * protects the tokens only as well as that file is protected.
 *
 * A real kiosk would log its user in with the device flow
 * (kiosk_device_login.c) rather than a password typed into the kiosk; the
 * password grant keeps this demo unattended. Tokens are never printed.
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth0.h"

/* ---- small helpers (a real program would use its JSON library) ------------- */

/* Writes `s` into `buf` as a JSON string literal. 0 when `buf` is too small. */
static int json_quote(char *buf, size_t cap, const char *s) {
    size_t n = 0;
    if (cap < 3) return 0;
    buf[n++] = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (n + 8 > cap) return 0;
        if (c == '"' || c == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(buf + n, cap - n, "\\u%04x", c);
        } else {
            buf[n++] = (char)c;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return 1;
}

/* Copies the string member `"key":"..."` of `json` into `buf` (simple
 * escapes decoded; the library writes compact JSON). 0 when absent. */
static int json_string(const char *json, const char *key, char *buf, size_t cap) {
    char pattern[64];
    const char *p;
    size_t n = 0;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (json == NULL || cap == 0 || (p = strstr(json, pattern)) == NULL) return 0;
    for (p += strlen(pattern); *p && *p != '"' && n + 1 < cap; p++) {
        if (*p == '\\' && p[1]) p++;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return 1;
}

/* The number member `"key":N` of `json`, or -1. */
static long json_long(const char *json, const char *key) {
    char pattern[64];
    const char *p;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    if (json == NULL || (p = strstr(json, pattern)) == NULL) return -1;
    return strtol(p + strlen(pattern), NULL, 10);
}

/* The length of a token member: how to show that a token is held without
 * showing it. */
static long token_length(const char *json, const char *key) {
    char pattern[64];
    const char *p, *q;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    if (json == NULL || (p = strstr(json, pattern)) == NULL) return -1;
    p += strlen(pattern);
    q = strchr(p, '"');
    return q ? (long)(q - p) : -1;
}

static void print_error(const char *what, auth0_status status, const char *error_json) {
    char description[512], code[128];
    if (!json_string(error_json, "description", description, sizeof description))
        snprintf(description, sizeof description, "(no description)");
    if (!json_string(error_json, "code", code, sizeof code)) snprintf(code, sizeof code, "?");
    fprintf(stderr, "%s failed: %s (%s): %s\n", what, auth0_status_name(status), code,
            description);
}

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && v[0] ? v : fallback;
}

/* The file store's key, base64url of 32 bytes, read from `path` or made
 * there (0600, never through a symlink) from /dev/urandom. */
static int file_key(const char *path, char *key, size_t cap) {
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[33] = {0};
    size_t i, n = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd >= 0) {
        ssize_t got = read(fd, key, cap - 1);
        close(fd);
        if (got < 43) return 0;
        key[43] = '\0';
        return 1;
    }
    fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, raw, 32) != 32) {
        if (fd >= 0) close(fd);
        return 0;
    }
    close(fd);
    if (cap < 45) return 0;
    for (i = 0; i < 33; i += 3) { /* 32 bytes: 43 characters, no padding */
        unsigned v = ((unsigned)raw[i] << 16) | ((unsigned)raw[i + 1] << 8) | raw[i + 2];
        key[n++] = b64[(v >> 18) & 63];
        key[n++] = b64[(v >> 12) & 63];
        key[n++] = b64[(v >> 6) & 63];
        key[n++] = b64[v & 63];
    }
    key[43] = '\0';
    memset(raw, 0, sizeof raw);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0) return 0;
    if (write(fd, key, 43) != 43) {
        close(fd);
        return 0;
    }
    close(fd);
    return 1;
}

/* ---- the program ----------------------------------------------------------- */

int main(int argc, char **argv) {
    const char *domain = env_or("AUTH0_DOMAIN", NULL);
    const char *client_id = env_or("AUTH0_CLIENT_ID", NULL);
    const char *username = env_or("AUTH0_USERNAME", NULL);
    const char *password = env_or("AUTH0_PASSWORD", NULL);
    const char *connection = env_or("AUTH0_CONNECTION", "Username-Password-Authentication");
    const char *store = "kiosk-credentials.bin";
    int logout = 0, i, valid = 0, exit_code = 1;
    char q_domain[512], q_client_id[512], q_username[512], q_password[512], q_connection[512];
    char q_store[1100], key_path[1024], key[64], options[4096], email[256];
    auth0_webauth *web = NULL;
    auth0_credentials *creds = NULL;
    char *error = NULL, *result = NULL, *out = NULL, *user = NULL;
    auth0_status status;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) store = argv[++i];
        else if (strcmp(argv[i], "--logout") == 0) logout = 1;
        else {
            fprintf(stderr, "usage: kiosk [--store PATH] [--logout]\n");
            return 2;
        }
    }
    if (!domain || !client_id || !username || !password) {
        fprintf(stderr, "set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_USERNAME, AUTH0_PASSWORD\n");
        return 2;
    }
    snprintf(key_path, sizeof key_path, "%s.key", store);
    if (!json_quote(q_domain, sizeof q_domain, domain) ||
        !json_quote(q_client_id, sizeof q_client_id, client_id) ||
        !json_quote(q_username, sizeof q_username, username) ||
        !json_quote(q_password, sizeof q_password, password) ||
        !json_quote(q_connection, sizeof q_connection, connection) ||
        !json_quote(q_store, sizeof q_store, store)) {
        fprintf(stderr, "an argument is too long\n");
        return 2;
    }
    if (!file_key(key_path, key, sizeof key)) {
        fprintf(stderr, "could not read or make the key file %s\n", key_path);
        return 1;
    }

    /* The client, asking for a refresh token (offline_access). */
    snprintf(options, sizeof options,
             "{\"domain\":%s,\"clientID\":%s,\"scope\":\"openid profile email offline_access\"}",
             q_domain, q_client_id);
    status = auth0_webauth_new(options, &web, &error);
    if (status != AUTH0_OK) {
        print_error("auth0_webauth_new", status, error);
        goto done;
    }

    /* 1. The manager over the encrypted file. */
    snprintf(options, sizeof options, "{\"type\":\"file\",\"path\":%s,\"key\":\"%s\"}", q_store,
             key);
    memset(key, 0, sizeof key);
    status = auth0_credentials_new(web, options, &creds, &error);
    memset(options, 0, sizeof options);
    if (status != AUTH0_OK) {
        print_error("auth0_credentials_new", status, error);
        goto done;
    }

    if (logout) {
        /* Revoke the refresh token at the tenant, then remove the store. */
        status = auth0_credentials_clear(creds, "{\"revoke\":true}", &error);
        if (status != AUTH0_OK) {
            print_error("auth0_credentials_clear", status, error);
            goto done;
        }
        printf("logged out: refresh token revoked, %s removed\n", store);
        exit_code = 0;
        goto done;
    }

    /* 2. Anything stored that is still valid, or can be renewed? */
    status = auth0_credentials_has_valid(creds, 0, &valid, &error);
    if (status != AUTH0_OK) {
        /* A store that does not decrypt is never read as tokens. */
        print_error("auth0_credentials_has_valid", status, error);
        goto done;
    }
    if (valid) {
        /* 3a. Valid credentials, renewed first if the access token expires
         *     within a minute (one renewal at a time, even across kiosk
         *     processes sharing the file). */
        status = auth0_credentials_get(creds, "{\"minTtl\":60}", &out);
        if (status == AUTH0_OK) {
            printf("stored credentials found in %s: no login needed\n", store);
        } else {
            /* renew_failed with cause invalid_grant: the session is over
             * (revoked, or the user was blocked). Log in again. */
            print_error("auth0_credentials_get", status, out);
            auth0_string_free(out);
            out = NULL;
            valid = 0;
        }
    }
    if (!valid) {
        /* 3b. First start (or the session ended): log in, then store. */
        printf("no stored credentials: logging in as %s\n", username);
        snprintf(options, sizeof options,
                 "{\"username\":%s,\"password\":%s,\"realm\":%s}", q_username, q_password,
                 q_connection);
        status = auth0_webauth_login(web, options, &result);
        memset(options, 0, sizeof options);
        if (status != AUTH0_OK) {
            print_error("auth0_webauth_login", status, result);
            goto done;
        }
        status = auth0_credentials_save(creds, result, &error);
        if (status != AUTH0_OK) {
            print_error("auth0_credentials_save", status, error);
            goto done;
        }
        printf("logged in; credentials stored in %s (encrypted)\n", store);
        status = auth0_credentials_get(creds, NULL, &out);
        if (status != AUTH0_OK) {
            print_error("auth0_credentials_get", status, out);
            goto done;
        }
    }
    printf("  access token:  <redacted, %ld chars>, valid for %ld s\n",
           token_length(out, "accessToken"), json_long(out, "expiresIn"));
    printf("  refresh token: %s\n",
           token_length(out, "refreshToken") > 0 ? "<stored>" : "(none: cannot renew)");

    /* 4. Who is logged in: the verified claims of the stored id_token. */
    status = auth0_credentials_user(creds, &user);
    if (status != AUTH0_OK) {
        print_error("auth0_credentials_user", status, user);
        goto done;
    }
    if (json_string(user, "email", email, sizeof email))
        printf("kiosk user: %s\n", email);
    else
        printf("kiosk user: (unknown)\n");
    exit_code = 0;
done:
    auth0_string_free(user);
    auth0_string_free(out);
    auth0_string_free(result);
    auth0_string_free(error);
    auth0_credentials_free(creds);
    auth0_webauth_free(web);
    return exit_code;
}
