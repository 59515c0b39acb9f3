// include/auth0.hpp's auth0::credentials and auth0::host_store against the
// dev tenant: the memory store, a C++ object as the host store, a host
// store that throws, the plain refresh_token / revoke_token.
//
// Run by tests/cpp/run.sh (AUTH0_TEST_* of its dev tenant). Ends with one
// line "cpp: test_credentials: N passed, N failed".
#include "auth0.hpp"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

static_assert(!std::is_copy_constructible_v<auth0::credentials>);
static_assert(std::is_nothrow_move_constructible_v<auth0::credentials>);
static_assert(std::is_nothrow_move_assignable_v<auth0::credentials>);
static_assert(std::is_abstract_v<auth0::host_store>);

#include "harness.hpp"

namespace {

std::string env(const char *name) {
    const char *v = std::getenv(name);
    if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set (run tests/cpp/run.sh)");
    return v;
}

auth0::webauth web() {
    return auth0::webauth("{\"domain\":\"" + env("AUTH0_TEST_DOMAIN") + "\",\"clientID\":\"" +
                          env("AUTH0_TEST_CLIENT_ID") + "\",\"_sendTelemetry\":false}");
}

// The password grant with offline_access (the test user's password holds
// nothing JSON needs escaped).
std::string login(const auth0::webauth &w) {
    return w.login("{\"username\":\"" + env("AUTH0_TEST_USERNAME") + "\",\"password\":\"" +
                   env("AUTH0_TEST_PASSWORD") + "\",\"realm\":\"" + env("AUTH0_TEST_CONNECTION") +
                   "\",\"scope\":\"openid email offline_access\"}");
}

// The string member `key` of compact JSON (no escapes in tokens).
std::string member(const std::string &json, const std::string &key) {
    auto at = json.find("\"" + key + "\":\"");
    if (at == std::string::npos) return {};
    at += key.size() + 4;
    return json.substr(at, json.find('"', at) - at);
}

// The authResult, expiring now: the next get renews.
std::string expired(std::string result) {
    auto at = result.find("\"expiresIn\":");
    if (at == std::string::npos) return result;
    at += 12;
    auto end = result.find_first_not_of("0123456789", at);
    return result.replace(at, end - at, "0");
}

struct slot : auth0::host_store {
    std::mutex mu;
    std::optional<std::vector<std::uint8_t>> blob;
    int saves = 0;
    bool fail = false;
    std::optional<std::vector<std::uint8_t>> load() override {
        std::lock_guard<std::mutex> g(mu);
        return blob;
    }
    void save(const std::uint8_t *data, std::size_t len) override {
        std::lock_guard<std::mutex> g(mu);
        if (fail) throw std::runtime_error("the save disk is full");
        blob.emplace(data, data + len);
        ++saves;
    }
    void remove() override {
        std::lock_guard<std::mutex> g(mu);
        blob.reset();
    }
};

void memory_store_saves_renews_and_clears() {
    auto w = web();
    auth0::credentials c(w);
    CHECK(!c.has_valid());
    CHECK_THROWS_AUTH0(c.get_credentials(), AUTH0_ERROR_CREDENTIALS, CHECK(e.code() == "no_credentials"));
    std::string result = login(w);
    c.save(expired(result));
    CHECK(c.has_valid());
    std::string creds = c.get_credentials();
    CHECK(!member(creds, "accessToken").empty());
    CHECK(member(creds, "accessToken") != member(result, "accessToken"));
    CHECK(member(creds, "refreshToken") != member(result, "refreshToken"));
    CHECK_CONTAINS(c.user(), "\"sub\":\"auth0|6f0000000000000000000001\"");
    c.clear();
    CHECK(!c.has_valid());
    CHECK(c.user() == "null");
}

void a_cpp_object_is_the_host_store_and_its_exception_the_message() {
    auto w = web();
    auto store = std::make_shared<slot>();
    {
        auth0::credentials c(w, store, "cpp-test");
        c.save(login(w));
        CHECK(store->saves == 1 && store->blob && !store->blob->empty());
        auth0::credentials moved(std::move(c));
        CHECK(c.get() == nullptr);
        CHECK_THROWS_AUTH0(c.has_valid(), AUTH0_ERROR_INVALID_ARGUMENT, (void)0);
        CHECK(moved.has_valid(60));
    }
    // The C library released its share of the store with the handle.
    CHECK(store.use_count() == 1);
    auth0::credentials again(w, store, "cpp-test");
    CHECK_CONTAINS(again.user(), "auth0|6f0000000000000000000001");
    store->fail = true;
    CHECK_THROWS_AUTH0(again.save(login(w)), AUTH0_ERROR_STORAGE,
                       {
                           CHECK(e.code() == "storage_error");
                           CHECK_CONTAINS(e.description(), "the save disk is full");
                       });
    CHECK_THROWS_AUTH0(auth0::credentials(w, std::shared_ptr<auth0::host_store>()),
                       AUTH0_ERROR_INVALID_ARGUMENT, (void)0);
    CHECK_THROWS_AUTH0(auth0::credentials(w, "{\"type\":\"floppy\"}"), AUTH0_ERROR_INVALID_ARGUMENT,
                       CHECK_CONTAINS(e.description(), "type option is not valid"));
}

void refresh_token_and_revoke_token() {
    auto w = web();
    std::string rt = member(login(w), "refreshToken");
    CHECK(!rt.empty());
    std::string renewed = w.refresh_token("{\"refreshToken\":\"" + rt + "\"}");
    std::string next = member(renewed, "refreshToken");
    CHECK(!next.empty() && next != rt);
    CHECK(w.revoke_token("{\"refreshToken\":\"" + next + "\"}") == "{}");
    CHECK_THROWS_AUTH0(w.refresh_token("{\"refreshToken\":\"" + next + "\"}"), AUTH0_ERROR_SERVER,
                       CHECK(e.code() == "invalid_grant" && e.status_code() == 403));
}

}  // namespace

int main() {
    run("credentials over memory: save, renew on expiry, user, clear", memory_store_saves_renews_and_clears);
    run("credentials over a C++ host_store; its exception is the storage_error's message",
        a_cpp_object_is_the_host_store_and_its_exception_the_message);
    run("webauth::refresh_token rotates, revoke_token ends the family", refresh_token_and_revoke_token);
    std::printf("cpp: test_credentials: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
