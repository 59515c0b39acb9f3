"""The shapes of the dicts auth0_native returns.

Real classes, not only stub declarations, so that ``from auth0_native import
AuthorizeRequest`` also works at run time (in an annotation, a cast, a test).
"""

import os
from typing import Any, Dict, List, Optional, Protocol, TypedDict, Union

__all__ = [
    "AuthResult",
    "AuthorizeRequest",
    "Credentials",
    "CredentialStorage",
    "DeviceCode",
    "DeviceQrCode",
    "Invitation",
    "MfaAssociation",
    "MfaAuthenticator",
    "MfaAuthResult",
    "MfaChallenge",
    "PasswordlessStartResult",
    "SignupResult",
    "TransactionOptions",
]


class AuthResult(TypedDict):
    """What the logins return: auth0.js's authResult, keys in snake_case.

    All nine keys are always present; a value is ``None`` when the answer
    did not carry it. ``id_token_payload`` holds the verified id_token's
    claims and ``app_state`` the value given to ``authorize``, both exactly
    as they were sent (their keys are never re-cased). Tokens are secrets:
    do not log them.
    """

    access_token: Optional[str]
    id_token: Optional[str]
    id_token_payload: Optional[Dict[str, Any]]
    app_state: Any
    refresh_token: Optional[str]
    state: Optional[str]
    expires_in: Optional[int]
    token_type: Optional[str]
    scope: Optional[str]


class Credentials(TypedDict):
    """What ``CredentialsManager.credentials`` returns: valid credentials,
    keys in snake_case. ``expires_at`` is the access token's expiry in unix
    seconds and ``expires_in`` the seconds left when the call returned.
    Tokens are secrets: do not log them."""

    access_token: str
    token_type: str
    id_token: Optional[str]
    refresh_token: Optional[str]
    expires_at: int
    expires_in: int
    scope: Optional[str]
    id_token_payload: Optional[Dict[str, Any]]


class CredentialStorage(Protocol):
    """An app's own storage for ``CredentialsManager(web, storage=obj)``
    (a game's save system). The blob is opaque bytes holding the tokens.

    The methods are called from whichever thread uses the manager, with
    the GIL held for the call only; an exception they raise becomes a
    ``StorageError`` carrying its message (which must hold no secret)."""

    def load(self) -> Optional[bytes]:
        """The stored blob, or ``None`` when nothing is stored."""

    def save(self, blob: bytes) -> None:
        """Replaces the stored blob, as atomically as the storage allows."""

    def delete(self) -> None:
        """Removes the blob; removing nothing must succeed."""


class DeviceQrCode(TypedDict):
    """A QR code of the activation URL: ``text`` for a terminal (Unicode
    half blocks, light modules drawn: print it on a dark background) and
    ``svg``, an SVG document for a UI."""

    text: str
    svg: str


class _DeviceCodeRequired(TypedDict):
    device_code: str
    user_code: str
    verification_uri: str
    qr: DeviceQrCode


class DeviceCode(_DeviceCodeRequired, total=False):
    """What ``web.device.start`` returns (the server's answer, plus ``qr``).

    Show ``user_code`` and ``verification_uri`` (or the QR code of
    ``verification_uri_complete``) to the user; pass the whole dict to
    ``web.device.poll``. ``device_code`` is the device's credential until the
    login ends: keep it to yourself. ``expires_in`` and ``interval`` are
    seconds.
    """

    verification_uri_complete: str
    expires_in: int
    interval: int


class _SignupResultRequired(TypedDict):
    id: str
    email: str


class SignupResult(_SignupResultRequired, total=False):
    """What ``web.signup`` returns: the new user's ``id`` (without the
    ``auth0|`` prefix), ``email`` and ``email_verified``; ``username`` when
    the connection uses one."""

    email_verified: bool
    username: str


class _PasswordlessStartRequired(TypedDict):
    id: str


class PasswordlessStartResult(_PasswordlessStartRequired, total=False):
    """What ``web.passwordless_start`` returns: the passwordless user's
    ``id`` and ``email`` (or ``phone_number``), and ``email_verified``."""

    email: str
    phone_number: str
    email_verified: bool


class _AuthorizeRequestRequired(TypedDict):
    url: str
    state: str


class AuthorizeRequest(_AuthorizeRequestRequired, total=False):
    """What ``WebAuth.authorize_request`` returns.

    ``url`` is the ``/authorize`` URL to open; ``state`` the value recorded in
    the handle's transaction store (generated unless you passed one);
    ``nonce`` is present when the response type has ``id_token``.
    """

    nonce: str


class TransactionOptions(TypedDict, total=False):
    """The ``transaction`` option of ``WebAuth``: where ``authorize`` records state.

    ``store`` is ``"memory"`` (the default, per handle) or ``"file"`` (one
    file per tenant and client, mode 0600, for an app that the OS starts
    again with the callback URL); ``path`` the file (implies ``"file"``);
    ``ttl`` the lifetime of an entry in seconds (default 1800, 1 to 86400).
    """

    store: str
    path: Union[str, "os.PathLike[str]"]
    ttl: int


class MfaAuthResult(AuthResult):
    """What ``web.client.mfa.verify`` returns: the authResult (id_token
    verified) plus ``recovery_code``, the user's next recovery code after a
    recovery-code login (``None`` otherwise; a secret to show the user)."""

    recovery_code: Optional[str]


class _MfaChallengeRequired(TypedDict):
    challenge_type: str


class MfaChallenge(_MfaChallengeRequired, total=False):
    """What ``web.client.mfa.challenge`` returns: ``challenge_type``
    ``"otp"`` or ``"oob"``; for ``"oob"`` the ``oob_code`` to verify, and
    ``binding_method`` ``"prompt"`` when the user must type the code they
    were sent (``binding_code``)."""

    oob_code: str
    binding_method: str


class _MfaAuthenticatorRequired(TypedDict):
    id: str
    authenticator_type: str
    active: bool


class MfaAuthenticator(_MfaAuthenticatorRequired, total=False):
    """One item of ``web.client.mfa.authenticators``: ``authenticator_type``
    is ``"otp"``, ``"oob"`` or ``"recovery-code"``."""

    name: str
    oob_channel: str


class _MfaAssociationRequired(TypedDict):
    authenticator_type: str
    recovery_codes: List[str]


class MfaAssociation(_MfaAssociationRequired, total=False):
    """What ``web.client.mfa.associate`` returns. ``secret`` (base32) and
    ``barcode_uri`` (``otpauth://``) are the new OTP key, ``recovery_codes``
    the user's recovery codes (first authenticator only): secrets to show
    the user once, never to log."""

    secret: str
    barcode_uri: str
    oob_channel: str
    oob_code: str
    binding_method: str


class Invitation(TypedDict):
    """What ``web.client.parse_invitation_url`` returns: pass
    ``organization`` and ``invitation`` to ``authorize``."""

    organization: str
    invitation: str
    organization_name: Optional[str]
