// include/auth0.hpp, the C++17 wrapper, against the dev tenant: every
// wrapped C function, the RAII handles, auth0::error, the callbacks.
//
// Run by tests/cpp/run.sh, which starts the dev tenant and exports
// AUTH0_TEST_DOMAIN, AUTH0_TEST_CLIENT_ID, AUTH0_TEST_USERNAME,
// AUTH0_TEST_PASSWORD and AUTH0_TEST_CONNECTION. Ends with one line
// "cpp: test_wrapper: N passed, N failed".
#include "auth0.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <strings.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

// ---- the handles are move-only RAII types ---------------------------------
static_assert(!std::is_copy_constructible_v<auth0::webauth>);
static_assert(!std::is_copy_assignable_v<auth0::webauth>);
static_assert(std::is_nothrow_move_constructible_v<auth0::webauth>);
static_assert(std::is_nothrow_move_assignable_v<auth0::webauth>);
static_assert(!std::is_copy_constructible_v<auth0::management>);
static_assert(std::is_nothrow_move_constructible_v<auth0::management>);
static_assert(std::is_nothrow_move_assignable_v<auth0::management>);
static_assert(!std::is_copy_constructible_v<auth0::cancel_token>);
static_assert(!std::is_copy_constructible_v<auth0::task>);
static_assert(std::is_nothrow_move_assignable_v<auth0::task>);
static_assert(std::is_nothrow_move_constructible_v<auth0::cancel_token>);
static_assert(std::is_base_of_v<std::runtime_error, auth0::error>);
static_assert(std::is_same_v<decltype(auth0::version()), std::string_view>);
static_assert(std::is_same_v<decltype(std::declval<const auth0::webauth &>().login("")), std::string>);

#include "harness.hpp"

namespace {

// ---- the dev tenant ----------------------------------------------------------
struct tenant {
    std::string domain, client_id, username, password, connection;
    int port = 0;
};

const tenant &env() {
    static const tenant t = [] {
        tenant t;
        auto get = [](const char *name) {
            const char *v = std::getenv(name);
            if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set (run tests/cpp/run.sh)");
            return std::string(v);
        };
        t.domain = get("AUTH0_TEST_DOMAIN");
        t.client_id = get("AUTH0_TEST_CLIENT_ID");
        t.username = get("AUTH0_TEST_USERNAME");
        t.password = get("AUTH0_TEST_PASSWORD");
        t.connection = get("AUTH0_TEST_CONNECTION");
        auto colon = t.domain.rfind(':');
        t.port = colon == std::string::npos ? 0 : std::atoi(t.domain.c_str() + colon + 1);
        return t;
    }();
    return t;
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string url_encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::strtol(std::string(s.substr(i + 1, 2)).c_str(), nullptr, 16));
            i += 2;
        } else if (s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

// The value of query parameter `name` of `url`, decoded ("" when absent).
std::string query_param(const std::string &url, const std::string &name) {
    auto q = url.find('?');
    if (q == std::string::npos) return "";
    std::size_t i = q + 1;
    while (i < url.size()) {
        auto amp = url.find('&', i);
        if (amp == std::string::npos) amp = url.size();
        std::string pair = url.substr(i, amp - i);
        auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) return eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
        i = amp + 1;
    }
    return "";
}

std::string member(const std::string &json, std::string_view key) {
    return auth0::detail::json_reader(json).member_string(key).value_or("");
}

struct response {
    int status = 0;
    std::string body, cookie;
};

// An HTTP/1.0 request to 127.0.0.1:port (no chunked answers, one per connection).
response http(int port, const std::string &method, const std::string &path, const std::string &content_type = "",
              const std::string &headers = "", const std::string &body = "") {
    response r;
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return r;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return r;
    }
    std::string req = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n" + headers;
    if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    std::size_t sent = 0;
    while (sent < req.size()) {
        ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    std::string answer;
    char buf[4096];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    auto head_end = answer.find("\r\n\r\n");
    if (answer.compare(0, 5, "HTTP/") != 0 || head_end == std::string::npos) return r;
    r.status = std::atoi(answer.c_str() + answer.find(' ') + 1);
    r.body = answer.substr(head_end + 4);
    std::string head = answer.substr(0, head_end);
    for (std::size_t at = 0; (at = head.find("\r\n", at)) != std::string::npos;) {
        at += 2;
        if (strncasecmp(head.c_str() + at, "set-cookie:", 11) == 0 && r.cookie.empty()) {
            std::string line = head.substr(at + 11, head.find("\r\n", at) - at - 11);
            line.erase(0, line.find_first_not_of(' '));
            r.cookie = line.substr(0, line.find(';'));
        }
    }
    return r;
}

// The tenant's user logs in on /activate and presses `action` (confirm/deny).
bool activate(const std::string &user_code, const std::string &action) {
    const tenant &t = env();
    std::string code = url_encode(user_code);
    response page = http(t.port, "GET", "/activate?user_code=" + code);
    if (page.status != 200) return false;
    response login = http(t.port, "POST", "/activate", "application/x-www-form-urlencoded", "",
                          "user_code=" + code + "&action=login&username=" + url_encode(t.username) +
                              "&password=" + url_encode(t.password) + "&connection=" + url_encode(t.connection));
    if (login.status != 200 || login.cookie.empty()) return false;
    response done = http(t.port, "POST", "/activate", "application/x-www-form-urlencoded",
                         "Cookie: " + login.cookie + "\r\n", "user_code=" + code + "&action=" + action);
    return done.status == 200;
}

std::string webauth_options(const std::string &extra = "") {
    const tenant &t = env();
    return "{\"domain\":" + quote(t.domain) + ",\"clientID\":" + quote(t.client_id) +
           ",\"redirectUri\":\"http://127.0.0.1:7777/callback\",\"_sendTelemetry\":false" +
           (extra.empty() ? "" : "," + extra) + "}";
}

std::string login_options(const std::string &username, const std::string &password, const std::string &extra = "") {
    return "{\"username\":" + quote(username) + ",\"password\":" + quote(password) +
           ",\"realm\":" + quote(env().connection) + (extra.empty() ? "" : "," + extra) + "}";
}

std::string unique_email(const char *tag) {
    static int counter = 0;
    return "cpp-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::time(nullptr)) + "-" + std::to_string(++counter) + "@example.com";
}

const char *const MANAGEMENT_SCOPE =
    "openid read:current_user update:current_user_metadata update:current_user_identities";

// ---- the tests ------------------------------------------------------------------

void version_macros_match_the_library() {
    CHECK(auth0::version() == AUTH0_VERSION_STRING);
    std::string composed = std::to_string(AUTH0_VERSION_MAJOR) + "." + std::to_string(AUTH0_VERSION_MINOR) + "." +
                           std::to_string(AUTH0_VERSION_PATCH);
    CHECK(composed == AUTH0_VERSION_STRING);
}

void status_names_are_the_enum_names() {
    CHECK(std::string(auth0::status_name(AUTH0_OK)) == "AUTH0_OK");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_INVALID_ARGUMENT)) == "AUTH0_ERROR_INVALID_ARGUMENT");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_NETWORK)) == "AUTH0_ERROR_NETWORK");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_TIMEOUT)) == "AUTH0_ERROR_TIMEOUT");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_SERVER)) == "AUTH0_ERROR_SERVER");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_INVALID_TOKEN)) == "AUTH0_ERROR_INVALID_TOKEN");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_AUTHORIZATION)) == "AUTH0_ERROR_AUTHORIZATION");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_CANCELLED)) == "AUTH0_ERROR_CANCELLED");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_STORAGE)) == "AUTH0_ERROR_STORAGE");
    CHECK(std::string(auth0::status_name(AUTH0_ERROR_INTERNAL)) == "AUTH0_ERROR_INTERNAL");
}

void a_bad_option_throws_an_error_naming_it() {
    CHECK_THROWS_AUTH0(auth0::webauth(R"({"domain":"https://me.auth0.com"})"), AUTH0_ERROR_INVALID_ARGUMENT, {
        CHECK(e.code() == "invalid_argument");
        CHECK(e.description() == "clientID option is required");
        CHECK_CONTAINS(e.what(), "AUTH0_ERROR_INVALID_ARGUMENT: clientID option is required");
        CHECK_CONTAINS(e.json(), "\"description\":\"clientID option is required\"");
        CHECK(e.status_code() == 0);
    });
    CHECK_THROWS_AUTH0(auth0::webauth("not json"), AUTH0_ERROR_INVALID_ARGUMENT,
                       CHECK(e.code() == "invalid_json"));
    CHECK_THROWS_AUTH0(auth0::management(R"({"domain":"https://me.auth0.com"})"), AUTH0_ERROR_INVALID_ARGUMENT,
                       CHECK(e.description() == "token option is required"));
}

void a_moved_from_handle_throws_instead_of_passing_null() {
    auth0::webauth a(webauth_options());
    const auth0_webauth *raw = a.get();
    auth0::webauth b(std::move(a));
    CHECK(a.get() == nullptr);  // NOLINT(bugprone-use-after-move): what is tested
    CHECK(b.get() == raw);
    CHECK_THROWS_AUTH0(a.build_authorize_url(), AUTH0_ERROR_INVALID_ARGUMENT, CHECK(e.code() == "null_parameter"));
    auth0::webauth c(webauth_options());
    c = std::move(b);  // c's own handle is released, b's moves in
    CHECK(c.get() == raw && b.get() == nullptr);
    CHECK_CONTAINS(c.build_authorize_url(R"({"state":"s1"})"), "state=s1");

    auth0::cancel_token t1;
    auth0::cancel_token t2(std::move(t1));
    CHECK(t1.get() == nullptr && t2.get() != nullptr);
}

void urls_are_built_with_the_handle_options() {
    const tenant &t = env();
    auth0::webauth web(webauth_options(R"("scope":"openid email")"));
    std::string url = member(web.build_authorize_url(R"({"state":"abc","responseType":"code"})"), "url");
    CHECK(url.rfind(t.domain + "/authorize?", 0) == 0);
    CHECK(query_param(url, "client_id") == t.client_id);
    CHECK(query_param(url, "state") == "abc");
    CHECK(query_param(url, "scope") == "openid email");

    std::string authorized = web.authorize(R"({"responseType":"id_token"})");
    std::string state = member(authorized, "state");
    CHECK(!state.empty());
    CHECK(query_param(member(authorized, "url"), "state") == state);
    CHECK(!member(authorized, "nonce").empty());

    std::string logout = member(web.logout(R"({"returnTo":"http://127.0.0.1:7777/bye"})"), "url");
    CHECK(logout.rfind(t.domain + "/v2/logout?", 0) == 0);
    CHECK(query_param(logout, "returnTo") == "http://127.0.0.1:7777/bye");
}

void login_and_user_info_against_the_tenant() {
    const tenant &t = env();
    auth0::webauth web(webauth_options());
    std::string result = web.login(login_options(t.username, t.password, R"("scope":"openid profile email")"));
    std::string access = member(result, "accessToken");
    CHECK(!access.empty());
    std::string id_token = member(result, "idToken");
    CHECK(!id_token.empty());
    std::string profile = web.user_info("{\"accessToken\":" + quote(access) + "}");
    CHECK(member(profile, "email") == t.username);
    std::string payload = web.validate_id_token("{\"idToken\":" + quote(id_token) + "}");
    CHECK(member(payload, "email") == t.username);
}

void a_task_gives_the_login_and_cancels() {
    const tenant &t = env();
    auth0::webauth web(webauth_options());
    auth0::task login = web.start("client.login", login_options(t.username, t.password, R"("scope":"openid email")"));
    std::optional<std::string> result = login.wait();
    CHECK(result.has_value() && !member(*result, "accessToken").empty());
    CHECK(login.poll() == result);
    CHECK_THROWS_AUTH0(web.start("client.logn"), AUTH0_ERROR_INVALID_ARGUMENT,
                       CHECK_CONTAINS(e.description(), "client.logn"));
    std::string code = web.device_start();
    auth0::task poll = web.start("device.poll", code);
    CHECK(!poll.poll().has_value());
    poll.cancel();
    CHECK_THROWS_AUTH0(poll.poll(), AUTH0_ERROR_CANCELLED, CHECK(e.code() == "cancelled"));
    auth0::task moved = std::move(poll);
    CHECK(poll.get() == nullptr && moved.get() != nullptr);
    CHECK(std::string(auth0::status_name(AUTH0_PENDING)) == "AUTH0_PENDING");
}

void a_wrong_password_is_a_server_error_without_the_password() {
    const tenant &t = env();
    auth0::webauth web(webauth_options());
    const std::string wrong = "Wrong-Passw0rd-cpp";
    CHECK_THROWS_AUTH0(web.login(login_options(t.username, wrong)), AUTH0_ERROR_SERVER, {
        CHECK(e.status_code() == 403);
        CHECK(e.code() == "invalid_grant");
        CHECK(!e.description().empty());
        CHECK(e.json().find(wrong) == std::string::npos);
        CHECK(std::string(e.what()).find(wrong) == std::string::npos);
    });
}

void a_bad_token_is_invalid_token() {
    auth0::webauth web(webauth_options());
    CHECK_THROWS_AUTH0(web.validate_id_token(R"({"idToken":"a.b.c"})"), AUTH0_ERROR_INVALID_TOKEN,
                       CHECK(e.code() == "invalid_token"));
    CHECK_THROWS_AUTH0(web.parse_hash(R"({"hash":"#access_token=x&state=never-recorded"})"),
                       AUTH0_ERROR_INVALID_TOKEN, CHECK(!e.description().empty()));
}

void signup_change_password_and_the_session_calls() {
    const tenant &t = env();
    auth0::webauth web(webauth_options());
    const std::string email = unique_email("signup"), password = "Cpp-Passw0rd!";
    std::string user = web.signup("{\"connection\":" + quote(t.connection) + ",\"email\":" + quote(email) +
                                  ",\"password\":" + quote(password) + "}");
    CHECK(member(user, "email") == email);
    CHECK_THROWS_AUTH0(web.signup("{\"connection\":" + quote(t.connection) + ",\"email\":" + quote(email) +
                                  ",\"password\":" + quote(password) + "}"),
                       AUTH0_ERROR_SERVER, CHECK(e.code() == "user_exists"));
    std::string changed = web.change_password("{\"connection\":" + quote(t.connection) + ",\"email\":" + quote(email) + "}");
    CHECK(!changed.empty());

    // The headless logins: credentials (leaves an SSO session), then
    // renew_auth through it; the cross-origin login.
    std::string credentials = web.login_with_credentials("{\"connection\":" + quote(t.connection) + ",\"username\":" +
                                                         quote(email) + ",\"password\":" + quote(password) +
                                                         ",\"responseType\":\"token id_token\",\"scope\":\"openid email\"}");
    CHECK(!member(credentials, "accessToken").empty());
    std::string renewed = web.renew_auth(R"({"responseType":"token id_token","scope":"openid email"})");
    CHECK(!member(renewed, "accessToken").empty());
    std::string cross = web.cross_origin_login(login_options(email, password, R"("responseType":"token id_token")"));
    CHECK(!member(cross, "accessToken").empty());
}

void passwordless_calls_reach_the_tenant() {
    auth0::webauth web(webauth_options());
    const std::string email = unique_email("otp");
    std::string started = web.passwordless_start("{\"connection\":\"email\",\"send\":\"code\",\"email\":" + quote(email) + "}");
    CHECK(!started.empty());
    // A code that was never sent: the tenant refuses both ways of using it.
    const std::string wrong = "{\"connection\":\"email\",\"verificationCode\":\"000000\",\"email\":" + quote(email) + "}";
    CHECK_THROWS_AUTH0(web.passwordless_login(wrong), AUTH0_ERROR_SERVER, CHECK(e.status_code() == 403));
    CHECK_THROWS_AUTH0(web.passwordless_verify(wrong), AUTH0_ERROR_SERVER, CHECK(e.status_code() == 403));
}

void management_calls_on_a_fresh_user() {
    const tenant &t = env();
    auth0::webauth web(webauth_options());
    const std::string email = unique_email("mgmt"), password = "Cpp-Passw0rd!";
    web.signup("{\"connection\":" + quote(t.connection) + ",\"email\":" + quote(email) + ",\"password\":" +
               quote(password) + "}");
    std::string login = web.login(login_options(
        email, password, "\"audience\":" + quote(t.domain + "/api/v2/") + ",\"scope\":" + quote(MANAGEMENT_SCOPE)));
    std::string token = member(login, "accessToken");
    std::string sub = member(web.user_info("{\"accessToken\":" + quote(token) + "}"), "sub");
    CHECK(!sub.empty());

    auth0::management mgmt("{\"domain\":" + quote(t.domain) + ",\"token\":" + quote(token) + "}");
    std::string user = mgmt.get_user("{\"userId\":" + quote(sub) + "}");
    CHECK(member(user, "email") == email);
    std::string patched = mgmt.patch_user_metadata("{\"userId\":" + quote(sub) + ",\"userMetadata\":{\"lang\":\"c++\"}}");
    CHECK_CONTAINS(patched, "\"lang\":\"c++\"");
    CHECK_THROWS_AUTH0(mgmt.link_user("{\"userId\":" + quote(sub) + ",\"secondaryUserToken\":\"not-a-token\"}"),
                       AUTH0_ERROR_SERVER, CHECK(e.status_code() >= 400));
    CHECK_THROWS_AUTH0(mgmt.unlink_user("{\"userId\":" + quote(sub) +
                                        ",\"provider\":\"google-oauth2\",\"identityUserId\":\"nobody\"}"),
                       AUTH0_ERROR_SERVER, CHECK(e.status_code() >= 400));
    // Another user's id: the token is only for its own user.
    CHECK_THROWS_AUTH0(mgmt.get_user(R"({"userId":"auth0|6f0000000000000000000002"})"), AUTH0_ERROR_SERVER,
                       CHECK(e.status_code() == 403));
}

void popup_opener_gets_the_url_and_its_answer_comes_back() {
    auth0::webauth web(webauth_options());
    std::string opened;
    std::thread browser;
    // The "browser" answers the loopback listener with an error, as a user
    // who refuses would; it runs on its own thread, since the listener only
    // serves once the opener has returned.
    auto opener = [&](std::string_view url) {
        opened = std::string(url);
        std::string redirect = query_param(opened, "redirect_uri"), state = query_param(opened, "state");
        int port = std::atoi(redirect.c_str() + std::strlen("http://127.0.0.1:"));
        browser = std::thread([port, state] {
            http(port, "GET", "/callback?error=access_denied&error_description=refused&state=" + url_encode(state));
        });
        return true;
    };
    CHECK_THROWS_AUTH0(web.popup_authorize(R"({"redirectUri":"http://127.0.0.1:0/callback","timeout":20000})", opener),
                       AUTH0_ERROR_AUTHORIZATION, {
                           CHECK(e.code() == "access_denied");
                           CHECK(e.description() == "refused");
                       });
    if (browser.joinable()) browser.join();
    CHECK(opened.rfind(env().domain + "/authorize?", 0) == 0);
    CHECK(query_param(opened, "code_challenge_method") == "S256");
}

void popup_opener_that_cannot_open_fails_and_one_that_throws_is_rethrown() {
    auth0::webauth web(webauth_options());
    const char *options = R"({"redirectUri":"http://127.0.0.1:0/callback","timeout":20000})";
    CHECK_THROWS_AUTH0(web.popup_authorize(options, [](std::string_view) { return false; }),
                       AUTH0_ERROR_INVALID_ARGUMENT, CHECK(e.code() == "browser_open_failed"));
    struct app_failure : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    bool rethrown = false;
    try {
        web.popup_authorize(options, [](std::string_view) -> bool { throw app_failure("no web view"); });
    } catch (const app_failure &e) {
        rethrown = std::string(e.what()) == "no web view";
    }
    CHECK(rethrown);
}

void popup_is_cancelled_from_another_thread() {
    auth0::webauth web(webauth_options());
    auth0::cancel_token cancel;
    std::thread canceller;
    auto opener = [&](std::string_view) {
        canceller = std::thread([&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            cancel.cancel();
        });
        return true;
    };
    CHECK_THROWS_AUTH0(web.popup_authorize(R"({"redirectUri":"http://127.0.0.1:0/callback","timeout":60000})",
                                           opener, &cancel),
                       AUTH0_ERROR_CANCELLED, CHECK(e.code() == "cancelled"));
    if (canceller.joinable()) canceller.join();
    CHECK(cancel.is_cancelled());
}

void device_login_shows_the_code_and_logs_in() {
    const tenant &t = env();
    auth0::webauth web(webauth_options());
    std::string shown;
    bool approved = false;
    std::string result = web.device_login(R"({"scope":"openid profile email","timeout":30000})",
                                          [&](std::string_view code_json) {
                                              shown = std::string(code_json);
                                              approved = activate(member(shown, "user_code"), "confirm");
                                          });
    CHECK(approved);
    CHECK(!member(shown, "verification_uri").empty());
    CHECK_CONTAINS(shown, "\"svg\"");
    std::string access = member(result, "accessToken");
    CHECK(member(web.user_info("{\"accessToken\":" + quote(access) + "}"), "email") == t.username);
}

void device_start_then_poll_refused_is_access_denied() {
    auth0::webauth web(webauth_options());
    std::string started = web.device_start(R"({"scope":"openid"})");
    CHECK(activate(member(started, "user_code"), "deny"));
    std::string poll = "{\"device_code\":" + quote(member(started, "device_code")) + ",\"interval\":1,\"timeout\":20000}";
    CHECK_THROWS_AUTH0(web.device_poll(poll), AUTH0_ERROR_AUTHORIZATION, CHECK(e.code() == "access_denied"));
}

void device_poll_with_a_cancelled_token_is_cancelled() {
    auth0::webauth web(webauth_options());
    std::string started = web.device_start();
    auth0::cancel_token cancel;
    cancel.cancel();
    std::string poll = "{\"device_code\":" + quote(member(started, "device_code")) + ",\"interval\":1,\"timeout\":20000}";
    CHECK_THROWS_AUTH0(web.device_poll(poll, &cancel), AUTH0_ERROR_CANCELLED, (void)e);
}

void an_exception_from_on_code_stops_the_device_login_and_is_rethrown() {
    auth0::webauth web(webauth_options());
    for (bool own_token : {false, true}) {
        auth0::cancel_token cancel;
        bool rethrown = false;
        try {
            web.device_login(R"({"timeout":3000})", [](std::string_view) { throw std::logic_error("no screen"); },
                             own_token ? &cancel : nullptr);
        } catch (const std::logic_error &e) {
            rethrown = std::string(e.what()) == "no screen";
        }
        CHECK(rethrown);
        // The polling was stopped through the caller's token (with none, a
        // token of the call's own), not left to run into its timeout.
        if (own_token) CHECK(cancel.is_cancelled());
    }
}

}  // namespace

int main() {
    run("AUTH0_VERSION_* match auth0::version()", version_macros_match_the_library);
    run("auth0::status_name gives the enum names", status_names_are_the_enum_names);
    run("a bad option throws auth0::error with status, code, description, JSON",
        a_bad_option_throws_an_error_naming_it);
    run("a moved-from handle throws instead of passing NULL", a_moved_from_handle_throws_instead_of_passing_null);
    run("build_authorize_url, authorize, logout", urls_are_built_with_the_handle_options);
    run("login, user_info, validate_id_token against the dev tenant", login_and_user_info_against_the_tenant);
    run("auth0::task: start, wait, poll, cancel, move", a_task_gives_the_login_and_cancels);
    run("a wrong password: AUTH0_ERROR_SERVER 403 invalid_grant, no password in it",
        a_wrong_password_is_a_server_error_without_the_password);
    run("a bad token: AUTH0_ERROR_INVALID_TOKEN", a_bad_token_is_invalid_token);
    run("signup, change_password, login_with_credentials, renew_auth, cross_origin_login",
        signup_change_password_and_the_session_calls);
    run("passwordless_start, _login, _verify", passwordless_calls_reach_the_tenant);
    run("management get_user, patch_user_metadata, link_user, unlink_user", management_calls_on_a_fresh_user);
    run("popup_authorize: the opener gets the URL, the callback's answer comes back",
        popup_opener_gets_the_url_and_its_answer_comes_back);
    run("popup_authorize: an opener returning false fails, a throwing one is rethrown",
        popup_opener_that_cannot_open_fails_and_one_that_throws_is_rethrown);
    run("popup_authorize: cancel_token::cancel from another thread", popup_is_cancelled_from_another_thread);
    run("device_login: on_code shows the code, the approved login succeeds", device_login_shows_the_code_and_logs_in);
    run("device_start + device_poll: a refusal is access_denied", device_start_then_poll_refused_is_access_denied);
    run("device_poll with a cancelled token", device_poll_with_a_cancelled_token_is_cancelled);
    run("device_login: an exception from on_code is rethrown and stops the polling",
        an_exception_from_on_code_stops_the_device_login_and_is_rethrown);
    std::printf("cpp: test_wrapper: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
