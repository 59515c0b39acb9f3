"""Log a user in with a password and read their profile (client.login + client.user_info).

    python examples/python/login.py

With no configuration it starts a local dev tenant and logs its test user in.
For a real tenant set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_USERNAME,
AUTH0_PASSWORD (and AUTH0_CONNECTION, default Username-Password-Authentication);
the application must allow the password-realm grant. Tokens are never
printed, only their length.
"""

import auth0_native
from _devtenant import redacted, tenant


def main() -> None:
    with tenant() as t:
        web = auth0_native.WebAuth(
            domain=t.domain, client_id=t.client_id, scope="openid profile email"
        )

        # The password-realm grant; the id_token is verified before this returns.
        result = web.client.login(username=t.username, password=t.password, realm=t.connection)
        print("client.login:")
        print("  access token: ", redacted(result["access_token"]))
        print("  id token:     ", redacted(result["id_token"]))
        print("  expires in:   ", result["expires_in"], "s")
        claims = result["id_token_payload"] or {}
        print("  verified id_token: sub =", claims.get("sub"), " email =", claims.get("email"))

        # The profile, exactly as the tenant sent it.
        assert result["access_token"] is not None
        profile = web.client.user_info(result["access_token"])
        print("user_info: name =", profile.get("name"), " email =", profile.get("email"))

        # A wrong password is a ServerError; the password is never in it.
        try:
            web.client.login(username=t.username, password="not-the-password", realm=t.connection)
        except auth0_native.ServerError as e:
            print(f"wrong password: {type(e).__name__} {e.status_code} {e.code}: {e}")
        print("login: ok")


if __name__ == "__main__":
    main()
