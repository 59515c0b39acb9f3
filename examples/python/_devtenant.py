"""What the Python examples share: the tenant to use, and a "robot user" for the dev tenant.

``tenant()`` gives the tenant the examples log in to: a real one when
``AUTH0_DOMAIN`` (with ``AUTH0_CLIENT_ID``, ``AUTH0_USERNAME``,
``AUTH0_PASSWORD`` and optionally ``AUTH0_CONNECTION``) is set, otherwise a
local dev tenant it starts itself (``auth0-devtenant --json --port 0``: the
binary named by ``AUTH0_DEVTENANT_BIN``, the one on ``PATH``, or one built
with cargo from this checkout) and stops at the end.

``RobotUser`` plays the user's part on the *dev tenant's* pages for the
unattended runs (``--auto-approve``, ``--headless-demo``): it fills in the
hosted login form or the device activation page with plain HTTP. It is a
demo and test device, not something an app does.
"""

import contextlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from email.message import Message
from typing import Any, Dict, Iterator, List, Optional, Tuple

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


@dataclass
class Tenant:
    domain: str
    client_id: str
    username: str
    password: str
    connection: str
    is_dev: bool


def _devtenant_binary() -> str:
    given = os.environ.get("AUTH0_DEVTENANT_BIN") or shutil.which("auth0-devtenant")
    if given:
        return given
    print("Building the dev tenant (cargo build -p auth0-devtenant)...", file=sys.stderr)
    subprocess.run(
        ["cargo", "build", "--quiet", "-p", "auth0-devtenant"], cwd=REPO_ROOT, check=True
    )
    metadata = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    target = pathlib.Path(json.loads(metadata.stdout)["target_directory"])
    return str(target / "debug" / ("auth0-devtenant" + (".exe" if os.name == "nt" else "")))


@contextlib.contextmanager
def tenant() -> Iterator[Tenant]:
    """The configured tenant, or a dev tenant that lives for the ``with`` block."""
    env = {
        k: os.environ.get(k, "")
        for k in ("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_USERNAME", "AUTH0_PASSWORD")
    }
    if env["AUTH0_DOMAIN"]:
        yield Tenant(
            env["AUTH0_DOMAIN"],
            env["AUTH0_CLIENT_ID"],
            env["AUTH0_USERNAME"],
            env["AUTH0_PASSWORD"],
            os.environ.get("AUTH0_CONNECTION", "Username-Password-Authentication"),
            is_dev=False,
        )
        return
    process = subprocess.Popen(
        [_devtenant_binary(), "--json", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line: List[str] = []
        stdout = process.stdout
        assert stdout is not None
        # A bounded wait for the one JSON line.
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(30)
        if not line or not line[0].strip():
            raise RuntimeError("the dev tenant did not start")
        info: Dict[str, str] = json.loads(line[0])
        print(f"No AUTH0_DOMAIN configured: using a local dev tenant at {info['domain']}")
        yield Tenant(
            info["domain"],
            info["client_id"],
            info["username"],
            info["password"],
            info["connection"],
            is_dev=True,
        )
    finally:
        process.terminate()
        process.wait(10)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: List[Tuple[str, List[Tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), []))
        elif tag == "input" and self.forms and a.get("name") and a.get("type") != "submit":
            self.forms[-1][1].append((a["name"], a.get("value", "")))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class RobotUser:
    """Fills in the dev tenant's login and activation pages, as a user in a browser would."""

    def __init__(self, email: str, password: str) -> None:
        self.email, self.password = email, password
        self._http = urllib.request.build_opener(
            _NoRedirects(), urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def _open(
        self, url: str, fields: Optional[List[Tuple[str, str]]] = None
    ) -> Tuple[int, Message, str]:
        data = None if fields is None else urllib.parse.urlencode(fields).encode()
        try:
            with self._http.open(urllib.request.Request(url, data=data), timeout=30) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as r:
            with r:
                return r.code, r.headers, r.read().decode()

    def _submit(self, url: str, page: str, credentials: bool) -> Tuple[int, Message, str]:
        parser = _Forms()
        parser.feed(page)
        action, fields = parser.forms[0]
        if credentials:
            fields = [(k, v) for k, v in fields if k not in ("username", "password")]
            fields += [("username", self.email), ("password", self.password)]
        return self._open(urllib.parse.urljoin(url, action), fields)

    def log_in(self, authorize_url: str) -> None:
        """Logs in on the hosted login page and follows the answer to the app's loopback listener."""
        _, _, page = self._open(authorize_url)
        status, _, answer = self._submit(authorize_url, page, credentials=True)
        if status != 200:
            raise RuntimeError(f"the login page answered {status}")
        status, headers, _ = self._submit(authorize_url, answer, credentials=False)
        self._open(urllib.parse.urljoin(authorize_url, headers["Location"]))

    def log_in_soon(self, authorize_url: str) -> None:
        """``log_in`` on a thread of its own: a browser runs beside the app."""
        threading.Thread(target=self.log_in, args=(authorize_url,), daemon=True).start()

    def approve_device(self, domain: str, user_code: str) -> None:
        """Activates ``user_code`` on the ``/activate`` pages: log in, then Confirm."""
        url = f"{domain}/activate?" + urllib.parse.urlencode({"user_code": user_code})
        _, _, page = self._open(url)
        status, _, _ = self._submit(url, page, credentials=True)
        if status != 200:
            raise RuntimeError(f"the activation login answered {status}")
        self._open(f"{domain}/activate", [("user_code", user_code), ("action", "confirm")])


def redacted(token: Optional[str]) -> str:
    """How the examples show a token: never its text, only its length."""
    return "none" if token is None else f"<redacted, {len(token)} chars>"
