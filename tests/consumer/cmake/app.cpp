// The C++ wrapper as a CMake user reaches it: auth0_native::auth0_native
// brings the include directory of auth0.hpp. Logs the dev tenant's user in.
#include <auth0.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

static std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

int main() {
    try {
        auth0::webauth web("{\"domain\":\"" + env("AUTH0_TEST_DOMAIN") + "\",\"clientID\":\"" +
                           env("AUTH0_TEST_CLIENT_ID") + "\",\"_sendTelemetry\":false}");
        std::string result = web.login("{\"username\":\"" + env("AUTH0_TEST_USERNAME") + "\",\"password\":\"" +
                                       env("AUTH0_TEST_PASSWORD") + "\",\"realm\":\"" +
                                       env("AUTH0_TEST_CONNECTION") + "\",\"scope\":\"openid email\"}");
        if (result.find("\"accessToken\":\"") == std::string::npos) return 1;
        std::printf("consumer: logged in as %s (C++, library %.*s)\n", env("AUTH0_TEST_USERNAME").c_str(),
                    static_cast<int>(auth0::version().size()), auth0::version().data());
        return auth0::version() == AUTH0_VERSION_STRING ? 0 : 1;
    } catch (const auth0::error &e) {
        std::fprintf(stderr, "consumer: %s\n", e.what());
        return 1;
    }
}
