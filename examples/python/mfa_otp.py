"""A password login that needs a second factor (MfaRequiredError + web.client.mfa).

    python examples/python/mfa_otp.py

client.login of a user enrolled in MFA raises MfaRequiredError; the user types
the code of their authenticator app and web.client.mfa.verify finishes the
login. The code is read from the terminal; when stdin is not a terminal, from
AUTH0_MFA_OTP.

With no configuration it starts a local dev tenant and enrols its test user in
OTP with the secret JBSWY3DPEHPK3PXP (add it to an authenticator app). For a
real tenant set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_USERNAME, AUTH0_PASSWORD
(and AUTH0_CONNECTION); the application must allow the password-realm and MFA
grants. Tokens and the mfa_token are never printed.
"""

import json
import os
import sys
import urllib.request

import auth0_native
from _devtenant import redacted, tenant

DEV_SECRET = "JBSWY3DPEHPK3PXP"


def enroll_dev_user(domain: str, email: str) -> None:
    """Dev tenant only: enrols the test user in OTP with the known secret."""
    body = json.dumps({"user": email, "type": "otp", "secret": DEV_SECRET}).encode()
    request = urllib.request.Request(
        f"{domain}/__dev/mfa/enroll", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10):
        pass
    print(f"dev tenant: {email} enrolled in OTP (secret {DEV_SECRET})")


def read_otp() -> str:
    if sys.stdin.isatty():
        return input("Code of your authenticator app: ").strip()
    code = os.environ.get("AUTH0_MFA_OTP", "").strip()
    if not code:
        sys.exit("stdin is not a terminal: set AUTH0_MFA_OTP to the one-time code")
    return code


def main() -> None:
    with tenant() as t:
        if t.is_dev:
            enroll_dev_user(t.domain, t.username)
        web = auth0_native.WebAuth(
            domain=t.domain, client_id=t.client_id, scope="openid profile email"
        )
        try:
            web.client.login(username=t.username, password=t.password, realm=t.connection)
            print("The user needs no second factor: logged in.")
            return
        except auth0_native.MfaRequiredError as e:
            # str(e) never shows the token; e.mfa_token is the secret itself.
            print(f"client.login: {type(e).__name__} {e.code}: {e}")
            mfa_token = e.mfa_token or ""

        challenge = web.client.mfa.challenge(mfa_token, challenge_type="otp")
        print("mfa.challenge:", challenge["challenge_type"])
        result = web.client.mfa.verify(mfa_token, otp=read_otp())
        print("mfa.verify:")
        print("  access token: ", redacted(result["access_token"]))
        print("  id token:     ", redacted(result["id_token"]))
        claims = result["id_token_payload"] or {}
        print("  verified id_token: sub =", claims.get("sub"), " email =", claims.get("email"))
        print("mfa login: ok")


if __name__ == "__main__":
    main()
