"""The WebAuth handle and its client: properties, sharing, the module's version."""

import re
from typing import Any
from importlib import metadata

import pytest

import auth0_native
from helpers import REPO_ROOT


def test_domain_and_client_id_are_the_options_given() -> None:
    web = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc")
    assert (web.domain, web.client_id) == ("me.auth0.com", "abc")


def test_loopback_dev_tenant_domain_keeps_its_scheme() -> None:
    web = auth0_native.WebAuth(domain="http://127.0.0.1:3850", client_id="abc")
    assert web.domain == "http://127.0.0.1:3850"
    assert web.client.build_authorize_url().startswith("http://127.0.0.1:3850/authorize?")


@pytest.mark.parametrize("name", ["domain", "client_id", "client"])
def test_properties_are_read_only(web: auth0_native.WebAuth, name: str) -> None:
    with pytest.raises(AttributeError):
        setattr(web, name, "x")


def test_client_uses_the_handle_options(web: auth0_native.WebAuth) -> None:
    client = web.client
    assert isinstance(client, auth0_native.Client)
    assert client.build_authorize_url(state="s") == (
        "https://me.auth0.com/authorize?client_id=abc123&response_type=code"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&state=s"
    )


def test_client_outlives_the_handle_it_came_from() -> None:
    client = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc").client
    assert client.build_authorize_url(state="s").startswith("https://me.auth0.com/authorize?")


def test_classes_are_final() -> None:
    for cls in (auth0_native.WebAuth, auth0_native.Client):
        with pytest.raises(TypeError):
            type("Sub", (cls,), {})


def test_client_cannot_be_made_directly() -> None:
    with pytest.raises(TypeError):
        auth0_native.Client()


def test_positional_arguments_are_refused() -> None:
    with pytest.raises(TypeError):
        untyped: Any = auth0_native.WebAuth  # mypy's error code for this varies by version
        untyped("me.auth0.com", "abc")


def test_repr_names_domain_and_client_id(web: auth0_native.WebAuth) -> None:
    assert repr(web) == "WebAuth(domain=\"me.auth0.com\", client_id=\"abc123\")"


def root_crate_version() -> str:
    text = (REPO_ROOT / "Cargo.toml").read_text(encoding="utf-8")
    package = text.split("[package]", 1)[1].split("\n[", 1)[0]
    found = re.search(r'^version\s*=\s*"([^"]+)"', package, re.MULTILINE)
    assert found, "no version in the root Cargo.toml [package]"
    return found.group(1)


def test_version_is_the_root_crate_version() -> None:
    assert auth0_native.__version__ == root_crate_version()


def test_distribution_version_is_the_root_crate_version() -> None:
    assert metadata.version("auth0-native") == root_crate_version()
