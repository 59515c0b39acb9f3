"""Link a second account into the user's profile, then unlink it (Management API).

    python examples/python/link_accounts.py

Logs in the primary user with a Management API token (audience
https://DOMAIN/api/v2/, scopes read:current_user
update:current_user_identities) and the secondary user, links the second
into the first, prints the merged identities, and unlinks it again. With no
configuration it uses a local dev tenant and its two seeded users; for a
real tenant also set AUTH0_SECONDARY_USERNAME and AUTH0_SECONDARY_PASSWORD.
Tokens are never printed.
"""

import os
from typing import Any, Dict, List

import auth0_native
from _devtenant import tenant

SCOPES = "openid read:current_user update:current_user_identities"


def show(label: str, identities: List[Dict[str, Any]]) -> None:
    print(label)
    for i in identities:
        print(f"  {i['provider']}|{i['user_id']} ({i.get('connection')})")


def main() -> None:
    with tenant() as t:
        second_user = os.environ.get("AUTH0_SECONDARY_USERNAME", "other@example.com")
        second_password = os.environ.get("AUTH0_SECONDARY_PASSWORD", "Other-Passw0rd")
        web = auth0_native.WebAuth(domain=t.domain, client_id=t.client_id)
        # The Management API's audience: https://DOMAIN/api/v2/ (the dev
        # tenant's domain already carries its http:// scheme).
        origin = t.domain if "://" in t.domain else f"https://{t.domain}"

        # The primary user's token is the Management API token.
        primary = web.client.login(
            username=t.username,
            password=t.password,
            realm=t.connection,
            audience=f"{origin}/api/v2/",
            scope=SCOPES,
        )
        # The secondary user proves they own the account with their id_token.
        secondary = web.client.login(
            username=second_user, password=second_password, realm=t.connection
        )
        assert primary["access_token"] and primary["id_token_payload"]
        assert secondary["id_token"] and secondary["id_token_payload"]
        user_id = primary["id_token_payload"]["sub"]
        secondary_id = secondary["id_token_payload"]["sub"]
        print("primary:  ", user_id)
        print("secondary:", secondary_id)

        management = auth0_native.Management(domain=t.domain, token=primary["access_token"])
        identities = management.link_user(user_id, secondary["id_token"])
        show("linked; identities:", identities)

        provider, _, identity_id = secondary_id.partition("|")
        remaining = management.unlink_user(user_id, provider, identity_id)
        show("unlinked; identities:", remaining)
        print("link accounts: ok")


if __name__ == "__main__":
    main()
