# Hand-written stubs of the native module (src/lib.rs), checked against it by
# mypy's stubtest (tests/test_stubs.py).
#
# Every method takes auth0.js's options as keywords: the common ones are
# spelled out below for editors and type checkers, and `**options` takes the
# rest, in snake_case (`login_hint`) or auth0.js's camelCase (`loginHint`).

from typing import Any, Mapping, final

from auth0_native._types import AuthorizeRequest, TransactionOptions

__all__ = ["WebAuth", "Client", "__version__"]

__version__: str
"""The version of auth0-native (the Rust crate's version)."""

@final
class WebAuth:
    """The Auth0 Authentication API client of one tenant and application.

    auth0.js's ``new auth0.WebAuth(options)``: the options are validated here,
    with auth0.js's messages (``InvalidArgumentError``), and auth0.js's
    defaults apply (``response_type`` is ``"code"`` when ``redirect_uri`` is
    given, else ``"token"``). Immutable, and safe to share between threads;
    every call releases the GIL.

    ``domain`` is ``"tenant.auth0.com"`` (``https://`` is implied) or, for a
    local dev tenant only, ``"http://127.0.0.1:PORT"``. Besides auth0.js's
    options: ``leeway`` (0 to 300 seconds of clock skew for token checks),
    ``transaction`` (see ``TransactionOptions``), ``pkce`` (add PKCE to
    ``authorize`` for ``code`` response types).
    """

    def __new__(
        cls,
        *,
        domain: str,
        client_id: str,
        redirect_uri: str | None = ...,
        response_type: str | None = ...,
        response_mode: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        leeway: float | None = ...,
        pkce: bool | None = ...,
        transaction: TransactionOptions | None = ...,
        overrides: Mapping[str, str] | None = ...,
        _send_telemetry: bool | None = ...,
        _telemetry_info: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> WebAuth: ...
    @property
    def domain(self) -> str:
        """The ``domain`` option as given."""
    @property
    def client_id(self) -> str:
        """The application's client id."""
    @property
    def client(self) -> Client:
        """auth0.js's ``webAuth.client``: calls that record no transaction."""
    def authorize(
        self,
        *,
        state: str | None = ...,
        nonce: str | None = ...,
        connection: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        response_type: str | None = ...,
        response_mode: str | None = ...,
        redirect_uri: str | None = ...,
        prompt: str | None = ...,
        login_hint: str | None = ...,
        max_age: int | None = ...,
        app_state: Any = ...,
        pkce: bool | None = ...,
        **options: Any,
    ) -> str:
        """auth0.js's ``webAuth.authorize(options)``: the ``/authorize`` URL to open.

        Records a transaction in the handle's store: the state (generated
        unless given), a nonce when the response type has ``id_token``, the
        ``app_state``, and a PKCE verifier when ``pkce`` is true and the
        response type has ``code``. Open the URL in the system browser or a
        web view; the URL the user is sent back to completes the login.
        """
    def authorize_request(
        self,
        *,
        state: str | None = ...,
        nonce: str | None = ...,
        connection: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        response_type: str | None = ...,
        response_mode: str | None = ...,
        redirect_uri: str | None = ...,
        prompt: str | None = ...,
        login_hint: str | None = ...,
        max_age: int | None = ...,
        app_state: Any = ...,
        pkce: bool | None = ...,
        **options: Any,
    ) -> AuthorizeRequest:
        """``authorize``, also returning the state and nonce it recorded.

        ``{"url": ..., "state": ..., "nonce": ...}``; ``nonce`` only when the
        response type has ``id_token``.
        """
    def logout(
        self,
        *,
        return_to: str | None = ...,
        client_id: str | None = ...,
        federated: bool | None = ...,
        **options: Any,
    ) -> str:
        """auth0.js's ``webAuth.logout(options)``: the ``/v2/logout`` URL.

        ``client_id`` defaults to the handle's; ``client_id=None`` leaves it
        out. ``federated=True`` adds a bare ``federated`` parameter.
        """

@final
class Client:
    """auth0.js's ``webAuth.client``: calls that record no transaction.

    Get it from ``WebAuth.client``; it shares that handle.
    """

    def build_authorize_url(
        self,
        *,
        state: str | None = ...,
        nonce: str | None = ...,
        connection: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        response_type: str | None = ...,
        response_mode: str | None = ...,
        redirect_uri: str | None = ...,
        client_id: str | None = ...,
        prompt: str | None = ...,
        login_hint: str | None = ...,
        max_age: int | None = ...,
        app_state: Any = ...,
        **options: Any,
    ) -> str:
        """auth0.js's ``client.buildAuthorizeUrl(options)``: the ``/authorize`` URL.

        Pure URL building: no state or nonce is generated or recorded (pass
        your own ``state``; a response type of ``id_token`` alone needs a
        ``nonce``).
        """
