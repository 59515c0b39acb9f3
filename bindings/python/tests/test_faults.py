"""Every network operation of the module against the dev tenant's faults.

One table of operations, one of faults, every pair a case: the exception
class and its ``code`` / ``status_code``, that it came within the call's
bound (a bound with a generous margin, not a speed test), how many requests
reached the faulted endpoint (the retry policy: reads retried on 502/503
and a broken connection, nothing else here), and that the same call
succeeds once the fault is gone (nothing of the failed call left in the
way). The redirect walks (headless login, renew_auth) answer a page with
``interaction_required``; their steps follow the same policy (renew_auth's
first GET is the one step that is a read).
"""

import itertools
import pathlib
import time
from typing import Any, Callable, Dict, Iterator, NamedTuple, Optional, Type

import pytest

import auth0_native
from auth0_native import Auth0Error, Auth0TimeoutError, NetworkError, ServerError
from tenant import TEST_USER_ID, DevTenant

TIMEOUT_S = 1.0
MARGIN_S = 5.0
ATTEMPTS = 3
# Python times are seconds.
HANDLE: Dict[str, Any] = {
    "timeout": TIMEOUT_S,
    "connect_timeout": TIMEOUT_S,
    "retry": {"max_attempts": ATTEMPTS, "base_delay": 0.001, "max_delay": 2.0},
}
USER_PATH = "/api/v2/users/auth0%7C6f0000000000000000000001"
_unique = itertools.count()


@pytest.fixture(scope="module")
def faulty(devtenant_bin: pathlib.Path) -> Iterator[DevTenant]:
    """A tenant of this module's own: faults apply to every client of it."""
    t = DevTenant(devtenant_bin)
    yield t
    t.stop()


def web(t: DevTenant, **extra: Any) -> auth0_native.WebAuth:
    return auth0_native.WebAuth(
        domain=t.domain,
        client_id=t.client_id,
        redirect_uri="http://127.0.0.1:8080/callback",
        scope="openid",
        **HANDLE,
        **extra,
    )


def email(tag: str) -> str:
    return f"py-{tag}-{time.time_ns()}-{next(_unique)}@example.com"


Call = Callable[[], Any]


def op_login(t: DevTenant) -> Call:
    w = web(t)
    return lambda: w.client.login(username=t.username, password=t.password, realm=t.connection)


def op_user_info(t: DevTenant) -> Call:
    w = web(t)
    token = w.client.login(username=t.username, password=t.password, realm=t.connection)[
        "access_token"
    ]
    assert token is not None
    return lambda: w.client.user_info(token)


def op_signup(t: DevTenant) -> Call:
    w, who = web(t), email("signup")
    return lambda: w.signup(connection=t.connection, email=who, password="Fault-Passw0rd-1")


def op_change_password(t: DevTenant) -> Call:
    w = web(t)
    return lambda: w.change_password(connection=t.connection, email=t.username)


def op_passwordless_start(t: DevTenant) -> Call:
    w, who = web(t), email("start")
    return lambda: w.passwordless_start(connection="email", send="code", email=who)


def op_headless_login(t: DevTenant) -> Call:
    w = web(t, response_type="token")
    return lambda: w.redirect.login_with_credentials(
        connection=t.connection, username=t.username, password=t.password
    )


def op_renew_auth(t: DevTenant) -> Call:
    w = web(t, response_type="token")
    w.redirect.login_with_credentials(
        connection=t.connection, username=t.username, password=t.password
    )
    return lambda: w.renew_auth()


def op_get_user(t: DevTenant) -> Call:
    token = web(t).client.login(
        username=t.username,
        password=t.password,
        realm=t.connection,
        audience=t.management_audience,
        scope="openid read:current_user",
    )["access_token"]
    assert token is not None
    m = auth0_native.Management(domain=t.domain, token=token, **HANDLE)
    return lambda: m.get_user(TEST_USER_ID)


class Op(NamedTuple):
    name: str
    path: str
    read: bool
    walk: bool
    setup: Callable[[DevTenant], Call]
    # Spent by a faulted call the server acted on (a signup's user).
    single_use: bool = False


OPS = [
    Op("login", "/oauth/token", False, False, op_login),
    Op("user_info", "/userinfo", True, False, op_user_info),
    Op("signup", "/dbconnections/signup", False, False, op_signup, single_use=True),
    Op("change_password", "/dbconnections/change_password", False, False, op_change_password),
    Op("passwordless_start", "/passwordless/start", False, False, op_passwordless_start),
    Op("headless login", "/usernamepassword/login", False, True, op_headless_login),
    Op("renew_auth", "/authorize", True, True, op_renew_auth),
    Op("Management get_user", USER_PATH, True, False, op_get_user),
]


class Fault(NamedTuple):
    name: str
    spec: Dict[str, Any]
    error: Type[Auth0Error]
    code: str
    status_code: Optional[int]
    reads_retried: bool
    handler_runs: bool


HTML = "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>"
FAULTS = [
    Fault("latency", {"latency_ms": 2500}, Auth0TimeoutError, "timeout", None, False, True),
    Fault("never answering", {"latency_ms": 600000}, Auth0TimeoutError, "timeout", None, False, False),
    Fault("drip", {"drip_ms": 1000}, Auth0TimeoutError, "timeout", None, False, True),
    Fault("reset mid-body", {"truncate": True}, NetworkError, "network_error", None, True, True),
    Fault("reset", {"drop": True}, NetworkError, "network_error", None, True, False),
    Fault("oversize", {"oversize_bytes": 2 << 20}, ServerError, "response_too_large", 200, False, True),
    Fault("500", {"status": 500}, ServerError, "server_error", 500, False, False),
    Fault("502", {"status": 502}, ServerError, "server_error", 502, True, False),
    Fault("503", {"status": 503}, ServerError, "server_error", 503, True, False),
    Fault("429", {"status": 429, "retry_after": 60}, ServerError, "rate_limited", 429, False, False),
    Fault("html 200", {"body": HTML}, ServerError, "invalid_response", 200, False, False),
    Fault(
        "empty 200",
        {"body": "", "content_type": "application/json"},
        ServerError,
        "invalid_response",
        200,
        False,
        False,
    ),
]


def hits(t: DevTenant, path: str) -> int:
    return sum(1 for r in t.requests(path) if r["path"] == path)


def clear(t: DevTenant) -> None:
    t.dev("DELETE", "faults")
    t.dev("DELETE", "requests")


def expectation(op: Op, fault: Fault) -> Any:
    """What ``fault`` comes back as for ``op``: (class or None for success,
    code, status_code, requests that reach the endpoint)."""
    error: Optional[Type[Auth0Error]] = fault.error
    code, status = fault.code, fault.status_code
    attempts = ATTEMPTS if fault.reads_retried and op.read else 1
    if op.walk and code == "invalid_response":
        code = "interaction_required"
    if op.path == "/authorize":
        # A redirect: a dripping body is never waited for; a large one
        # still counts, with the redirect's status.
        if fault.name == "drip":
            error = None
        elif code == "response_too_large":
            status = 302
    return error, code, status, attempts


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
@pytest.mark.parametrize("op", OPS, ids=lambda o: o.name)
def test_fault(faulty: DevTenant, op: Op, fault: Fault) -> None:
    clear(faulty)
    call = op.setup(faulty)
    clear(faulty)
    faulty.fault(path=op.path, count=10, **fault.spec)
    error, code, status, attempts = expectation(op, fault)
    started = time.monotonic()
    try:
        call()
        raised: Optional[Auth0Error] = None
    except Auth0Error as e:
        raised = e
    elapsed = time.monotonic() - started
    bound = TIMEOUT_S * (4 if op.walk else 1)
    assert elapsed < bound + MARGIN_S, f"took {elapsed:.1f} s, bound {bound} s"
    if error is None:
        assert raised is None, raised
    else:
        assert isinstance(raised, error), repr(raised)
        assert (raised.code, raised.status_code) == (code, status), repr(raised)
        if code == "rate_limited":
            assert raised.retry_after == 60
    assert hits(faulty, op.path) == attempts

    clear(faulty)
    if raised is not None and not (op.single_use and fault.handler_runs):
        call()  # nothing of the failed call is left in the way
