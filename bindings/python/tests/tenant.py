"""The dev tenant (``auth0-devtenant``) for the network tests, and a plain-HTTP "browser".

``DevTenant`` runs the binary with ``--json --port 0`` and reads the one JSON
line it prints; its ``/__dev/`` endpoints (outbox, faults, token signing,
request log) are reached with ``urllib`` on 127.0.0.1. ``Browser`` walks the
tenant's hosted login and device activation pages as a browser without
JavaScript would: it keeps cookies, follows no redirect by itself, and
submits the forms the pages answer.
"""

import json
import os
import pathlib
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from typing import Any, Dict, List, Mapping, Optional, Tuple

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]

TEST_USER_ID = "auth0|6f0000000000000000000001"
SECOND_USER_ID = "auth0|6f0000000000000000000002"
SECOND_USER_EMAIL = "other@example.com"
SECOND_USER_PASSWORD = "Other-Passw0rd"

# How long the binary may take to print its JSON line.
START_TIMEOUT = 30.0


def build_devtenant() -> pathlib.Path:
    """The ``auth0-devtenant`` binary: ``$AUTH0_DEVTENANT_BIN``, else built with cargo.

    ``cargo build`` and ``cargo metadata`` both honour ``CARGO_TARGET_DIR``.
    """
    given = os.environ.get("AUTH0_DEVTENANT_BIN")
    if given:
        return pathlib.Path(given)
    subprocess.run(
        ["cargo", "build", "--quiet", "-p", "auth0-devtenant"],
        cwd=REPO_ROOT,
        check=True,
        timeout=1200,
    )
    metadata = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    target = pathlib.Path(json.loads(metadata.stdout)["target_directory"])
    binary = target / "debug" / ("auth0-devtenant" + (".exe" if os.name == "nt" else ""))
    assert binary.is_file(), f"cargo built no {binary}"
    return binary


class DevTenant:
    """One running dev tenant process (in memory: a fresh state per process)."""

    def __init__(self, binary: pathlib.Path, config: Optional[pathlib.Path] = None) -> None:
        """Starts ``binary``; ``config`` is a ``--config`` JSON file."""
        extra = [] if config is None else ["--config", str(config)]
        self.process = subprocess.Popen(
            [str(binary), "--json", "--port", "0", *extra],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
        )
        line: List[str] = []
        reader = threading.Thread(
            target=lambda: line.append(self.process.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(START_TIMEOUT)
        if not line or not line[0].strip():
            self.stop()
            raise RuntimeError(f"auth0-devtenant printed no JSON line within {START_TIMEOUT} s")
        info: Dict[str, str] = json.loads(line[0])
        self.domain = info["domain"]
        self.client_id = info["client_id"]
        self.username = info["username"]
        self.password = info["password"]
        self.connection = info["connection"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    @property
    def management_audience(self) -> str:
        return f"{self.domain}/api/v2/"

    def dev(self, method: str, path: str, body: Any = None) -> Any:
        """A ``/__dev/`` endpoint; its JSON answer (None when empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.domain}/__dev/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def outbox(self, to: str) -> List[Dict[str, Any]]:
        messages: List[Dict[str, Any]] = self.dev(
            "GET", "outbox?" + urllib.parse.urlencode({"to": to})
        )
        return messages

    def last_code(self, to: str) -> str:
        code: str = self.outbox(to)[-1]["code"]
        return code

    def fault(self, **fault: Any) -> None:
        self.dev("POST", "faults", fault)

    def sign(self, claims: Mapping[str, Any]) -> str:
        token: str = self.dev("POST", "sign", {"claims": dict(claims)})["token"]
        return token

    def requests(self, path: str) -> List[Dict[str, Any]]:
        logged: List[Dict[str, Any]] = self.dev(
            "GET", "requests?" + urllib.parse.urlencode({"path": path})
        )
        return logged


class _Forms(HTMLParser):
    """The forms of a page: action, method and the named fields of each."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: List[Tuple[str, str, List[Tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), a.get("method", "get").lower(), []))
        elif tag == "input" and self.forms and a.get("name") and a.get("type") != "submit":
            self.forms[-1][2].append((a["name"], a.get("value", "")))


class Page:
    def __init__(self, url: str, status: int, headers: Message, body: str) -> None:
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body

    def form(self) -> Tuple[str, List[Tuple[str, str]]]:
        """The first form: its action (absolute) and its fields."""
        parser = _Forms()
        parser.feed(self.body)
        assert parser.forms, f"no form on {self.url} ({self.status}): {self.body[:300]}"
        action, _, fields = parser.forms[0]
        return urllib.parse.urljoin(self.url, action), fields

    @property
    def location(self) -> str:
        location: Optional[str] = self.headers["Location"]
        assert location, f"no Location in the {self.status} answer of {self.url}"
        return urllib.parse.urljoin(self.url, location)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """A cookie-keeping HTTP client that walks the tenant's pages without JavaScript."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            _NoRedirects(), urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def open(self, url: str, fields: Optional[List[Tuple[str, str]]] = None) -> Page:
        data = None if fields is None else urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url, data=data)
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Page(url, answer.status, answer.headers, answer.read().decode())
        except urllib.error.HTTPError as answer:
            with answer:
                return Page(url, answer.code, answer.headers, answer.read().decode())

    def log_in_to_location(self, authorize_url: str, email: str, password: str) -> str:
        """Logs in on the hosted page; the URL the tenant then redirects to (not requested)."""
        page = self.open(authorize_url)
        assert page.status == 200, f"the login page ({page.status}): {page.body[:300]}"
        action, fields = page.form()
        fields = [(k, v) for k, v in fields if k not in ("username", "password")]
        answer = self.open(action, fields + [("username", email), ("password", password)])
        assert answer.status == 200, f"the login answer ({answer.status}): {answer.body[:300]}"
        # The auto-posting form (wa, wresult, wctx) to /login/callback.
        callback = self.open(*answer.form())
        assert callback.status in (302, 303), f"login callback ({callback.status})"
        return callback.location

    def log_in(self, authorize_url: str, email: str, password: str) -> Page:
        """Logs in and delivers the answer to the app's (loopback) redirect URI."""
        return self.deliver(self.log_in_to_location(authorize_url, email, password))

    def deliver(self, location: str) -> Page:
        """GETs ``location`` without its fragment; posts the fragment back when
        the page is the listener's post-back page (which needs JavaScript)."""
        url, _, fragment = location.partition("#")
        page = self.open(url)
        if fragment and "URLSearchParams" in page.body:
            page = self.open(url, urllib.parse.parse_qsl(fragment, keep_blank_values=True))
        return page

    def activate(
        self, domain: str, user_code: str, email: str, password: str, approve: bool = True
    ) -> Page:
        """The device activation pages: log in, then Confirm (or Cancel)."""
        page = self.open(f"{domain}/activate?" + urllib.parse.urlencode({"user_code": user_code}))
        assert page.status == 200, f"activate page ({page.status}): {page.body[:300]}"
        action, fields = page.form()
        fields = [(k, v) for k, v in fields if k not in ("username", "password")]
        logged_in = self.open(action, fields + [("username", email), ("password", password)])
        assert logged_in.status == 200, f"activate login ({logged_in.status})"
        choice = "confirm" if approve else "deny"
        return self.open(f"{domain}/activate", [("user_code", user_code), ("action", choice)])
