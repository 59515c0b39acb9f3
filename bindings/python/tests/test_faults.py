"""Every network operation of the module against the dev tenant's faults.

One table of operations, one of faults, every pair a case: the exception
class and its ``code`` / ``status_code``, that it came within the call's
bound (a bound with a generous margin, not a speed test), how many requests
reached the faulted endpoint (the retry policy: reads retried on 502/503
and a broken connection, nothing else here), and that the same call
succeeds once the fault is gone (nothing of the failed call left in the
way; a single-use code, user or mfa_token the server spent excepted), and,
for the credentials manager, that a failed renewal left the stored blob as
it was. The redirect walks (headless login, renew_auth) answer a page with
``interaction_required``; their steps follow the same policy (renew_auth's
first GET is the one step that is a read).
"""

import itertools
import pathlib
import time
from typing import Any, Callable, Dict, Iterator, NamedTuple, Optional, Type

import pytest

import auth0_native
from auth0_native import (
    Auth0Error,
    Auth0TimeoutError,
    CredentialsError,
    CredentialsManager,
    MfaRequiredError,
    NetworkError,
    ServerError,
)
from tenant import TEST_USER_ID, DevTenant

# Python times are seconds.
TIMEOUT_S = 0.3
# The faults answered at once get more: every retry must fit in the call's
# one deadline, also on a loaded machine (nothing waits for it).
ANSWERED_S = 1.0
# Less than LATENCY_S: a call that waited for the late answer is over its bound.
MARGIN_S = 2.0
# The answer of "latency" comes this long after the request timeout (the
# client gives up first: it costs no time).
LATENCY_S = 2.5
ATTEMPTS = 3
USER_PATH = "/api/v2/users/auth0%7C6f0000000000000000000001"
IDENTITIES_PATH = USER_PATH + "/identities"
MFA_SECRET = "JBSWY3DPEHPK3PXP"
PASSWORD = "Fault-Passw0rd-1"
_unique = itertools.count()
# The request timeout of the handles the current case makes.
_timeout = [TIMEOUT_S]


def handle() -> Dict[str, Any]:
    return {
        "timeout": _timeout[0],
        "connect_timeout": _timeout[0],
        "retry": {"max_attempts": ATTEMPTS, "base_delay": 0.001, "max_delay": 2.0},
    }


@pytest.fixture(scope="module")
def faulty(devtenant_bin: pathlib.Path) -> Iterator[DevTenant]:
    """A tenant of this module's own: faults apply to every client of it.
    With Auth0's reuse interval, a refresh token rotated by a renewal whose
    answer was lost is accepted again for a while."""
    t = DevTenant(devtenant_bin)
    t.dev("POST", "settings", {"refresh_reuse_interval_secs": 60})
    yield t
    t.stop()


def web(t: DevTenant, **extra: Any) -> auth0_native.WebAuth:
    options: Dict[str, Any] = {"scope": "openid", **handle(), **extra}
    return auth0_native.WebAuth(
        domain=t.domain,
        client_id=t.client_id,
        redirect_uri="http://127.0.0.1:8080/callback",
        **options,
    )


def email(tag: str) -> str:
    return f"py-{tag}-{time.time_ns()}-{next(_unique)}@example.com"


Call = Callable[[], Any]


class Prepared(NamedTuple):
    """What a setup leaves: the call, the faulted path when only the setup
    knows it, and what a failed call must leave as it was (read before and
    after it)."""

    call: Call
    path: Optional[str] = None
    state: Optional[Callable[[], Any]] = None


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


def management(t: DevTenant) -> auth0_native.Management:
    token = web(t).client.login(
        username=t.username,
        password=t.password,
        realm=t.connection,
        audience=t.management_audience,
        scope="openid read:current_user update:current_user_metadata"
        " update:current_user_identities",
    )["access_token"]
    assert token is not None
    return auth0_native.Management(domain=t.domain, token=token, **handle())


def op_get_user(t: DevTenant) -> Call:
    m = management(t)
    return lambda: m.get_user(TEST_USER_ID)


def op_patch_user(t: DevTenant) -> Call:
    m = management(t)
    return lambda: m.patch_user_metadata(TEST_USER_ID, {"fault": "test"})


def new_user(t: DevTenant, tag: str) -> str:
    who = email(tag)
    web(t).signup(connection=t.connection, email=who, password=PASSWORD)
    return who


def secondary(t: DevTenant) -> Any:
    """A new user to link: its id_token and user id."""
    r = web(t).client.login(
        username=new_user(t, "linked"), password=PASSWORD, realm=t.connection
    )
    assert r["id_token"] is not None and r["id_token_payload"] is not None
    return r["id_token"], r["id_token_payload"]["sub"]


def op_link_user(t: DevTenant) -> Call:
    m = management(t)
    token, _ = secondary(t)
    return lambda: m.link_user(TEST_USER_ID, token)


def op_unlink_user(t: DevTenant) -> Prepared:
    m = management(t)
    token, sub = secondary(t)
    m.link_user(TEST_USER_ID, token)
    provider, uid = sub.split("|", 1)
    return Prepared(
        lambda: m.unlink_user(TEST_USER_ID, provider, uid),
        path=f"{IDENTITIES_PATH}/{provider}/{uid}",
    )


# MFA: every case signs up and enrols a user of its own, so the seeded user
# (whom the other operations log in as) never meets MFA.


def mfa_user(t: DevTenant, **enrolment: Any) -> Any:
    """A new enrolled user: the tenant's enrolment answer and the
    mfa_token of its password login."""
    who = new_user(t, "mfa")
    enrolled = t.dev("POST", "mfa/enroll", {"user": who, **enrolment})
    with pytest.raises(MfaRequiredError) as e:
        web(t).client.login(username=who, password=PASSWORD, realm=t.connection)
    assert e.value.mfa_token is not None
    return enrolled, e.value.mfa_token


def op_mfa_challenge(t: DevTenant) -> Call:
    w = web(t)
    _, token = mfa_user(t, type="otp", secret=MFA_SECRET)
    return lambda: w.client.mfa.challenge(token, challenge_type="otp")


def op_mfa_otp(t: DevTenant) -> Call:
    w = web(t)
    _, token = mfa_user(t, type="otp", secret=MFA_SECRET)
    otp = t.dev("GET", f"mfa/totp?secret={MFA_SECRET}")["code"]
    return lambda: w.client.mfa.verify(token, otp=otp)


def op_mfa_recovery_code(t: DevTenant) -> Call:
    w = web(t)
    enrolled, token = mfa_user(t, type="otp", secret=MFA_SECRET)
    return lambda: w.client.mfa.verify(token, recovery_code=enrolled["recovery_code"])


def op_mfa_oob(t: DevTenant) -> Call:
    """A push the user approved already: the first poll answers the tokens."""
    w = web(t)
    _, token = mfa_user(t, type="oob", oob_channel="auth0")
    oob = w.client.mfa.challenge(token, challenge_type="oob")["oob_code"]
    t.dev("POST", "mfa/approve", {"oob_code": oob})
    return lambda: w.client.mfa.verify(token, oob_code=oob, interval=1.0)


def op_mfa_authenticators(t: DevTenant) -> Call:
    w = web(t)
    _, token = mfa_user(t, type="otp", secret=MFA_SECRET)
    return lambda: w.client.mfa.authenticators(token)


def op_mfa_associate(t: DevTenant) -> Call:
    """With an MFA API access token (``enroll``) of a user without MFA:
    every call adds an authenticator, none is single use."""
    w = web(t)
    token = w.client.login(
        username=new_user(t, "associate"),
        password=PASSWORD,
        realm=t.connection,
        audience=f"{t.domain}/mfa/",
        scope="enroll",
    )["access_token"]
    assert token is not None
    return lambda: w.client.mfa.associate(token, authenticator_types=["otp"])


class Slot:
    """The app's own storage: the blob in an attribute."""

    def __init__(self) -> None:
        self.blob: Optional[bytes] = None
        self.saves = 0

    def load(self) -> Optional[bytes]:
        return self.blob

    def save(self, blob: bytes) -> None:
        self.saves += 1
        self.blob = blob

    def delete(self) -> None:
        self.blob = None


def op_renewal(t: DevTenant) -> Prepared:
    """The credentials manager over an expired login with a refresh token:
    every call renews; a failed one must leave the stored blob (the old
    refresh token) as it was, and save nothing."""
    w = web(t, scope="openid profile email offline_access")
    slot = Slot()
    manager = CredentialsManager(w, storage=slot)
    result = w.client.login(username=t.username, password=t.password, realm=t.connection)
    assert result["refresh_token"] is not None
    expired: Dict[str, Any] = dict(result)
    expired["expires_in"] = 0  # expired at once: the next credentials() renews
    manager.save(expired)
    return Prepared(lambda: manager.credentials(), state=lambda: (slot.blob, slot.saves))


class Op(NamedTuple):
    name: str
    path: str
    read: bool
    walk: bool
    setup: Callable[[DevTenant], Any]
    # Spent by a faulted call the server acted on (a signup's user, an
    # mfa_token, a linked identity).
    single_use: bool = False
    # The manager's error code wrapping every failure (the request's own
    # code then in ``cause``).
    wrapped: Optional[str] = None


OPS = [
    Op("login", "/oauth/token", False, False, op_login),
    Op("user_info", "/userinfo", True, False, op_user_info),
    Op("signup", "/dbconnections/signup", False, False, op_signup, single_use=True),
    Op("change_password", "/dbconnections/change_password", False, False, op_change_password),
    Op("passwordless_start", "/passwordless/start", False, False, op_passwordless_start),
    Op("headless login", "/usernamepassword/login", False, True, op_headless_login),
    Op("renew_auth", "/authorize", True, True, op_renew_auth),
    Op("Management get_user", USER_PATH, True, False, op_get_user),
    Op("Management patch_user_metadata", USER_PATH, False, False, op_patch_user),
    Op("Management link_user", IDENTITIES_PATH, False, False, op_link_user, single_use=True),
    # (the identity's own path, known once it is linked)
    Op("Management unlink_user", IDENTITIES_PATH, False, False, op_unlink_user, single_use=True),
    Op("mfa.challenge", "/mfa/challenge", False, False, op_mfa_challenge),
    Op("mfa.verify otp", "/oauth/token", False, False, op_mfa_otp, single_use=True),
    Op(
        "mfa.verify recovery_code",
        "/oauth/token",
        False,
        False,
        op_mfa_recovery_code,
        single_use=True,
    ),
    Op("mfa.verify oob_code", "/oauth/token", False, False, op_mfa_oob, single_use=True),
    Op("mfa.authenticators", "/mfa/authenticators", True, False, op_mfa_authenticators),
    Op("mfa.associate", "/mfa/associate", False, False, op_mfa_associate),
    # A rotating refresh token is single use: never retried but for a 429.
    Op("credentials renewal", "/oauth/token", False, False, op_renewal, wrapped="renew_failed"),
]


class Fault(NamedTuple):
    name: str
    spec: Dict[str, Any]
    # None: the call succeeds after the policy's retry.
    error: Optional[Type[Auth0Error]]
    code: str
    status_code: Optional[int]
    reads_retried: bool
    handler_runs: bool
    # The handles' request timeout for this fault.
    timeout: float = ANSWERED_S


HTML = "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>"
FAULTS = [
    Fault(
        "latency",
        {"latency_ms": int((TIMEOUT_S + LATENCY_S) * 1000)},
        Auth0TimeoutError,
        "timeout",
        None,
        False,
        True,
        timeout=TIMEOUT_S,
    ),
    Fault(
        "never answering",
        {"latency_ms": 600000},
        Auth0TimeoutError,
        "timeout",
        None,
        False,
        False,
        timeout=TIMEOUT_S,
    ),
    Fault("drip", {"drip_ms": 1000}, Auth0TimeoutError, "timeout", None, False, True, TIMEOUT_S),
    Fault("reset mid-body", {"truncate": True}, NetworkError, "network_error", None, True, True),
    Fault("reset", {"drop": True}, NetworkError, "network_error", None, True, False),
    Fault("oversize", {"oversize_bytes": 2 << 20}, ServerError, "response_too_large", 200, False, True),
    Fault("500", {"status": 500}, ServerError, "server_error", 500, False, False),
    Fault("502", {"status": 502}, ServerError, "server_error", 502, True, False),
    Fault("503", {"status": 503}, ServerError, "server_error", 503, True, False),
    Fault("429", {"status": 429, "retry_after": 60}, ServerError, "rate_limited", 429, False, False),
    # Retried for every call (the server did not act), Retry-After waited
    # for: a timeout that leaves room for the wait.
    Fault(
        "429 once",
        {"status": 429, "retry_after": 1, "count": 1},
        None,
        "",
        None,
        False,
        False,
        timeout=4.0,
    ),
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
    if error is None:
        attempts = 2
    else:
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
    if op.name == "Management link_user" and code == "response_too_large":
        status = 201  # its real answer, padded, is a 201 Created
    return error, code, status, attempts


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
@pytest.mark.parametrize("op", OPS, ids=lambda o: o.name)
def test_fault(faulty: DevTenant, op: Op, fault: Fault) -> None:
    clear(faulty)
    _timeout[0] = fault.timeout
    prepared = op.setup(faulty)
    if not isinstance(prepared, Prepared):
        prepared = Prepared(prepared)
    path = prepared.path or op.path
    clear(faulty)
    before = prepared.state() if prepared.state else None
    faulty.fault(**{"path": path, "count": 10, **fault.spec})
    error, code, status, attempts = expectation(op, fault)
    started = time.monotonic()
    try:
        prepared.call()
        raised: Optional[Auth0Error] = None
    except Auth0Error as e:
        raised = e
    elapsed = time.monotonic() - started
    bound = fault.timeout * (4 if op.walk else 1) + (1.0 if fault.error is None else 0.0)
    assert elapsed < bound + MARGIN_S, f"took {elapsed:.1f} s, bound {bound} s"
    if error is None:
        assert raised is None, raised
        if fault.error is None:
            assert elapsed >= 0.9, f"Retry-After was not waited for ({elapsed:.2f} s)"
    else:
        want_class, want_code, cause = error, code, None
        if op.wrapped:
            want_class, want_code, cause = CredentialsError, op.wrapped, code
        assert isinstance(raised, want_class), repr(raised)
        assert (raised.code, raised.status_code) == (want_code, status), repr(raised)
        if cause is not None:
            assert raised.cause == cause, repr(raised)
        if code == "rate_limited":
            assert raised.retry_after == fault.spec["retry_after"]
    assert hits(faulty, path) == attempts

    if raised is None:
        return
    if prepared.state is not None:
        # Compared, never printed: the blob holds the tokens.
        unchanged = prepared.state() == before
        assert unchanged, "the failed call changed what is stored"
    clear(faulty)
    if not (op.single_use and fault.handler_runs):
        prepared.call()  # nothing of the failed call is left in the way
