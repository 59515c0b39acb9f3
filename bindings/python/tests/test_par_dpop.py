"""Pushed authorization requests (par=True) and DPoP (dpop=True) against the dev tenant."""

import base64
import json
import pathlib
import threading
import urllib.parse
from typing import Any, Dict, List

import pytest

import auth0_native
from conftest import WebFor
from tenant import TEST_USER_ID, Browser, DevTenant
from test_examples import run_example


def claims(jwt: str) -> Dict[str, Any]:
    part = jwt.split(".")[1]
    decoded: Dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def query_keys(url: str) -> List[str]:
    return [k for k, _ in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)]


def login(tenant: DevTenant, web: auth0_native.WebAuth) -> Dict[str, Any]:
    result: Dict[str, Any] = dict(
        web.client.login(username=tenant.username, password=tenant.password, realm=tenant.connection)
    )
    return result


def test_authorize_with_par_logs_in_through_parse_hash(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of(par=True)
    request = web.authorize_request()
    assert query_keys(request["url"]) == ["client_id", "request_uri"]
    pushed = [r for r in tenant.requests("/oauth/par") if request["state"] in r["body"]]
    assert len(pushed) == 1
    fields = dict(urllib.parse.parse_qsl(pushed[0]["body"]))
    assert fields["client_id"] == tenant.client_id and fields["code_challenge_method"] == "S256"
    callback = Browser().log_in_to_location(request["url"], tenant.username, tenant.password)
    result = web.parse_hash(callback)
    assert result is not None
    payload = result["id_token_payload"]
    assert payload is not None and payload["sub"] == TEST_USER_ID


def test_popup_authorize_with_par_per_call(tenant: DevTenant, web_of: WebFor) -> None:
    opened: List[str] = []

    def opener(url: str) -> None:
        opened.append(url)
        threading.Thread(
            target=Browser().log_in, args=(url, tenant.username, tenant.password), daemon=True
        ).start()

    result = web_of().popup.authorize(
        opener=opener, redirect_uri="http://127.0.0.1/callback", par=True
    )
    payload = result["id_token_payload"]
    assert payload is not None and payload["sub"] == TEST_USER_ID
    assert query_keys(opened[0]) == ["client_id", "request_uri"]


def test_a_refused_push_raises_with_the_servers_code(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.ServerError) as e:
        web_of(par=True).authorize(redirect_uri="https://evil.example/callback")
    assert (e.value.code, e.value.status_code) == ("invalid_request", 400)
    # build_authorize_url stays local: PAR is not one of its keywords.
    with pytest.raises(TypeError, match="par"):
        web_of().client.build_authorize_url(par=True)


def test_dpop_binds_the_tokens_and_a_stolen_token_alone_is_refused(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of(dpop=True)
    result = login(tenant, web)
    assert result["token_type"] == "DPoP"
    exported = web.dpop_key_export()
    assert exported is not None
    assert claims(result["access_token"])["cnf"]["jkt"] == exported["thumbprint"]
    assert web.client.user_info(result["access_token"])["sub"] == TEST_USER_ID
    for thief in (web_of(), web_of(dpop=True)):
        with pytest.raises(auth0_native.ServerError) as e:
            thief.client.user_info(result["access_token"])
        assert e.value.status_code == 401
    assert web_of().dpop_key_export() is None


def test_an_exported_key_keeps_the_binding_in_a_new_handle(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of(dpop=True)
    result = login(tenant, web)
    exported = web.dpop_key_export()
    assert exported is not None
    again = web_of(dpop_key=exported["dpop_key"])
    assert again.dpop_key_export() == exported
    assert again.client.user_info(result["access_token"])["sub"] == TEST_USER_ID
    with pytest.raises(auth0_native.InvalidArgumentError, match="dpopKey option is not valid") as e:
        web_of(dpop_key="bm90LWEta2V5")
    assert "bm90LWEta2V5" not in str(e.value)


def test_the_dpop_example_shows_a_bare_bearer_use_refused(devtenant_bin: pathlib.Path) -> None:
    out = run_example("dpop_login.py")
    assert "token_type: DPoP" in out
    assert "bare Bearer use refused: ServerError 401" in out
    assert out.rstrip().endswith("dpop login: ok")
