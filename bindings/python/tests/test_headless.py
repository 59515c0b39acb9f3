"""The headless flows: login_with_credentials, the cross-origin login, renew_auth, logout."""

import time

import pytest

import auth0_native
from conftest import WebFor, make_web
from tenant import TEST_USER_ID, DevTenant


def test_redirect_login_with_credentials_returns_a_verified_auth_result(
    tenant: DevTenant, web_of: WebFor
) -> None:
    result = web_of().redirect.login_with_credentials(
        username=tenant.username, password=tenant.password, connection=tenant.connection
    )
    assert result["access_token"]
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["sub"] == TEST_USER_ID
    assert result["state"]


def test_popup_login_with_credentials_is_the_same_login(tenant: DevTenant, web_of: WebFor) -> None:
    result = web_of().popup.login_with_credentials(
        email=tenant.username, password=tenant.password, connection=tenant.connection
    )
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["sub"] == TEST_USER_ID


def test_login_with_credentials_and_a_wrong_password_is_a_server_error(
    tenant: DevTenant, web_of: WebFor
) -> None:
    secret = "Not-The-Passw0rd!"
    with pytest.raises(auth0_native.ServerError) as caught:
        web_of().redirect.login_with_credentials(
            username=tenant.username, password=secret, connection=tenant.connection
        )
    assert caught.value.status_code == 401
    assert secret not in str(caught.value) and secret not in repr(caught.value)


def test_cross_origin_login_returns_a_verified_auth_result(
    tenant: DevTenant, web_of: WebFor
) -> None:
    result = web_of().login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["sub"] == TEST_USER_ID


def test_cross_origin_login_with_a_wrong_password_is_access_denied(
    tenant: DevTenant, web_of: WebFor
) -> None:
    with pytest.raises(auth0_native.ServerError) as caught:
        web_of().login(username=tenant.username, password="Wr0ng-pass!", realm=tenant.connection)
    assert (caught.value.status_code, caught.value.code) == (403, "access_denied")


def test_cross_origin_login_without_a_password_is_refused_before_sending(
    fresh_tenant: DevTenant,
) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match="password option is required"):
        make_web(fresh_tenant).login(username=fresh_tenant.username, realm=fresh_tenant.connection)
    assert fresh_tenant.requests("/co/authenticate") == []


def test_renew_auth_is_bounded_by_its_timeout_when_the_jwks_drips(fresh_tenant: DevTenant) -> None:
    web = make_web(fresh_tenant, response_type="token")
    web.redirect.login_with_credentials(
        username=fresh_tenant.username,
        password=fresh_tenant.password,
        connection=fresh_tenant.connection,
    )
    fresh_tenant.fault(path="/.well-known/jwks.json", drip_ms=400, count=5)
    began = time.monotonic()
    with pytest.raises(auth0_native.Auth0TimeoutError) as caught:
        web.renew_auth(timeout=1.5, response_type="id_token", scope="openid")
    assert time.monotonic() - began < 1.5 + 2.5, "the bound plus a margin"
    assert caught.value.description == "Timeout during authentication renew."


def test_logout_without_headless_sends_nothing(fresh_tenant: DevTenant) -> None:
    make_web(fresh_tenant).logout(return_to="http://127.0.0.1/")
    assert fresh_tenant.requests("/v2/logout") == []


def test_renew_auth_without_a_session_is_login_required(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.AuthorizationError) as caught:
        web_of().renew_auth()
    assert caught.value.code == "login_required"


def test_renew_auth_after_login_with_credentials_uses_the_session(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    web.redirect.login_with_credentials(
        username=tenant.username, password=tenant.password, connection=tenant.connection
    )
    renewed = web.renew_auth(response_type="token id_token", scope="openid profile")
    assert renewed["access_token"]
    assert renewed["id_token_payload"] is not None
    assert renewed["id_token_payload"]["sub"] == TEST_USER_ID


def test_renew_auth_falls_back_to_the_refresh_token_of_client_login(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of(scope="openid offline_access")
    web.client.login(username=tenant.username, password=tenant.password, realm=tenant.connection)
    assert web.renew_auth()["access_token"]


def test_headless_logout_requests_the_logout_url_and_forgets_the_session(
    fresh_tenant: DevTenant,
) -> None:
    tenant = fresh_tenant
    web = make_web(tenant)
    web.redirect.login_with_credentials(
        username=tenant.username, password=tenant.password, connection=tenant.connection
    )
    url = web.logout(headless=True, return_to="http://127.0.0.1/")
    assert url.startswith(f"{tenant.domain}/v2/logout?")
    assert len(tenant.requests("/v2/logout")) == 1
    with pytest.raises(auth0_native.AuthorizationError) as caught:
        web.renew_auth()
    assert caught.value.code == "login_required"
