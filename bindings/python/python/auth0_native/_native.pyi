# Hand-written stubs of the native module (src/lib.rs), checked against it by
# mypy's stubtest (tests/test_stubs.py).
#
# Every method takes auth0.js's options as keywords, in snake_case
# (`login_hint`) or auth0.js's camelCase (`loginHint`): the common ones are
# spelled out below for editors and type checkers; `**options` stands for the
# rest of the method's own table (src/keywords.rs). A keyword the method does
# not take raises TypeError naming it; `/authorize` parameters without a
# keyword go in `extra_params`. Times are seconds (float).

from typing import Any, Callable, Dict, List, Mapping, TypeVar, final

_T = TypeVar("_T")

from auth0_native._types import (
    AuthorizeRequest,
    AuthResult,
    Credentials,
    CredentialStorage,
    DeviceCode,
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
    "WebAuth",
    "Client",
    "Redirect",
    "Popup",
    "Device",
    "Mfa",
    "CancelToken",
    "Management",
    "CredentialsManager",
    "__version__",
]

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
    ``transaction`` (see ``TransactionOptions``; a file path is checked
    here), ``pkce`` (on by default for ``code`` response types; ``False``
    turns it off, which is unsafe for a native app), ``par`` (``True``:
    ``authorize`` and ``popup.authorize`` push their parameters to
    ``/oauth/par``, RFC 9126, and open a URL carrying only ``client_id`` and
    ``request_uri``; also a keyword of each call; ``client.build_authorize_url``
    stays local and refuses it), ``dpop`` (``True``: tokens are bound to a
    P-256 key pair of this handle, RFC 9449; every token request and
    ``user_info`` carries a DPoP proof, a stolen access token alone is
    refused), ``dpop_key`` (a key from ``dpop_key_export``, to keep using
    tokens stored with it), and the transport
    options ``timeout`` (seconds per HTTP request, default 30),
    ``connect_timeout`` (seconds, default 10), ``ca_file``, ``ca_pem``,
    ``proxy``, ``max_response_bytes``, ``retry`` (see ``Management``). An
    unknown keyword raises ``TypeError``.
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
        par: bool | None = ...,
        dpop: bool | None = ...,
        dpop_key: str | None = ...,
        transaction: TransactionOptions | None = ...,
        overrides: Mapping[str, str] | None = ...,
        timeout: float | None = ...,
        connect_timeout: float | None = ...,
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
    def dpop_key_export(self) -> Dict[str, str] | None:
        """The DPoP key tokens are bound to, to store next to them:
        ``{"thumbprint": ..., "dpop_key": ...}``, or ``None`` without DPoP.
        ``dpop_key`` (PKCS#8, base64url) is a secret, as precious as a
        refresh token; give it back as ``WebAuth(..., dpop_key=...)``.
        ``thumbprint`` is what bound access tokens carry as ``cnf.jkt``."""
    @property
    def client(self) -> Client:
        """The calls that record no transaction (auth0.js's ``webAuth.client``)."""
    @property
    def redirect(self) -> Redirect:
        """The headless password login (auth0.js's ``webAuth.redirect``)."""
    @property
    def popup(self) -> Popup:
        """The interactive login through a browser (auth0.js's ``webAuth.popup``)."""
    @property
    def device(self) -> Device:
        """The device flow (RFC 8628), for TVs, kiosks and terminals."""
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
        organization: str | None = ...,
        invitation: str | None = ...,
        max_age: int | None = ...,
        app_state: Any = ...,
        pkce: bool | None = ...,
        par: bool | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> str:
        """Starts a redirect login: returns the ``/authorize`` URL to open
        (auth0.js's ``webAuth.authorize(options)``).

        Records a transaction in the handle's store: the state (generated
        unless given), the response type and redirect URI asked for, a nonce
        when the response type has ``id_token`` or is a code flow with
        ``openid`` in its scope, the ``app_state``, and a PKCE verifier for
        every code flow unless ``pkce=False``. Open the URL in the system browser or a
        web view; the URL the user is sent back to completes the login.

        ``/authorize`` parameters without a keyword here (``organization``,
        ``screen_hint``, ...) go in ``extra_params``, sent as given.
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
        organization: str | None = ...,
        invitation: str | None = ...,
        max_age: int | None = ...,
        app_state: Any = ...,
        pkce: bool | None = ...,
        par: bool | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> AuthorizeRequest:
        """``authorize``, also returning the state and nonce it recorded.

        ``{"url": ..., "state": ..., "nonce": ...}``; ``nonce`` only when the
        response type has ``id_token``.
        """
    def parse_hash(
        self,
        hash: str | None = ...,
        *,
        state: str | None = ...,
        nonce: str | None = ...,
        **options: Any,
    ) -> AuthResult | None:
        """Completes a redirect login from the callback URL (auth0.js's
        ``webAuth.parseHash({hash, state, nonce})``).

        ``hash`` is what ``/authorize`` sent back: a fragment (``#access_token=...``),
        a query string, or the whole callback URL. It is checked against the
        transaction ``authorize`` recorded (single use: the state is taken out
        of the store first), a ``code`` is exchanged for tokens (with the PKCE
        verifier), and the id_token is verified. ``state`` / ``nonce`` replace
        the recorded ones, for apps that keep their own.

        Returns ``None`` when the answer holds no token and no code. An
        ``error=`` answer raises ``AuthorizationError`` with its ``code``,
        ``description`` and ``state``; a wrong state or token raises
        ``InvalidTokenError``.
        """
    def validate_id_token(
        self,
        id_token: str,
        *,
        nonce: str | None = ...,
        max_age: int | None = ...,
        access_token: str | None = ...,
        **options: Any,
    ) -> Dict[str, Any]:
        """Verifies an id_token obtained elsewhere; returns its claims.

        The checks ``parse_hash`` makes: RS256 signature with a key of the
        tenant's JWKS, ``iss``, ``aud`` / ``azp``, ``exp``, ``iat``, ``nbf``
        (with the handle's ``leeway``), and ``nonce``, ``max_age`` (seconds,
        against ``auth_time``) and ``at_hash`` (with ``access_token``) when
        given. Raises ``InvalidTokenError`` (``"Expired token."``, ...).
        """
    def login(
        self,
        *,
        username: str | None = ...,
        email: str | None = ...,
        password: str | None = ...,
        realm: str | None = ...,
        redirect_uri: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Logs in with a password, without a browser (auth0.js's
        cross-origin ``webAuth.login(options)``).

        ``/co/authenticate`` with the credentials, then ``/authorize`` with
        the login ticket, followed headlessly (the handle's own cookie jar)
        to ``redirect_uri``; the answer is checked as ``parse_hash`` does.
        A wrong password raises ``ServerError`` (403, ``access_denied``).
        """
    def signup(
        self,
        *,
        connection: str,
        email: str,
        password: str,
        username: str | None = ...,
        user_metadata: Mapping[str, Any] | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> SignupResult:
        """Creates a database user (auth0.js's ``webAuth.signup(options)``).

        ``user_metadata`` is sent with its keys as given; so are
        ``extra_params`` (other fields of the sign-up body). Also takes
        ``given_name``, ``family_name``, ``name``, ``nickname``,
        ``picture``. Raises
        ``ServerError`` with ``code`` ``"user_exists"``, ``"invalid_password"``
        (the password policy), ... The password never appears in an error.
        """
    def change_password(
        self,
        *,
        connection: str,
        email: str,
        **options: Any,
    ) -> str:
        """Asks the tenant to send a password reset e-mail; returns its text
        answer (auth0.js's ``webAuth.changePassword(options)``)."""
    def passwordless_start(
        self,
        *,
        connection: str,
        send: str,
        email: str | None = ...,
        phone_number: str | None = ...,
        auth_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> PasswordlessStartResult:
        """Sends a one-time code or a magic link (auth0.js's
        ``webAuth.passwordlessStart(options)``).

        ``connection`` is ``"email"`` or ``"sms"``; ``send`` is ``"code"`` (a
        one-time code for ``passwordless_verify`` or
        ``client.passwordless_login``) or ``"link"``; ``auth_params`` are the
        ``/authorize`` parameters of the link.
        """
    def passwordless_verify(
        self,
        *,
        connection: str,
        verification_code: str,
        email: str | None = ...,
        phone_number: str | None = ...,
        redirect_uri: str | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Logs in with the one-time code, through the tenant's redirect
        (auth0.js's ``webAuth.passwordlessVerify(options)``).

        Verifies the code, then follows the tenant's redirect headlessly to
        ``redirect_uri`` and checks the answer as ``parse_hash`` does. A
        wrong code raises ``ServerError`` (403, ``invalid_grant``).
        """
    def renew_auth(
        self,
        *,
        redirect_uri: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        timeout: float | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Gets new tokens without the user (auth0.js's
        ``webAuth.renewAuth(options)``).

        ``/authorize`` with ``prompt=none`` and the handle's SSO session (the
        cookie ``redirect.login_with_credentials`` or ``login`` left); when
        that says ``login_required`` and the handle holds a refresh token
        from an earlier login (scope ``offline_access``), the refresh token
        is used instead. Without either it raises ``AuthorizationError``
        with ``code`` ``"login_required"``. ``timeout`` bounds the whole
        call, in seconds (default 60).
        """
    def logout(
        self,
        *,
        return_to: str | None = ...,
        client_id: str | None = ...,
        federated: bool | None = ...,
        headless: bool | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> str:
        """Logs out: returns the ``/v2/logout`` URL and forgets the handle's
        session (auth0.js's ``webAuth.logout(options)``).

        ``client_id`` defaults to the handle's; ``client_id=None`` leaves it
        out. ``federated=True`` adds a bare ``federated`` parameter. The
        handle forgets its own session (cookies and refresh token);
        ``headless=True`` also requests the URL with those cookies, ending
        the tenant's SSO session without a browser.
        """

@final
class Client:
    """The calls that record no transaction (auth0.js's ``webAuth.client``).

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
        organization: str | None = ...,
        invitation: str | None = ...,
        max_age: int | None = ...,
        app_state: Any = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> str:
        """Builds the ``/authorize`` URL for the options (auth0.js's
        ``client.buildAuthorizeUrl(options)``).

        Pure URL building: no state or nonce is generated or recorded (pass
        your own ``state``; a response type of ``id_token`` alone needs a
        ``nonce``).
        """
    def login(
        self,
        *,
        username: str,
        password: str,
        realm: str,
        scope: str | None = ...,
        audience: str | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Logs in with a password: the password-realm grant (auth0.js's
        ``client.login(options)``).

        ``realm`` is the database connection. Returns the authResult with the
        verified ``id_token_payload`` (scope ``openid``). A wrong password
        raises ``ServerError`` with ``status_code`` 403 and ``code``
        ``"invalid_grant"``; the password never appears in an error.
        """
    def user_info(self, access_token: str, *, sub: str | None = ...) -> Dict[str, Any]:
        """Reads the user's profile, exactly as the server sent it (keys
        untouched) (auth0.js's ``client.userInfo(accessToken)``). With ``sub`` (the
        id_token's), a profile of another user raises ``InvalidTokenError``."""
    def passwordless_login(
        self,
        *,
        connection: str,
        verification_code: str,
        email: str | None = ...,
        phone_number: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Logs in with a one-time password: the code
        ``passwordless_start(send="code")`` sent, exchanged directly at
        ``/oauth/token``. A wrong code raises ``ServerError`` (403,
        ``invalid_grant``)."""
    @property
    def mfa(self) -> Mfa:
        """The MFA API, for the ``mfa_token`` of ``MfaRequiredError``."""
    def parse_invitation_url(self, url: str) -> Invitation:
        """Reads an organization invitation link (``?invitation=...&organization=org_...``).

        Pass its ``organization`` and ``invitation`` to ``authorize`` (or
        ``popup.authorize``) to accept the invitation. A link without them
        raises ``InvalidArgumentError`` naming the missing parameter.
        """
    def refresh_token(
        self, *, refresh_token: str, scope: str | None = ..., audience: str | None = ...
    ) -> AuthResult:
        """auth0.js's ``client.refreshToken(options)``: the refresh-token grant.

        Returns the authResult (its id_token verified). With refresh-token
        rotation on, it carries a new ``refresh_token`` and the one sent
        stops working: keep the new one (``CredentialsManager`` does). A
        revoked, expired or reused token raises ``ServerError`` (403,
        ``invalid_grant``)."""
    def revoke_token(self, *, refresh_token: str) -> None:
        """auth0.js's ``client.revokeToken(options)``: ``POST /oauth/revoke``;
        the refresh token and every token rotated from it stop working."""

@final
class Mfa:
    """Auth0's MFA API. Get it from ``WebAuth.client.mfa``.

    After a login raised ``MfaRequiredError``: ``challenge`` (optional for
    an authenticator app), then ``verify`` with the user's code; or
    ``associate`` to enrol a first authenticator. ``mfa_token`` is the
    error's ``mfa_token``; it and every code are secrets.
    """

    def challenge(
        self,
        mfa_token: str,
        *,
        challenge_type: str | None = ...,
        authenticator_id: str | None = ...,
        oob_channel: str | None = ...,
    ) -> MfaChallenge:
        """Asks for a challenge (``POST /mfa/challenge``): ``"otp"``,
        ``"oob"`` or ``"otp oob"`` (the tenant's choice when ``None``)."""
    def verify(
        self,
        mfa_token: str,
        *,
        otp: str | None = ...,
        oob_code: str | None = ...,
        binding_code: str | None = ...,
        recovery_code: str | None = ...,
        interval: float | None = ...,
        timeout: float | None = ...,
        cancel: CancelToken | None = ...,
    ) -> MfaAuthResult:
        """Finishes the login with exactly one of ``otp``, ``oob_code``
        (and ``binding_code``) or ``recovery_code``.

        An ``oob_code`` is polled every ``interval`` seconds (default 5, at
        least 1) until the user approves; ``timeout`` seconds bound the
        wait (``Auth0TimeoutError``), ``cancel`` and Ctrl+C end it. A wrong
        code raises ``ServerError`` (403, ``invalid_grant``) and leaves the
        ``mfa_token`` usable.
        """
    def authenticators(self, mfa_token: str) -> List[MfaAuthenticator]:
        """The user's authenticators (``GET /mfa/authenticators``)."""
    def associate(
        self,
        mfa_token: str,
        *,
        authenticator_types: List[str],
        oob_channels: List[str] | None = ...,
        phone_number: str | None = ...,
    ) -> MfaAssociation:
        """Enrols an authenticator (``POST /mfa/associate``); confirm it
        with ``verify`` and the same ``mfa_token``."""

@final
class Redirect:
    """The headless password login (auth0.js's ``webAuth.redirect``). Get it
    from ``WebAuth.redirect``."""

    def login_with_credentials(
        self,
        *,
        username: str | None = ...,
        email: str | None = ...,
        password: str,
        connection: str | None = ...,
        redirect_uri: str | None = ...,
        scope: str | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Logs in with a password on the tenant's login endpoint, without a
        browser (auth0.js's ``redirect.loginWithCredentials(options)``).

        Logs in at the tenant's login endpoint with the handle's own cookie
        jar (which then holds the SSO session ``renew_auth`` uses), follows
        the answer to ``redirect_uri`` and checks it as ``parse_hash`` does.
        """

@final
class Popup:
    """The interactive login through a browser (auth0.js's ``webAuth.popup``).
    Get it from ``WebAuth.popup``."""

    def authorize(
        self,
        *,
        opener: Callable[[str], object] | None = ...,
        cancel: CancelToken | None = ...,
        redirect_uri: str | None = ...,
        ports: List[int] | None = ...,
        timeout: float | None = ...,
        connection: str | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        response_type: str | None = ...,
        success_html: str | None = ...,
        error_html: str | None = ...,
        par: bool | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Logs the user in through a browser and a loopback listener
        (RFC 8252; auth0.js's ``popup.authorize(options)``).

        Binds a loopback listener for ``redirect_uri`` (a loopback ``http://``
        URL; default ``http://127.0.0.1/callback`` on a free port, or the
        first free one of ``ports``), records a transaction (state, nonce,
        PKCE), and opens the ``/authorize`` URL: with ``opener(url)`` when
        given, else **the system browser** (``xdg-open``, ``open``,
        ``rundll32``). Then waits for the browser to come back, at most
        ``timeout`` seconds (default 300), checks the answer as
        ``parse_hash`` does and shows the browser a success (``success_html``)
        or error (``error_html``) page.

        ``opener`` is called once, with the GIL, on a helper thread of this
        call; it must return once the URL is shown (not wait for the login)
        and raise to say it could not: the call then raises
        ``InvalidArgumentError`` with ``code`` ``"browser_open_failed"`` and
        the exception as ``__cause__``. The wait releases the GIL; it ends
        with ``Auth0TimeoutError``, with ``CancelledError`` when ``cancel``
        is cancelled, and with ``KeyboardInterrupt`` on Ctrl+C.
        """
    def login_with_credentials(
        self,
        *,
        username: str | None = ...,
        email: str | None = ...,
        password: str,
        connection: str | None = ...,
        redirect_uri: str | None = ...,
        scope: str | None = ...,
        extra_params: Mapping[str, Any] | None = ...,
        **options: Any,
    ) -> AuthResult:
        """Logs in with a password, without a browser: the same as
        ``redirect.login_with_credentials`` (auth0.js's
        ``popup.loginWithCredentials(options)``; no window is needed
        natively)."""

@final
class Device:
    """The device authorization flow (RFC 8628). Get it from ``WebAuth.device``.

    For a device without a convenient browser or keyboard: it shows a short
    code (and a QR code); the user approves on another device.
    """

    def start(
        self,
        *,
        scope: str | None = ...,
        audience: str | None = ...,
        **options: Any,
    ) -> DeviceCode:
        """Asks the tenant for a device code (``POST /oauth/device/code``).

        Returns its answer plus ``qr``, a QR code of the activation URL.
        """
    def poll(
        self,
        code: DeviceCode | Mapping[str, Any],
        *,
        cancel: CancelToken | None = ...,
        timeout: float | None = ...,
    ) -> AuthResult:
        """Waits for the user to approve ``code`` (what ``start`` returned).

        Polls the token endpoint every ``code["interval"]`` seconds (at
        least 1) with the GIL released. Raises ``AuthorizationError`` with
        ``code`` ``"access_denied"`` (refused) or ``"expired_token"``,
        ``Auth0TimeoutError`` after ``timeout`` seconds,
        ``CancelledError`` when ``cancel`` is cancelled, and
        ``KeyboardInterrupt`` on Ctrl+C.
        """
    def login(
        self,
        on_code: Callable[[DeviceCode], object],
        *,
        cancel: CancelToken | None = ...,
        scope: str | None = ...,
        audience: str | None = ...,
        timeout: float | None = ...,
        **options: Any,
    ) -> AuthResult:
        """``start``, then ``on_code(code)``, then ``poll`` — in one call.

        ``on_code`` shows the user the code (``code["user_code"]``,
        ``code["verification_uri"]``, ``code["qr"]["text"]``) and returns; it
        runs with the GIL on a helper thread of this call. An exception it
        raises ends the login and is raised as it is.
        """

@final
class CancelToken:
    """Ends a call from another thread: an interactive one given it as
    ``cancel=`` (``popup.authorize``, ``device.poll``, ``device.login``,
    ``mfa.verify``), or any call run through :meth:`run`. ``cancel()``
    makes it raise ``CancelledError`` promptly. Once cancelled it stays
    cancelled; use a fresh token per call."""

    def __new__(cls) -> CancelToken: ...
    def cancel(self) -> None:
        """Cancels the calls watching this token; safe from any thread."""
    @property
    def cancelled(self) -> bool:
        """Whether ``cancel()`` has been called."""
    def run(self, f: Callable[..., _T], /, *args: Any, **kwargs: Any) -> _T:
        """Calls ``f(*args, **kwargs)`` with this token watching every
        request the library makes for it on this thread: once ``cancel()``
        is called (from another thread), a request not yet sent is not sent
        and one waiting for its answer ends at once, with ``CancelledError``.
        ``auth0_native.aio`` runs every call so."""

@final
class Management:
    """Reads and updates the user's own profile through the Management API
    v2 (auth0.js's ``new auth0.Management({domain, token})``).

    ``token`` is an access token for the audience ``https://DOMAIN/api/v2/``
    with the scopes the calls need (``read:current_user``,
    ``update:current_user_metadata``, ``update:current_user_identities``).
    Results are the API's JSON exactly as sent. Errors: ``ServerError`` with
    ``status_code`` 401 (bad token), 403 (missing scope, another user), 404
    (no such user), 429 (rate limited: see ``retry_after``). Besides the
    transport options of ``WebAuth`` (``timeout`` and ``connect_timeout`` in
    seconds), ``retry=True`` (or ``{"max_attempts": 3, "base_delay": 0.25,
    "max_delay": 10.0, "total": 30.0}``, the delays and the total in seconds)
    retries 429s, and 5xx answers of ``get_user``, with backoff. Immutable and safe
    to share between threads; every call releases the GIL.
    """

    def __new__(
        cls,
        *,
        domain: str,
        token: str,
        timeout: float | None = ...,
        connect_timeout: float | None = ...,
        retry: bool | Mapping[str, float] | None = ...,
        _send_telemetry: bool | None = ...,
        **options: Any,
    ) -> Management: ...
    @property
    def domain(self) -> str:
        """The ``domain`` option as given."""
    def get_user(self, user_id: str) -> Dict[str, Any]:
        """Reads the user's profile (auth0.js's ``getUser(userId)``)."""
    def patch_user_metadata(
        self, user_id: str, user_metadata: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """Merges the top-level keys into the stored ``user_metadata`` (a
        ``None`` value deletes a key); returns the updated profile (auth0.js's
        ``patchUserMetadata(userId, userMetadata)``)."""
    def link_user(self, user_id: str, secondary_user_token: str) -> List[Dict[str, Any]]:
        """Links the account the token (its id_token or access token)
        belongs to into ``user_id``; returns the merged identities (auth0.js's
        ``linkUser(userId, secondaryUserToken)``)."""
    def unlink_user(
        self, user_id: str, provider: str, identity_user_id: str
    ) -> List[Dict[str, Any]]:
        """Unlinks the identity ``provider`` / ``identity_user_id`` from
        ``user_id`` (it becomes a user of its own again); returns the
        remaining identities."""

@final
class CredentialsManager:
    """Keeps the user logged in: stores one user's credentials and hands
    back valid ones, renewing them with the refresh token when they expire
    (Auth0.swift's and Auth0.Android's ``CredentialsManager``).

    ``storage``: ``None`` (memory, gone at exit); ``{"type": "file",
    "path": ..., "key": "<base64url of 32 bytes>"}`` (an AES-256-GCM file,
    0600; ``"keyring": {"service": ..., "account": ...}`` in place of
    ``"key"`` keeps a generated key in the OS keyring); ``{"type":
    "keyring", "service": ..., "account": ...}`` (the OS keyring); or an
    object with ``load()``, ``save(blob)`` and ``delete()``
    (``CredentialStorage``). At most one renewal runs at a time (across
    processes for a file store) and the threads that waited get its
    result. Safe to share between threads; every call releases the GIL.
    """

    def __new__(
        cls,
        web: WebAuth,
        storage: Mapping[str, Any] | CredentialStorage | None = ...,
    ) -> CredentialsManager: ...
    def save(self, auth_result: Mapping[str, Any]) -> None:
        """Stores the credentials of an authResult (what the logins
        return), replacing the stored ones; ``expires_in`` counts from now.
        ``access_token`` is required (``InvalidArgumentError``)."""
    def credentials(
        self, min_ttl: float = ..., scope: str | None = ..., audience: str | None = ...
    ) -> Credentials:
        """Valid credentials: the stored ones when the access token is valid
        for ``min_ttl`` more seconds and covers ``scope``, else renewed with
        the refresh token first (the rotated token is stored before this
        returns). ``CredentialsError``: ``code`` ``"no_credentials"``,
        ``"no_refresh_token"`` or ``"renew_failed"`` (the server's answer in
        ``original``; log the user in again on ``invalid_grant``)."""
    def has_valid_credentials(self, min_ttl: float = ...) -> bool:
        """Whether credentials are stored that are valid for ``min_ttl``
        more seconds or can be renewed. Never touches the network."""
    def user(self) -> Dict[str, Any] | None:
        """The verified id_token claims of the stored credentials, or
        ``None`` when nothing is stored."""
    def clear(self, revoke: bool = ...) -> None:
        """Revokes the stored refresh token (unless ``revoke=False``) and
        removes the stored credentials. When the revocation fails nothing is
        removed (``CredentialsError``, ``code`` ``"revoke_failed"``)."""
