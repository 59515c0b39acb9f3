"""Log in on a device without a keyboard: the device flow (RFC 8628).

    python examples/python/kiosk_device_login.py                 # approve on your phone
    python examples/python/kiosk_device_login.py --auto-approve  # dev tenant: approve itself

Shows a QR code and a short user code; the user opens the URL on another
device, logs in and confirms, and this program gets its tokens. A spinner
runs while it waits (on a terminal); Ctrl+C cancels. With no configuration
it starts a local dev tenant (see _devtenant.py); --auto-approve then plays
the user on the tenant's /activate page, for an unattended run. Tokens are
never printed, only their length.
"""

import argparse
import itertools
import sys
import threading
from typing import Optional

import auth0_native
from _devtenant import RobotUser, redacted, tenant


class Spinner:
    """A progress spinner on stderr while the device waits (on a TTY only)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        if not sys.stderr.isatty():
            return

        def spin() -> None:
            for c in itertools.cycle("|/-\\"):
                sys.stderr.write(f"\r{c} waiting for approval... (Ctrl+C to cancel)")
                sys.stderr.flush()
                if self._stop.wait(0.1):
                    break
            sys.stderr.write("\r" + " " * 50 + "\r")

        self._thread = threading.Thread(target=spin, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--auto-approve", action="store_true", help="approve on the dev tenant's /activate page"
    )
    args = parser.parse_args()

    with tenant() as t:
        if args.auto_approve and not t.is_dev:
            parser.error("--auto-approve works with the local dev tenant only")
        web = auth0_native.WebAuth(domain=t.domain, client_id=t.client_id)
        spinner = Spinner()

        def on_code(code: auth0_native.DeviceCode) -> None:
            # Called once the tenant gave a code, before polling starts.
            print(code["qr"]["text"])
            print(f"Scan the QR code, or open {code['verification_uri']}")
            print(f"and enter the code: {code['user_code']}")
            if args.auto_approve:
                robot = RobotUser(t.username, t.password)
                threading.Thread(
                    target=robot.approve_device, args=(t.domain, code["user_code"]), daemon=True
                ).start()
            spinner.start()

        try:
            result = web.device.login(on_code, scope="openid profile email", timeout=10 * 60)
        except KeyboardInterrupt:
            spinner.stop()
            print("cancelled.")
            return 130
        except auth0_native.Auth0Error as e:
            spinner.stop()
            print(f"device login failed: {type(e).__name__} {e.code}: {e}")
            return 1
        spinner.stop()
        claims = result["id_token_payload"] or {}
        print("device login: ok")
        print("  access token: ", redacted(result["access_token"]))
        print("  logged in as: ", claims.get("email"), f"({claims.get('sub')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
