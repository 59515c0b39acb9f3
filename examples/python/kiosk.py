"""A kiosk that keeps its user across restarts (CredentialsManager over an encrypted file).

    python examples/python/kiosk.py [--store PATH] [--logout]

The first run logs the user in and stores the credentials in PATH (default
``kiosk-credentials.bin``; AES-256-GCM, created 0600). Every later run uses
the stored credentials without a login -- renewed with the refresh token,
and the rotated token stored, when the access token is about to expire.
``--logout`` revokes the refresh token at the tenant and removes the store.

Set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_USERNAME, AUTH0_PASSWORD (and
AUTH0_CONNECTION) for the tenant; without them each run starts a dev tenant
of its own, which forgets its users' sessions when it stops, so the second
run then has credentials of a tenant that is gone. Start one yourself to
see the restarts::

    cargo run -p auth0-devtenant &
    export AUTH0_DOMAIN=http://127.0.0.1:3850 AUTH0_CLIENT_ID=devtenantNativeClient00000000001
    export AUTH0_USERNAME=dev@example.com AUTH0_PASSWORD=DevTenant-Passw0rd
    python examples/python/kiosk.py; python examples/python/kiosk.py

The file's key: a real kiosk is given it when it is provisioned, or keeps it
in the OS keyring (``"keyring": {"service": ..., "account": ...}`` in place
of ``"key"``). This demo makes one at PATH.key (0600) on the first run,
which protects the tokens only as well as that file is protected. A real
kiosk would also log its user in with the device flow
(kiosk_device_login.py) rather than a password; the password grant keeps
this demo unattended. Tokens are never printed, only their length.
"""

import argparse
import base64
import os
import pathlib
import secrets

import auth0_native
from _devtenant import redacted, tenant


def file_key(path: pathlib.Path) -> str:
    """The store's key (base64url of 32 bytes), read from ``path`` or made there."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
        return key


def main() -> None:
    parser = argparse.ArgumentParser(description="A kiosk that keeps its user across restarts.")
    parser.add_argument("--store", default="kiosk-credentials.bin", type=pathlib.Path)
    parser.add_argument("--logout", action="store_true")
    args = parser.parse_args()
    store: pathlib.Path = args.store
    store.parent.mkdir(parents=True, exist_ok=True)

    with tenant() as t:
        # offline_access: the login answer carries a refresh token to renew with.
        web = auth0_native.WebAuth(
            domain=t.domain, client_id=t.client_id, scope="openid profile email offline_access"
        )
        key = file_key(store.with_name(store.name + ".key"))
        manager = auth0_native.CredentialsManager(
            web, storage={"type": "file", "path": store, "key": key}
        )

        if args.logout:
            manager.clear(revoke=True)
            print(f"logged out: refresh token revoked, {store} removed")
            return

        creds = None
        if manager.has_valid_credentials():
            try:
                # Renewed first if it expires within a minute (one renewal at
                # a time, even across kiosk processes sharing the file).
                creds = manager.credentials(min_ttl=60)
                print(f"stored credentials found in {store}: no login needed")
            except auth0_native.CredentialsError as e:
                # renew_failed (invalid_grant): the session ended (revoked,
                # user blocked). Log in again.
                print(f"stored credentials unusable ({e.code}): {e}")
        if creds is None:
            print(f"no stored credentials: logging in as {t.username}")
            manager.save(
                web.client.login(username=t.username, password=t.password, realm=t.connection)
            )
            print(f"logged in; credentials stored in {store} (encrypted)")
            creds = manager.credentials()

        print("  access token: ", redacted(creds["access_token"]), f"valid for {creds['expires_in']} s")
        renewable = "<stored>" if creds["refresh_token"] else "(none: cannot renew)"
        print("  refresh token:", renewable)
        user = manager.user() or {}
        print(f"kiosk user: {user.get('email')} ({user.get('sub')})")


if __name__ == "__main__":
    main()
