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


# -- Python's rules: unknown keywords, extra_params, seconds -----------------

HANDLE = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc123", _send_telemetry=False)
CODE = {"device_code": "d", "interval": 5, "expires_in": 600}

# Every method that takes keywords, called with a misspelt one. The
# TypeError comes before anything is sent (the domain is not reachable).
MISSPELT = [
    ("WebAuth", lambda: auth0_native.WebAuth(domain="me.auth0.com", clientid="abc")),  # type: ignore[call-arg]
    ("Management", lambda: auth0_native.Management(domain="me.auth0.com", token="t", retyr=True)),
    ("WebAuth.authorize", lambda: HANDLE.authorize(respone_type="code")),
    ("WebAuth.authorize_request", lambda: HANDLE.authorize_request(respone_type="code")),
    ("WebAuth.parse_hash", lambda: HANDLE.parse_hash("#access_token=a", stat="s")),
    ("WebAuth.validate_id_token", lambda: HANDLE.validate_id_token("a.b.c", nonse="n")),
    ("WebAuth.login", lambda: HANDLE.login(username="u", password="p", relm="r")),
    ("WebAuth.signup", lambda: HANDLE.signup(connection="c", email="e", password="p", user_metdata={})),
    ("WebAuth.change_password", lambda: HANDLE.change_password(connection="c", email="e", password="p")),
    ("WebAuth.passwordless_start", lambda: HANDLE.passwordless_start(connection="email", send="code", emial="e")),
    ("WebAuth.passwordless_verify", lambda: HANDLE.passwordless_verify(connection="email", verification_cod="1")),  # type: ignore[call-arg]
    ("WebAuth.renew_auth", lambda: HANDLE.renew_auth(timout=1.0)),
    ("WebAuth.logout", lambda: HANDLE.logout(return_too="x")),
    ("Client.build_authorize_url", lambda: HANDLE.client.build_authorize_url(respone_type="code")),
    ("Client.login", lambda: HANDLE.client.login(username="u", password="p", realm="r", audeince="a")),
    ("Client.passwordless_login", lambda: HANDLE.client.passwordless_login(connection="email", otp="1")),  # type: ignore[call-arg]
    ("login_with_credentials", lambda: HANDLE.redirect.login_with_credentials(username="u", pasword="p")),  # type: ignore[call-arg]
    ("login_with_credentials", lambda: HANDLE.popup.login_with_credentials(username="u", pasword="p")),  # type: ignore[call-arg]
    ("Popup.authorize", lambda: HANDLE.popup.authorize(opener=print, time_out=1.0)),
    ("Device.start", lambda: HANDLE.device.start(scopes="openid")),
    ("Device.login", lambda: HANDLE.device.login(print, timout=1.0)),
]


@pytest.mark.parametrize("method, call", MISSPELT, ids=[f"{m}-{i}" for i, (m, _) in enumerate(MISSPELT)])
def test_an_unknown_keyword_is_a_type_error_naming_it(method: str, call: Any) -> None:
    with pytest.raises(TypeError, match=rf"^{method}\(\) got an unexpected keyword argument '\w+'$"):
        call()


def test_the_explicit_keyword_only_parameters_are_checked_by_python() -> None:
    with pytest.raises(TypeError, match="timout"):
        HANDLE.device.poll(CODE, timout=1.0)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="su"):
        HANDLE.client.user_info("token", su="x")  # type: ignore[call-arg]


def test_a_misspelt_authorize_parameter_never_reaches_the_url() -> None:
    with pytest.raises(TypeError, match="respone_type"):
        HANDLE.client.build_authorize_url(respone_type="code", state="s")


def test_extra_params_are_sent_as_given_after_the_named_ones() -> None:
    url = HANDLE.client.build_authorize_url(
        state="s", extra_params={"ext_campaign": "c1", "screen_hint": "signup"}
    )
    assert list(query_dict(url).items())[2:] == [
        ("state", "s"),
        ("ext_campaign", "c1"),
        ("screen_hint", "signup"),
    ]


def test_extra_params_may_not_carry_an_option_that_has_a_keyword() -> None:
    with pytest.raises(
        auth0_native.InvalidArgumentError,
        match=r'extra_params\["login_hint"\] is an option of Client.build_authorize_url\(\); pass it as a keyword',
    ):
        HANDLE.client.build_authorize_url(extra_params={"login_hint": "a@b.c"})


def test_extra_params_is_a_dict() -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match="extra_params is not valid"):
        HANDLE.client.build_authorize_url(extra_params=[("a", "b")])  # type: ignore[arg-type]


def test_a_method_without_free_parameters_refuses_extra_params() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'extra_params'"):
        HANDLE.client.login(username="u", password="p", realm="r", extra_params={"a": 1})


# Each time bound of the core, given in seconds: the bound itself is taken,
# one second more is refused (in milliseconds both would be far inside it).
@pytest.mark.parametrize(
    "call, bound",
    [
        (lambda t: auth0_native.WebAuth(domain="me.auth0.com", client_id="a", timeout=t), 3600),
        (lambda t: auth0_native.WebAuth(domain="me.auth0.com", client_id="a", connect_timeout=t), 3600),
        (lambda t: auth0_native.Management(domain="me.auth0.com", token="t", timeout=t), 3600),
        (lambda t: auth0_native.Management(domain="me.auth0.com", token="t", retry={"base_delay": t}), 60),
        (lambda t: auth0_native.Management(domain="me.auth0.com", token="t", retry={"max_delay": t}), 300),
        (lambda t: auth0_native.Management(domain="me.auth0.com", token="t", retry={"total": t}), 3600),
        (lambda t: auth0_native.WebAuth(domain="me.auth0.com", client_id="a", retry={"total": t}), 3600),
    ],
)
def test_times_are_seconds(call: Any, bound: int) -> None:
    call(bound)
    call(0.5)
    with pytest.raises(auth0_native.InvalidArgumentError, match="option is not valid"):
        call(bound + 1)


def test_an_interactive_timeout_above_one_day_in_seconds_is_refused() -> None:
    # 86401 ms would be accepted: the keyword is read as seconds.
    with pytest.raises(auth0_native.InvalidArgumentError, match="^timeout option is not valid"):
        HANDLE.popup.authorize(opener=print, timeout=86401)
    with pytest.raises(auth0_native.InvalidArgumentError, match="^timeout option is not valid"):
        HANDLE.device.poll(CODE, timeout=86401)


@pytest.mark.parametrize("value", [0, -1, 0.0, float("nan"), float("inf"), True, "30", [1]])
def test_a_time_is_a_positive_number_of_seconds(value: Any) -> None:
    with pytest.raises(
        auth0_native.InvalidArgumentError,
        match=r"^timeout option is not valid \(seconds, a number greater than 0\)$",
    ):
        HANDLE.renew_auth(timeout=value)


def test_the_camel_case_spelling_of_a_time_is_seconds_too() -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match="^connectTimeout option"):
        auth0_native.WebAuth(domain="me.auth0.com", client_id="a", connectTimeout=3601)


def test_the_retry_dict_takes_python_names_only() -> None:
    with pytest.raises(TypeError, match=r"unexpected key 'baseDelayMs' in retry \(it takes max_attempts, base_delay, max_delay, total\)"):
        auth0_native.Management(domain="me.auth0.com", token="t", retry={"baseDelayMs": 100})
    auth0_native.Management(domain="me.auth0.com", token="t", retry={"max_attempts": 5})
    with pytest.raises(auth0_native.InvalidArgumentError, match=r"^retry.maxAttempts option is not valid"):
        auth0_native.Management(domain="me.auth0.com", token="t", retry={"max_attempts": 11})
