"""asyncio awaitables for every call of :mod:`auth0_native`.

``auth0_native.aio`` mirrors the blocking classes: the same constructors,
properties, arguments and result dicts, and every method is a coroutine::

    from auth0_native import aio

    web = aio.WebAuth(domain="me.auth0.com", client_id="abc")
    result = await web.client.login(username=..., password=..., realm=...)
    result = await web.popup.authorize(timeout=120)
    results = await asyncio.gather(*(web.client.login(...) for _ in range(50)))

The constructors are not coroutines: they only check the options (and
read a ``ca_file``), as the blocking ones do, and raise the same errors.

How a call runs: the blocking method is called on a worker of a bounded
thread pool (never on the event loop's thread; the native call releases
the GIL), and the coroutine awaits it (``loop.run_in_executor``). The pool
is :func:`default_executor` (:data:`DEFAULT_MAX_WORKERS` threads, made on
first use) unless a handle is given its own with ``executor=``; calls
beyond its size wait for a free worker.

Cancelling the task that awaits a call:

* ``popup.authorize``, ``device.poll`` and ``device.login`` get a
  :class:`~auth0_native.CancelToken` per call, which the cancellation
  cancels: the core closes the loopback listener or stops polling, and
  the worker is freed within about 50 ms. (Do not pass ``cancel=``: cancel
  the task instead.)
* every other call raises :class:`asyncio.CancelledError` at once, and
  its request is dropped where it is (not sent, or no longer waited for),
  so the worker is free at once too; a refresh token grant already sent
  is the exception: it finishes on its worker, so that the rotated refresh
  token it brings is kept (see :meth:`~auth0_native.CancelToken.run`).

Callbacks (``popup.authorize``'s ``opener``, ``device.login``'s
``on_code``) are called on the event loop's thread, and may be
coroutine functions; the call waits for them.

Adding a class (a new blocking class of the native module): subclass
``_Awaitables``, keep the blocking object in ``self._blocking`` and write
one line per method, ``return await self._call(self._blocking.method,
*args, **options)`` (``self._call_cancellable`` when the blocking method
takes ``cancel=``); expose it from the handle that owns it.
"""

import asyncio
import functools
import inspect
import threading
from concurrent.futures import Executor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as _FutureTimeout
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, TypeVar, Union

from . import _native
from ._native import CancelToken
from ._types import AuthorizeRequest, AuthResult, DeviceCode, PasswordlessStartResult, SignupResult

__all__ = [
    "DEFAULT_MAX_WORKERS",
    "Client",
    "CredentialsManager",
    "Device",
    "Mfa",
    "Management",
    "Popup",
    "Redirect",
    "WebAuth",
    "default_executor",
    "set_default_executor",
]

T = TypeVar("T")

DEFAULT_MAX_WORKERS = 32
"""The size of the default pool. The calls wait on the network with the GIL
released, so the pool is sized for concurrency, not for the CPU count. An
interactive wait (popup, device flow) holds one worker while it lasts."""

_executor: Optional[Executor] = None
_executor_lock = threading.Lock()


def default_executor() -> Executor:
    """The pool the handles without an ``executor=`` of their own use."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=DEFAULT_MAX_WORKERS, thread_name_prefix="auth0-native-aio"
            )
        return _executor


def set_default_executor(executor: Executor) -> None:
    """Makes ``executor`` the default pool (the previous one is not shut down)."""
    global _executor
    with _executor_lock:
        _executor = executor


class _Awaitables:
    """The wrapper of one blocking object: runs its methods on the pool."""

    __slots__ = ("_blocking", "_executor")

    def __init__(self, blocking: Any, executor: Optional[Executor]) -> None:
        self._blocking = blocking
        self._executor = executor

    async def _call(self, method: Callable[..., T], *args: Any, **options: Any) -> T:
        return await self._run(CancelToken(), method, args, options)

    async def _call_cancellable(self, method: Callable[..., T], *args: Any, **options: Any) -> T:
        token = CancelToken()
        return await self._run(token, method, args, dict(options, cancel=token))

    async def _run(
        self, token: CancelToken, method: Callable[..., T], args: Any, options: Dict[str, Any]
    ) -> T:
        loop = asyncio.get_running_loop()
        executor = self._executor or default_executor()
        call = functools.partial(token.run, method, *args, **options)
        try:
            return await loop.run_in_executor(executor, call)
        except asyncio.CancelledError:
            # Ends the core's wait (loopback listener, polling) and the
            # request in flight, so the worker is free at once.
            token.cancel()
            raise

    def __repr__(self) -> str:
        return f"aio.{self._blocking!r}"


def _on_loop(callback: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``callback`` as a blocking callable for a worker thread: each call
    runs it on the running loop's thread (awaiting it when it returns an
    awaitable) and waits for it."""
    loop = asyncio.get_running_loop()

    async def run(arg: Any) -> Any:
        result = callback(arg)
        if inspect.isawaitable(result):
            result = await result
        return result

    def call(arg: Any) -> Any:
        future = asyncio.run_coroutine_threadsafe(run(arg), loop)
        while True:
            try:
                return future.result(timeout=0.1)
            except _FutureTimeout:
                if loop.is_closed():
                    future.cancel()
                    raise RuntimeError("the event loop closed before the callback ran")

    return call


class WebAuth(_Awaitables):
    """The awaitable face of :class:`auth0_native.WebAuth`.

    ``aio.WebAuth(**options)`` takes the options of the blocking class
    (times in seconds), plus ``executor=``, the pool its calls run on.
    ``aio.WebAuth.from_blocking(web)`` wraps an existing handle (both then
    share transactions, cookies and the held refresh token).
    """

    __slots__ = ("client", "redirect", "popup", "device")

    def __init__(self, *, executor: Optional[Executor] = None, **options: Any) -> None:
        self._init(_native.WebAuth(**options), executor)

    @classmethod
    def from_blocking(cls, web: _native.WebAuth, executor: Optional[Executor] = None) -> "WebAuth":
        """Wraps the blocking handle ``web``."""
        self = cls.__new__(cls)
        self._init(web, executor)
        return self

    def _init(self, web: _native.WebAuth, executor: Optional[Executor]) -> None:
        _Awaitables.__init__(self, web, executor)
        self.client = Client(web.client, executor)
        self.redirect = Redirect(web.redirect, executor)
        self.popup = Popup(web.popup, executor)
        self.device = Device(web.device, executor)

    @property
    def blocking(self) -> _native.WebAuth:
        """The blocking handle this wraps."""
        web: _native.WebAuth = self._blocking
        return web

    @property
    def domain(self) -> str:
        """The ``domain`` option as given."""
        return self.blocking.domain

    @property
    def client_id(self) -> str:
        """The application's client id."""
        return self.blocking.client_id

    async def dpop_key_export(self) -> Optional[Dict[str, str]]:
        """:meth:`auth0_native.WebAuth.dpop_key_export` (no network; a
        coroutine only so that every method of the blocking class has one)."""
        exported: Optional[Dict[str, str]] = self.blocking.dpop_key_export()
        return exported

    async def authorize(self, **options: Any) -> str:
        """:meth:`auth0_native.WebAuth.authorize`: records a transaction, returns the URL."""
        return await self._call(self.blocking.authorize, **options)

    async def authorize_request(self, **options: Any) -> AuthorizeRequest:
        """:meth:`auth0_native.WebAuth.authorize_request`."""
        return await self._call(self.blocking.authorize_request, **options)

    async def parse_hash(self, hash: Optional[str] = None, **options: Any) -> Optional[AuthResult]:
        """:meth:`auth0_native.WebAuth.parse_hash`: checks the callback, exchanges a code."""
        return await self._call(self.blocking.parse_hash, hash, **options)

    async def validate_id_token(self, id_token: str, **options: Any) -> Dict[str, Any]:
        """:meth:`auth0_native.WebAuth.validate_id_token`."""
        return await self._call(self.blocking.validate_id_token, id_token, **options)

    async def login(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.WebAuth.login`: the headless cross-origin login."""
        return await self._call(self.blocking.login, **options)

    async def signup(self, **options: Any) -> SignupResult:
        """:meth:`auth0_native.WebAuth.signup`: creates a database user."""
        return await self._call(self.blocking.signup, **options)

    async def change_password(self, **options: Any) -> str:
        """:meth:`auth0_native.WebAuth.change_password`."""
        return await self._call(self.blocking.change_password, **options)

    async def passwordless_start(self, **options: Any) -> PasswordlessStartResult:
        """:meth:`auth0_native.WebAuth.passwordless_start`."""
        return await self._call(self.blocking.passwordless_start, **options)

    async def passwordless_verify(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.WebAuth.passwordless_verify`."""
        return await self._call(self.blocking.passwordless_verify, **options)

    async def renew_auth(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.WebAuth.renew_auth`: new tokens without the user."""
        return await self._call(self.blocking.renew_auth, **options)

    async def logout(self, **options: Any) -> str:
        """:meth:`auth0_native.WebAuth.logout`: the ``/v2/logout`` URL."""
        return await self._call(self.blocking.logout, **options)


class Client(_Awaitables):
    """The awaitable face of :class:`auth0_native.Client` (``web.client``)."""

    __slots__ = ("mfa",)

    def __init__(self, blocking: Any, executor: Optional[Executor]) -> None:
        super().__init__(blocking, executor)
        self.mfa = Mfa(blocking.mfa, executor)

    async def build_authorize_url(self, **options: Any) -> str:
        """:meth:`auth0_native.Client.build_authorize_url`."""
        return await self._call(self._blocking.build_authorize_url, **options)

    async def login(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.Client.login`: the password-realm grant."""
        return await self._call(self._blocking.login, **options)

    async def user_info(self, access_token: str, *, sub: Optional[str] = None) -> Dict[str, Any]:
        """:meth:`auth0_native.Client.user_info`: the user's profile."""
        return await self._call(self._blocking.user_info, access_token, sub=sub)

    async def passwordless_login(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.Client.passwordless_login`: the OTP grant."""
        return await self._call(self._blocking.passwordless_login, **options)

    async def refresh_token(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.Client.refresh_token`: the refresh-token grant."""
        return await self._call(self._blocking.refresh_token, **options)

    async def revoke_token(self, **options: Any) -> None:
        """:meth:`auth0_native.Client.revoke_token`: revokes a refresh token."""
        await self._call(self._blocking.revoke_token, **options)

    async def parse_invitation_url(self, url: str) -> Any:
        """:meth:`auth0_native.Client.parse_invitation_url` (no network; a
        coroutine only so that every method of the blocking class has one)."""
        return self._blocking.parse_invitation_url(url)


class Mfa(_Awaitables):
    """The awaitable face of :class:`auth0_native.Mfa` (``web.client.mfa``)."""

    __slots__ = ()

    async def challenge(self, mfa_token: str, **options: Any) -> Any:
        """:meth:`auth0_native.Mfa.challenge`: asks for a challenge."""
        return await self._call(self._blocking.challenge, mfa_token, **options)

    async def verify(self, mfa_token: str, **options: Any) -> Any:
        """:meth:`auth0_native.Mfa.verify`: finishes the login.

        Cancelling the task stops the polling of an out-of-band code.
        """
        return await self._call_cancellable(self._blocking.verify, mfa_token, **options)

    async def authenticators(self, mfa_token: str) -> Any:
        """:meth:`auth0_native.Mfa.authenticators`: the user's authenticators."""
        return await self._call(self._blocking.authenticators, mfa_token)

    async def associate(self, mfa_token: str, **options: Any) -> Any:
        """:meth:`auth0_native.Mfa.associate`: enrols an authenticator."""
        return await self._call(self._blocking.associate, mfa_token, **options)


class Redirect(_Awaitables):
    """The awaitable face of :class:`auth0_native.Redirect` (``web.redirect``)."""

    __slots__ = ()

    async def login_with_credentials(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.Redirect.login_with_credentials`."""
        return await self._call(self._blocking.login_with_credentials, **options)


class Popup(_Awaitables):
    """The awaitable face of :class:`auth0_native.Popup` (``web.popup``)."""

    __slots__ = ()

    async def authorize(
        self, *, opener: Optional[Callable[[str], object]] = None, **options: Any
    ) -> AuthResult:
        """:meth:`auth0_native.Popup.authorize`: the login through a browser.

        ``opener(url)`` runs on the event loop's thread (it may be a
        coroutine function). Cancelling the task closes the loopback
        listener.
        """
        if opener is not None:
            options["opener"] = _on_loop(opener)
        return await self._call_cancellable(self._blocking.authorize, **options)

    async def login_with_credentials(self, **options: Any) -> AuthResult:
        """:meth:`auth0_native.Popup.login_with_credentials`."""
        return await self._call(self._blocking.login_with_credentials, **options)


class Device(_Awaitables):
    """The awaitable face of :class:`auth0_native.Device` (``web.device``)."""

    __slots__ = ()

    async def start(self, **options: Any) -> DeviceCode:
        """:meth:`auth0_native.Device.start`: asks for a device code."""
        return await self._call(self._blocking.start, **options)

    async def poll(
        self, code: Union[DeviceCode, Mapping[str, Any]], *, timeout: Optional[float] = None
    ) -> AuthResult:
        """:meth:`auth0_native.Device.poll`: waits for the user's approval.

        Cancelling the task stops the polling.
        """
        return await self._call_cancellable(self._blocking.poll, code, timeout=timeout)

    async def login(
        self, on_code: Callable[[DeviceCode], Union[object, Awaitable[object]]], **options: Any
    ) -> AuthResult:
        """:meth:`auth0_native.Device.login`: ``start``, ``on_code(code)``, ``poll``.

        ``on_code`` runs on the event loop's thread (it may be a coroutine
        function). Cancelling the task stops the polling.
        """
        return await self._call_cancellable(self._blocking.login, _on_loop(on_code), **options)


class CredentialsManager(_Awaitables):
    """The awaitable face of :class:`auth0_native.CredentialsManager`.

    ``CredentialsManager(web, storage=None)`` takes an :class:`aio.WebAuth`
    (or a blocking :class:`auth0_native.WebAuth`) and the same ``storage``
    as the blocking class. A renewal waits for the store's lock on the pool,
    never on the event loop's thread.
    """

    __slots__ = ()

    def __init__(
        self,
        web: Union["WebAuth", _native.WebAuth],
        storage: Any = None,
        *,
        executor: Optional[Executor] = None,
    ) -> None:
        blocking_web = web.blocking if isinstance(web, WebAuth) else web
        if executor is None and isinstance(web, WebAuth):
            executor = web._executor
        super().__init__(_native.CredentialsManager(blocking_web, storage), executor)

    @property
    def blocking(self) -> _native.CredentialsManager:
        """The blocking manager this wraps."""
        manager: _native.CredentialsManager = self._blocking
        return manager

    async def save(self, auth_result: Mapping[str, Any]) -> None:
        """:meth:`auth0_native.CredentialsManager.save`."""
        await self._call(self._blocking.save, auth_result)

    async def credentials(self, **options: Any) -> Dict[str, Any]:
        """:meth:`auth0_native.CredentialsManager.credentials`: valid
        credentials, renewed first when needed."""
        creds: Dict[str, Any] = await self._call(self._blocking.credentials, **options)
        return creds

    async def has_valid_credentials(self, min_ttl: float = 0) -> bool:
        """:meth:`auth0_native.CredentialsManager.has_valid_credentials`."""
        valid: bool = await self._call(self._blocking.has_valid_credentials, min_ttl)
        return valid

    async def user(self) -> Optional[Dict[str, Any]]:
        """:meth:`auth0_native.CredentialsManager.user`."""
        user: Optional[Dict[str, Any]] = await self._call(self._blocking.user)
        return user

    async def clear(self, revoke: bool = True) -> None:
        """:meth:`auth0_native.CredentialsManager.clear`: revokes and removes."""
        await self._call(self._blocking.clear, revoke)


class Management(_Awaitables):
    """The awaitable face of :class:`auth0_native.Management`.

    ``aio.Management(**options)`` takes the options of the blocking class
    (times in seconds), plus ``executor=``;
    ``aio.Management.from_blocking(m)`` wraps an existing one.
    """

    __slots__ = ()

    def __init__(self, *, executor: Optional[Executor] = None, **options: Any) -> None:
        super().__init__(_native.Management(**options), executor)

    @classmethod
    def from_blocking(
        cls, management: _native.Management, executor: Optional[Executor] = None
    ) -> "Management":
        """Wraps the blocking client ``management``."""
        self = cls.__new__(cls)
        _Awaitables.__init__(self, management, executor)
        return self

    @property
    def blocking(self) -> _native.Management:
        """The blocking client this wraps."""
        management: _native.Management = self._blocking
        return management

    @property
    def domain(self) -> str:
        """The ``domain`` option as given."""
        return self.blocking.domain

    async def get_user(self, user_id: str) -> Dict[str, Any]:
        """:meth:`auth0_native.Management.get_user`."""
        return await self._call(self.blocking.get_user, user_id)

    async def patch_user_metadata(
        self, user_id: str, user_metadata: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """:meth:`auth0_native.Management.patch_user_metadata`."""
        return await self._call(self.blocking.patch_user_metadata, user_id, user_metadata)

    async def link_user(self, user_id: str, secondary_user_token: str) -> List[Dict[str, Any]]:
        """:meth:`auth0_native.Management.link_user`."""
        return await self._call(self.blocking.link_user, user_id, secondary_user_token)

    async def unlink_user(
        self, user_id: str, provider: str, identity_user_id: str
    ) -> List[Dict[str, Any]]:
        """:meth:`auth0_native.Management.unlink_user`."""
        return await self._call(self.blocking.unlink_user, user_id, provider, identity_user_id)
