"""Auth0 for native Python programs: auth0.js v8's operations, without a browser runtime.

>>> import auth0_native
>>> web = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc", _send_telemetry=False)
>>> web.client.build_authorize_url(state="xyz")
'https://me.auth0.com/authorize?client_id=abc&response_type=token&state=xyz'

Options are keywords named in snake_case (``client_id``, ``redirect_uri``) or
with auth0.js's own names (``clientID``, ``redirectUri``). Errors are
subclasses of :class:`Auth0Error`.
"""

from ._errors import (
    Auth0Error,
    Auth0TimeoutError,
    AuthorizationError,
    CancelledError,
    InternalError,
    InvalidArgumentError,
    InvalidTokenError,
    NetworkError,
    ServerError,
    StorageError,
)
from ._native import Client, WebAuth, __version__
from ._types import AuthorizeRequest, TransactionOptions

__all__ = [
    "Auth0Error",
    "Auth0TimeoutError",
    "AuthorizationError",
    "AuthorizeRequest",
    "CancelledError",
    "Client",
    "InternalError",
    "InvalidArgumentError",
    "InvalidTokenError",
    "NetworkError",
    "ServerError",
    "StorageError",
    "TransactionOptions",
    "WebAuth",
    "__version__",
]
