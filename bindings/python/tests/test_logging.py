"""Logging: the core's records reach the ``logging`` logger ``auth0_native``.

Every operation runs with that logger at its most verbose level (5, the
core's ``trace``) against the dev tenant; everything captured (the records,
their formatted text, the process's stdout and stderr) is scanned for every
secret used: the password, the tokens of the answers, the outbox's code,
and every secret-bearing value the tenant saw on the wire (codes,
verifiers, states, nonces, tickets, cookie values, bearer tokens, from its
request log). The expected events must appear too.
"""

import json
import logging
import threading
import urllib.parse
from typing import Any, Iterable, List

import pytest

import auth0_native
from conftest import WebFor, make_web
from tenant import TEST_USER_ID, Browser, DevTenant

TRACE = 5
WRONG_PASSWORD = "Wr0ng-Secret-Pa55word-7d1c"

SECRET_KEYS = {
    "password", "code", "code_verifier", "access_token", "id_token", "refresh_token",
    "state", "nonce", "otp", "verification_code", "device_code", "user_code", "mfa_token",
    "client_secret", "login_ticket", "ticket", "wresult", "token", "binding_code",
    "recovery_code", "oob_code",
}  # fmt: skip


def _json_secrets(value: Any, key: str, out: List[str]) -> None:
    if isinstance(value, str) and key in SECRET_KEYS:
        out.append(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _json_secrets(v, k, out)
    elif isinstance(value, list):
        for v in value:
            _json_secrets(v, key, out)


def _form_secrets(text: str, out: List[str]) -> None:
    for k, v in urllib.parse.parse_qsl(text.lstrip("?#"), keep_blank_values=True):
        if k in SECRET_KEYS:
            out.append(v)


def wire_secrets(tenant: DevTenant) -> List[str]:
    """Every secret-bearing value the tenant received."""
    out: List[str] = []
    for r in tenant.dev("GET", "requests"):
        if r.get("query"):
            _form_secrets(r["query"], out)
        body = r.get("body") or ""
        try:
            _json_secrets(json.loads(body), "", out)
        except ValueError:
            _form_secrets(body, out)
        for name, value in (r.get("headers") or {}).items():
            if name.lower() == "cookie":
                out += [c.split("=", 1)[1].strip() for c in value.split(";") if "=" in c]
            elif name.lower() == "authorization":
                out.append(value.replace("Bearer ", ""))
    return out


def result_secrets(result: Any) -> List[str]:
    return [result[k] for k in ("access_token", "id_token", "refresh_token", "state") if result[k]]


def assert_nothing_leaked(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], secrets: Iterable[str]
) -> None:
    needles = set()
    for s in secrets:
        needles.add(s)
        if s.count(".") == 2:
            needles.update(s.split("."))
    needles = {n for n in needles if len(n) >= 6}
    assert needles, "no secret to look for"
    out, err = capfd.readouterr()
    captured = [caplog.text, out, err] + [f"{r.name} {r.getMessage()}" for r in caplog.records]
    for text in captured:
        for n in needles:
            assert n not in text, f"a secret ({n[:3]}...) reached the logs"


def messages(caplog: pytest.LogCaptureFixture, name: str, level: int) -> List[str]:
    return [r.getMessage() for r in caplog.records if r.name == name and r.levelno == level]


def expect(caplog: pytest.LogCaptureFixture, name: str, level: int, *parts: str) -> None:
    found = messages(caplog, name, level)
    assert any(all(p in m for p in parts) for m in found), (name, level, parts, found)


@pytest.fixture
def verbose(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(TRACE, logger="auth0_native")
    return caplog


def test_login_and_user_info_log_each_request_but_no_secret(
    tenant: DevTenant,
    web_of: WebFor,
    verbose: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    web = web_of(scope="openid profile email offline_access")
    r = web.client.login(
        username=tenant.username, password=tenant.password, realm=tenant.connection
    )
    assert r["access_token"] and r["refresh_token"]
    web.client.user_info(r["access_token"])
    with pytest.raises(auth0_native.ServerError):
        web.client.login(
            username=tenant.username, password=WRONG_PASSWORD, realm=tenant.connection
        )
    secrets = result_secrets(r) + [tenant.password, WRONG_PASSWORD] + wire_secrets(tenant)
    assert_nothing_leaked(verbose, capfd, secrets)
    http = "auth0_native.http"
    token_ok = f"POST {tenant.domain}/oauth/token -> 200 in "
    expect(verbose, http, logging.DEBUG, token_ok, "(attempt 1)")
    expect(verbose, http, logging.DEBUG, f"GET {tenant.domain}/userinfo -> 200 in ")
    expect(verbose, http, logging.DEBUG, f"POST {tenant.domain}/oauth/token -> 403 in ")
    expect(verbose, "auth0_native.jwks", logging.INFO, "fetched 1 usable signing keys from")


def test_parse_hash_logs_the_transaction_and_the_jwks_fetch_but_no_code(
    tenant: DevTenant,
    web_of: WebFor,
    verbose: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    web = web_of(scope="openid offline_access")
    request = web.authorize_request(pkce=True)
    callback = Browser().log_in_to_location(request["url"], tenant.username, tenant.password)
    result = web.parse_hash(callback)
    assert result is not None
    secrets = result_secrets(result) + [request["state"], tenant.password]
    _form_secrets(urllib.parse.urlsplit(callback).query, secrets)
    secrets += wire_secrets(tenant)
    assert_nothing_leaked(verbose, capfd, secrets)
    prefix = request["state"][:4] + "…"
    tx = "auth0_native.transaction"
    expect(verbose, tx, logging.DEBUG, "recorded for state", prefix)
    expect(verbose, tx, logging.DEBUG, prefix, "consumed")
    expect(verbose, "auth0_native.jwks", logging.DEBUG, "fetching", "/.well-known/jwks.json")
    expect(verbose, "auth0_native.http", logging.DEBUG, "GET", "/.well-known/jwks.json -> 200")


def test_a_passwordless_code_never_reaches_a_record(
    tenant: DevTenant,
    web_of: WebFor,
    verbose: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    web = web_of()
    email = "python-logging@example.com"
    web.passwordless_start(connection="email", send="code", email=email)
    code = tenant.last_code(email)
    r = web.client.passwordless_login(connection="email", email=email, verification_code=code)
    assert_nothing_leaked(verbose, capfd, [code] + result_secrets(r) + wire_secrets(tenant))
    expect(verbose, "auth0_native.http", logging.DEBUG, "POST", "/passwordless/start -> 200")


def test_device_polling_logs_its_steps_and_no_code(
    device_tenant: DevTenant,
    verbose: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    web = make_web(device_tenant)
    code = web.device.start(scope="openid")
    t = device_tenant

    def approve() -> None:
        Browser().activate(t.domain, code["user_code"], t.username, t.password, True)

    timer = threading.Timer(1.5, approve)
    timer.start()
    r = web.device.poll(code)
    timer.join()
    secrets = [code["device_code"], code["user_code"]] + result_secrets(r) + wire_secrets(t)
    assert_nothing_leaked(verbose, capfd, secrets)
    expect(verbose, "auth0_native.device", logging.DEBUG, "authorization pending")
    expect(verbose, "auth0_native.device", logging.INFO, "activated")


def test_management_logs_the_path_but_not_the_token(
    tenant: DevTenant, verbose: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    token = make_web(tenant).client.login(
        username=tenant.username,
        password=tenant.password,
        realm=tenant.connection,
        audience=tenant.management_audience,
        scope="openid read:current_user",
    )["access_token"]
    assert token
    auth0_native.Management(domain=tenant.domain, token=token).get_user(TEST_USER_ID)
    assert_nothing_leaked(verbose, capfd, [token, tenant.password] + wire_secrets(tenant))
    expect(verbose, "auth0_native.http", logging.DEBUG, "GET", "/api/v2/users/", "-> 200")


def test_the_loopback_listener_s_records_come_from_its_threads_without_deadlock(
    tenant: DevTenant,
    web_of: WebFor,
    verbose: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    pages = []

    def opener(url: str) -> None:
        def browse() -> None:
            b = Browser()
            listener = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]
            origin = listener.rsplit("/", 1)[0]
            pages.append(b.open(origin + "/favicon.ico").status)
            pages.append(b.log_in(url, tenant.username, tenant.password).status)

        threading.Thread(target=browse).start()

    r = web_of().popup.authorize(opener=opener, redirect_uri="http://127.0.0.1/callback")
    assert pages[:1] == [404]
    # The stop record is made when the listener is dropped, after the
    # call's last delivery: the next call brings it.
    web_of().client.build_authorize_url()
    assert_nothing_leaked(verbose, capfd, result_secrets(r) + wire_secrets(tenant))
    lb = "auth0_native.loopback"
    expect(verbose, lb, logging.INFO, "listening on [127.0.0.1:")
    expect(verbose, lb, logging.WARNING, "stray GET request for another path (404)")
    expect(verbose, lb, logging.INFO, "the callback arrived")
    expect(verbose, lb, logging.INFO, "stopping the listener")


def test_the_level_follows_the_python_logger_before_each_call(
    tenant: DevTenant, web_of: WebFor, caplog: pytest.LogCaptureFixture
) -> None:
    web = web_of()
    login = dict(username=tenant.username, password=tenant.password, realm=tenant.connection)
    caplog.set_level(logging.WARNING, logger="auth0_native")
    web.client.login(**login)
    assert not [r for r in caplog.records if r.name.startswith("auth0_native")]
    caplog.set_level(logging.DEBUG, logger="auth0_native")
    web.client.login(**login)
    expect(caplog, "auth0_native.http", logging.DEBUG, "/oauth/token -> 200")
    assert not [r for r in caplog.records if r.levelno < logging.DEBUG]


@pytest.mark.parametrize("level", [TRACE, logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR])
def test_no_record_below_the_logger_s_level_and_the_debug_ones_at_debug_and_below(
    tenant: DevTenant, web_of: WebFor, caplog: pytest.LogCaptureFixture, level: int
) -> None:
    web = web_of()
    caplog.set_level(level, logger="auth0_native")
    web.client.login(username=tenant.username, password=tenant.password, realm=tenant.connection)
    ours = [r for r in caplog.records if r.name.startswith("auth0_native")]
    assert all(r.levelno >= level for r in ours), [(r.levelno, r.getMessage()) for r in ours]
    if level <= logging.DEBUG:
        expect(caplog, "auth0_native.http", logging.DEBUG, "/oauth/token -> 200")


def test_logging_disable_silences_the_library(
    tenant: DevTenant, web_of: WebFor, caplog: pytest.LogCaptureFixture
) -> None:
    web = web_of()
    caplog.set_level(TRACE, logger="auth0_native")
    logging.disable(logging.CRITICAL)
    try:
        web.client.login(username=tenant.username, password=tenant.password, realm=tenant.connection)
    finally:
        logging.disable(logging.NOTSET)
    assert not [r for r in caplog.records if r.name.startswith("auth0_native")]
    web.client.login(username=tenant.username, password=tenant.password, realm=tenant.connection)
    expect(caplog, "auth0_native.http", logging.DEBUG, "/oauth/token -> 200")


def test_a_disabled_logger_and_an_inherited_level_are_followed_between_calls(
    tenant: DevTenant, web_of: WebFor, caplog: pytest.LogCaptureFixture
) -> None:
    # The level is read from `isEnabledFor`'s cache where it can be: every
    # change between two calls must still be seen.
    web = web_of()
    login = dict(username=tenant.username, password=tenant.password, realm=tenant.connection)
    logger = logging.getLogger("auth0_native")

    def ours() -> List[logging.LogRecord]:
        return [r for r in caplog.records if r.name.startswith("auth0_native")]

    caplog.set_level(logging.DEBUG, logger="auth0_native")
    web.client.login(**login)
    assert ours()
    caplog.clear()
    # What `logging.config.dictConfig` does to the loggers it was not told of.
    logger.disabled = True
    try:
        web.client.login(**login)
    finally:
        logger.disabled = False
    assert not ours()
    caplog.set_level(logging.WARNING, logger="auth0_native")
    web.client.login(**login)
    assert not ours()
    # The level inherited from the root logger.
    logger.setLevel(logging.NOTSET)
    caplog.set_level(logging.DEBUG)
    web.client.login(**login)
    expect(caplog, "auth0_native.http", logging.DEBUG, "/oauth/token -> 200")


def test_a_handler_calling_the_library_and_threads_logging_at_once_do_not_deadlock(
    tenant: DevTenant, web_of: WebFor, verbose: pytest.LogCaptureFixture
) -> None:
    web = web_of()
    inner: List[str] = []

    class CallsBack(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if not inner:
                inner.append(web.client.build_authorize_url(state="from-a-handler"))

    handler = CallsBack()
    logging.getLogger("auth0_native").addHandler(handler)
    try:
        errors: List[BaseException] = []

        def log_in() -> None:
            try:
                for _ in range(3):
                    web.client.login(
                        username=tenant.username, password=tenant.password, realm=tenant.connection
                    )
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=log_in) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads), "a thread is stuck"
        assert not errors, errors
    finally:
        logging.getLogger("auth0_native").removeHandler(handler)
    assert inner and "state=from-a-handler" in inner[0]
    assert len(messages(verbose, "auth0_native.http", logging.DEBUG)) >= 12
