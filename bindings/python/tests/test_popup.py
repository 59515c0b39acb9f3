"""popup.authorize: the loopback login, with a Python opener that plays the browser."""

import os
import socket
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
from typing import List, Optional

import pytest

import auth0_native
from conftest import WebFor
from helpers import query_dict
from tenant import SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_ID
from tenant import Browser, DevTenant, Page

LOOPBACK = "http://127.0.0.1/callback"


class PlayBrowser:
    """An opener that logs in on the hosted page from its own thread (a real
    browser runs beside the app, too) and keeps the page the listener answered."""

    def __init__(self, email: str, password: str) -> None:
        self.email, self.password = email, password
        self.urls: List[str] = []
        self.pages: List[Page] = []
        self.thread: Optional[threading.Thread] = None

    def __call__(self, url: str) -> None:
        self.urls.append(url)

        def browse() -> None:
            self.pages.append(Browser().log_in(url, self.email, self.password))

        self.thread = threading.Thread(target=browse)
        self.thread.start()

    def page(self) -> Page:
        assert self.thread is not None, "the opener was not called"
        self.thread.join(30)
        return self.pages[0]


def test_popup_authorize_with_a_python_opener_returns_the_auth_result(
    tenant: DevTenant, web_of: WebFor
) -> None:
    browser = PlayBrowser(tenant.username, tenant.password)
    result = web_of().popup.authorize(opener=browser, redirect_uri=LOOPBACK)
    payload = result["id_token_payload"]
    assert payload is not None and payload["sub"] == TEST_USER_ID
    assert result["access_token"]
    page = browser.page()
    assert page.status == 200 and "You are logged in" in page.body
    assert "code_challenge_method=S256" in browser.urls[0]


def test_popup_authorize_logs_in_whoever_uses_the_browser(
    tenant: DevTenant, web_of: WebFor
) -> None:
    browser = PlayBrowser(SECOND_USER_EMAIL, SECOND_USER_PASSWORD)
    result = web_of().popup.authorize(opener=browser, redirect_uri=LOOPBACK)
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["sub"] == SECOND_USER_ID


def test_an_opener_that_raises_ends_the_login_with_browser_open_failed(web_of: WebFor) -> None:
    def opener(url: str) -> None:
        raise RuntimeError(f"no display for {url}")

    with pytest.raises(auth0_native.InvalidArgumentError) as caught:
        web_of().popup.authorize(opener=opener, redirect_uri=LOOPBACK)
    e = caught.value
    assert e.code == "browser_open_failed"
    assert "RuntimeError: no display for <the login URL>" in str(e)
    assert "code_challenge" not in str(e)
    assert isinstance(e.__cause__, RuntimeError)


def test_an_opener_that_is_not_callable_is_refused(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match=r"^opener is not callable$"):
        web_of().popup.authorize(opener="firefox", redirect_uri=LOOPBACK)  # type: ignore[arg-type]


def test_cancel_from_another_thread_ends_the_wait(web_of: WebFor) -> None:
    cancel = auth0_native.CancelToken()
    timer = threading.Timer(0.3, cancel.cancel)
    timer.start()
    began = time.monotonic()
    with pytest.raises(auth0_native.CancelledError) as caught:
        web_of().popup.authorize(opener=lambda url: None, cancel=cancel, redirect_uri=LOOPBACK)
    assert caught.value.code == "cancelled"
    assert time.monotonic() - began < 5
    assert cancel.cancelled


def test_an_already_cancelled_token_ends_the_call_at_once(web_of: WebFor) -> None:
    cancel = auth0_native.CancelToken()
    cancel.cancel()
    opened: List[str] = []
    with pytest.raises(auth0_native.CancelledError):
        web_of().popup.authorize(opener=opened.append, cancel=cancel, redirect_uri=LOOPBACK)
    assert opened == []


def test_the_wait_ends_with_a_timeout_error_after_its_bound(web_of: WebFor) -> None:
    began = time.monotonic()
    with pytest.raises(auth0_native.Auth0TimeoutError) as caught:
        web_of().popup.authorize(opener=lambda url: None, timeout=0.5, redirect_uri=LOOPBACK)
    assert caught.value.code == "timeout"
    assert isinstance(caught.value, TimeoutError)
    assert 0.4 < time.monotonic() - began < 5


def test_cancel_token_starts_uncancelled_and_stays_cancelled() -> None:
    token = auth0_native.CancelToken()
    assert not token.cancelled
    assert repr(token) == "CancelToken(cancelled=False)"
    token.cancel()
    token.cancel()
    assert token.cancelled
    assert repr(token) == "CancelToken(cancelled=True)"


# In a child process: SIGINT goes to the whole process, and a regression must
# not end the test run. The opener does nothing, so only Ctrl+C can end the
# wait before its 60 s timeout.
SIGINT_PROBE = textwrap.dedent("""
    import os, signal, sys, threading, time
    import auth0_native

    web = auth0_native.WebAuth(domain=sys.argv[1], client_id=sys.argv[2])
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    began = time.monotonic()
    try:
        web.popup.authorize(opener=lambda url: None, timeout=60,
                            redirect_uri="http://127.0.0.1/callback")
    except KeyboardInterrupt:
        print("KeyboardInterrupt after %.1f s" % (time.monotonic() - began))
    """)


@pytest.mark.skipif(os.name == "nt", reason="SIGINT is POSIX")
def test_ctrl_c_ends_the_wait_with_keyboard_interrupt(tenant: DevTenant) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SIGINT_PROBE, tenant.domain, tenant.client_id],
        capture_output=True,
        text=True,
        timeout=30,
        # As in a terminal: a test run started in the background (`cmd &`)
        # inherits SIGINT ignored, and Python then installs no handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("KeyboardInterrupt after ")
    assert float(done.stdout.split()[2]) < 3.0


def test_the_loopback_listener_is_closed_after_the_call(web_of: WebFor) -> None:
    seen: List[str] = []
    with pytest.raises(auth0_native.Auth0TimeoutError):
        web_of().popup.authorize(opener=seen.append, timeout=0.2, redirect_uri=LOOPBACK)
    redirect_uri = query_dict(seen[0])["redirect_uri"]
    assert redirect_uri is not None
    port = urllib.parse.urlsplit(redirect_uri).port
    assert port
    # The port is free again: binding it succeeds. SO_REUSEADDR as every
    # server (and the library's own listener) sets it: it still refuses a
    # port that is listening, but not one left in TIME_WAIT by a closed
    # connection.
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))


def test_popup_is_its_own_class(web_of: WebFor) -> None:
    assert isinstance(web_of().popup, auth0_native.Popup)
    assert isinstance(web_of().redirect, auth0_native.Redirect)
    assert isinstance(web_of().device, auth0_native.Device)


def test_interactive_helpers_need_the_web_handle() -> None:
    for cls in (auth0_native.Popup, auth0_native.Redirect, auth0_native.Device):
        with pytest.raises(TypeError):
            cls()


def test_a_token_injected_into_the_listener_of_a_code_login_is_refused(web_of: WebFor) -> None:
    pages: List[Page] = []
    threads: List[threading.Thread] = []

    def inject(url: str) -> None:
        q = query_dict(url)
        callback = f"{q['redirect_uri']}?state={q['state']}&access_token=X"
        threads.append(threading.Thread(target=lambda: pages.append(Browser().open(callback))))
        threads[0].start()

    with pytest.raises(auth0_native.InvalidTokenError, match="`access_token`"):
        web_of().popup.authorize(opener=inject, redirect_uri=LOOPBACK)
    threads[0].join(30)
    assert pages and pages[0].status == 400
