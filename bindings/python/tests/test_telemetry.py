"""The auth0Client telemetry parameter of the URLs a Python handle builds."""

import base64
import json
from typing import Any, Dict

import auth0_native
from helpers import query_dict


def telemetry_of(url: str) -> Dict[str, Any]:
    value = query_dict(url)["auth0Client"]
    assert value is not None
    decoded: Dict[str, Any] = json.loads(base64.urlsafe_b64decode(value))
    return decoded


def test_authorize_url_names_the_library_and_the_python_binding() -> None:
    web = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc")
    info = telemetry_of(web.client.build_authorize_url())
    assert info["name"] == "auth0-native"
    assert info["version"] == auth0_native.__version__
    assert "python" in info["env"]


def test_logout_url_carries_telemetry_too() -> None:
    web = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc")
    assert telemetry_of(web.logout())["name"] == "auth0-native"


def test_send_telemetry_false_leaves_it_out() -> None:
    web = auth0_native.WebAuth(domain="me.auth0.com", client_id="abc", _send_telemetry=False)
    assert "auth0Client" not in query_dict(web.client.build_authorize_url())
    assert "auth0Client" not in query_dict(web.logout())


def test_telemetry_info_replaces_the_payload() -> None:
    web = auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc",
        _telemetry_info={"name": "my-app", "version": "2.0"},
    )
    assert telemetry_of(web.authorize()) == {"name": "my-app", "version": "2.0"}
