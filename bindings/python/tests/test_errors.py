"""Exceptions: one base, a class per core error kind, auth0.js's attributes."""

import math
import pathlib
import pickle
from typing import Any, List, Type

import pytest

import auth0_native
from auth0_native import (
    Auth0Error,
    Auth0TimeoutError,
    AuthorizationError,
    CancelledError,
    InternalError,
    InvalidArgumentError,
    InvalidTokenError,
    NetworkError,
    ServerError,
    StorageError,
)
from conftest import make_web
from tenant import DevTenant

KINDS = [
    (InvalidArgumentError, "invalid_argument"),
    (NetworkError, "network_error"),
    (Auth0TimeoutError, "timeout"),
    (ServerError, "server_error"),
    (InvalidTokenError, "invalid_token"),
    (AuthorizationError, "authorization_error"),
    (CancelledError, "cancelled"),
    (StorageError, "storage_error"),
    (InternalError, "internal_error"),
]


def make(**options: Any) -> auth0_native.WebAuth:
    return auth0_native.WebAuth(domain="me.auth0.com", client_id="abc", **options)


@pytest.mark.parametrize("cls", [k for k, _ in KINDS], ids=lambda c: c.__name__)
def test_every_error_class_is_an_auth0_error(cls: Type[Auth0Error]) -> None:
    assert issubclass(cls, Auth0Error)
    assert issubclass(cls, Exception)


def test_invalid_argument_error_is_a_value_error() -> None:
    assert issubclass(InvalidArgumentError, ValueError)


def test_timeout_error_is_a_builtin_timeout_error() -> None:
    assert issubclass(Auth0TimeoutError, TimeoutError)


def test_classes_are_exported_with_the_module_name() -> None:
    for cls, _ in KINDS:
        assert getattr(auth0_native, cls.__name__) is cls


def test_raised_error_carries_auth0js_attributes() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        auth0_native.WebAuth(domain="me.auth0.com")  # type: ignore[call-arg]
    e = caught.value
    assert isinstance(e, ValueError)
    assert e.code == "invalid_argument"
    assert e.description == "clientID option is required"
    assert str(e) == "clientID option is required"
    assert e.error == e.code
    assert e.error_description == e.description
    assert e.status_code is None
    assert e.original is None
    assert e.state is None
    assert e.retry_after is None
    assert e.rate_limit_reset is None


def test_non_str_domain_is_refused_as_required() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^domain option is required$"):
        auth0_native.WebAuth(domain=1, client_id="abc")  # type: ignore[arg-type]


def test_no_options_at_all_is_refused_naming_domain() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^domain option is required$"):
        auth0_native.WebAuth()  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("value", "type_name"),
    [({1, 2}, "set"), (b"bytes", "bytes"), (object(), "object"), (1j, "complex")],
    ids=["set", "bytes", "object", "complex"],
)
def test_unsupported_value_type_names_the_keyword(value: Any, type_name: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        make().authorize(login_hint=value)
    assert caught.value.description.startswith(
        f"login_hint has an unsupported type ({type_name}); "
    )


def test_unsupported_nested_value_names_its_place() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        make().authorize(app_state={"tags": ["a", b"b"]})
    assert caught.value.description.startswith(
        'app_state["tags"][1] has an unsupported type (bytes); '
    )


def test_unsupported_constructor_value_names_the_keyword() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^scope has an unsupported type \(set\)"):
        make(scope={"openid"})


def test_non_str_dict_key_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^app_state has a key of type int"):
        make().authorize(app_state={1: "x"})


@pytest.mark.parametrize("value", [math.nan, math.inf], ids=["nan", "inf"])
def test_non_finite_float_is_refused(value: float) -> None:
    with pytest.raises(InvalidArgumentError, match=r"^leeway is not a finite number$"):
        make(leeway=value)


def test_integer_beyond_64_bits_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^max_age is an integer out of range"):
        make().authorize(max_age=2**64)


def test_self_containing_list_is_refused_not_overflowed() -> None:
    loop: List[Any] = []
    loop.append(loop)
    with pytest.raises(InvalidArgumentError, match=r"^connection_scope.* is nested too deeply"):
        make().authorize(connection_scope=loop)


def test_bool_is_not_taken_for_an_int() -> None:
    # `pkce=1` would be an ill-typed option; `pkce=True` must reach the core as a bool.
    assert "code_challenge" in make(redirect_uri="https://a.example/cb").authorize(pkce=True)
    with pytest.raises(InvalidArgumentError, match=r"^pkce option is not valid$"):
        make().authorize(pkce=1)  # type: ignore[arg-type]


def test_error_messages_never_echo_option_values() -> None:
    secret = "s3cr3t-value"
    with pytest.raises(InvalidArgumentError) as caught:
        make().authorize(login_hint={secret})  # type: ignore[arg-type]
    assert secret not in str(caught.value)


def test_storage_failure_raises_storage_error(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "tx.json"
    web = make(transaction={"store": "file", "path": str(path)})
    path.write_text("{corrupt")  # a path that cannot work is refused at construction
    path.chmod(0o600)
    with pytest.raises(StorageError) as caught:
        web.authorize()
    assert caught.value.code == "storage_error"
    assert caught.value.status_code is None


@pytest.mark.parametrize(("cls", "code"), KINDS, ids=[k.__name__ for k, _ in KINDS])
def test_error_made_in_python_has_its_kind_default_code(cls: Type[Auth0Error], code: str) -> None:
    e = cls("something failed")
    assert (e.code, e.description, str(e)) == (code, "something failed", "something failed")


def test_error_attributes_survive_pickling() -> None:
    for cls, _ in KINDS:
        e = cls(
            "refused",
            code="login_required",
            status_code=401,
            original={"a": 1},
            state="s",
            retry_after=2,
            rate_limit_reset=1700000000,
        )
        copy = pickle.loads(pickle.dumps(e))
        assert type(copy) is cls
        assert (copy.code, copy.description, copy.status_code, copy.original, copy.state) == (
            "login_required",
            "refused",
            401,
            {"a": 1},
            "s",
        )
        assert (copy.retry_after, copy.rate_limit_reset) == (2, 1700000000)


@pytest.mark.parametrize(
    "keyword, value, option",
    [
        ("ca_file", "/nonexistent/ca.pem", "caFile"),
        ("ca_pem", "not a certificate", "caPem"),
        ("proxy", "::not a url", "proxy"),
        ("timeout", 0, "timeout"),
        ("connect_timeout", -1, "connectTimeout"),
        ("max_response_bytes", 10, "maxResponseBytes"),
    ],
)
def test_transport_keywords_reach_the_core_and_are_checked(keyword: str, value: Any, option: str) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        auth0_native.WebAuth(domain="me.auth0.com", client_id="abc", **{keyword: value})
    assert info.value.description.startswith(f"{option} option is not valid")


PORTAL = "<!DOCTYPE html><html><body>Accept the terms to use this network</body></html>"


@pytest.mark.parametrize(
    "body, content_type",
    [
        (PORTAL, "text/html"),
        ("", "application/json"),
        ("{}", "application/json"),
    ],
)
def test_a_token_answer_without_tokens_is_an_invalid_response(
    fresh_tenant: DevTenant, body: str, content_type: str
) -> None:
    fresh_tenant.fault(path="/oauth/token", body=body, content_type=content_type)
    web = make_web(fresh_tenant)
    with pytest.raises(ServerError) as caught:
        web.client.login(
            username=fresh_tenant.username,
            password=fresh_tenant.password,
            realm=fresh_tenant.connection,
        )
    assert caught.value.code == "invalid_response"


def test_a_userinfo_answer_that_is_a_page_is_an_invalid_response(fresh_tenant: DevTenant) -> None:
    fresh_tenant.fault(path="/userinfo", body=PORTAL)
    with pytest.raises(ServerError) as caught:
        make_web(fresh_tenant).client.user_info("any-token")
    assert (caught.value.code, caught.value.status_code) == ("invalid_response", 200)
