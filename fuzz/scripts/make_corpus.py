#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (fuzz/corpus/<target>/).

    python3 fuzz/scripts/make_corpus.py DEV_TENANT_DOMAIN

Seeds: the fixture's option objects and URLs (tests/fixtures/
authorize_urls.json), real tokens of the dev tenant (/__dev/sign: a valid
one, an expired one, HS256, alg none) inside callbacks, and hand-written
HTML forms and loopback requests. Each file is small; the names are the
seeds' sha1, so running it again adds nothing twice.
"""

import hashlib
import json
import pathlib
import sys
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fuzz" / "corpus"


def put(target: str, data: bytes) -> None:
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def sign(domain: str, body: dict) -> str:
    req = urllib.request.Request(
        f"{domain}/__dev/sign",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["token"]


def main() -> None:
    domain = sys.argv[1]
    fixture = json.loads((ROOT / "tests/fixtures/authorize_urls.json").read_text())
    tokens = [
        sign(domain, {"claims": {}}),
        sign(domain, {"claims": {"nonce": "n-1", "exp": 1}}),
        sign(domain, {"header": {"alg": "HS256"}, "secret": "s3cret", "claims": {}}),
        sign(domain, {"key": "none", "header": {"alg": "none"}}),
        sign(domain, {"claims": {"aud": ["a", "b"], "azp": "a", "auth_time": 0}}),
    ]
    for t in tokens:
        put("id_token", t.encode())
        put("callback", f"#access_token=at&id_token={t}&state=s1&token_type=Bearer".encode())
    urls = [c["raw"] for c in fixture["url_cases"] if c.get("raw")]
    for u in urls[:6]:
        put("callback", u.encode())
    put("callback", b"http://127.0.0.1:7777/callback?code=abc&state=xyz&iss=http%3A%2F%2Fx%2F")
    put("callback", b"#error=access_denied&error_description=No+way%21&state=s1")
    put("callback", b"?/code=a%20b&state=%E2%82%AC&state=dup")

    for case in fixture["url_cases"][:8] + fixture["constructor_errors"][:6]:
        put("options_new", json.dumps(case["webauth"]).encode())
    put(
        "options_new",
        json.dumps(
            {
                "domain": "me.auth0.com",
                "clientID": "abc",
                "timeout": 5000,
                "retry": {"maxAttempts": 2, "baseDelayMs": 10},
                "transaction": {"store": "file", "path": "tx.json", "ttl": 60},
                "caPem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "overrides": {"__tenant": "t", "__token_issuer": "https://i/"},
                "leeway": 60,
                "token": "mgmt",
            }
        ).encode(),
    )

    op_options = [
        {"responseType": "code", "state": "s", "nonce": "n", "scope": "openid"},
        {"username": "a@b.c", "password": "p", "realm": "Username-Password-Authentication"},
        {"hash": tokens and f"#id_token={tokens[0]}&state=s", "state": "s", "nonce": "n"},
        {"connection": "email", "send": "code", "email": "a@b.c", "authParams": {"scope": "openid"}},
        {"connection": "sms", "phoneNumber": "+15550001111", "verificationCode": "123456"},
        {"device_code": "dc", "interval": 0, "expires_in": 5, "timeout": 100},
        {"userId": "auth0|1", "provider": "auth0", "identityUserId": "2"},
        {"connection": "Username-Password-Authentication", "email": "a@b.c", "password": "p",
         "user_metadata": {"k": "v"}},
        {"returnTo": "http://127.0.0.1/", "federated": True},
    ]
    for i, o in enumerate(op_options):
        body = json.dumps(o).encode()
        put("options_ops", bytes([i * 3 % 22]) + body)
        put("options_ops", bytes([(i * 5 + 1) % 22]) + body)
        put("c_api", bytes([i * 3 % 27, 0]) + body)
        put("c_api", bytes([(i * 7 + 2) % 27, i % 16]) + body)
    put("options_ops", bytes([4]) + json.dumps("access-token").encode())
    put("c_api", bytes([24, 0]) + json.dumps(fixture["url_cases"][0]["webauth"]).encode())
    put("c_api", bytes([25, 0]) + b'{"domain":"me.auth0.com","token":"t"}')
    put("c_api", bytes([3, 0]) + b'{"username":"\xff\xfe"}')

    put(
        "html_form",
        b'<html><body><form method="post" name="hiddenform" action="http://127.0.0.1:3850/login/callback">'
        b'<input type="hidden" name="wa" value="wsignin1.0">'
        b'<input type="hidden" name="wresult" value="eyJhbGciOi.x.y">'
        b'<input type="hidden" name="wctx" value="{&#34;strategy&#34;:&#34;auth0&#34;,&#34;state&#34;:&#34;s&#34;}">'
        b'<noscript><input type="submit" value="Continue"></noscript></form></body></html>',
    )
    put(
        "html_form",
        b"<FORM ACTION='/cb' METHOD=POST><INPUT NAME=code VALUE=abc><input name=state value='a&amp;b&#x41;&lt;'>"
        b"<input type=image name=i><input name=\"q\" value=\"&#1114112;&#0;&bogus;\"></FORM>",
    )
    put("html_form", b"<formx><form><input name=a value=\"unterminated")

    for req in [
        b"GET /callback?code=abc&state=fuzz-state HTTP/1.1\r\nHost: 127.0.0.1:1234\r\n\r\n",
        b"GET /callback HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"POST /callback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 31\r\n\r\ncode=abc&state=fuzz-state&x=%41",
        b"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil\r\n\r\n",
        b"PUT /callback?state=fuzz-state HTTP/1.1\r\nHost: [::1]\r\nContent-Length: 99999999\r\n\r\n",
    ]:
        put("loopback_request", req)

    for seed in [b"", b"\x00" * 64, bytes(range(256)), b"RS256" * 20]:
        put("hostile_token", seed)


if __name__ == "__main__":
    main()
