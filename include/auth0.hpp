/*
 * auth0-native for C++17: a header-only wrapper of the C API (auth0.h).
 *
 *   #include <auth0.hpp>
 *
 *   auth0::webauth web(R"({"domain":"https://me.auth0.com","clientID":"abc"})");
 *   std::string result = web.login(R"({"username":"…","password":"…","realm":"…"})");
 *
 * - One move-only RAII class per C handle: auth0::webauth (auth0_webauth),
 *   auth0::management (auth0_management), auth0::cancel_token (auth0_cancel),
 *   auth0::task (auth0_task, from webauth::start / management::start).
 *   auth0::credentials (auth0_credentials).
 *   A moved-from object holds no handle; calling an operation on it throws
 *   auth0::error with AUTH0_ERROR_INVALID_ARGUMENT.
 * - Options go in as JSON text (std::string_view; an empty view means "no
 *   options", i.e. NULL); results come out as JSON text (std::string), the
 *   same shapes as the C API's.
 * - Every failure is an auth0::error carrying the auth0_status, the error's
 *   code and description and the raw error JSON. Secrets never appear in
 *   them (the C library keeps them out).
 * - Callbacks (the popup's URL opener, the device flow's code display) are
 *   std::function; an exception they throw ends the call and is rethrown
 *   to its caller.
 * - Thread safety is the C API's: operations are const and may run on one
 *   object from several threads; destroying it must not race with them.
 *
 * Needs nothing but auth0.h, auth0_detail.hpp (its internals, installed
 * beside it) and the C++17 standard library. Link with the
 * C library (pkg-config auth0_native, or CMake's auth0_native::auth0_native).
 */
#ifndef AUTH0_NATIVE_HPP
#define AUTH0_NATIVE_HPP

#include "auth0.h"
#include "auth0_detail.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace auth0 {

/** The name of a status, e.g. "AUTH0_ERROR_TIMEOUT" (static, never null). */
inline const char *status_name(auth0_status status) noexcept { return detail::status_name(status); }

/** The C library's version, e.g. "0.1.0" (AUTH0_VERSION_STRING of its auth0.h). */
inline std::string_view version() noexcept {
    const char *v = auth0_version();
    return v ? std::string_view(v) : std::string_view();
}

/**
 * A failed operation: the auth0_status and the error the C library
 * returned. what() is "STATUS_NAME: description".
 */
class error : public std::runtime_error {
  public:
    /** An error of `status` with the C library's error JSON (may be empty). */
    error(auth0_status status, std::string json)
        : std::runtime_error(message(status, json)), status_(status), json_(std::move(json)) {
        detail::json_reader reader(json_);
        code_ = reader.member_string("code").value_or(std::string());
        description_ = reader.member_string("description").value_or(std::string());
        status_code_ = static_cast<int>(reader.member_integer("statusCode").value_or(0));
    }

    /** The status the C function returned (never AUTH0_OK). */
    auth0_status status() const noexcept { return status_; }
    /** The error's `code`, e.g. "invalid_grant", "timeout" (may be empty). */
    const std::string &code() const noexcept { return code_; }
    /** The error's `description`, e.g. "Wrong email or password." */
    const std::string &description() const noexcept { return description_; }
    /** The HTTP status the server answered with, or 0 when none did. */
    int status_code() const noexcept { return status_code_; }
    /** The whole error JSON, as the C API returned it. */
    const std::string &json() const noexcept { return json_; }

  private:
    static std::string message(auth0_status status, const std::string &json) {
        std::string text = status_name(status);
        auto description = detail::json_reader(json).member_string("description");
        if (description && !description->empty()) text += ": " + *description;
        return text;
    }

    auth0_status status_;
    std::string json_;
    std::string code_;
    std::string description_;
    int status_code_ = 0;
};

namespace detail {

/* The result of a C call that wrote `out`: the JSON, or an auth0::error. */
inline std::string result(auth0_status status, char *out) {
    std::string json = take(out);
    if (status != AUTH0_OK) throw error(status, std::move(json));
    return json;
}

[[noreturn]] inline void throw_moved_from(const char *what) {
    const std::string description = std::string(what) + " has no handle (it was moved from)";
    throw error(AUTH0_ERROR_INVALID_ARGUMENT,
                "{\"code\":\"null_parameter\",\"description\":\"" + description +
                    "\",\"error\":\"null_parameter\",\"errorDescription\":\"" + description + "\"}");
}

/* The state a C callback trampoline shares with its caller: the user's
 * function and the exception it threw, rethrown once the C call is back
 * (an exception must not unwind through the C library's frames). */
template <class Fn> struct callback {
    Fn fn;
    std::exception_ptr thrown;
    void rethrow_if_thrown() const {
        if (thrown) std::rethrow_exception(thrown);
    }
};

}  // namespace detail

/**
 * A cancel token (auth0_cancel): cancel() from another thread ends the
 * blocking call given this token with AUTH0_ERROR_CANCELLED. It stays
 * cancelled: use a fresh token per operation.
 */
class cancel_token {
  public:
    /** A token not cancelled yet; std::bad_alloc if memory ran out. */
    cancel_token() : handle_(auth0_cancel_new()) {
        if (!handle_) throw std::bad_alloc();
    }
    ~cancel_token() { auth0_cancel_free(handle_); }
    cancel_token(cancel_token &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    cancel_token &operator=(cancel_token &&other) noexcept {
        if (this != &other) {
            auth0_cancel_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    cancel_token(const cancel_token &) = delete;
    cancel_token &operator=(const cancel_token &) = delete;

    /** Cancels every call watching this token. Thread-safe; repeatable. */
    void cancel() const noexcept { auth0_cancel_cancel(handle_); }
    /** Whether cancel() was called. Thread-safe. */
    bool is_cancelled() const noexcept { return auth0_cancel_is_cancelled(handle_) != 0; }
    /** The C handle (owned by this object), or null when moved from. */
    const auth0_cancel *get() const noexcept { return handle_; }

  private:
    auth0_cancel *handle_;
};

/**
 * A running operation (auth0_task), from webauth::start or
 * management::start: poll() it each frame, or wait(). The destructor
 * cancels and frees it. Thread safety is the C API's.
 */
class task {
  public:
    ~task() { auth0_task_free(handle_); }
    task(task &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    task &operator=(task &&other) noexcept {
        if (this != &other) {
            auth0_task_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    task(const task &) = delete;
    task &operator=(const task &) = delete;

    /** Never blocks: std::nullopt while running, else the result JSON;
     * throws auth0::error for a failed or cancelled task. */
    std::optional<std::string> poll() const { return wait(0); }
    /** As poll(), waiting up to `timeout_ms` (negative: no limit). */
    std::optional<std::string> wait(long long timeout_ms = -1) const {
        if (!handle_) detail::throw_moved_from("auth0::task");
        char *out = nullptr;
        auth0_status status =
            timeout_ms == 0 ? auth0_task_poll(handle_, &out) : auth0_task_wait(handle_, timeout_ms, &out);
        if (status == AUTH0_PENDING) return std::nullopt;
        return detail::result(status, out);
    }
    /** Completes the task at once with AUTH0_ERROR_CANCELLED. Any thread. */
    void cancel() const noexcept { auth0_task_cancel(handle_); }
    /** The C handle (owned by this object), or null when moved from. */
    const auth0_task *get() const noexcept { return handle_; }

  private:
    friend class webauth;
    friend class management;
    template <class H, class F> static task start(F *fn, const H *h, std::string_view operation,
                                                  std::string_view options) {
        detail::c_options c(options);
        const std::string op(operation);
        task t;
        char *error_json = nullptr;
        auth0_status status = fn(h, op.c_str(), c.get(), nullptr, &t.handle_, &error_json);
        std::string json = detail::take(error_json);
        if (status != AUTH0_OK) throw error(status, std::move(json));
        return t;
    }
    task() = default;
    auth0_task *handle_ = nullptr;
};

/**
 * auth0.js's WebAuth (auth0_webauth): the Authentication API for one tenant
 * and application. Each method is the C function of the same name; see
 * auth0.h for the options and results.
 */
class webauth {
  public:
    /** Opens the login URL; returns false when it could not. */
    using url_opener = std::function<bool(std::string_view url)>;
    /** Shows the device code (the JSON device_start answers). */
    using code_display = std::function<void(std::string_view code_json)>;

    /** auth0_webauth_new: throws auth0::error naming a bad option. */
    explicit webauth(std::string_view options_json) {
        detail::c_options options(options_json);
        char *error_json = nullptr;
        auth0_status status = auth0_webauth_new(options.get(), &handle_, &error_json);
        std::string json = detail::take(error_json);
        if (status != AUTH0_OK) {
            handle_ = nullptr;
            throw error(status, std::move(json));
        }
    }
    ~webauth() { auth0_webauth_free(handle_); }
    webauth(webauth &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    webauth &operator=(webauth &&other) noexcept {
        if (this != &other) {
            auth0_webauth_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    webauth(const webauth &) = delete;
    webauth &operator=(const webauth &) = delete;

    /** The C handle (owned by this object), or null when moved from. */
    const auth0_webauth *get() const noexcept { return handle_; }

    std::string build_authorize_url(std::string_view options = {}) const {
        return call(auth0_webauth_build_authorize_url, options);
    }
    std::string authorize(std::string_view options = {}) const { return call(auth0_webauth_authorize, options); }
    std::string logout(std::string_view options = {}) const { return call(auth0_webauth_logout, options); }
    std::string login(std::string_view options) const { return call(auth0_webauth_login, options); }
    std::string user_info(std::string_view options) const { return call(auth0_webauth_user_info, options); }
    std::string parse_hash(std::string_view options) const { return call(auth0_webauth_parse_hash, options); }
    std::string validate_id_token(std::string_view options) const {
        return call(auth0_webauth_validate_id_token, options);
    }
    std::string signup(std::string_view options) const { return call(auth0_webauth_signup, options); }
    std::string change_password(std::string_view options) const {
        return call(auth0_webauth_change_password, options);
    }
    std::string passwordless_start(std::string_view options) const {
        return call(auth0_webauth_passwordless_start, options);
    }
    std::string passwordless_verify(std::string_view options) const {
        return call(auth0_webauth_passwordless_verify, options);
    }
    std::string passwordless_login(std::string_view options) const {
        return call(auth0_webauth_passwordless_login, options);
    }
    std::string login_with_credentials(std::string_view options) const {
        return call(auth0_webauth_login_with_credentials, options);
    }
    std::string cross_origin_login(std::string_view options) const {
        return call(auth0_webauth_cross_origin_login, options);
    }
    std::string renew_auth(std::string_view options = {}) const { return call(auth0_webauth_renew_auth, options); }
    std::string refresh_token(std::string_view options) const { return call(auth0_webauth_refresh_token, options); }
    std::string revoke_token(std::string_view options) const { return call(auth0_webauth_revoke_token, options); }

    /**
     * auth0_webauth_popup_authorize: the loopback login in one blocking
     * call. `open_url` opens the URL (empty: the system browser); if it
     * throws, the login ends and the exception is rethrown here.
     */
    std::string popup_authorize(std::string_view options = {}, url_opener open_url = nullptr,
                                const cancel_token *cancel = nullptr) const {
        const auth0_webauth *web = checked();
        detail::c_options c(options);
        detail::callback<url_opener> cb{std::move(open_url), nullptr};
        char *out = nullptr;
        auth0_status status = auth0_webauth_popup_authorize(
            web, c.get(), cb.fn ? &open_trampoline : nullptr, &cb, cancel ? cancel->get() : nullptr,
            &out);
        std::string json = detail::take(out);
        cb.rethrow_if_thrown();
        if (status != AUTH0_OK) throw error(status, std::move(json));
        return json;
    }

    /** auth0_webauth_device_start: the device code to show and to poll with. */
    std::string device_start(std::string_view options = {}) const {
        return call(auth0_webauth_device_start, options);
    }

    /** auth0_webauth_device_poll with device_start's answer. */
    std::string device_poll(std::string_view device_code_json, const cancel_token *cancel = nullptr) const {
        const auth0_webauth *web = checked();
        detail::c_options c(device_code_json);
        char *out = nullptr;
        auth0_status status = auth0_webauth_device_poll(web, c.get(), cancel ? cancel->get() : nullptr, &out);
        return detail::result(status, out);
    }

    /**
     * auth0_webauth_device_login: start, `on_code`, poll. If `on_code`
     * throws, polling is cancelled (through `cancel` when given — a token
     * serves one operation anyway — or a token of the call's own) and the
     * exception is rethrown here.
     */
    std::string device_login(std::string_view options, code_display on_code,
                             const cancel_token *cancel = nullptr) const {
        const auth0_webauth *web = checked();
        detail::c_options c(options);
        std::optional<cancel_token> own;
        if (!cancel && on_code) cancel = &own.emplace();
        code_context ctx{{std::move(on_code), nullptr}, cancel};
        char *out = nullptr;
        auth0_status status = auth0_webauth_device_login(web, c.get(), ctx.cb.fn ? &code_trampoline : nullptr,
                                                         &ctx, cancel ? cancel->get() : nullptr, &out);
        std::string json = detail::take(out);
        ctx.cb.rethrow_if_thrown();
        if (status != AUTH0_OK) throw error(status, std::move(json));
        return json;
    }

    /** auth0_webauth_start: `operation` ("client.login", "device.poll", …)
     * on the task pool; throws auth0::error for an unknown one. */
    task start(std::string_view operation, std::string_view options = {}) const {
        return task::start(auth0_webauth_start, checked(), operation, options);
    }

  private:
    struct code_context {
        detail::callback<code_display> cb;
        const cancel_token *cancel;
    };

    const auth0_webauth *checked() const {
        if (!handle_) detail::throw_moved_from("auth0::webauth");
        return handle_;
    }
    template <class F> std::string call(F *fn, std::string_view options) const {
        const auth0_webauth *web = checked();
        detail::c_options c(options);
        char *out = nullptr;
        auth0_status status = fn(web, c.get(), &out);
        return detail::result(status, out);
    }

    static int open_trampoline(const char *url, void *user_data) noexcept {
        auto *cb = static_cast<detail::callback<url_opener> *>(user_data);
        try {
            return cb->fn(std::string_view(url ? url : "")) ? 0 : 1;
        } catch (...) {
            cb->thrown = std::current_exception();
            return 1;
        }
    }
    static void code_trampoline(const char *code_json, void *user_data) noexcept {
        auto *ctx = static_cast<code_context *>(user_data);
        try {
            ctx->cb.fn(std::string_view(code_json ? code_json : ""));
        } catch (...) {
            ctx->cb.thrown = std::current_exception();
            if (ctx->cancel) ctx->cancel->cancel();
        }
    }

    auth0_webauth *handle_ = nullptr;
};

/**
 * auth0.js's Management (auth0_management): the Management API v2 with
 * one user's token. Each method is the C function of the same name.
 */
class management {
  public:
    /** auth0_management_new: {"domain":…,"token":…}; throws auth0::error. */
    explicit management(std::string_view options_json) {
        detail::c_options options(options_json);
        char *error_json = nullptr;
        auth0_status status = auth0_management_new(options.get(), &handle_, &error_json);
        std::string json = detail::take(error_json);
        if (status != AUTH0_OK) {
            handle_ = nullptr;
            throw error(status, std::move(json));
        }
    }
    ~management() { auth0_management_free(handle_); }
    management(management &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    management &operator=(management &&other) noexcept {
        if (this != &other) {
            auth0_management_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    management(const management &) = delete;
    management &operator=(const management &) = delete;

    /** The C handle (owned by this object), or null when moved from. */
    const auth0_management *get() const noexcept { return handle_; }

    std::string get_user(std::string_view options) const { return call(auth0_management_get_user, options); }
    std::string patch_user_metadata(std::string_view options) const {
        return call(auth0_management_patch_user_metadata, options);
    }
    std::string link_user(std::string_view options) const { return call(auth0_management_link_user, options); }
    std::string unlink_user(std::string_view options) const {
        return call(auth0_management_unlink_user, options);
    }

    /** auth0_management_start: `operation` ("getUser", …) on the task pool. */
    task start(std::string_view operation, std::string_view options = {}) const {
        if (!handle_) detail::throw_moved_from("auth0::management");
        return task::start(auth0_management_start, handle_, operation, options);
    }

  private:
    template <class F> std::string call(F *fn, std::string_view options) const {
        if (!handle_) detail::throw_moved_from("auth0::management");
        detail::c_options c(options);
        char *out = nullptr;
        auth0_status status = fn(handle_, c.get(), &out);
        return detail::result(status, out);
    }

    auth0_management *handle_ = nullptr;
};

/**
 * An app's own storage for the credentials (a game's save system), for
 * auth0::credentials. The blob is opaque bytes that hold the tokens.
 *
 * The methods are called on the thread of the auth0::credentials call that
 * needs them, possibly on several threads at once: make them thread-safe.
 * An exception they throw fails that call with AUTH0_ERROR_STORAGE
 * (`storage_error`) carrying its what() (which must hold no secret).
 */
class host_store {
  public:
    virtual ~host_store() = default;
    /** The stored blob, or std::nullopt when nothing is stored. */
    virtual std::optional<std::vector<std::uint8_t>> load() = 0;
    /** Replaces the stored blob, as atomically as the storage allows. */
    virtual void save(const std::uint8_t *blob, std::size_t len) = 0;
    /** Removes the blob; removing nothing must succeed. */
    virtual void remove() = 0;
};

/**
 * A credentials manager (auth0_credentials): keeps one user's credentials
 * and hands back valid ones, renewing them with the refresh token. Each
 * method is the C function of the same name; see auth0.h.
 */
class credentials {
  public:
    /** auth0_credentials_new: `storage_json` empty means memory. */
    credentials(const webauth &web, std::string_view storage_json = {}) {
        detail::c_options storage(storage_json);
        char *error_json = nullptr;
        auth0_status status = auth0_credentials_new(web.get(), storage.get(), &handle_, &error_json);
        std::string json = detail::take(error_json);
        if (status != AUTH0_OK) {
            handle_ = nullptr;
            throw error(status, std::move(json));
        }
    }
    /**
     * auth0_credentials_new_with_host_store over `store`, which the manager
     * shares (kept alive until the C library releases it). `name` names the
     * stored credential for the lock between handles on one store.
     */
    credentials(const webauth &web, std::shared_ptr<host_store> store, std::string_view name = "default") {
        if (!store) detail::throw_moved_from("the host_store");
        auto *kept = new std::shared_ptr<host_store>(std::move(store));
        std::string name_text(name);
        auth0_host_store c{};
        c.user_data = kept;
        c.load = &load_trampoline;
        c.save = &save_trampoline;
        c.remove = &remove_trampoline;
        c.release = &release_trampoline;
        c.name = name_text.c_str();
        char *error_json = nullptr;
        // The C library calls `release` (deleting `kept`) on failure too.
        auth0_status status = auth0_credentials_new_with_host_store(web.get(), &c, &handle_, &error_json);
        std::string json = detail::take(error_json);
        if (status != AUTH0_OK) {
            handle_ = nullptr;
            throw error(status, std::move(json));
        }
    }
    ~credentials() { auth0_credentials_free(handle_); }
    credentials(credentials &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    credentials &operator=(credentials &&other) noexcept {
        if (this != &other) {
            auth0_credentials_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    credentials(const credentials &) = delete;
    credentials &operator=(const credentials &) = delete;

    /** The C handle (owned by this object), or null when moved from. */
    const auth0_credentials *get() const noexcept { return handle_; }

    /** auth0_credentials_save with an authResult JSON. */
    void save(std::string_view authresult_json) const {
        detail::c_options c(authresult_json);
        char *error_json = nullptr;
        auth0_status status = auth0_credentials_save(checked(), c.get(), &error_json);
        detail::result(status, error_json);
    }
    /** auth0_credentials_get: the credentials JSON. */
    std::string get_credentials(std::string_view options = {}) const {
        detail::c_options c(options);
        char *out = nullptr;
        auth0_status status = auth0_credentials_get(checked(), c.get(), &out);
        return detail::result(status, out);
    }
    /** auth0_credentials_has_valid. */
    bool has_valid(std::uint64_t min_ttl_secs = 0) const {
        int valid = 0;
        char *error_json = nullptr;
        auth0_status status = auth0_credentials_has_valid(checked(), min_ttl_secs, &valid, &error_json);
        detail::result(status, error_json);
        return valid != 0;
    }
    /** auth0_credentials_user: the claims JSON, or "null". */
    std::string user() const {
        char *out = nullptr;
        auth0_status status = auth0_credentials_user(checked(), &out);
        return detail::result(status, out);
    }
    /** auth0_credentials_clear: `{"revoke": true}` unless told otherwise. */
    void clear(std::string_view options = {}) const {
        detail::c_options c(options);
        char *error_json = nullptr;
        auth0_status status = auth0_credentials_clear(checked(), c.get(), &error_json);
        detail::result(status, error_json);
    }

  private:
    const auth0_credentials *checked() const {
        if (!handle_) detail::throw_moved_from("auth0::credentials");
        return handle_;
    }
    static host_store &store_of(void *user_data) noexcept {
        return **static_cast<std::shared_ptr<host_store> *>(user_data);
    }
    // An exception must not unwind through the C library: it becomes the
    // callback's failure and its message.
    static int failed(auth0_host_store_reply *reply) noexcept {
        try {
            throw;
        } catch (const std::exception &e) {
            auth0_host_store_set_error(reply, e.what());
        } catch (...) {
            auth0_host_store_set_error(reply, "the host store threw a non-std exception");
        }
        return 1;
    }
    static int load_trampoline(void *user_data, auth0_host_store_reply *reply) noexcept {
        try {
            auto blob = store_of(user_data).load();
            if (blob && auth0_host_store_set(reply, blob->data(), blob->size()) != AUTH0_OK) return 1;
            return 0;
        } catch (...) {
            return failed(reply);
        }
    }
    static int save_trampoline(void *user_data, const std::uint8_t *blob, std::size_t len,
                               auth0_host_store_reply *reply) noexcept {
        try {
            store_of(user_data).save(blob, len);
            return 0;
        } catch (...) {
            return failed(reply);
        }
    }
    static int remove_trampoline(void *user_data, auth0_host_store_reply *reply) noexcept {
        try {
            store_of(user_data).remove();
            return 0;
        } catch (...) {
            return failed(reply);
        }
    }
    static void release_trampoline(void *user_data) noexcept {
        delete static_cast<std::shared_ptr<host_store> *>(user_data);
    }

    auth0_credentials *handle_ = nullptr;
};

}  // namespace auth0

#endif /* AUTH0_NATIVE_HPP */
