"""Code as an application writes it; `mypy --strict` must accept it (test_stubs.py).

Not a test module (pytest collects only test_*.py); running it is harmless.
"""

from typing import Any, Dict, List, Optional

import auth0_native
from auth0_native import (
    AuthorizeRequest,
    AuthResult,
    CancelToken,
    DeviceCode,
    InvalidArgumentError,
    PasswordlessStartResult,
    ServerError,
    SignupResult,
    TransactionOptions,
)


def login_url(web: auth0_native.WebAuth) -> str:
    request: AuthorizeRequest = web.authorize_request(connection="github", pkce=True)
    nonce: Optional[str] = request.get("nonce")
    assert nonce is None or len(nonce) > 0
    return request["url"]


def log_in(web: auth0_native.WebAuth) -> Optional[str]:
    """The network calls as an application types them (never run here)."""
    try:
        result: AuthResult = web.client.login(username="u", password="p", realm="db")
    except ServerError as e:
        retry: Optional[int] = e.retry_after
        reset: Optional[int] = e.rate_limit_reset
        print(e.status_code, retry, reset)
        return None
    payload: Optional[Dict[str, Any]] = result["id_token_payload"]
    profile: Dict[str, Any] = web.client.user_info(result["access_token"] or "")
    parsed: Optional[AuthResult] = web.parse_hash("#access_token=x&state=s", nonce="n")
    claims: Dict[str, Any] = web.validate_id_token(result["id_token"] or "", max_age=3600)
    signed_up: SignupResult = web.signup(connection="db", email="a@b.c", password="p")
    started: PasswordlessStartResult = web.passwordless_start(
        connection="email", send="code", email="a@b.c"
    )
    web.passwordless_verify(connection="email", email="a@b.c", verification_code="123456")
    web.client.passwordless_login(connection="email", email="a@b.c", verification_code="1")
    web.redirect.login_with_credentials(username="u", password="p", connection="db")
    web.popup.login_with_credentials(email="u", password="p")
    web.login(username="u", password="p", realm="db")
    text: str = web.change_password(connection="db", email="a@b.c")
    renewed: AuthResult = web.renew_auth(timeout=10.0)
    print(payload, profile, parsed, claims, signed_up["id"], started["id"], text, renewed)
    return result["access_token"]


def interactive(web: auth0_native.WebAuth) -> None:
    """The interactive logins as an application types them (never run here)."""
    cancel = CancelToken()
    opened: List[str] = []
    popup: AuthResult = web.popup.authorize(opener=opened.append, cancel=cancel, timeout=60.0)
    code: DeviceCode = web.device.start(scope="openid")
    qr: str = code["qr"]["text"]
    polled: AuthResult = web.device.poll(code, cancel=cancel, timeout=60.0)

    def show(c: DeviceCode) -> None:
        print(c["user_code"], c["verification_uri"])

    device: AuthResult = web.device.login(show, cancel=cancel, scope="openid")
    cancelled: bool = cancel.cancelled
    print(popup, qr, polled, device, cancelled)


def manage(token: str) -> None:
    """The Management client as an application types it (never run here)."""
    m = auth0_native.Management(domain="me.auth0.com", token=token, retry=True)
    user: Dict[str, Any] = m.get_user("auth0|1")
    patched: Dict[str, Any] = m.patch_user_metadata("auth0|1", {"theme": "dark"})
    linked: List[Dict[str, Any]] = m.link_user("auth0|1", "other-token")
    remaining: List[Dict[str, Any]] = m.unlink_user("auth0|1", "auth0", "2")
    print(user, patched, linked, remaining)


async def log_in_from_asyncio(web: auth0_native.aio.WebAuth) -> Optional[str]:
    """The awaitable face, as an asyncio application types it (never run here)."""
    result: AuthResult = await web.client.login(username="u", password="p", realm="r")
    url: str = await web.client.build_authorize_url(state="s", extra_params={"organization": "o"})
    parsed: Optional[AuthResult] = await web.parse_hash(url)
    code: DeviceCode = await web.device.start()
    polled: AuthResult = await web.device.poll(code, timeout=60.0)

    async def show(code: DeviceCode) -> None:
        print(code["user_code"])

    device: AuthResult = await web.device.login(show, timeout=600)
    popup: AuthResult = await web.popup.authorize(opener=print, timeout=120)
    m = auth0_native.aio.Management(domain="me.auth0.com", token="t", timeout=10.0)
    user: Dict[str, Any] = await m.get_user("auth0|1")
    blocking: auth0_native.WebAuth = web.blocking
    print(parsed, polled, device, popup, user, blocking)
    return result["access_token"]


def main() -> None:
    store: TransactionOptions = {"store": "memory", "ttl": 600}
    web = auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc",
        redirect_uri="http://127.0.0.1:8080/callback",
        scope="openid profile",
        transaction=store,
    )
    domain: str = web.domain
    client_id: str = web.client_id
    url: str = web.client.build_authorize_url(state="xyz", login_hint="a@b.c")
    logout: str = web.logout(return_to="http://127.0.0.1:8080/", federated=True, client_id=None)
    version: str = auth0_native.__version__
    try:
        auth0_native.WebAuth(domain="", client_id="abc")
    except InvalidArgumentError as e:
        code: str = e.code
        status: Optional[int] = e.status_code
        print(code, status, e.description, e.error, e.error_description)
    print(domain, client_id, url, logout, version, login_url(web))


if __name__ == "__main__":
    main()
