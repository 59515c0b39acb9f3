/*
 * Against the dev tenant: where the credentials manager keeps what it
 * saved — an encrypted file (private, tamper-evident, across handles) and a
 * host store (a C struct standing in for a game's save system) — and bad
 * arguments of every auth0_credentials_* function, which name the
 * parameter. Memory, renewal, threads and the refresh-token operations:
 * test_net_credentials.c.
 *
 * Faults: none.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>

#include "credentials.h"

/* base64url of 32 bytes (the file store's key given by the app). */
#define FILE_KEY "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

/* ---- the encrypted file -------------------------------------------------------- */

static int file_contains(const char *path, const char *needle) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    int found = 0;
    size_t i, len = strlen(needle);
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n)
        for (i = 0; i + len <= (size_t)n && !found; i++) found = memcmp(buf + i, needle, len) == 0;
    free(buf);
    fclose(f);
    return found;
}

/* A private scratch directory under $TMPDIR (run.sh's) or /tmp. */
static int make_dir(char *dir, size_t cap) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, cap, "%s/c-creds-XXXXXX", tmp && strlen(tmp) < 200 ? tmp : "/tmp");
    if (mkdtemp(dir) != NULL) return 1;
    h_fail_at(__FILE__, __LINE__, "mkdtemp(%s) failed", dir);
    dir[0] = '\0';
    return 0;
}

static void remove_dir(const char *dir, const char *path) {
    char lock[320];
    if (dir[0] == '\0') return;
    if (path[0] != '\0') {
        snprintf(lock, sizeof lock, "%s.lock", path);
        remove(path);
        remove(lock);
    }
    rmdir(dir);
}

TEST(a_file_store_keeps_the_credentials_across_handles_encrypted_and_private) {
    auth0_webauth *web = dt_webauth(NULL);
    char dir[256], path[300] = "", storage[512], *error = NULL;
    char *result = dt_login(web, OFFLINE);
    char *access = dt_result_string(result, "accessToken");
    char *refresh = dt_result_string(result, "refreshToken");
    char *out = NULL, *got = NULL;
    auth0_credentials *first = NULL, *second = NULL;
    struct stat st;
    if (!make_dir(dir, sizeof dir) || result == NULL || access == NULL || refresh == NULL) goto done;
    snprintf(path, sizeof path, "%s/creds.bin", dir);
    snprintf(storage, sizeof storage,
             "{\"type\":\"file\",\"path\":\"%s\",\"key\":\"" FILE_KEY "\"}", path);
    if (!CHECK_STATUS(auth0_credentials_new(web, storage, &first, &error), AUTH0_OK)) {
        printf("    %s\n", error ? error : "(NULL)");
        goto done;
    }
    if (!save_ok(first, result)) goto done;
    auth0_credentials_free(first);
    first = NULL;
    /* The file: 0600, no token in clear. */
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(!file_contains(path, access));
    CHECK(!file_contains(path, refresh));
    /* A new handle (the app restarted) finds them. */
    CHECK_STATUS(auth0_credentials_new(web, storage, &second, NULL), AUTH0_OK);
    out = get_ok(second, NULL);
    got = json_get_string(out, "accessToken");
    CHECK_STREQ(got, access);
    CHECK_STATUS(auth0_credentials_clear(second, "{\"revoke\":false}", NULL), AUTH0_OK);
    CHECK(stat(path, &st) != 0);
done:
    free(access);
    free(refresh);
    free(got);
    auth0_string_free(out);
    auth0_string_free(error);
    auth0_string_free(result);
    auth0_credentials_free(first);
    auth0_credentials_free(second);
    auth0_webauth_free(web);
    remove_dir(dir, path);
}

TEST(a_file_store_with_another_key_is_storage_tampered_never_tokens) {
    auth0_webauth *web = dt_webauth(NULL);
    char dir[256], path[300] = "", storage[512];
    char *result = dt_login(web, OFFLINE);
    char *out = NULL;
    auth0_credentials *first = NULL, *second = NULL;
    if (!make_dir(dir, sizeof dir) || result == NULL) goto done;
    snprintf(path, sizeof path, "%s/creds.bin", dir);
    snprintf(storage, sizeof storage,
             "{\"type\":\"file\",\"path\":\"%s\",\"key\":\"" FILE_KEY "\"}", path);
    if (!CHECK_STATUS(auth0_credentials_new(web, storage, &first, NULL), AUTH0_OK)) goto done;
    if (!save_ok(first, result)) goto done;
    snprintf(storage, sizeof storage,
             "{\"type\":\"file\",\"path\":\"%s\","
             "\"key\":\"HxscGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQAAAQI\"}",
             path);
    if (!CHECK_STATUS(auth0_credentials_new(web, storage, &second, NULL), AUTH0_OK)) goto done;
    CHECK_STATUS(auth0_credentials_get(second, NULL, &out), AUTH0_ERROR_STORAGE);
    CHECK_ERROR_JSON(out, "storage_tampered");
done:
    auth0_string_free(out);
    auth0_string_free(result);
    auth0_credentials_free(first);
    auth0_credentials_free(second);
    auth0_webauth_free(web);
    remove_dir(dir, path);
}

/* ---- the host store: a C struct as the save system ------------------------------ */

typedef struct {
    pthread_mutex_t mu;
    unsigned char *data;
    size_t len;
    int has;
    int fail; /* 1: save fails with a message, 2: load fails without one */
    int loads, saves, removes, released;
} save_slot;

static int slot_load(void *user_data, auth0_host_store_reply *reply) {
    save_slot *s = (save_slot *)user_data;
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    s->loads++;
    if (s->fail == 2)
        rc = 7;
    else if (s->has)
        rc = auth0_host_store_set(reply, s->data, s->len) == AUTH0_OK ? 0 : 1;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static int slot_save(void *user_data, const uint8_t *blob, size_t len,
                     auth0_host_store_reply *reply) {
    save_slot *s = (save_slot *)user_data;
    unsigned char *copy;
    pthread_mutex_lock(&s->mu);
    s->saves++;
    if (s->fail == 1) {
        pthread_mutex_unlock(&s->mu);
        auth0_host_store_set_error(reply, "the save disk is full");
        return 1;
    }
    copy = (unsigned char *)malloc(len ? len : 1);
    if (copy == NULL) {
        pthread_mutex_unlock(&s->mu);
        return 1;
    }
    memcpy(copy, blob, len);
    free(s->data);
    s->data = copy;
    s->len = len;
    s->has = 1;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static int slot_remove(void *user_data, auth0_host_store_reply *reply) {
    save_slot *s = (save_slot *)user_data;
    (void)reply;
    pthread_mutex_lock(&s->mu);
    s->removes++;
    free(s->data);
    s->data = NULL;
    s->len = 0;
    s->has = 0;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static void slot_release(void *user_data) {
    save_slot *s = (save_slot *)user_data;
    pthread_mutex_lock(&s->mu);
    s->released++;
    pthread_mutex_unlock(&s->mu);
}

static void slot_init(save_slot *s) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
}

static void slot_destroy(save_slot *s) {
    free(s->data);
    pthread_mutex_destroy(&s->mu);
}

static auth0_host_store slot_store(save_slot *s) {
    auth0_host_store store;
    memset(&store, 0, sizeof store);
    store.user_data = s;
    store.load = slot_load;
    store.save = slot_save;
    store.remove = slot_remove;
    store.release = slot_release;
    store.name = "c-test-slot";
    return store;
}

TEST(a_host_store_keeps_the_blob_in_the_apps_struct) {
    auth0_webauth *web = dt_webauth(NULL);
    save_slot slot;
    auth0_host_store store;
    auth0_credentials *first = NULL, *second = NULL;
    char *result = expired_login(web), *error = NULL, *out = NULL, *user = NULL, *sub = NULL;
    slot_init(&slot);
    store = slot_store(&slot);
    if (result == NULL) goto done;
    if (!CHECK_STATUS(auth0_credentials_new_with_host_store(web, &store, &first, &error),
                      AUTH0_OK)) {
        printf("    %s\n", error ? error : "(NULL)");
        goto done;
    }
    /* No callback runs in the constructor. */
    CHECK(slot.loads == 0 && slot.saves == 0);
    if (!save_ok(first, result)) goto done;
    CHECK(slot.saves == 1 && slot.has && slot.len > 0);
    /* Renewal writes the rotated token back through save. */
    out = get_ok(first, NULL);
    CHECK(slot.saves == 2);
    auth0_credentials_free(first);
    first = NULL;
    CHECK(slot.released == 1);
    /* A second handle on the same struct: the app restarted. */
    store = slot_store(&slot);
    CHECK_STATUS(auth0_credentials_new_with_host_store(web, &store, &second, NULL), AUTH0_OK);
    CHECK_STATUS(auth0_credentials_user(second, &user), AUTH0_OK);
    sub = json_get_string(user, "sub");
    CHECK_STREQ(sub, DT_USER_ID);
    CHECK(slot.loads >= 1);
    CHECK_STATUS(auth0_credentials_clear(second, "{\"revoke\":true}", NULL), AUTH0_OK);
    CHECK(slot.removes == 1 && !slot.has);
    auth0_credentials_free(second);
    second = NULL;
    CHECK(slot.released == 2);
done:
    free(sub);
    auth0_string_free(user);
    auth0_string_free(out);
    auth0_string_free(error);
    free(result);
    auth0_credentials_free(first);
    auth0_credentials_free(second);
    slot_destroy(&slot);
    auth0_webauth_free(web);
}

TEST(a_failing_host_callback_is_a_storage_error_with_the_hosts_message) {
    auth0_webauth *web = dt_webauth(NULL);
    save_slot slot;
    auth0_host_store store;
    auth0_credentials *c = NULL;
    char *result = dt_login(web, OFFLINE), *error = NULL, *out = NULL;
    char *access = dt_result_string(result, "accessToken");
    slot_init(&slot);
    store = slot_store(&slot);
    if (result == NULL || access == NULL) goto done;
    if (!CHECK_STATUS(auth0_credentials_new_with_host_store(web, &store, &c, NULL), AUTH0_OK))
        goto done;
    slot.fail = 1;
    CHECK_STATUS(auth0_credentials_save(c, result, &error), AUTH0_ERROR_STORAGE);
    CHECK_ERROR_JSON(error, "storage_error");
    CHECK_CONTAINS(error, "the save disk is full");
    CHECK_NOT_CONTAINS(error, access);
    /* A failure without a message still says which callback failed. */
    slot.fail = 2;
    CHECK_STATUS(auth0_credentials_get(c, NULL, &out), AUTH0_ERROR_STORAGE);
    CHECK_ERROR_JSON(out, "storage_error");
    CHECK_CONTAINS(out, "load");
    CHECK_CONTAINS(out, "7");
done:
    free(access);
    auth0_string_free(out);
    auth0_string_free(error);
    auth0_string_free(result);
    auth0_credentials_free(c);
    slot_destroy(&slot);
    auth0_webauth_free(web);
}

/* ---- bad arguments --------------------------------------------------------------- */

TEST(bad_arguments_are_invalid_argument_naming_the_parameter) {
    auth0_webauth *web = dt_webauth(NULL);
    auth0_credentials *c = NULL, *bad = NULL;
    save_slot slot;
    auth0_host_store store;
    char *error = NULL, *out = NULL;
    int valid = 5;
    slot_init(&slot);
    if (web == NULL) goto done;

    CHECK_STATUS(auth0_credentials_new(NULL, NULL, &c, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(error, "null_parameter");
    CHECK_CONTAINS(error, "web must not be NULL");
    CHECK(c == NULL);
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_new(web, NULL, NULL, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "out must not be NULL");
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_new(web, "{", &c, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(error, "invalid_json");
    CHECK_CONTAINS(error, "storage_json");
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_new(web, "{\"type\":\"floppy\"}", &c, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "type option is not valid");
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_new(web, "{\"type\":\"file\"}", &c, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "path");
    auth0_string_free(error);
    /* A WebAuth handle that was freed. */
    {
        auth0_webauth *gone = dt_webauth(NULL);
        auth0_webauth_free(gone);
        CHECK_STATUS(auth0_credentials_new(gone, NULL, &c, &error), AUTH0_ERROR_INVALID_ARGUMENT);
        CHECK_ERROR_JSON(error, "invalid_handle");
        auth0_string_free(error);
    }

    /* A host store without a callback: named, and user_data released. */
    store = slot_store(&slot);
    store.load = NULL;
    CHECK_STATUS(auth0_credentials_new_with_host_store(web, &store, &c, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "store->load must not be NULL");
    CHECK(slot.released == 1);
    auth0_string_free(error);
    store = slot_store(&slot);
    CHECK_STATUS(auth0_credentials_new_with_host_store(web, &store, NULL, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "out must not be NULL");
    CHECK(slot.released == 2);
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_new_with_host_store(web, NULL, &c, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "store must not be NULL");
    auth0_string_free(error);
    error = NULL;

    /* The operations. */
    CHECK_STATUS(auth0_credentials_get(NULL, NULL, &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "credentials must not be NULL");
    auth0_string_free(out);
    CHECK_STATUS(auth0_credentials_get(NULL, NULL, NULL), AUTH0_ERROR_INVALID_ARGUMENT);
    c = memory_manager(web);
    CHECK_STATUS(auth0_credentials_get(c, "{\"minTtl\":-1}", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "minTtl");
    auth0_string_free(out);
    CHECK_STATUS(auth0_credentials_get(c, "{\"foo\":1}", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "foo");
    auth0_string_free(out);
    CHECK_STATUS(auth0_credentials_get(c, "[1]", &out), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(out, "options_json");
    auth0_string_free(out);
    CHECK_STATUS(auth0_credentials_save(c, NULL, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "authresult_json must not be NULL");
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_save(c, "{\"idToken\":null}", &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "accessToken");
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_save(c, "not json", NULL), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_STATUS(auth0_credentials_has_valid(c, 0, NULL, &error), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "out must not be NULL");
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_clear(c, "{\"revoke\":\"yes\"}", &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(error, "revoke");
    auth0_string_free(error);
    CHECK_STATUS(auth0_credentials_user(c, NULL), AUTH0_ERROR_INVALID_ARGUMENT);

    /* A freed handle, and a pointer that was never one. */
    bad = c;
    auth0_credentials_free(c);
    c = NULL;
    CHECK_STATUS(auth0_credentials_has_valid(bad, 0, &valid, &error),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK(valid == 0);
    CHECK_ERROR_JSON(error, "invalid_handle");
    CHECK_CONTAINS(error, "auth0_credentials_free");
    auth0_string_free(error);
    auth0_credentials_free(bad); /* a second free is harmless */
    CHECK_STATUS(auth0_credentials_user((const auth0_credentials *)web, &out),
                 AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_ERROR_JSON(out, "invalid_handle");
    auth0_string_free(out);
    auth0_credentials_free(NULL);

    /* The reply functions refuse NULL. */
    CHECK_STATUS(auth0_host_store_set(NULL, NULL, 0), AUTH0_ERROR_INVALID_ARGUMENT);
    CHECK_STATUS(auth0_host_store_set_error(NULL, "x"), AUTH0_ERROR_INVALID_ARGUMENT);
done:
    slot_destroy(&slot);
    auth0_credentials_free(c);
    auth0_webauth_free(web);
}

HARNESS_MAIN(TEST_ENTRY(a_file_store_keeps_the_credentials_across_handles_encrypted_and_private),
             TEST_ENTRY(a_file_store_with_another_key_is_storage_tampered_never_tokens),
             TEST_ENTRY(a_host_store_keeps_the_blob_in_the_apps_struct),
             TEST_ENTRY(a_failing_host_callback_is_a_storage_error_with_the_hosts_message),
             TEST_ENTRY(bad_arguments_are_invalid_argument_naming_the_parameter))
