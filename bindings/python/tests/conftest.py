"""Fixtures shared by the tests of the auth0_native Python module."""

import pytest

import auth0_native


@pytest.fixture
def web() -> auth0_native.WebAuth:
    """A handle without telemetry, so URLs are short and exact."""
    return auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc123",
        redirect_uri="http://127.0.0.1:8080/callback",
        _send_telemetry=False,
    )
