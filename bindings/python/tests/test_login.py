"""client.login, client.user_info, client.passwordless_login against the dev tenant."""

import threading
import time
from typing import List

import pytest

import auth0_native
from conftest import WebFor
from tenant import TEST_USER_ID, DevTenant

# In the order of auth0.js's authResult (and of the C API's JSON).
AUTH_RESULT_KEYS = [
    "access_token",
    "id_token",
    "id_token_payload",
    "app_state",
    "refresh_token",
    "state",
    "expires_in",
    "token_type",
    "scope",
]


def test_login_returns_the_nine_snake_case_keys(tenant: DevTenant, web_of: WebFor) -> None:
    result = web_of().client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    assert list(result) == AUTH_RESULT_KEYS
    assert isinstance(result["access_token"], str) and result["access_token"]
    assert result["app_state"] is None and result["state"] is None
    assert result["token_type"] == "Bearer"
    assert isinstance(result["expires_in"], int)


def test_login_id_token_payload_keeps_the_claim_names_the_server_sent(
    tenant: DevTenant, web_of: WebFor
) -> None:
    result = web_of().client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    payload = result["id_token_payload"]
    assert payload is not None
    assert payload["sub"] == TEST_USER_ID
    assert payload["email_verified"] is True
    assert "auth_time" in payload and "at_hash" in payload


def test_login_with_offline_access_returns_a_refresh_token(
    tenant: DevTenant, web_of: WebFor
) -> None:
    result = web_of(scope="openid offline_access").client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    assert result["refresh_token"]


def test_wrong_password_is_a_403_invalid_grant_without_the_password(
    tenant: DevTenant, web_of: WebFor
) -> None:
    secret = "Wr0ng-Passw0rd-s3cr3t"
    with pytest.raises(auth0_native.ServerError) as caught:
        web_of().client.login(username=tenant.username, password=secret, realm=tenant.connection)
    e = caught.value
    assert (e.status_code, e.code) == (403, "invalid_grant")
    assert str(e) == "Wrong email or password."
    assert secret not in str(e) and secret not in repr(e)
    assert e.original == {"error": "invalid_grant", "error_description": "Wrong email or password."}


def test_login_without_a_realm_is_refused_before_sending(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match=r"^realm option is required$"):
        web_of().client.login(username="a@b.c", password="p")  # type: ignore[call-arg]


def test_user_info_returns_the_profile_as_sent(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    result = web.client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    assert result["access_token"] is not None
    profile = web.client.user_info(result["access_token"])
    assert profile["sub"] == TEST_USER_ID
    assert profile["email"] == tenant.username
    assert profile["email_verified"] is True


def test_user_info_with_a_bad_token_is_a_401(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.ServerError) as caught:
        web_of().client.user_info("not-a-token")
    assert caught.value.status_code == 401


def test_user_info_with_an_empty_token_is_refused(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match="accessToken"):
        web_of().client.user_info("")


def test_passwordless_login_exchanges_the_code_sent_by_email(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    email = "otp-login@example.com"
    web.passwordless_start(connection="email", send="code", email=email)
    result = web.client.passwordless_login(
        connection="email", email=email, verification_code=tenant.last_code(email)
    )
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["email"] == email


def test_passwordless_login_with_a_wrong_code_is_invalid_grant(web_of: WebFor) -> None:
    web = web_of()
    email = "otp-wrong@example.com"
    web.passwordless_start(connection="email", send="code", email=email)
    with pytest.raises(auth0_native.ServerError) as caught:
        web.client.passwordless_login(connection="email", email=email, verification_code="000000")
    assert (caught.value.status_code, caught.value.code) == (403, "invalid_grant")
    assert "000000" not in str(caught.value)


def test_two_threads_log_in_and_read_the_profile_on_one_handle(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    subjects: List[str] = []
    errors: List[BaseException] = []
    start = threading.Barrier(2)

    def work() -> None:
        try:
            start.wait(10)
            for _ in range(3):
                r = web.client.login(
                    username=tenant.username, password=tenant.password, realm=tenant.connection
                )
                assert r["access_token"] is not None
                subjects.append(web.client.user_info(r["access_token"])["sub"])
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert subjects == [TEST_USER_ID] * 6


def test_two_slow_calls_from_two_threads_overlap_in_time(tenant: DevTenant, web_of: WebFor) -> None:
    # Each /userinfo answer is held back 800 ms by the tenant; with the GIL
    # held during a call they would take 1.6 s one after the other.
    web = web_of()
    r = web.client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    token = r["access_token"]
    assert token is not None
    tenant.fault(path="/userinfo", latency_ms=800, count=2)
    start = threading.Barrier(3)
    subjects: List[str] = []

    def work() -> None:
        start.wait(10)
        subjects.append(web.client.user_info(token)["sub"])

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    start.wait(10)
    began = time.monotonic()
    for t in threads:
        t.join(30)
    assert subjects == [TEST_USER_ID] * 2
    assert time.monotonic() - began < 1.5
