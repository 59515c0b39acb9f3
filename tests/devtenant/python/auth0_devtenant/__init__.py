"""A local, Auth0-compatible tenant for tests, run as a subprocess.

>>> from auth0_devtenant import DevTenant
>>> with DevTenant.start() as tenant:
...     tenant.domain          # 'http://127.0.0.1:PORT'

The server is the ``auth0-devtenant`` binary this package installs. It
listens on 127.0.0.1 only, keeps everything in memory (a fresh tenant per
process) and exposes dev-only endpoints under ``/__dev/``, which the methods
of :class:`DevTenant` call: the outbox of passwordless codes and reset links,
fault injection, key rotation, token signing and the request log.

With pytest, the installed plugin gives the ``devtenant`` fixture (see
:mod:`auth0_devtenant.pytest_plugin`).
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import urllib.parse
import urllib.request
from types import TracebackType
from typing import IO, Any, Dict, List, Mapping, Optional, Sequence, Type, Union

__all__ = ["DevTenant", "DevTenantError", "binary"]

_EXE = "auth0-devtenant" + (".exe" if os.name == "nt" else "")

#: How long the binary may take to print its JSON line.
START_TIMEOUT = 30.0


class DevTenantError(RuntimeError):
    """The server could not be found or started, or a ``/__dev/`` call failed."""


def binary() -> pathlib.Path:
    """The ``auth0-devtenant`` server binary.

    ``$AUTH0_DEVTENANT_BIN`` when set (a build of your own); otherwise the one
    this package installed into the scripts directory of the running
    interpreter (a venv's ``bin/``, or the user scheme's after ``pip install
    --user``); otherwise the first on ``PATH``.
    """
    given = os.environ.get("AUTH0_DEVTENANT_BIN")
    if given:
        return pathlib.Path(given)
    # As ruff's Python package finds its binary: the scripts directory of
    # the scheme pip installed into, which need not be on PATH.
    schemes = [sysconfig.get_default_scheme()] if hasattr(sysconfig, "get_default_scheme") else []
    schemes.append(f"{os.name}_user" if os.name != "posix" else "posix_user")
    for scheme in schemes:
        try:
            scripts = sysconfig.get_path("scripts", scheme=scheme)
        except KeyError:
            continue
        candidate = pathlib.Path(scripts) / _EXE
        if candidate.is_file():
            return candidate
    candidate = pathlib.Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin") / _EXE
    if candidate.is_file():
        return candidate
    found = shutil.which(_EXE)
    if found:
        return pathlib.Path(found)
    raise DevTenantError(
        "the auth0-devtenant binary is missing: `pip install auth0-devtenant`, "
        "or `cargo install --locked --path tests/devtenant` from the auth0-native "
        "repository, or set AUTH0_DEVTENANT_BIN to a binary"
    )


class DevTenant:
    """One running dev tenant (a subprocess on an ephemeral 127.0.0.1 port).

    Start it with :meth:`start` and stop it with :meth:`stop` (or use it as a
    context manager). Attributes read from the server once it listens:

    - ``domain`` -- ``"http://127.0.0.1:PORT"``, the ``domain`` to give the
      client library (the issuer is ``domain + "/"``);
    - ``client_id`` -- the first client of the configuration (a public
      Native app: token endpoint auth method ``none``);
    - ``username``, ``password`` -- the first user's e-mail and password;
    - ``connection`` -- the database connection,
      ``"Username-Password-Authentication"``.
    """

    domain: str
    client_id: str
    username: str
    password: str
    connection: str

    def __init__(self, process: "subprocess.Popen[str]", config_file: Optional[str]) -> None:
        """Use :meth:`start`."""
        self._process = process
        self._config_file = config_file
        self._errors: Optional[IO[str]] = None

    @classmethod
    def start(
        cls,
        config: Optional[Mapping[str, Any]] = None,
        *,
        server: Union[str, "os.PathLike[str]", None] = None,
    ) -> "DevTenant":
        """Starts a tenant and returns once it listens.

        ``config`` overrides the server's configuration: any keys of its
        ``--config`` file (``users`` and ``clients`` replace the default
        lists; lifetimes such as ``code_lifetime_secs`` or
        ``device_interval_secs``). ``server`` is the binary (default:
        :func:`binary`). The port is always ephemeral.
        """
        exe = pathlib.Path(server) if server is not None else binary()
        config_file = None
        args = [str(exe), "--json", "--port", "0"]
        if config:
            fd, config_file = tempfile.mkstemp(prefix="auth0-devtenant-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(dict(config), f)
            args += ["--config", config_file]
        # The server's stderr goes to a file: its complaint, if it cannot
        # start, becomes the error's message.
        errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        try:
            process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, text=True
            )
        except OSError as e:
            errors.close()
            _remove(config_file)
            raise DevTenantError(f"cannot run {exe}: {e}") from e
        tenant = cls(process, config_file)
        tenant._errors = errors
        line: List[str] = []
        assert process.stdout is not None
        out = process.stdout
        reader = threading.Thread(target=lambda: line.append(out.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if not line or not line[0].strip():
            try:
                code: Optional[int] = process.wait(5 if line else 0.1)
            except subprocess.TimeoutExpired:
                code = None
            errors.seek(0)
            said = errors.read().strip()
            tenant.stop()
            why = f"exited with status {code}" if code is not None else "printed nothing"
            raise DevTenantError(
                f"{exe} {why} within {START_TIMEOUT:g} s" + (f": {said}" if said else "")
            )
        info: Dict[str, str] = json.loads(line[0])
        tenant.domain = info["domain"]
        tenant.client_id = info["client_id"]
        tenant.username = info["username"]
        tenant.password = info["password"]
        tenant.connection = info["connection"]
        return tenant

    def stop(self) -> None:
        """Stops the server (idempotent); its state is gone."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        if self._process.stdout is not None:
            self._process.stdout.close()
        _remove(self._config_file)
        self._config_file = None
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def __enter__(self) -> "DevTenant":
        return self

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        value: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<DevTenant {getattr(self, 'domain', '(not started)')}>"

    @property
    def issuer(self) -> str:
        """The ``iss`` of the tokens it signs."""
        return self.domain + "/"

    @property
    def management_audience(self) -> str:
        """The Management API audience (``/api/v2/``) for user-token operations."""
        return self.domain + "/api/v2/"

    # -- /__dev/ endpoints --------------------------------------------------

    def dev(self, method: str, path: str, body: Any = None) -> Any:
        """Calls ``/__dev/<path>``; its JSON answer (None when empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.domain}/__dev/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                text = answer.read().decode()
        except OSError as e:
            raise DevTenantError(f"{method} /__dev/{path}: {e}") from e
        return json.loads(text) if text else None

    def outbox(self, to: Optional[str] = None) -> List[Dict[str, Any]]:
        """The messages "sent" (passwordless codes and links, password-reset
        links), oldest first; only those to ``to`` when given. Each has
        ``kind``, ``connection``, ``to``, ``code`` or ``link``, ``at``."""
        query = "" if to is None else "?" + urllib.parse.urlencode({"to": to})
        messages: List[Dict[str, Any]] = self.dev("GET", "outbox" + query)
        return messages

    def last_code(self, to: str) -> str:
        """The one-time code of the last message to ``to``."""
        messages = [m for m in self.outbox(to) if m.get("code")]
        if not messages:
            raise DevTenantError(f"no code was sent to {to}")
        code: str = messages[-1]["code"]
        return code

    def clear_outbox(self) -> None:
        self.dev("DELETE", "outbox")

    def fault(self, path: str, **fault: Any) -> None:
        """Makes the next requests under ``path`` misbehave: ``count`` (1),
        ``status`` (answer it without running the handler), ``retry_after``,
        ``latency_ms``, ``drop`` (close the connection), ``truncate``,
        ``oversize_bytes``."""
        self.dev("POST", "faults", {"path": path, **fault})

    def faults(self, faults: Sequence[Mapping[str, Any]]) -> None:
        """Several :meth:`fault` at once."""
        self.dev("POST", "faults", [dict(f) for f in faults])

    def clear_faults(self) -> None:
        self.dev("DELETE", "faults")

    def rotate_keys(self) -> str:
        """A new signing key; the old one stays in the JWKS for
        ``key_grace_secs``. Returns the new key's ``kid``."""
        kid: str = self.dev("POST", "rotate-keys")["kid"]
        return kid

    def sign(
        self,
        claims: Optional[Mapping[str, Any]] = None,
        header: Optional[Mapping[str, Any]] = None,
        **options: Any,
    ) -> str:
        """A JWT signed with the tenant's key, for token-checking tests.

        Defaults: ``iss``, ``aud`` (the default client), ``sub`` (the first
        user), ``iat`` now, ``exp`` in an hour; a claim set to None is removed.
        ``options`` are the endpoint's other fields (``secret``, ``key``)."""
        body: Dict[str, Any] = {"claims": dict(claims or {}), **options}
        if header is not None:
            body["header"] = dict(header)
        token: str = self.dev("POST", "sign", body)["token"]
        return token

    def requests(self, path: Optional[str] = None) -> List[Dict[str, Any]]:
        """The recent requests (method, path, query, headers, body), oldest
        first; only those whose path starts with ``path`` when given."""
        query = "" if path is None else "?" + urllib.parse.urlencode({"path": path})
        logged: List[Dict[str, Any]] = self.dev("GET", "requests" + query)
        return logged


def _remove(path: Optional[str]) -> None:
    if path is not None:
        try:
            os.unlink(path)
        except OSError:
            pass
