"""The exceptions of auth0_native: one base, one subclass per error category.

The native module raises these (``src/errors.rs`` maps each of the core's
error kinds to one class); they are plain Python so that two of them can also
derive from the built-in exception a Python programmer would catch
(``ValueError``, ``TimeoutError``), and so that tests can raise them too.
"""

from typing import Any, ClassVar, Dict, Optional

__all__ = [
    "Auth0Error",
    "InvalidArgumentError",
    "NetworkError",
    "Auth0TimeoutError",
    "ServerError",
    "InvalidTokenError",
    "AuthorizationError",
    "MfaRequiredError",
    "CancelledError",
    "StorageError",
    "CredentialsError",
    "InternalError",
]


class Auth0Error(Exception):
    """Any error of auth0_native; ``str(error)`` is its description.

    Carries auth0.js's two error shapes: ``code`` / ``description`` /
    ``status_code`` / ``original`` and ``error`` / ``error_description``.
    Messages never contain a token, password, code or verifier.
    """

    _default_code: ClassVar[str] = "auth0_error"

    code: str
    """auth0.js's ``code``, e.g. ``"invalid_argument"``, ``"login_required"``."""
    description: str
    """auth0.js's ``description``: what went wrong, naming the option at fault."""
    status_code: Optional[int]
    """The HTTP status of the server's answer; ``None`` unless a server answered."""
    original: Optional[Dict[str, Any]]
    """The server's answer body, when there is one."""
    state: Optional[str]
    """The ``state`` an error callback carried, when it carried one."""
    retry_after: Optional[int]
    """Seconds to wait before trying again (a 429's ``Retry-After``), else ``None``."""
    rate_limit_reset: Optional[int]
    """When the rate limit resets, Unix seconds (``X-RateLimit-Reset``), else ``None``."""
    retryable: bool
    """Whether trying again may help (the network, a timeout, a 5xx or 429, or a
    renewal that failed for those reasons); ``False`` for ``invalid_grant``."""
    cause: Optional[str]
    """The server's own code behind a ``renew_failed`` (e.g. ``"invalid_grant"``)."""

    def __init__(
        self,
        description: str = "",
        *,
        code: Optional[str] = None,
        status_code: Optional[int] = None,
        original: Optional[Dict[str, Any]] = None,
        state: Optional[str] = None,
        retry_after: Optional[int] = None,
        rate_limit_reset: Optional[int] = None,
        retryable: bool = False,
        cause: Optional[str] = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.code = self._default_code if code is None else code
        self.status_code = status_code
        self.original = original
        self.state = state
        self.retry_after = retry_after
        self.rate_limit_reset = rate_limit_reset
        self.retryable = retryable
        self.cause = cause

    @property
    def error(self) -> str:
        """The same as ``code`` (auth0.js's parseHash error shape)."""
        return self.code

    @property
    def error_description(self) -> str:
        """The same as ``description`` (auth0.js's parseHash error shape)."""
        return self.description

    def __str__(self) -> str:
        return self.description


class InvalidArgumentError(Auth0Error, ValueError):
    """A caller mistake: a missing or ill-typed option. Nothing was sent."""

    _default_code = "invalid_argument"


class NetworkError(Auth0Error):
    """The server could not be reached, or the connection broke."""

    _default_code = "network_error"


class Auth0TimeoutError(Auth0Error, TimeoutError):
    """The operation did not finish within its time bound."""

    _default_code = "timeout"


class ServerError(Auth0Error):
    """The server answered with an HTTP error status (see ``status_code``)."""

    _default_code = "server_error"


class InvalidTokenError(Auth0Error):
    """A token, state or nonce did not validate."""

    _default_code = "invalid_token"


class AuthorizationError(Auth0Error):
    """The authorization server refused (``login_required``, ``access_denied``, ...)."""

    _default_code = "authorization_error"


class MfaRequiredError(AuthorizationError):
    """The user must pass a second factor (code ``"mfa_required"``).

    Raised by any login (``client.login``, passwordless, a code exchange, a
    refresh) of a user enrolled in MFA. Hand ``mfa_token`` to
    ``web.client.mfa.challenge`` / ``web.client.mfa.verify`` to finish the
    login. ``mfa_token`` is a secret: it is not part of ``str()``,
    ``repr()`` or ``args``; do not log it.
    """

    _default_code = "mfa_required"

    mfa_token: Optional[str]
    """The token that stands for the first factor the user passed."""

    def __init__(
        self,
        description: str = "",
        *,
        mfa_token: Optional[str] = None,
        code: Optional[str] = None,
        status_code: Optional[int] = None,
        original: Optional[Dict[str, Any]] = None,
        state: Optional[str] = None,
        retry_after: Optional[int] = None,
        rate_limit_reset: Optional[int] = None,
        retryable: bool = False,
        cause: Optional[str] = None,
    ) -> None:
        super().__init__(
            description,
            code=code,
            status_code=status_code,
            original=original,
            state=state,
            retry_after=retry_after,
            rate_limit_reset=rate_limit_reset,
            retryable=retryable,
            cause=cause,
        )
        self.mfa_token = mfa_token


class CancelledError(Auth0Error):
    """The operation was cancelled by the caller."""

    _default_code = "cancelled"


class StorageError(Auth0Error):
    """Local state (the transaction file) could not be read or written."""

    _default_code = "storage_error"


class CredentialsError(Auth0Error):
    """The credentials manager could not give credentials (``no_credentials``,
    ``no_refresh_token``, ``renew_failed``, ``revoke_failed``)."""

    _default_code = "credentials_error"


class InternalError(Auth0Error):
    """A bug in auth0_native (code ``"panic"`` for a caught panic)."""

    _default_code = "internal_error"
