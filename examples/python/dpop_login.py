"""Log in with DPoP-bound tokens (RFC 9449) and show a stolen token is useless.

    python examples/python/dpop_login.py

``dpop=True`` gives the handle a P-256 key pair: every token request and
``user_info`` carry a DPoP proof signed with it, and the access token is
bound to the key (its ``cnf.jkt`` is the key's thumbprint). The same token
presented without the key (a bare Bearer use) is refused. The key is then
exported, as an app stores it next to its tokens, and given to a new
handle. With no configuration it uses a local dev tenant (its DPoP support
is what this shows; a real tenant needs DPoP enabled for the application).
Tokens and the private key are never printed.
"""

import auth0_native
from _devtenant import tenant


def main() -> None:
    with tenant() as t:
        web = auth0_native.WebAuth(domain=t.domain, client_id=t.client_id, dpop=True)
        key = web.dpop_key_export()
        assert key is not None
        print("DPoP key thumbprint:", key["thumbprint"])

        result = web.client.login(
            username=t.username, password=t.password, realm=t.connection, scope="openid email"
        )
        print("token_type:", result["token_type"])
        access_token = result["access_token"]
        assert access_token
        print("user_info with the proof:", web.client.user_info(access_token).get("email"))

        thief = auth0_native.WebAuth(domain=t.domain, client_id=t.client_id)
        try:
            thief.client.user_info(access_token)
            raise SystemExit("a bound token was accepted without its key")
        except auth0_native.ServerError as e:
            print(f"bare Bearer use refused: {type(e).__name__} {e.status_code}")

        later = auth0_native.WebAuth(
            domain=t.domain, client_id=t.client_id, dpop_key=key["dpop_key"]
        )
        later.client.user_info(access_token)
        print("user_info from a new handle with the stored key: ok")
        print("dpop login: ok")


if __name__ == "__main__":
    main()
