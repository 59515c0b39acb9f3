"""Keyword arguments: Pythonic snake_case and auth0.js camelCase name the same options."""

import pathlib
from typing import Any

import pytest

import auth0_native
from helpers import query_dict


def make(**options: Any) -> auth0_native.WebAuth:
    return auth0_native.WebAuth(domain="me.auth0.com", _send_telemetry=False, **options)


def test_constructor_snake_case_keywords_equal_camel_case() -> None:
    snake = auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc123",
        redirect_uri="https://app.example.com/callback",
        response_mode="form_post",
        _send_telemetry=False,
    )
    # The stubs type the Pythonic spelling; camelCase is accepted at run time.
    camel = auth0_native.WebAuth(  # type: ignore[call-arg]
        domain="me.auth0.com",
        clientID="abc123",
        redirectUri="https://app.example.com/callback",
        responseMode="form_post",
        _sendTelemetry=False,
    )
    assert snake.client.build_authorize_url() == camel.client.build_authorize_url()
    assert snake.client.build_authorize_url() == (
        "https://me.auth0.com/authorize?client_id=abc123&response_type=code"
        "&response_mode=form_post&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
    )


def test_build_authorize_url_snake_case_keywords_equal_camel_case() -> None:
    web = make(client_id="abc123")
    snake = web.client.build_authorize_url(
        response_type="code", login_hint="me@example.com", max_age=300, state="s1"
    )
    camel = web.client.build_authorize_url(
        responseType="code", loginHint="me@example.com", maxAge=300, state="s1"
    )
    assert snake == camel
    assert snake == (
        "https://me.auth0.com/authorize?client_id=abc123&response_type=code"
        "&login_hint=me%40example.com&max_age=300&state=s1"
    )


def test_logout_return_to_equals_return_to_camel_case() -> None:
    web = make(client_id="abc123")
    assert web.logout(return_to="http://page.com") == web.logout(returnTo="http://page.com")
    assert web.logout(return_to="http://page.com") == (
        "https://me.auth0.com/v2/logout?client_id=abc123&returnTo=http%3A%2F%2Fpage.com"
    )


def test_logout_client_id_none_leaves_client_id_out() -> None:
    web = make(client_id="abc123")
    url = web.logout(return_to="https://app.example.com/", federated=True, client_id=None)
    assert url == "https://me.auth0.com/v2/logout?returnTo=https%3A%2F%2Fapp.example.com%2F&federated"


def test_none_means_not_given() -> None:
    web = make(client_id="abc123", scope="openid")
    assert "scope" not in query_dict(web.client.build_authorize_url(scope=None))


def test_keywords_keep_their_order_in_the_query() -> None:
    web = make(client_id="abc123")
    url = web.client.build_authorize_url(prompt="login", connection="github", state="s")
    assert list(query_dict(url))[2:] == ["prompt", "connection", "state"]


def test_one_option_under_two_spellings_is_refused() -> None:
    with pytest.raises(
        auth0_native.InvalidArgumentError,
        match=r"^clientID option is given twice \(as client_id and as clientID\)$",
    ):
        make(client_id="a", clientID="b")


def test_nested_dict_and_list_values_are_passed() -> None:
    web = make(client_id="abc123")
    url = web.client.build_authorize_url(
        app_state={"return_to": "/x"}, connection_scope=("a", "b")
    )
    q = query_dict(url)
    assert q["app_state[return_to]"] == "/x"
    assert q["connection_scope"] == "a,b"


def test_path_like_values_are_passed_as_strings(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "tx.json"
    web = make(client_id="abc123", transaction={"store": "file", "path": path})
    web.authorize()
    assert path.exists()
