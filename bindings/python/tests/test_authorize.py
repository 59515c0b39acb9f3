"""WebAuth.authorize / authorize_request: the transaction they record, seen from the URL."""

import base64
import hashlib
import json
import os
import pathlib
import stat

from typing import Any, Dict

import pytest

import auth0_native
from helpers import query_dict


def test_authorize_returns_the_authorize_url(web: auth0_native.WebAuth) -> None:
    url = web.authorize(connection="twitter")
    assert url.startswith(
        "https://me.auth0.com/authorize?client_id=abc123&response_type=code"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&connection=twitter&state="
    )


def test_generated_state_is_long_and_in_the_url(web: auth0_native.WebAuth) -> None:
    request = web.authorize_request()
    assert len(request["state"]) >= 32
    assert query_dict(request["url"])["state"] == request["state"]


def test_state_is_distinct_per_call(web: auth0_native.WebAuth) -> None:
    states = {query_dict(web.authorize())["state"] for _ in range(50)}
    assert len(states) == 50


def test_given_state_is_used(web: auth0_native.WebAuth) -> None:
    request = web.authorize_request(state="my-state")
    assert request["state"] == "my-state"
    assert query_dict(request["url"])["state"] == "my-state"


def test_nonce_is_generated_for_id_token_response_types(web: auth0_native.WebAuth) -> None:
    for response_type in ("id_token", "id_token token", "code id_token"):
        request = web.authorize_request(response_type=response_type)
        assert len(request["nonce"]) >= 32, response_type
        assert query_dict(request["url"])["nonce"] == request["nonce"], response_type


def test_no_nonce_without_id_token(web: auth0_native.WebAuth) -> None:
    for response_type in ("code", "token"):
        request = web.authorize_request(response_type=response_type)
        assert "nonce" not in request, response_type
        assert "nonce" not in query_dict(request["url"]), response_type


def test_authorize_request_has_exactly_the_typed_keys(web: auth0_native.WebAuth) -> None:
    assert set(web.authorize_request()) == {"url", "state"}
    assert set(web.authorize_request(response_type="id_token")) == {"url", "state", "nonce"}


def test_pkce_adds_an_s256_code_challenge(web: auth0_native.WebAuth) -> None:
    q = query_dict(web.authorize(pkce=True))
    assert q["code_challenge_method"] == "S256"
    challenge = q["code_challenge"]
    assert challenge is not None
    # base64url of a SHA-256 digest, without padding.
    assert len(challenge) == 43
    assert len(base64.urlsafe_b64decode(challenge + "=")) == hashlib.sha256().digest_size


def test_a_code_flow_gets_an_s256_challenge_by_default(web: auth0_native.WebAuth) -> None:
    q = query_dict(web.authorize())
    assert q["code_challenge_method"] == "S256"
    assert q["code_challenge"] is not None and len(q["code_challenge"]) == 43


def test_pkce_false_leaves_the_challenge_out(web: auth0_native.WebAuth) -> None:
    assert "code_challenge" not in query_dict(web.authorize(pkce=False))


def test_a_code_flow_with_openid_sends_a_nonce() -> None:
    web = auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc",
        redirect_uri="com.example.app://callback",
        scope="openid profile",
    )
    request = web.authorize_request(connection="twitter")
    q = query_dict(request["url"])
    assert q["nonce"] == request["nonce"]
    assert q["code_challenge_method"] == "S256"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"state": [1]}, "state option is not valid"),
        ({"nonce": {"a": 1}}, "nonce option is not valid"),
        # Core messages name options as auth0.js does.
        ({"max_age": "soon"}, "maxAge option is not valid"),
        ({"max_age": -1}, "maxAge option is not valid"),
    ],
)
def test_wrong_typed_url_options_are_refused_by_name(
    web: auth0_native.WebAuth, options: Dict[str, Any], message: str
) -> None:
    for call in (web.authorize, web.client.build_authorize_url):
        with pytest.raises(auth0_native.InvalidArgumentError) as caught:
            call(**options)
        assert caught.value.description == message


def test_a_wrong_typed_federated_is_refused(web: auth0_native.WebAuth) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match="^federated option is not valid$"):
        web.logout(federated=1)  # type: ignore[arg-type]


def test_a_store_path_that_cannot_work_is_refused_at_construction(tmp_path: pathlib.Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("")
    for path in (tmp_path, blocker / "tx.json", pathlib.Path("/proc/auth0-native/tx.json")):
        with pytest.raises(auth0_native.InvalidArgumentError) as caught:
            auth0_native.WebAuth(
                domain="me.auth0.com",
                client_id="abc123",
                transaction={"store": "file", "path": str(path)},
            )
        assert caught.value.description.startswith("transaction.path option is not valid")


def test_a_shared_store_directory_is_refused(tmp_path: pathlib.Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(auth0_native.InvalidArgumentError, match="written by others"):
        auth0_native.WebAuth(
            domain="me.auth0.com",
            client_id="abc123",
            transaction={"store": "file", "path": str(shared / "tx.json")},
        )


def test_a_symlinked_or_corrupt_store_file_is_a_storage_error(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "tx.json"
    web = auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc123",
        transaction={"store": "file", "path": str(path)},
    )
    path.symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(auth0_native.StorageError, match="symlink"):
        web.authorize()
    path.unlink()
    path.write_text("{not json")
    path.chmod(0o600)
    with pytest.raises(auth0_native.StorageError, match="corrupt"):
        web.authorize()
    assert path.read_text() == "{not json"


def test_file_store_writes_a_0600_file_holding_the_state(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "store" / "tx.json"
    web = auth0_native.WebAuth(
        domain="me.auth0.com",
        client_id="abc123",
        transaction={"store": "file", "path": str(path)},
    )
    state = web.authorize_request()["state"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, encoding="utf-8") as f:
        assert state in json.load(f)
