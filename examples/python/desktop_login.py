"""The interactive desktop login: the system browser and a loopback listener (popup.authorize).

    python examples/python/desktop_login.py                   # opens your web browser
    python examples/python/desktop_login.py --headless-demo   # dev tenant: no browser

popup.authorize binds http://127.0.0.1:<free port>/callback, OPENS THE SYSTEM
BROWSER on the tenant's login page (PKCE, state and nonce handled), waits
for the browser to come back (Ctrl+C cancels, five minutes at most), checks
the answer and returns the tokens; the browser shows a "you are logged in"
page. The application must allow http://127.0.0.1/callback as a callback
URL. With no configuration it starts a local dev tenant (see _devtenant.py);
--headless-demo then passes an opener that fills in the tenant's login page
itself instead of opening a browser, for an unattended run. Tokens are never
printed, only their length.
"""

import argparse
import sys

import auth0_native
from _devtenant import RobotUser, redacted, tenant


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--headless-demo", action="store_true", help="log in without a browser (dev tenant only)"
    )
    args = parser.parse_args()

    with tenant() as t:
        if args.headless_demo and not t.is_dev:
            parser.error("--headless-demo works with the local dev tenant only")
        web = auth0_native.WebAuth(
            domain=t.domain,
            client_id=t.client_id,
            redirect_uri="http://127.0.0.1/callback",  # any free port
            scope="openid profile email",
        )
        # None = the system browser. An opener gets the URL and must return
        # once it is shown (raise if it cannot be).
        opener = RobotUser(t.username, t.password).log_in_soon if args.headless_demo else None
        if opener is None:
            print("Opening your web browser to log in...")
        try:
            # timeout: seconds (default five minutes).
            result = web.popup.authorize(opener=opener, timeout=120)
        except KeyboardInterrupt:
            print("cancelled.")
            return 130
        except auth0_native.Auth0Error as e:
            print(f"login failed: {type(e).__name__} {e.code}: {e}")
            return 1
        claims = result["id_token_payload"] or {}
        print("desktop login: ok")
        print("  access token: ", redacted(result["access_token"]))
        print("  id token:     ", redacted(result["id_token"]))
        print("  logged in as: ", claims.get("email"), f"({claims.get('sub')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
