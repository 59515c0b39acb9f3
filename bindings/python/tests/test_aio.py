"""auth0_native.aio: the awaitable face, against the dev tenant.

Every test runs its own event loop (``asyncio.run``): no asyncio plugin is
needed.
"""

import asyncio
import inspect
import socket
import subprocess
import sys
import threading
import urllib.parse
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Coroutine, Dict, List, TypeVar

import pytest

import auth0_native
from auth0_native import aio
from conftest import CALLBACK
from tenant import SECOND_USER_EMAIL, SECOND_USER_ID, SECOND_USER_PASSWORD, TEST_USER_ID
from tenant import Browser, DevTenant
from test_device import approve_soon

T = TypeVar("T")
SCOPES = "openid read:current_user update:current_user_metadata update:current_user_identities"
LOOPBACK = "http://127.0.0.1/callback"


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def aio_web(t: DevTenant, **options: Any) -> aio.WebAuth:
    defaults: Dict[str, Any] = {"redirect_uri": CALLBACK, "scope": "openid profile email"}
    defaults.update(options)
    return aio.WebAuth(domain=t.domain, client_id=t.client_id, **defaults)


def login_options(t: DevTenant) -> Dict[str, Any]:
    return {"username": t.username, "password": t.password, "realm": t.connection}


BLOCKING_TO_AIO = [
    (auth0_native.WebAuth, aio.WebAuth),
    (auth0_native.Client, aio.Client),
    (auth0_native.Mfa, aio.Mfa),
    (auth0_native.Redirect, aio.Redirect),
    (auth0_native.Popup, aio.Popup),
    (auth0_native.Device, aio.Device),
    (auth0_native.Management, aio.Management),
    (auth0_native.CredentialsManager, aio.CredentialsManager),
]


@pytest.mark.parametrize("blocking, awaitable", BLOCKING_TO_AIO)
def test_every_blocking_method_has_a_coroutine_of_the_same_name(
    blocking: type, awaitable: type
) -> None:
    methods = [
        name
        for name, member in vars(blocking).items()
        if not name.startswith("_") and callable(member) and not isinstance(member, property)
    ]
    assert methods
    for name in methods:
        assert inspect.iscoroutinefunction(getattr(awaitable, name, None)), name


def test_the_package_imports_asyncio_only_when_aio_is_used() -> None:
    code = (
        "import sys, auth0_native\n"
        "assert 'asyncio' not in sys.modules, 'asyncio imported by auth0_native'\n"
        "assert auth0_native.aio.WebAuth is not None\n"
        "assert 'asyncio' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_properties_and_sub_objects_mirror_the_blocking_handle(tenant: DevTenant) -> None:
    web = aio_web(tenant)
    assert (web.domain, web.client_id) == (tenant.domain, tenant.client_id)
    assert isinstance(web.blocking, auth0_native.WebAuth)
    assert isinstance(web.client, aio.Client) and isinstance(web.device, aio.Device)
    assert isinstance(web.popup, aio.Popup) and isinstance(web.redirect, aio.Redirect)
    assert repr(web) == f'aio.WebAuth(domain="{tenant.domain}", client_id="{tenant.client_id}")'
    wrapped = aio.WebAuth.from_blocking(web.blocking)
    assert wrapped.blocking is web.blocking


def test_an_unknown_keyword_is_a_type_error_before_any_thread_is_used(tenant: DevTenant) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'respone_type'"):
        run(aio_web(tenant).client.build_authorize_url(respone_type="code"))


def test_client_login_returns_the_dict_the_blocking_call_returns(tenant: DevTenant) -> None:
    web = aio_web(tenant)
    awaited = run(web.client.login(**login_options(tenant)))
    blocking = web.blocking.client.login(**login_options(tenant))
    assert list(awaited) == list(blocking)
    assert {k: type(v) for k, v in awaited.items()} == {k: type(v) for k, v in blocking.items()}
    assert awaited["id_token_payload"] is not None
    assert awaited["id_token_payload"]["sub"] == TEST_USER_ID


def test_errors_are_the_blocking_exceptions(tenant: DevTenant) -> None:
    options = dict(login_options(tenant), password="Not-The-Passw0rd")
    with pytest.raises(auth0_native.ServerError) as caught:
        run(aio_web(tenant).client.login(**options))
    assert (caught.value.status_code, caught.value.code) == (403, "invalid_grant")


def test_the_client_and_the_token_checks(tenant: DevTenant) -> None:
    async def main() -> None:
        web = aio_web(tenant)
        url = await web.client.build_authorize_url(state="s1")
        assert url == web.blocking.client.build_authorize_url(state="s1")
        result = await web.client.login(**login_options(tenant))
        assert result["access_token"] is not None and result["id_token"] is not None
        profile = await web.client.user_info(result["access_token"], sub=TEST_USER_ID)
        assert profile["sub"] == TEST_USER_ID
        claims = await web.validate_id_token(result["id_token"])
        assert claims["sub"] == TEST_USER_ID

    run(main())


def test_the_redirect_flow_authorize_then_parse_hash(tenant: DevTenant) -> None:
    async def main() -> None:
        web = aio_web(tenant, response_type="code")
        url = await web.authorize()
        request = await web.authorize_request()
        assert set(request) >= {"url", "state"}
        location = await asyncio.get_running_loop().run_in_executor(
            None, Browser().log_in_to_location, url, tenant.username, tenant.password
        )
        result = await web.parse_hash(location)
        assert result is not None and result["id_token_payload"] is not None
        assert result["id_token_payload"]["sub"] == TEST_USER_ID
        assert await web.parse_hash("#") is None

    run(main())


def test_the_headless_logins_renew_auth_and_logout(tenant: DevTenant) -> None:
    async def main() -> None:
        web = aio_web(tenant)
        cred = {"username": tenant.username, "password": tenant.password}
        first = await web.redirect.login_with_credentials(connection=tenant.connection, **cred)
        second = await web.popup.login_with_credentials(connection=tenant.connection, **cred)
        third = await web.login(realm=tenant.connection, **cred)
        for result in (first, second, third):
            assert result["id_token_payload"] is not None
            assert result["id_token_payload"]["sub"] == TEST_USER_ID
        renewed = await web.renew_auth(timeout=30.0)
        assert renewed["access_token"]
        url = await web.logout(return_to="http://127.0.0.1:8080/", headless=True)
        assert url.startswith(f"{tenant.domain}/v2/logout?")
        with pytest.raises(auth0_native.AuthorizationError) as caught:
            await web.renew_auth()
        assert caught.value.code == "login_required"

    run(main())


def test_signup_change_password_and_passwordless(tenant: DevTenant) -> None:
    async def main() -> None:
        web = aio_web(tenant)
        email = f"aio-{uuid.uuid4().hex[:12]}@example.com"
        signed_up = await web.signup(
            connection=tenant.connection, email=email, password="Sign-Up-Passw0rd"
        )
        assert signed_up["email"] == email
        assert isinstance(await web.change_password(connection=tenant.connection, email=email), str)
        other = f"aio-pl-{uuid.uuid4().hex[:12]}@example.com"
        started = await web.passwordless_start(connection="email", send="code", email=other)
        assert started["email"] == other
        verified = await web.passwordless_verify(
            connection="email", email=other, verification_code=tenant.last_code(other)
        )
        assert verified["access_token"]
        await web.passwordless_start(connection="email", send="code", email=other)
        exchanged = await web.client.passwordless_login(
            connection="email", email=other, verification_code=tenant.last_code(other)
        )
        assert exchanged["access_token"]

    run(main())


def test_the_device_flow_start_poll_and_login(device_tenant: DevTenant) -> None:
    async def main() -> None:
        web = aio_web(device_tenant)
        code = await web.device.start(scope="openid profile")
        approver = approve_soon(device_tenant, code["user_code"])
        polled = await web.device.poll(code, timeout=30)
        approver.join(10)
        assert polled["id_token_payload"] is not None
        assert polled["id_token_payload"]["sub"] == TEST_USER_ID

        loop_thread = threading.get_ident()
        called_on: List[int] = []

        async def on_code(code: auth0_native.DeviceCode) -> None:
            # A coroutine function, run on the event loop's thread.
            called_on.append(threading.get_ident())
            await asyncio.sleep(0)
            approve_soon(device_tenant, code["user_code"])

        logged_in = await web.device.login(on_code, scope="openid profile", timeout=30)
        assert logged_in["access_token"]
        assert called_on == [loop_thread]

    run(main())


class AsyncBrowser:
    """An opener for the awaitable popup: records the URL and logs in on the
    hosted page from a thread of its own (unless ``log_in`` is False)."""

    def __init__(self, tenant: DevTenant, log_in: bool = True) -> None:
        self.tenant, self.log_in = tenant, log_in
        self.urls: List[str] = []
        self.threads: List[int] = []
        self.opened = asyncio.Event()

    def __call__(self, url: str) -> None:
        self.urls.append(url)
        self.threads.append(threading.get_ident())
        self.opened.set()
        if self.log_in:
            threading.Thread(
                target=Browser().log_in, args=(url, self.tenant.username, self.tenant.password)
            ).start()


def test_popup_authorize_calls_the_opener_on_the_loop_thread(tenant: DevTenant) -> None:
    async def main() -> None:
        browser = AsyncBrowser(tenant)
        result = await aio_web(tenant).popup.authorize(
            opener=browser, redirect_uri=LOOPBACK, timeout=30
        )
        assert result["id_token_payload"] is not None
        assert result["id_token_payload"]["sub"] == TEST_USER_ID
        assert browser.threads == [threading.get_ident()]

    run(main())


def listener_port(url: str) -> int:
    redirect_uri = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]
    port = urllib.parse.urlsplit(redirect_uri).port
    assert port is not None
    return port


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_cancelling_a_popup_wait_closes_the_loopback_listener(tenant: DevTenant) -> None:
    async def main() -> None:
        browser = AsyncBrowser(tenant, log_in=False)
        task = asyncio.ensure_future(
            aio_web(tenant).popup.authorize(opener=browser, redirect_uri=LOOPBACK, timeout=120)
        )
        await asyncio.wait_for(browser.opened.wait(), 30)
        port = listener_port(browser.urls[0])
        assert accepts_connections(port)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The core's wait ended (it would otherwise listen for 120 s): the
        # listener closes once its CancelToken is seen.
        for _ in range(100):
            if not accepts_connections(port):
                return
            await asyncio.sleep(0.1)
        pytest.fail("the loopback listener is still open 10 s after the cancellation")

    run(main())


def test_cancelling_a_device_poll_stops_the_polling(device_tenant: DevTenant) -> None:
    async def main() -> None:
        web = aio_web(device_tenant)
        code = await web.device.start()
        # The log keeps the last 500 requests: start it empty, so it grows.
        device_tenant.dev("DELETE", "requests")
        before = len(device_tenant.requests("/oauth/token"))
        task = asyncio.ensure_future(web.device.poll(code, timeout=120))
        # Two polls (one a second) show the poller is running.
        for _ in range(100):
            if len(device_tenant.requests("/oauth/token")) >= before + 2:
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("the device code was not polled")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # A poll in flight may still land; after that, none for three
        # intervals. Without the cancellation reaching the core, one a second.
        await asyncio.sleep(1.0)
        settled = len(device_tenant.requests("/oauth/token"))
        await asyncio.sleep(3.0)
        assert len(device_tenant.requests("/oauth/token")) == settled

    run(main())


class RecordingExecutor(ThreadPoolExecutor):
    """A pool that keeps the futures of the calls it runs."""

    def __init__(self, workers: int) -> None:
        super().__init__(max_workers=workers)
        self.futures: List["Future[Any]"] = []

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> "Future[T]":
        future = super().submit(fn, *args, **kwargs)
        self.futures.append(future)
        return future


def test_a_cancelled_call_returns_at_once_and_drops_its_request(
    fresh_tenant: DevTenant,
) -> None:
    unhandled: List[Dict[str, Any]] = []
    pool = RecordingExecutor(2)

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: unhandled.append(ctx))
        web = aio_web(fresh_tenant, executor=pool)
        fresh_tenant.fault(path="/oauth/token", latency_ms=2000)
        task = asyncio.ensure_future(web.client.login(**login_options(fresh_tenant)))
        for _ in range(100):
            if fresh_tenant.requests("/oauth/token"):
                break
            await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The request was dropped: its worker ends without waiting for the
        # server's late answer (2 s away).
        assert len(pool.futures) == 1
        late = asyncio.wrap_future(pool.futures[0])
        # (Waited for, it would have given the login's result.)
        with pytest.raises(auth0_native.CancelledError):
            await late

    run(main())
    pool.shutdown()
    assert unhandled == []


def test_a_cancel_token_run_ends_a_blocking_call_waiting_for_its_answer(
    fresh_tenant: DevTenant,
) -> None:
    web = auth0_native.WebAuth(domain=fresh_tenant.domain, client_id=fresh_tenant.client_id)
    fresh_tenant.fault(path="/oauth/token", latency_ms=20000)
    token = auth0_native.CancelToken()

    def cancel_once_sent() -> None:
        for _ in range(200):
            if fresh_tenant.requests("/oauth/token"):
                break
            threading.Event().wait(0.05)
        token.cancel()

    threading.Thread(target=cancel_once_sent).start()
    # Not dropped, the call would log in, 20 s later.
    with pytest.raises(auth0_native.CancelledError):
        token.run(web.client.login, **login_options(fresh_tenant))
    with pytest.raises(TypeError):
        auth0_native.CancelToken().run(42)  # type: ignore[arg-type]


def test_a_waiting_call_leaves_the_event_loop_running(fresh_tenant: DevTenant) -> None:
    async def main() -> None:
        ticks = 0
        done = False

        async def ticker() -> None:
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0.01)

        fresh_tenant.fault(path="/oauth/token", latency_ms=1000)
        ticking = asyncio.ensure_future(ticker())
        await asyncio.sleep(0)
        start = ticks
        result = await aio_web(fresh_tenant).client.login(**login_options(fresh_tenant))
        done = True
        await ticking
        assert result["access_token"]
        # The loop ran the ticker while the login waited for the server; a
        # call on the loop's own thread would have frozen it at `start`.
        assert ticks - start >= 3

    run(main())


def test_fifty_concurrent_logins(tenant: DevTenant) -> None:
    async def main() -> List[auth0_native.AuthResult]:
        web = aio_web(tenant)
        return await asyncio.gather(*(web.client.login(**login_options(tenant)) for _ in range(50)))

    results = run(main())
    assert len(results) == 50
    for result in results:
        assert result["id_token_payload"] is not None
        assert result["id_token_payload"]["sub"] == TEST_USER_ID
    assert len({r["access_token"] for r in results}) == 50


def test_management_awaitables(fresh_tenant: DevTenant) -> None:
    async def main() -> None:
        web = aio_web(fresh_tenant)
        login = await web.client.login(
            audience=fresh_tenant.management_audience, scope=SCOPES, **login_options(fresh_tenant)
        )
        assert login["access_token"] is not None
        m = aio.Management(domain=fresh_tenant.domain, token=login["access_token"], timeout=10.0)
        assert m.domain == fresh_tenant.domain
        assert (await m.get_user(TEST_USER_ID))["user_id"] == TEST_USER_ID
        patched = await m.patch_user_metadata(TEST_USER_ID, {"theme": "dark"})
        assert patched["user_metadata"] == {"theme": "dark"}
        secondary = await web.client.login(
            username=SECOND_USER_EMAIL, password=SECOND_USER_PASSWORD, realm=fresh_tenant.connection
        )
        assert secondary["id_token"] is not None
        linked = await m.link_user(TEST_USER_ID, secondary["id_token"])
        assert len(linked) == 2
        remaining = await m.unlink_user(TEST_USER_ID, "auth0", SECOND_USER_ID.split("|")[1])
        assert len(remaining) == 1

    run(main())


def test_a_handle_runs_its_calls_on_the_executor_it_was_given(tenant: DevTenant) -> None:
    pool = RecordingExecutor(1)
    run(aio_web(tenant, executor=pool).client.login(**login_options(tenant)))
    pool.shutdown()
    assert len(pool.futures) == 1


def test_the_default_executor_is_bounded_and_replaceable() -> None:
    default = aio.default_executor()
    assert isinstance(default, ThreadPoolExecutor)
    assert default._max_workers == aio.DEFAULT_MAX_WORKERS
    mine = ThreadPoolExecutor(max_workers=2)
    aio.set_default_executor(mine)
    try:
        assert aio.default_executor() is mine
    finally:
        aio.set_default_executor(default)
        mine.shutdown()


def test_the_credentials_manager_and_the_refresh_token_grant(tenant: DevTenant) -> None:
    web = aio_web(tenant, scope="openid profile email offline_access")

    async def main() -> None:
        manager = aio.CredentialsManager(web)
        assert not await manager.has_valid_credentials()
        result = await web.client.login(**login_options(tenant))
        await manager.save(result)
        assert await manager.has_valid_credentials()
        # A min_ttl beyond the token's lifetime makes it renew on the pool.
        creds = await manager.credentials(min_ttl=10**9)
        assert creds["access_token"] != result["access_token"]
        assert creds["refresh_token"] != result["refresh_token"]
        user = await manager.user()
        assert user is not None and user["sub"] == TEST_USER_ID
        refreshed = await web.client.refresh_token(refresh_token=creds["refresh_token"])
        assert refreshed["access_token"]
        await web.client.revoke_token(refresh_token=refreshed["refresh_token"])
        await manager.clear(revoke=False)
        assert await manager.user() is None

    run(main())
