"""The device flow: start, poll (approved on the /activate page by another thread), login."""

import threading
import time
from typing import Any, Dict, List

import pytest

import auth0_native
from conftest import make_web
from tenant import TEST_USER_ID, Browser, DevTenant


def approve_soon(tenant: DevTenant, user_code: str, approve: bool = True) -> threading.Thread:
    """The user, on their phone: activates ``user_code`` while the device polls."""

    def act() -> None:
        Browser().activate(tenant.domain, user_code, tenant.username, tenant.password, approve)

    thread = threading.Thread(target=act)
    thread.start()
    return thread


def test_start_returns_the_codes_and_a_qr_code(device_tenant: DevTenant) -> None:
    code = make_web(device_tenant).device.start(scope="openid profile")
    assert set(code) >= {
        "device_code",
        "user_code",
        "verification_uri",
        "verification_uri_complete",
        "expires_in",
        "interval",
        "qr",
    }
    assert code["verification_uri"] == f"{device_tenant.domain}/activate"
    assert code["interval"] == 1
    assert "<svg" in code["qr"]["svg"]
    assert len(code["qr"]["text"].splitlines()) > 10
    assert set(code["qr"]["text"]) <= set("█▀▄ \n")


def test_poll_returns_tokens_once_the_user_approves(device_tenant: DevTenant) -> None:
    web = make_web(device_tenant)
    code = web.device.start(scope="openid profile")
    approver = approve_soon(device_tenant, code["user_code"])
    result = web.device.poll(code, timeout=30)
    approver.join(10)
    assert result["access_token"]
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["sub"] == TEST_USER_ID


def test_poll_of_a_refused_code_is_access_denied(device_tenant: DevTenant) -> None:
    web = make_web(device_tenant)
    code = web.device.start()
    approver = approve_soon(device_tenant, code["user_code"], approve=False)
    with pytest.raises(auth0_native.AuthorizationError) as caught:
        web.device.poll(code, timeout=30)
    approver.join(10)
    assert caught.value.code == "access_denied"


def test_cancel_from_another_thread_ends_the_poll(device_tenant: DevTenant) -> None:
    web = make_web(device_tenant)
    code = web.device.start()
    cancel = auth0_native.CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    began = time.monotonic()
    with pytest.raises(auth0_native.CancelledError):
        web.device.poll(code, cancel=cancel)
    assert time.monotonic() - began < 5


def test_poll_ends_with_a_timeout_error_after_its_bound(device_tenant: DevTenant) -> None:
    web = make_web(device_tenant)
    code = web.device.start()
    with pytest.raises(auth0_native.Auth0TimeoutError):
        web.device.poll(code, timeout=1.5)


def test_poll_needs_the_dict_start_returned(device_tenant: DevTenant) -> None:
    web = make_web(device_tenant)
    with pytest.raises(auth0_native.InvalidArgumentError, match="code parameter"):
        web.device.poll("BCDF-GHJK")  # type: ignore[arg-type]
    with pytest.raises(
        auth0_native.InvalidArgumentError, match=r"^device_code option is required$"
    ):
        web.device.poll({"user_code": "BCDF-GHJK"})


def test_login_shows_the_code_then_returns_the_tokens(device_tenant: DevTenant) -> None:
    web = make_web(device_tenant)
    shown: List[Dict[str, Any]] = []
    approvers: List[threading.Thread] = []

    def on_code(code: auth0_native.DeviceCode) -> None:
        shown.append(dict(code))
        approvers.append(approve_soon(device_tenant, code["user_code"]))

    result = web.device.login(on_code, scope="openid profile", timeout=30)
    for a in approvers:
        a.join(10)
    assert len(shown) == 1 and "qr" in shown[0]
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["sub"] == TEST_USER_ID


def test_an_exception_in_on_code_ends_the_login_and_is_raised(device_tenant: DevTenant) -> None:
    class NoScreen(Exception):
        pass

    def on_code(code: auth0_native.DeviceCode) -> None:
        raise NoScreen("the screen is off")

    began = time.monotonic()
    with pytest.raises(NoScreen, match="the screen is off"):
        make_web(device_tenant).device.login(on_code, timeout=30)
    assert time.monotonic() - began < 5
