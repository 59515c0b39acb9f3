/*
 * The library-wide functions: auth0_version, and the NULL-safety of the
 * release functions.
 */
#include "harness.h"

#ifndef EXPECTED_VERSION
#error "compile with -DEXPECTED_VERSION='\"x.y.z\"' (the version in Cargo.toml)"
#endif

TEST(version_is_not_empty) {
    const char *v = auth0_version();
    CHECK(v != NULL);
    CHECK(v != NULL && v[0] != '\0');
}

TEST(version_equals_the_crate_version_in_cargo_toml) {
    CHECK_STREQ(auth0_version(), EXPECTED_VERSION);
}

TEST(version_is_the_same_static_string_on_every_call) {
    CHECK(auth0_version() == auth0_version());
}

TEST(string_free_of_null_is_a_no_op) {
    auth0_string_free(NULL);
    CHECK(1);
}

TEST(webauth_free_of_null_is_a_no_op) {
    auth0_webauth_free(NULL);
    CHECK(1);
}

TEST(status_numbers_are_the_documented_abi) {
    /* The numbers are part of the ABI: they must never change. */
    CHECK(AUTH0_OK == 0);
    CHECK(AUTH0_ERROR_INVALID_ARGUMENT == 1);
    CHECK(AUTH0_ERROR_NETWORK == 2);
    CHECK(AUTH0_ERROR_TIMEOUT == 3);
    CHECK(AUTH0_ERROR_SERVER == 4);
    CHECK(AUTH0_ERROR_INVALID_TOKEN == 5);
    CHECK(AUTH0_ERROR_AUTHORIZATION == 6);
    CHECK(AUTH0_ERROR_CANCELLED == 7);
    CHECK(AUTH0_ERROR_STORAGE == 8);
    CHECK(AUTH0_ERROR_INTERNAL == 9);
}

HARNESS_MAIN(TEST_ENTRY(version_is_not_empty),
             TEST_ENTRY(version_equals_the_crate_version_in_cargo_toml),
             TEST_ENTRY(version_is_the_same_static_string_on_every_call),
             TEST_ENTRY(string_free_of_null_is_a_no_op),
             TEST_ENTRY(webauth_free_of_null_is_a_no_op),
             TEST_ENTRY(status_numbers_are_the_documented_abi))
