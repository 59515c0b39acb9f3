"""The Python examples (examples/python/) run unattended against a dev tenant they start."""

import os
import pathlib
import re
import signal
import subprocess
import sys
import time
from typing import List

import pytest

from tenant import REPO_ROOT, TEST_USER_ID, DevTenant

EXAMPLES = REPO_ROOT / "examples" / "python"
# A JWT's first two parts: what a printed token would look like.
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")


def run_example(name: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}
    # The binary the session fixture built (the examples would build it too).
    env["AUTH0_DEVTENANT_BIN"] = os.environ["AUTH0_DEVTENANT_BIN"]
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not JWT.search(done.stdout + done.stderr), "a token was printed"
    return done.stdout


@pytest.fixture(autouse=True)
def _binary(devtenant_bin: pathlib.Path) -> None:
    """Sets AUTH0_DEVTENANT_BIN (the session fixture does)."""


def test_login_example_logs_in_and_reads_the_profile() -> None:
    out = run_example("login.py")
    assert "using a local dev tenant" in out
    assert re.search(r"access token: +<redacted, \d+ chars>", out)
    assert f"sub = {TEST_USER_ID}" in out
    assert "user_info: name = Dev User" in out
    assert "wrong password: ServerError 403 invalid_grant" in out
    assert out.rstrip().endswith("login: ok")


def test_kiosk_device_login_example_approves_itself() -> None:
    out = run_example("kiosk_device_login.py", "--auto-approve")
    lines: List[str] = out.splitlines()
    assert any("▀" in line or "▄" in line for line in lines), "no QR code"
    assert re.search(r"enter the code: [A-Z]{4}-[A-Z]{4}", out)
    assert "device login: ok" in out
    assert f"({TEST_USER_ID})" in out


def test_desktop_login_example_headless_demo_logs_in() -> None:
    out = run_example("desktop_login.py", "--headless-demo")
    assert "desktop login: ok" in out
    assert re.search(r"id token: +<redacted, \d+ chars>", out)
    assert f"({TEST_USER_ID})" in out


def test_link_accounts_example_links_and_unlinks() -> None:
    out = run_example("link_accounts.py")
    linked = out.split("linked; identities:")[1].split("unlinked;")[0]
    assert "auth0|6f0000000000000000000001" in linked
    assert "auth0|6f0000000000000000000002" in linked
    unlinked = out.split("unlinked; identities:")[1]
    assert "6f0000000000000000000002" not in unlinked
    assert out.rstrip().endswith("link accounts: ok")


def test_kiosk_example_keeps_its_user_across_restarts(
    tenant: DevTenant, tmp_path: pathlib.Path
) -> None:
    # One tenant for every run (the example's own would end with each run).
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}
    env.update(
        AUTH0_DOMAIN=tenant.domain,
        AUTH0_CLIENT_ID=tenant.client_id,
        AUTH0_USERNAME=tenant.username,
        AUTH0_PASSWORD=tenant.password,
        AUTH0_CONNECTION=tenant.connection,
    )
    store = tmp_path / "kiosk" / "credentials.bin"

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(EXAMPLES / "kiosk.py"), "--store", str(store), *args],
            capture_output=True,
            text=True,
            timeout=90,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert not JWT.search(done.stdout + done.stderr), "a token was printed"
        assert tenant.password not in done.stdout + done.stderr
        return done.stdout

    first = run()
    assert "no stored credentials: logging in" in first
    assert f"kiosk user: {tenant.username} ({TEST_USER_ID})" in first
    assert store.exists()
    second = run()
    assert "stored credentials found" in second and "logging in" not in second
    assert f"kiosk user: {tenant.username} ({TEST_USER_ID})" in second
    assert re.search(r"access token: +<redacted, \d+ chars>", second)
    assert "logged out: refresh token revoked" in run("--logout")
    assert not store.exists()
    assert "no stored credentials: logging in" in run()


def test_async_logins_example_runs_logins_sequentially_then_concurrently() -> None:
    out = run_example("async_logins.py", "--count", "20")
    assert re.search(r"sequential: +[\d.]+ ms", out)
    assert re.search(r"concurrent: +[\d.]+ ms", out)
    assert "a cancelled device poll: CancelledError" in out
    assert out.rstrip().endswith("async logins: ok")


def test_examples_type_check_under_strict_mypy(tmp_path: pathlib.Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(EXAMPLES)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(os.name == "nt", reason="SIGINT is POSIX")
def test_kiosk_device_login_example_ends_on_ctrl_c() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}
    env["AUTH0_DEVTENANT_BIN"] = os.environ["AUTH0_DEVTENANT_BIN"]
    child = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "kiosk_device_login.py")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        # As in a terminal: a test run started in the background (`cmd &`)
        # inherits SIGINT ignored, and Python then installs no handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert child.stdout is not None
    # Once the code is shown, the example waits for an approval that never comes.
    for line in child.stdout:
        if "enter the code:" in line:
            break
    time.sleep(0.3)
    child.send_signal(signal.SIGINT)
    rest, _ = child.communicate(timeout=15)
    assert child.returncode == 130
    assert "cancelled." in rest
