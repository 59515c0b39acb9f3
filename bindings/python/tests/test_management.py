"""auth0_native.Management against the dev tenant's Management API subset."""

import time

import pytest

import auth0_native
from conftest import make_web
from tenant import SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_ID
from tenant import DevTenant

SCOPES = "openid read:current_user update:current_user_metadata update:current_user_identities"


def management_for(
    tenant: DevTenant, email: str = "", password: str = ""
) -> auth0_native.Management:
    """A Management client with a token of ``email`` (the test user by default)."""
    r = make_web(tenant).client.login(
        username=email or tenant.username,
        password=password or tenant.password,
        realm=tenant.connection,
        audience=tenant.management_audience,
        scope=SCOPES,
    )
    assert r["access_token"] is not None
    return auth0_native.Management(domain=tenant.domain, token=r["access_token"])


def test_get_user_returns_the_profile_as_sent(tenant: DevTenant) -> None:
    user = management_for(tenant).get_user(TEST_USER_ID)
    assert user["user_id"] == TEST_USER_ID
    assert user["email"] == tenant.username
    assert user["email_verified"] is True
    assert user["identities"][0]["provider"] == "auth0"


def test_patch_user_metadata_merges_top_level_keys_and_keeps_nested_keys(
    fresh_tenant: DevTenant,
) -> None:
    m = management_for(fresh_tenant)
    m.patch_user_metadata(TEST_USER_ID, {"theme": "dark", "drop_me": 1})
    user = m.patch_user_metadata(
        TEST_USER_ID, {"drop_me": None, "prefs": {"fontSize": 14, "dark_mode": True}}
    )
    assert user["user_metadata"] == {"theme": "dark", "prefs": {"fontSize": 14, "dark_mode": True}}
    assert m.get_user(TEST_USER_ID)["user_metadata"] == user["user_metadata"]


def test_patch_user_metadata_needs_a_dict(tenant: DevTenant) -> None:
    m = auth0_native.Management(domain=tenant.domain, token="t")
    with pytest.raises(auth0_native.InvalidArgumentError, match="userMetadata"):
        m.patch_user_metadata(TEST_USER_ID, ["not", "a", "dict"])  # type: ignore[arg-type]


def test_a_bad_token_is_a_401(tenant: DevTenant) -> None:
    m = auth0_native.Management(domain=tenant.domain, token="not-a-token")
    with pytest.raises(auth0_native.ServerError) as caught:
        m.get_user(TEST_USER_ID)
    assert caught.value.status_code == 401
    assert "not-a-token" not in str(caught.value) and "not-a-token" not in repr(caught.value)


def test_another_users_profile_is_a_403(tenant: DevTenant) -> None:
    with pytest.raises(auth0_native.ServerError) as caught:
        management_for(tenant).get_user(SECOND_USER_ID)
    assert caught.value.status_code == 403
    assert caught.value.original is not None
    assert caught.value.original["errorCode"] == "insufficient_scope"


def test_a_user_that_does_not_exist_is_a_404(tenant: DevTenant) -> None:
    token = tenant.sign({"sub": "auth0|ghost", "aud": tenant.management_audience, "scope": SCOPES})
    m = auth0_native.Management(domain=tenant.domain, token=token)
    with pytest.raises(auth0_native.ServerError) as caught:
        m.get_user("auth0|ghost")
    assert caught.value.status_code == 404


def test_a_429_asking_for_a_day_is_rate_limited_at_once(fresh_tenant: DevTenant) -> None:
    m = management_for(fresh_tenant)
    fresh_tenant.fault(path="/api/v2/users", status=429, retry_after=86400)
    began = time.monotonic()
    with pytest.raises(auth0_native.ServerError) as caught:
        m.get_user(TEST_USER_ID)
    assert time.monotonic() - began < 5, "not slept"
    assert caught.value.status_code == 429
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after == 86400


def test_a_503_is_retried_by_default_and_not_with_retry_false(fresh_tenant: DevTenant) -> None:
    m = management_for(fresh_tenant)
    fresh_tenant.fault(path="/api/v2/users", status=503)
    assert m.get_user(TEST_USER_ID)["user_id"] == TEST_USER_ID
    assert len(fresh_tenant.requests("/api/v2/users")) == 2
    token = fresh_tenant.sign(
        {"sub": TEST_USER_ID, "aud": fresh_tenant.management_audience, "scope": SCOPES}
    )
    off = auth0_native.Management(domain=fresh_tenant.domain, token=token, retry=False)
    fresh_tenant.fault(path="/api/v2/users", status=503)
    with pytest.raises(auth0_native.ServerError) as caught:
        off.get_user(TEST_USER_ID)
    assert caught.value.status_code == 503
    assert len(fresh_tenant.requests("/api/v2/users")) == 3


def test_an_html_page_answered_200_is_an_invalid_response(fresh_tenant: DevTenant) -> None:
    m = management_for(fresh_tenant)
    fresh_tenant.fault(path="/api/v2/users", body="<html><body>Airport Wi-Fi</body></html>")
    with pytest.raises(auth0_native.ServerError) as caught:
        m.get_user(TEST_USER_ID)
    assert (caught.value.code, caught.value.status_code) == ("invalid_response", 200)


def test_a_dripping_answer_ends_at_the_timeout(fresh_tenant: DevTenant) -> None:
    token = fresh_tenant.sign(
        {"sub": TEST_USER_ID, "aud": fresh_tenant.management_audience, "scope": SCOPES}
    )
    m = auth0_native.Management(domain=fresh_tenant.domain, token=token, timeout=1.0)
    fresh_tenant.fault(path="/api/v2/users", drip_ms=400)
    began = time.monotonic()
    with pytest.raises(auth0_native.Auth0TimeoutError):
        m.get_user(TEST_USER_ID)
    assert time.monotonic() - began < 1.0 + 2.5, "the deadline plus a margin"


def test_an_overlong_user_id_is_refused_naming_it(tenant: DevTenant) -> None:
    m = auth0_native.Management(domain=tenant.domain, token="t")
    with pytest.raises(auth0_native.InvalidArgumentError, match="userId parameter is not valid"):
        m.get_user("a" * (10 * 1024 * 1024))


def test_retry_waits_out_a_429(fresh_tenant: DevTenant) -> None:
    token = fresh_tenant.sign(
        {"sub": TEST_USER_ID, "aud": fresh_tenant.management_audience, "scope": SCOPES}
    )
    m = auth0_native.Management(domain=fresh_tenant.domain, token=token, retry=True)
    fresh_tenant.fault(path="/api/v2/users", status=429, retry_after=1)
    began = time.monotonic()
    assert m.get_user(TEST_USER_ID)["user_id"] == TEST_USER_ID
    assert time.monotonic() - began >= 0.9


def test_link_then_unlink_a_second_account(fresh_tenant: DevTenant) -> None:
    primary = management_for(fresh_tenant)
    secondary = make_web(fresh_tenant).client.login(
        username=SECOND_USER_EMAIL, password=SECOND_USER_PASSWORD, realm=fresh_tenant.connection
    )
    assert secondary["id_token"] is not None
    identities = primary.link_user(TEST_USER_ID, secondary["id_token"])
    assert [i["user_id"] for i in identities] == [
        TEST_USER_ID.split("|")[1],
        SECOND_USER_ID.split("|")[1],
    ]
    remaining = primary.unlink_user(TEST_USER_ID, "auth0", SECOND_USER_ID.split("|")[1])
    assert [i["user_id"] for i in remaining] == [TEST_USER_ID.split("|")[1]]


def test_construction_needs_a_token() -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match=r"^token option is required$"):
        auth0_native.Management(domain="me.auth0.com")  # type: ignore[call-arg]


def test_repr_shows_the_domain_and_never_the_token() -> None:
    m = auth0_native.Management(domain="me.auth0.com", token="s3cr3t-token")
    assert repr(m) == 'Management(domain="me.auth0.com")'
    assert m.domain == "me.auth0.com"


def test_management_is_final_and_frozen() -> None:
    m = auth0_native.Management(domain="me.auth0.com", token="t")
    with pytest.raises(TypeError):
        type("Sub", (auth0_native.Management,), {})
    with pytest.raises(AttributeError):
        m.domain = "other"  # type: ignore[misc]
