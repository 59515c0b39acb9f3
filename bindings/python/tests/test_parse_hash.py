"""parse_hash and validate_id_token against the dev tenant."""

import base64
import json
import time

import pytest

import auth0_native
from conftest import WebFor
from tenant import TEST_USER_ID, Browser, DevTenant


def callback_of(tenant: DevTenant, url: str) -> str:
    """Where the tenant sends the browser after a login on the hosted page for ``url``."""
    return Browser().log_in_to_location(url, tenant.username, tenant.password)


def test_parse_hash_exchanges_the_code_and_returns_the_auth_result(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    request = web.authorize_request(pkce=True)
    result = web.parse_hash(callback_of(tenant, request["url"]))
    assert result is not None
    assert result["state"] == request["state"]
    assert result["access_token"]
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["sub"] == TEST_USER_ID


def test_parse_hash_takes_the_hash_as_a_keyword_too(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of(response_type="token id_token")
    callback = callback_of(tenant, web.authorize())
    assert "#" in callback
    result = web.parse_hash(hash="#" + callback.split("#", 1)[1])
    assert result is not None and result["id_token"]


def test_app_state_comes_back_with_its_keys_as_given(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    app_state = {"returnTo": "/inbox", "nested_key": {"innerKey": [1, {"deepKey": True}]}}
    url = web.authorize(app_state=app_state)
    result = web.parse_hash(callback_of(tenant, url))
    assert result is not None
    assert result["app_state"] == app_state


def test_parse_hash_without_tokens_or_code_is_none(web_of: WebFor) -> None:
    assert web_of().parse_hash("#foo=bar") is None


def test_an_error_fragment_is_an_authorization_error_with_its_state(web_of: WebFor) -> None:
    web = web_of()
    web.authorize_request(state="st4te")
    with pytest.raises(auth0_native.AuthorizationError) as caught:
        web.parse_hash("#error=access_denied&error_description=User%20cancelled&state=st4te")
    e = caught.value
    assert (e.code, e.description, e.state) == ("access_denied", "User cancelled", "st4te")
    assert (e.error, e.error_description) == ("access_denied", "User cancelled")


def test_a_state_nobody_recorded_is_an_invalid_token_error(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.InvalidTokenError, match="^`state` does not match.$"):
        web_of().parse_hash("#access_token=x&state=unknown")


def test_parse_hash_is_single_use(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    callback = callback_of(tenant, web.authorize())
    assert web.parse_hash(callback) is not None
    with pytest.raises(auth0_native.InvalidTokenError):
        web.parse_hash(callback)


def test_validate_id_token_returns_the_claims(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    r = web.client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    assert r["id_token"] is not None
    claims = web.validate_id_token(r["id_token"], access_token=r["access_token"])
    assert claims == r["id_token_payload"]


def test_the_claims_dict_is_the_token_s_payload_key_for_key_in_its_order(
    tenant: DevTenant, web_of: WebFor
) -> None:
    extra = {"name": "Ann", "custom": 1, "email_verified": False, "sid": "s", "amr": ["pwd"]}
    token = tenant.sign(extra)
    claims = web_of().validate_id_token(token)
    part = token.split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    assert list(claims) == list(payload)
    assert claims == payload
    # Twice: the second dict is built with the same (cached) key strings.
    assert list(web_of().validate_id_token(token)) == list(payload)


def test_validate_id_token_keeps_custom_claim_names(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"https://example.com/roles": ["admin"], "camelClaim": {"innerKey": 1}})
    claims = web_of().validate_id_token(token)
    assert claims["https://example.com/roles"] == ["admin"]
    assert claims["camelClaim"] == {"innerKey": 1}


def test_an_expired_tenant_signed_token_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    now = int(time.time())
    token = tenant.sign({"iat": now - 7200, "exp": now - 3600})
    with pytest.raises(auth0_native.InvalidTokenError, match=r"^Expired token\.$"):
        web_of().validate_id_token(token)


def test_a_nonce_other_than_expected_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"nonce": "theirs"})
    with pytest.raises(auth0_native.InvalidTokenError, match=r"^Nonce does not match\.$"):
        web_of().validate_id_token(token, nonce="mine")


def test_a_token_for_another_audience_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    token = tenant.sign({"aud": "someone-else"})
    with pytest.raises(auth0_native.InvalidTokenError):
        web_of().validate_id_token(token)


# ---- issue 11: the callback is bound to its transaction ------------------


def test_a_token_injected_into_a_code_pkce_login_is_refused(web_of: WebFor) -> None:
    web = web_of()
    request = web.authorize_request()
    assert "code_challenge" in request["url"]
    with pytest.raises(auth0_native.InvalidTokenError, match="`access_token`"):
        web.parse_hash(f"#access_token=X&state={request['state']}")


def test_an_id_token_injected_into_a_code_login_is_refused(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    request = web.authorize_request()
    forged = tenant.sign({"sub": "auth0|attacker"})
    with pytest.raises(auth0_native.InvalidTokenError):
        web.parse_hash(f"#id_token={forged}&state={request['state']}")


def test_an_error_answer_of_an_unknown_state_is_invalid_token(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.InvalidTokenError, match="^`state` does not match.$"):
        web_of().parse_hash("#error=access_denied&state=forged")


def test_a_duplicated_parameter_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    callback = callback_of(tenant, web.authorize())
    with pytest.raises(auth0_native.InvalidTokenError, match="repeats the `code` parameter"):
        web.parse_hash(callback + "&code=other")


def test_a_foreign_iss_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    callback = callback_of(tenant, web.authorize())
    with pytest.raises(auth0_native.InvalidTokenError, match="`iss`"):
        web.parse_hash(callback + "&iss=https%3A%2F%2Fevil.example%2F")


def test_error_text_is_bounded_and_free_of_control_characters(web_of: WebFor) -> None:
    web = web_of()
    state = web.authorize_request()["state"]
    with pytest.raises(auth0_native.AuthorizationError) as caught:
        web.parse_hash(f"#error=x&error_description=a%0Ab%1B{'y' * 3000}&state={state}")
    assert "\n" not in caught.value.description and "\x1b" not in caught.value.description
    assert len(caught.value.description) <= 513


def test_a_dropped_code_exchange_can_be_retried(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    callback = callback_of(tenant, web.authorize())
    tenant.fault(path="/oauth/token", drop=True)
    with pytest.raises(auth0_native.NetworkError):
        web.parse_hash(callback)
    result = web.parse_hash(callback)
    assert result is not None and result["access_token"]


def test_user_info_checks_the_sub_when_asked(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    r = web.client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    payload, access_token = r["id_token_payload"], r["access_token"]
    assert payload is not None and access_token is not None
    sub = payload["sub"]
    assert web.client.user_info(access_token, sub=sub)["sub"] == sub
    with pytest.raises(auth0_native.InvalidTokenError, match="`sub`"):
        web.client.user_info(access_token, sub="auth0|someone-else")
