// The small harness of the C++ tests (tests/cpp/run.sh): CHECK macros, the
// pass/fail counters and run(), which catches what a test throws. Each test
// file includes it once, so its anonymous namespace is that file's own.
#pragma once

#include "auth0.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <string>

namespace {

int passed = 0, failed = 0;
bool current_ok = true;

void fail_at(const char *file, int line, const std::string &what) {
    std::fprintf(stderr, "    %s:%d: %s\n", file, line, what.c_str());
    current_ok = false;
}
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) fail_at(__FILE__, __LINE__, "CHECK(" #cond ") failed");                        \
    } while (0)
#define CHECK_CONTAINS(text, part)                                                                 \
    do {                                                                                           \
        const std::string text_ = (text), part_ = (part);                                          \
        if (text_.find(part_) == std::string::npos)                                                \
            fail_at(__FILE__, __LINE__, "\"" + part_ + "\" not in " + text_);                      \
    } while (0)
// `expr` must throw auth0::error with `want` status; `e` names it in `then`.
#define CHECK_THROWS_AUTH0(expr, want, then)                                                       \
    do {                                                                                           \
        try {                                                                                      \
            (void)(expr);                                                                          \
            fail_at(__FILE__, __LINE__, #expr " did not throw");                                   \
        } catch (const auth0::error &e) {                                                          \
            if (e.status() != (want))                                                              \
                fail_at(__FILE__, __LINE__,                                                        \
                        std::string(#expr " threw ") + auth0::status_name(e.status()) + ": " +     \
                            e.json());                                                             \
            then;                                                                                  \
        }                                                                                          \
    } while (0)

void run(const char *name, const std::function<void()> &test) {
    current_ok = true;
    try {
        test();
    } catch (const auth0::error &e) {
        fail_at(__FILE__, __LINE__, std::string("unexpected auth0::error ") + e.what() + " " + e.json());
    } catch (const std::exception &e) {
        fail_at(__FILE__, __LINE__, std::string("unexpected exception: ") + e.what());
    }
    if (current_ok) {
        ++passed;
        if (!std::getenv("HARNESS_QUIET")) std::printf("  ok   %s\n", name);
    } else {
        ++failed;
        std::printf("  FAIL %s\n", name);
    }
    std::fflush(stdout);
}
}  // namespace
