"""Auth0 for native Python programs: auth0.js v8's operations, without a browser runtime.

>>> import auth0_native
>>> web = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc", _send_telemetry=False)
>>> web.client.build_authorize_url(state="xyz")
'https://me.auth0.com/authorize?client_id=abc&response_type=token&state=xyz'

Logging in, as a desktop app (system browser + loopback listener), with a
password, or on a kiosk (the device flow)::

    result = web.popup.authorize()
    result = web.client.login(username=..., password=..., realm="Username-Password-Authentication")
    result = web.device.login(lambda code: print(code["user_code"]))

Options are keywords named in snake_case (``client_id``, ``redirect_uri``) or
with auth0.js's own names (``clientID``, ``redirectUri``); a keyword a method
does not take is a ``TypeError``, and ``/authorize`` parameters without a
keyword of their own go in ``extra_params={...}``. Times (``timeout``,
``connect_timeout``, the ``retry`` delays) are in seconds. Results are dicts
(``AuthResult`` and the other ``TypedDict`` classes) whose top-level keys are
snake_case; nested data is left as sent. Errors are subclasses of
:class:`Auth0Error`. Every call releases the GIL.

For asyncio, :mod:`auth0_native.aio` has the same classes with every method
a coroutine: ``result = await aio.WebAuth(...).client.login(...)``.
"""

from ._errors import (
    Auth0Error,
    Auth0TimeoutError,
    AuthorizationError,
    CancelledError,
    CredentialsError,
    InternalError,
    InvalidArgumentError,
    InvalidTokenError,
    MfaRequiredError,
    NetworkError,
    ServerError,
    StorageError,
)
from ._native import (
    CancelToken,
    Client,
    CredentialsManager,
    Device,
    Management,
    Mfa,
    Popup,
    Redirect,
    WebAuth,
    __version__,
)
from typing import TYPE_CHECKING

from ._types import (
    AuthorizeRequest,
    AuthResult,
    Credentials,
    CredentialStorage,
    DeviceCode,
    DeviceQrCode,
    Invitation,
    MfaAssociation,
    MfaAuthenticator,
    MfaAuthResult,
    MfaChallenge,
    PasswordlessStartResult,
    SignupResult,
    TransactionOptions,
)

__all__ = [
    "Auth0Error",
    "Auth0TimeoutError",
    "AuthResult",
    "AuthorizationError",
    "AuthorizeRequest",
    "CancelToken",
    "CancelledError",
    "Client",
    "CredentialStorage",
    "Credentials",
    "CredentialsError",
    "CredentialsManager",
    "Device",
    "DeviceCode",
    "DeviceQrCode",
    "InternalError",
    "Invitation",
    "InvalidArgumentError",
    "InvalidTokenError",
    "Management",
    "Mfa",
    "MfaAssociation",
    "MfaAuthResult",
    "MfaAuthenticator",
    "MfaChallenge",
    "MfaRequiredError",
    "NetworkError",
    "PasswordlessStartResult",
    "Popup",
    "Redirect",
    "ServerError",
    "SignupResult",
    "StorageError",
    "TransactionOptions",
    "WebAuth",
    "__version__",
    "aio",
]

if TYPE_CHECKING:
    from . import aio
else:

    def __getattr__(name: str) -> object:
        # ``aio`` is imported on first use: importing asyncio costs about
        # 40 ms, which a program that never awaits should not pay.
        if name == "aio":
            import importlib

            return importlib.import_module(".aio", __name__)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
