"""The id_token checks beyond auth0.js v8 (OpenID Connect Core 3.1.3.7, RFC 8725),
through the Python module: hostile tokens signed with the dev tenant's own key,
so only the check under test can refuse them."""

import base64
import json
from typing import Any, Dict, Tuple

import pytest

import auth0_native
from conftest import WebFor, make_web
from tenant import DevTenant


def b64(data: str) -> str:
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def unb64(segment: str) -> str:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode()


def sign(tenant: DevTenant, claims: Dict[str, Any], header: Dict[str, Any]) -> str:
    token: str = tenant.dev("POST", "sign", {"claims": claims, "header": header})["token"]
    return token


def sign_raw(tenant: DevTenant, signing_input: str) -> str:
    token: str = tenant.dev("POST", "sign", {"raw": signing_input})["token"]
    return token


def parts(tenant: DevTenant) -> Tuple[str, str]:
    """The header segment and the payload JSON text of a default token."""
    head, payload, _ = tenant.sign({}).split(".")
    return head, unb64(payload)


def refused(web: auth0_native.WebAuth, token: str) -> str:
    with pytest.raises(auth0_native.InvalidTokenError) as e:
        web.validate_id_token(token)
    return e.value.description


def test_raw_signing_makes_tokens_that_validate(tenant: DevTenant, web_of: WebFor) -> None:
    head, payload = parts(tenant)
    web_of().validate_id_token(sign_raw(tenant, f"{head}.{b64(payload)}"))


def test_a_token_without_sub_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"sub": None})
    assert refused(web_of(), token) == "Subject (sub) claim must be a string present in the ID token"


def test_azp_must_be_the_client_with_a_single_audience(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"azp": "another-client"})
    assert refused(web_of(), token) == (
        "Authorized Party (azp) claim mismatch in the ID token; "
        f'expected "{tenant.client_id}", found "another-client"'
    )


def test_exp_given_as_a_string_is_not_a_number(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"exp": "9999999999"})
    assert (
        refused(web_of(), token)
        == "Expiration Time (exp) claim must be a number present in the ID token"
    )


def test_nbf_given_as_a_string_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"nbf": "9999999999"})
    assert (
        refused(web_of(), token)
        == "Not Before (nbf) claim must be a number when present in the ID token"
    )


def test_auth_time_given_as_a_string_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"auth_time": "yesterday"})
    assert refused(web_of(), token) == (
        "Authentication Time (auth_time) claim must be a number when present in the ID token"
    )


def test_a_crit_header_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    token = sign(tenant, {}, {"crit": ["foo"], "foo": 1})
    assert refused(web_of(), token) == (
        "The ID token's header has a crit parameter; no critical extension is supported"
    )


def test_a_claim_given_twice_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    head, payload = parts(tenant)
    twice = payload.replace("{", '{"sub":"someone-else",', 1)
    token = sign_raw(tenant, f"{head}.{b64(twice)}")
    assert refused(web_of(), token) == "Duplicate claim sub in the ID token"


def test_a_padded_segment_is_malformed(tenant: DevTenant, web_of: WebFor) -> None:
    head, payload = parts(tenant)
    payload = payload.replace("{", '{"x":"",', 1)
    while len(payload) % 3 == 0:
        payload = payload.replace('"x":"', '"x":"y', 1)
    padded = base64.urlsafe_b64encode(payload.encode()).decode()
    assert padded.endswith("=")
    token = sign_raw(tenant, f"{head}.{padded}")
    assert refused(web_of(), token) == "Cannot decode a malformed JWT"


def test_a_huge_token_is_refused_before_decoding(fresh_tenant: DevTenant) -> None:
    header = b64("{" + " " * 750_000 + "}")
    token = f"{header}.e30.c2ln"
    assert len(token) > 1_000_000
    assert refused(make_web(fresh_tenant), token).startswith("The ID token is too large")
    assert fresh_tenant.requests("/.well-known/jwks.json") == []


@pytest.mark.parametrize("name", ["alg", "kid"])
def test_hostile_header_text_is_not_echoed(name: str, tenant: DevTenant, web_of: WebFor) -> None:
    token = sign(tenant, {}, {name: "\x1b[31m\r\n\x00" + "A" * 10_000})
    message = refused(web_of(), token)
    assert "AAAA" in message
    assert len(message) < 300
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in message), repr(message)


def test_a_failed_jwks_fetch_is_not_repeated_at_once(fresh_tenant: DevTenant) -> None:
    fresh_tenant.fault(path="/.well-known/jwks.json", status=503, count=50)
    web = make_web(fresh_tenant)
    token = fresh_tenant.sign({})
    with pytest.raises(auth0_native.Auth0Error) as first:
        web.validate_id_token(token)
    assert first.value.status_code == 503
    fetched = len(fresh_tenant.requests("/.well-known/jwks.json"))
    assert fetched >= 1
    with pytest.raises(auth0_native.Auth0Error) as second:
        web.validate_id_token(token)
    assert second.value.status_code == 503
    assert len(fresh_tenant.requests("/.well-known/jwks.json")) == fetched


def test_the_payload_comes_back_as_signed(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"z": 1, "a": {"nested": [1, 2]}})
    claims = web_of().validate_id_token(token)
    signed = json.loads(unb64(token.split(".")[1]))
    assert list(claims) == list(signed)
    assert claims == signed
