/*
 * auth0_webauth_authorize with the file-backed transaction store: the
 * file's and directory's modes, later calls, the paths auth0_webauth_new
 * refuses, and a symlinked or corrupt file. State, nonce, PKCE and the
 * callback: test_authorize.c.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, stat, opendir */

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "authorize.h"

/* Removes a directory tree made by a test (files and subdirectories). */
static void remove_tree(const char *path) {
    DIR *d = opendir(path);
    struct dirent *e;
    if (d == NULL) {
        unlink(path);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char child[4096];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        remove_tree(child);
    }
    closedir(d);
    rmdir(path);
}

/* A fresh private directory under $TMPDIR (or /tmp) in `buf`. */
static int make_temp_dir(char *buf, size_t cap) {
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0') base = "/tmp";
    snprintf(buf, cap, "%s/auth0-c-test-XXXXXX", base);
    if (mkdtemp(buf) == NULL) {
        h_fail_at(__FILE__, __LINE__, "mkdtemp(%s) failed", buf);
        return 0;
    }
    return 1;
}

/* ---- the file-backed transaction store ------------------------------------ */

static auth0_webauth *new_file_handle(const char *path) {
    char options[4096];
    snprintf(options, sizeof options,
             "{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\",\"_sendTelemetry\":false,"
             "\"transaction\":{\"store\":\"file\",\"path\":\"%s\"}}",
             path);
    return new_handle(options);
}

TEST(authorize_with_a_file_store_creates_the_file_with_mode_0600) {
    char dir[1024], path[1100];
    struct stat st;
    auth0_webauth *web;
    char *out;
    if (!make_temp_dir(dir, sizeof dir)) return;
    snprintf(path, sizeof path, "%s/tx.json", dir);
    web = new_file_handle(path);
    CHECK(stat(path, &st) != 0); /* nothing is written before a transaction */
    out = web ? authorize_ok(web, NULL) : NULL;
    CHECK(stat(path, &st) == 0);
    if (stat(path, &st) == 0) {
        CHECK(S_ISREG(st.st_mode));
        if ((st.st_mode & 0777) != 0600)
            h_fail_at(__FILE__, __LINE__, "%s has mode %03o, expected 600", path,
                      (unsigned)(st.st_mode & 0777));
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
    remove_tree(dir);
}

TEST(authorize_with_a_file_store_creates_a_missing_directory_with_mode_0700) {
    char dir[1024], sub[1100], path[1200];
    struct stat st;
    auth0_webauth *web;
    char *out;
    if (!make_temp_dir(dir, sizeof dir)) return;
    snprintf(sub, sizeof sub, "%s/state", dir);
    snprintf(path, sizeof path, "%s/tx.json", sub);
    web = new_file_handle(path);
    out = web ? authorize_ok(web, NULL) : NULL;
    CHECK(stat(sub, &st) == 0);
    if (stat(sub, &st) == 0) {
        CHECK(S_ISDIR(st.st_mode));
        if ((st.st_mode & 0777) != 0700)
            h_fail_at(__FILE__, __LINE__, "%s has mode %03o, expected 700", sub,
                      (unsigned)(st.st_mode & 0777));
    }
    CHECK(stat(path, &st) == 0);
    auth0_string_free(out);
    auth0_webauth_free(web);
    remove_tree(dir);
}

TEST(authorize_with_a_file_store_keeps_working_on_later_calls) {
    char dir[1024], path[1100];
    auth0_webauth *web;
    int i;
    if (!make_temp_dir(dir, sizeof dir)) return;
    snprintf(path, sizeof path, "%s/tx.json", dir);
    web = new_file_handle(path);
    for (i = 0; web && i < 3; i++) auth0_string_free(authorize_ok(web, NULL));
    auth0_webauth_free(web);
    remove_tree(dir);
}

/* Expects `auth0_webauth_new` to refuse the store at `path`, naming it. */
static void check_store_path_refused(const char *path) {
    char options[4096];
    auth0_webauth *web = NULL;
    char *error = NULL;
    snprintf(options, sizeof options,
             "{\"domain\":\"me.auth0.com\",\"clientID\":\"abc123\","
             "\"transaction\":{\"store\":\"file\",\"path\":\"%s\"}}",
             path);
    CHECK_STATUS(auth0_webauth_new(options, &web, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(web == NULL);
    CHECK_ERROR_JSON(error, "invalid_argument");
    if (error == NULL || strstr(error, "transaction.path option is not valid") == NULL)
        h_fail_at(__FILE__, __LINE__, "%s: %s", path, error ? error : "(NULL)");
    auth0_string_free(error);
    auth0_webauth_free(web);
}

TEST(new_refuses_an_unwritable_store_path) {
    check_store_path_refused("/proc/auth0-native-c-test/tx.json");
}

TEST(new_refuses_a_store_path_that_is_a_directory_or_under_a_file) {
    char dir[1024], file[1100], under[1200];
    FILE *f;
    if (!make_temp_dir(dir, sizeof dir)) return;
    check_store_path_refused(dir);
    snprintf(file, sizeof file, "%s/plain", dir);
    f = fopen(file, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
    snprintf(under, sizeof under, "%s/tx.json", file);
    check_store_path_refused(under);
    remove_tree(dir);
}

TEST(new_refuses_a_store_directory_others_can_write) {
    char dir[1024], shared[1100], path[1200];
    if (!make_temp_dir(dir, sizeof dir)) return;
    snprintf(shared, sizeof shared, "%s/shared", dir);
    CHECK(mkdir(shared, 0700) == 0);
    CHECK(chmod(shared, 0777) == 0);
    snprintf(path, sizeof path, "%s/tx.json", shared);
    check_store_path_refused(path);
    remove_tree(dir);
}

TEST(a_symlinked_store_file_is_a_storage_error) {
    char dir[1024], path[1100], target[1100];
    auth0_webauth *web;
    char *out = NULL;
    if (!make_temp_dir(dir, sizeof dir)) return;
    snprintf(path, sizeof path, "%s/tx.json", dir);
    snprintf(target, sizeof target, "%s/elsewhere.json", dir);
    CHECK(symlink(target, path) == 0);
    web = new_file_handle(path);
    if (web) {
        CHECK_STATUS(auth0_webauth_authorize(web, NULL, &out), AUTH0_ERROR_STORAGE);
        CHECK_ERROR_JSON(out, "storage_error");
        CHECK_CONTAINS(out, "symlink");
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
    remove_tree(dir);
}

TEST(a_corrupt_store_file_is_a_storage_error) {
    char dir[1024], path[1100];
    auth0_webauth *web;
    char *out = NULL;
    FILE *f;
    if (!make_temp_dir(dir, sizeof dir)) return;
    snprintf(path, sizeof path, "%s/tx.json", dir);
    web = new_file_handle(path);
    if (web) auth0_string_free(authorize_ok(web, NULL));
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("{not json", f);
        fclose(f);
    }
    if (web) {
        CHECK_STATUS(auth0_webauth_authorize(web, NULL, &out), AUTH0_ERROR_STORAGE);
        CHECK_CONTAINS(out, "corrupt");
    }
    auth0_string_free(out);
    auth0_webauth_free(web);
    remove_tree(dir);
}

HARNESS_MAIN(TEST_ENTRY(authorize_with_a_file_store_creates_the_file_with_mode_0600),
             TEST_ENTRY(authorize_with_a_file_store_creates_a_missing_directory_with_mode_0700),
             TEST_ENTRY(authorize_with_a_file_store_keeps_working_on_later_calls),
             TEST_ENTRY(new_refuses_an_unwritable_store_path),
             TEST_ENTRY(new_refuses_a_store_path_that_is_a_directory_or_under_a_file),
             TEST_ENTRY(new_refuses_a_store_directory_others_can_write),
             TEST_ENTRY(a_symlinked_store_file_is_a_storage_error),
             TEST_ENTRY(a_corrupt_store_file_is_a_storage_error))
