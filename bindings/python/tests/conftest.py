"""Fixtures shared by the tests of the auth0_native Python module."""

import json
import os
import pathlib
from typing import Any, Callable, Dict, Iterator

import pytest

import auth0_native
from tenant import DevTenant, build_devtenant

# The redirect URI of the headless flows: never requested (the walk stops
# there), and accepted by the dev tenant on any loopback port.
CALLBACK = "http://127.0.0.1:8080/callback"


@pytest.fixture
def web() -> auth0_native.WebAuth:
    """A handle without telemetry, so URLs are short and exact."""
    return auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc123",
        redirect_uri="http://127.0.0.1:8080/callback",
        _send_telemetry=False,
    )


@pytest.fixture(scope="session")
def devtenant_bin() -> pathlib.Path:
    """The dev tenant binary, built once per run; the examples find it through
    ``AUTH0_DEVTENANT_BIN`` too."""
    binary = build_devtenant()
    os.environ["AUTH0_DEVTENANT_BIN"] = str(binary)
    return binary


@pytest.fixture(scope="session")
def tenant(devtenant_bin: pathlib.Path) -> Iterator[DevTenant]:
    """One dev tenant for the tests that change no state it shares."""
    t = DevTenant(devtenant_bin)
    yield t
    t.stop()


@pytest.fixture
def fresh_tenant(devtenant_bin: pathlib.Path) -> Iterator[DevTenant]:
    """A dev tenant of this test's own, for tests that change users or sessions."""
    t = DevTenant(devtenant_bin)
    yield t
    t.stop()


@pytest.fixture(scope="session")
def device_tenant(
    devtenant_bin: pathlib.Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DevTenant]:
    """A dev tenant whose device codes ask for polls every second (not five)."""
    config = tmp_path_factory.mktemp("devtenant") / "config.json"
    config.write_text(json.dumps({"device_interval_secs": 1}), encoding="utf-8")
    t = DevTenant(devtenant_bin, config)
    yield t
    t.stop()


WebFor = Callable[..., auth0_native.WebAuth]


def make_web(t: DevTenant, **options: Any) -> auth0_native.WebAuth:
    """A handle on tenant ``t``: redirect URI ``CALLBACK``, ``openid profile email``."""
    defaults: Dict[str, Any] = {"redirect_uri": CALLBACK, "scope": "openid profile email"}
    defaults.update(options)
    return auth0_native.WebAuth(domain=t.domain, client_id=t.client_id, **defaults)


@pytest.fixture
def web_of(tenant: DevTenant) -> WebFor:
    """A new handle on the shared tenant (its own cookies and transactions)."""
    return lambda **options: make_web(tenant, **options)
