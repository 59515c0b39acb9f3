// The header must stay usable from C++ (cbindgen's cpp_compat): it compiles
// as C++17 with warnings as errors, and the functions link unmangled.
#include "auth0.h"

#include <cstdio>
#include <cstring>

int main() {
    const char *version = auth0_version();
    auth0_webauth *web = nullptr;
    char *error = nullptr;
    auth0_status status = auth0_webauth_new(nullptr, &web, &error);
    bool ok = version != nullptr && std::strlen(version) > 0 &&
              status == AUTH0_ERROR_INVALID_ARGUMENT && web == nullptr && error != nullptr;
    auth0_string_free(error);
    auth0_webauth_free(web);
    std::printf("c++: auth0.h compiles and links as C++17 (version %s)\n", version);
    return ok ? 0 : 1;
}
