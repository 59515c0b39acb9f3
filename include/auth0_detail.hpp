/*
 * The internals of auth0.hpp (namespace auth0::detail): the status names,
 * ownership of the C library's strings, the options' NUL-terminated copy
 * and the reader of the error JSON. Not an API: include <auth0.hpp>.
 */
#ifndef AUTH0_NATIVE_DETAIL_HPP
#define AUTH0_NATIVE_DETAIL_HPP

#include "auth0.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace auth0 {

namespace detail {

/* A stand-in for the C library's auth0_status_name, for headers that do
 * not declare it yet. The call in status_name() below is unqualified, so
 * argument-dependent lookup also finds ::auth0_status_name(auth0_status)
 * when auth0.h declares it, and that exact match beats this one (which
 * needs a user-defined conversion). */
struct status_arg {
    auth0_status value;
    status_arg(auth0_status v) noexcept : value(v) {}  // NOLINT: implicit on purpose
};
inline const char *auth0_status_name(status_arg s) noexcept {
    switch (s.value) {
    case AUTH0_OK: return "AUTH0_OK";
    case AUTH0_ERROR_INVALID_ARGUMENT: return "AUTH0_ERROR_INVALID_ARGUMENT";
    case AUTH0_ERROR_NETWORK: return "AUTH0_ERROR_NETWORK";
    case AUTH0_ERROR_TIMEOUT: return "AUTH0_ERROR_TIMEOUT";
    case AUTH0_ERROR_SERVER: return "AUTH0_ERROR_SERVER";
    case AUTH0_ERROR_INVALID_TOKEN: return "AUTH0_ERROR_INVALID_TOKEN";
    case AUTH0_ERROR_AUTHORIZATION: return "AUTH0_ERROR_AUTHORIZATION";
    case AUTH0_ERROR_CANCELLED: return "AUTH0_ERROR_CANCELLED";
    case AUTH0_ERROR_STORAGE: return "AUTH0_ERROR_STORAGE";
    case AUTH0_ERROR_INTERNAL: return "AUTH0_ERROR_INTERNAL";
    case AUTH0_PENDING: return "AUTH0_PENDING";
    case AUTH0_ERROR_CREDENTIALS: return "AUTH0_ERROR_CREDENTIALS";
    }
    return "AUTH0_ERROR_UNKNOWN";
}
inline const char *status_name(auth0_status s) noexcept { return auth0_status_name(s); }

/* Takes ownership of a string the C library returned. */
inline std::string take(char *s) {
    struct releaser {
        char *p;
        ~releaser() { auth0_string_free(p); }
    } guard{s};
    return s ? std::string(s) : std::string();
}

/* A NUL-terminated copy of `options`, or nothing for an empty view. */
class c_options {
  public:
    explicit c_options(std::string_view options) : empty_(options.empty()), text_(options) {}
    const char *get() const noexcept { return empty_ ? nullptr : text_.c_str(); }

  private:
    bool empty_;
    std::string text_;
};

/* A minimal reader of the error JSON (a flat object of strings, numbers,
 * null, and the server's `original` answer, which is skipped): the value of
 * one top-level member, if it is a string or a number. */
class json_reader {
  public:
    explicit json_reader(std::string_view text) noexcept : s_(text) {}

    std::optional<std::string> member_string(std::string_view key) {
        std::optional<std::string> out;
        find(key, [&] {
            std::string value;
            if (peek() == '"' && string(value)) out = std::move(value);
        });
        return out;
    }

    std::optional<long> member_integer(std::string_view key) {
        std::optional<long> out;
        find(key, [&] {
            std::size_t start = i_;
            if (peek() == '-') ++i_;
            long n = 0;
            bool digits = false;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9' && n < 100000000L) {
                n = n * 10 + (s_[i_++] - '0');
                digits = true;
            }
            if (digits) out = s_[start] == '-' ? -n : n;
        });
        return out;
    }

  private:
    template <class F> void find(std::string_view key, F &&read_value) {
        i_ = 0;
        ws();
        if (!eat('{')) return;
        for (;;) {
            ws();
            std::string name;
            if (peek() != '"' || !string(name)) return;
            ws();
            if (!eat(':')) return;
            ws();
            if (name == key) {
                read_value();
                return;
            }
            if (!skip_value()) return;
            ws();
            if (!eat(',')) return;
        }
    }
    char peek() const noexcept { return i_ < s_.size() ? s_[i_] : '\0'; }
    bool eat(char c) noexcept {
        if (peek() != c) return false;
        ++i_;
        return true;
    }
    void ws() noexcept {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }
    static void utf8(std::string &out, unsigned long cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(unsigned long &cp) noexcept {
        if (s_.size() - i_ < 4) return false;
        cp = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s_[i_++];
            cp <<= 4;
            if (c >= '0' && c <= '9') cp |= static_cast<unsigned long>(c - '0');
            else if (c >= 'a' && c <= 'f') cp |= static_cast<unsigned long>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') cp |= static_cast<unsigned long>(c - 'A' + 10);
            else return false;
        }
        return true;
    }
    /* A JSON string at i_, decoded into `out`. */
    bool string(std::string &out) {
        if (!eat('"')) return false;
        while (i_ < s_.size()) {
            char c = s_[i_++];
            if (c == '"') return true;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) return false;
            char e = s_[i_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned long cp = 0, low = 0;
                if (!hex4(cp)) return false;
                if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(i_, 2) == "\\u") {
                    i_ += 2;
                    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                utf8(out, cp);
                break;
            }
            default: return false;
            }
        }
        return false;
    }
    /* Any JSON value at i_ (nesting counted, strings honoured). */
    bool skip_value() {
        int depth = 0;
        do {
            ws();
            char c = peek();
            if (c == '"') {
                std::string ignored;
                if (!string(ignored)) return false;
            } else if (c == '{' || c == '[') {
                ++depth;
                ++i_;
            } else if (c == '}' || c == ']') {
                if (depth == 0) return false;
                --depth;
                ++i_;
            } else if (c == ',' || c == ':') {
                if (depth == 0) return false;
                ++i_;
            } else if (c == '\0') {
                return false;
            } else {
                while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' &&
                       s_[i_] != ' ' && s_[i_] != '\n' && s_[i_] != '\r' && s_[i_] != '\t')
                    ++i_;
            }
        } while (depth > 0);
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace detail

}  // namespace auth0

#endif /* AUTH0_NATIVE_DETAIL_HPP */
