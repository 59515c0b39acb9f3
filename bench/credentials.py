"""credentials() served from storage, per call, from Python: a memory and an
encrypted-file store holding a valid access token, so no call touches the
network (the handle's domain is a closed port on 127.0.0.1). Prints one
FIGURE line per backend (ns per call).

    python bench/credentials.py [CALLS] [DIR]
"""

import sys
import time

import auth0_native

CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
DIR = sys.argv[2] if len(sys.argv) > 2 else "/tmp"

RESULT = {
    "access_token": "a" * 759,
    "refresh_token": "v1." + "r" * 79,
    "token_type": "Bearer",
    "expires_in": 3600,
    "scope": "openid profile email offline_access",
    "id_token_payload": {"sub": "auth0|6f00", "email": "dev@example.com", "name": "Dev"},
}


def bench(name: str, storage: object, calls: int) -> None:
    web = auth0_native.WebAuth(domain="http://127.0.0.1:9", client_id="abc")
    manager = auth0_native.CredentialsManager(web, storage)
    manager.save(RESULT)
    for _ in range(calls // 10):
        manager.credentials(min_ttl=60)
    started = time.perf_counter_ns()
    for _ in range(calls):
        manager.credentials(min_ttl=60)
    print(f"FIGURE credentials_get_{name}_python_ns {(time.perf_counter_ns() - started) / calls:.0f}")


bench("memory", None, CALLS)
bench(
    "file",
    {"type": "file", "path": f"{DIR}/auth0-bench-credentials-py.bin", "key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"},
    CALLS // 10,
)
