"""Positional string arguments: a lone surrogate (no UTF-8 form) is an
InvalidArgumentError naming the parameter, as it is for keyword options,
never a raw UnicodeEncodeError; a non-str stays a TypeError."""

from typing import Any, Callable

import pytest

import auth0_native

LONE = "auth0|\ud800"


def web() -> auth0_native.WebAuth:
    return auth0_native.WebAuth(domain="me.auth0.com", client_id="abc", _send_telemetry=False)


def management() -> auth0_native.Management:
    return auth0_native.Management(domain="me.auth0.com", token="t")


CALLS: list[tuple[str, Callable[[], Any]]] = [
    ("id_token", lambda: web().validate_id_token(LONE)),
    ("access_token", lambda: web().client.user_info(LONE)),
    ("user_id", lambda: management().get_user(LONE)),
    ("user_id", lambda: management().patch_user_metadata(LONE, {})),
    ("secondary_user_token", lambda: management().link_user("auth0|1", LONE)),
    ("provider", lambda: management().unlink_user("auth0|1", LONE, "2")),
    ("identity_user_id", lambda: management().unlink_user("auth0|1", "auth0", LONE)),
]


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[f"{i}-{n}" for i, (n, _) in enumerate(CALLS)])
def test_a_lone_surrogate_in_a_positional_string_names_the_parameter(
    name: str, call: Callable[[], Any]
) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError) as caught:
        call()
    assert caught.value.description.startswith(f"{name} is not valid Unicode text")
    assert caught.value.code == "invalid_argument"


def test_a_positional_string_of_another_type_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="user_id"):
        management().get_user(42)  # type: ignore[arg-type]
