"""Code as an application writes it; `mypy --strict` must accept it (test_stubs.py).

Not a test module (pytest collects only test_*.py); running it is harmless.
"""

from typing import Optional

import auth0_native
from auth0_native import AuthorizeRequest, InvalidArgumentError, TransactionOptions


def login_url(web: auth0_native.WebAuth) -> str:
    request: AuthorizeRequest = web.authorize_request(connection="github", pkce=True)
    nonce: Optional[str] = request.get("nonce")
    assert nonce is None or len(nonce) > 0
    return request["url"]


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
