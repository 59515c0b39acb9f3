"""Instructions per Python call, for callgrind (deterministic on a loaded
machine): the calls of bench/python_bench.py's parse_hash and
validate_id_token, N times, against a dev tenant on 127.0.0.1.

  AUTH0_BENCH_DOMAIN=http://127.0.0.1:PORT AUTH0_BENCH_CLIENT_ID=... \
  valgrind --tool=callgrind --separate-threads=yes python3 bench/python_profile.py OP N

OP is parse_hash or validate; (Ir of the main thread with N calls − Ir
with 0 calls) / N is the cost of one call from Python, module and core;
minus the core's own count (`bench/profile.sh`) it is what the module
adds, nearly all of it with the GIL held. Only the standard library and
auth0_native are imported.
"""

import base64
import hashlib
import json
import os
import sys
import time
import urllib.request

import auth0_native

DOMAIN = os.environ["AUTH0_BENCH_DOMAIN"]
CLIENT_ID = os.environ["AUTH0_BENCH_CLIENT_ID"]
NONCE = "bench-nonce-0123456789abcdef"
ACCESS_TOKEN = "bench-access-token-0123456789abcdefghijklmnopqrstuvwxyz"
SCOPE = "openid profile email"


def at_hash(token):
    return base64.urlsafe_b64encode(hashlib.sha256(token.encode()).digest()[:16]).rstrip(b"=").decode()


def mint():
    """The token of bench/python_bench.py (same claims)."""
    now = int(time.time())
    claims = {"nonce": NONCE, "at_hash": at_hash(ACCESS_TOKEN), "iat": now - 5, "auth_time": now - 5,
              "exp": now + 3600, "name": "Dev User", "nickname": "dev", "email": "dev@example.com",
              "email_verified": True, "picture": "https://example.com/dev.png",
              "updated_at": "2024-01-01T00:00:00.000Z"}
    req = urllib.request.Request(DOMAIN + "/__dev/sign", data=json.dumps({"claims": claims}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["token"]


def main():
    op, n = sys.argv[1], int(sys.argv[2])
    token = mint()
    hash_ = (f"http://127.0.0.1/callback#access_token={ACCESS_TOKEN}&id_token={token}&token_type=Bearer"
             f"&expires_in=7200&scope=openid%20profile%20email&state=caller-state")
    web = auth0_native.WebAuth(domain=DOMAIN, client_id=CLIENT_ID, redirect_uri="http://127.0.0.1/callback",
                               response_type="id_token token", scope=SCOPE)
    calls = {
        "parse_hash": lambda: web.parse_hash(hash=hash_, state="caller-state", nonce=NONCE),
        "validate": lambda: web.validate_id_token(token, nonce=NONCE, access_token=ACCESS_TOKEN),
    }
    f = calls[op]
    f()  # the JWKS fetch, and a check that the call works
    f()
    for _ in range(n):
        f()


if __name__ == "__main__":
    main()
