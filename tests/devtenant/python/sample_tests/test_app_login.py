"""A sample of an app's own test suite, written against the ``devtenant``
fixture of the auth0-devtenant pytest plugin (nothing to import: installing
the package registers the plugin). The test command of auth0-native runs it
from a directory outside the source tree, with ``auth0-native`` and
``auth0-devtenant`` installed from their wheels."""

import pytest

import auth0_native
from auth0_devtenant import DevTenant


def test_logging_in_takes_three_lines(devtenant: DevTenant) -> None:
    web = auth0_native.WebAuth(domain=devtenant.domain, client_id=devtenant.client_id)
    result = web.client.login(
        username=devtenant.username, password=devtenant.password, realm=devtenant.connection
    )
    assert result["access_token"]
    # (And the id_token was checked against the tenant: its issuer, its keys.)
    payload = result["id_token_payload"]
    assert payload is not None and payload["iss"] == devtenant.issuer


def test_a_wrong_password_is_refused(devtenant: DevTenant) -> None:
    web = auth0_native.WebAuth(domain=devtenant.domain, client_id=devtenant.client_id)
    with pytest.raises(auth0_native.ServerError) as caught:
        web.client.login(username=devtenant.username, password="wrong", realm=devtenant.connection)
    assert caught.value.status_code == 403


@pytest.mark.devtenant(users=[{"email": "ada@example.com", "password": "Ada-Passw0rd!", "name": "Ada"}])
def test_a_seeded_user_logs_in_with_her_profile(devtenant: DevTenant) -> None:
    assert devtenant.username == "ada@example.com"
    web = auth0_native.WebAuth(
        domain=devtenant.domain, client_id=devtenant.client_id, scope="openid profile email"
    )
    result = web.client.login(
        username="ada@example.com", password="Ada-Passw0rd!", realm=devtenant.connection
    )
    assert result["access_token"] is not None
    profile = web.client.user_info(result["access_token"])
    assert (profile["email"], profile["name"]) == ("ada@example.com", "Ada")


def test_a_passwordless_code_is_read_from_the_outbox(devtenant: DevTenant) -> None:
    web = auth0_native.WebAuth(domain=devtenant.domain, client_id=devtenant.client_id)
    web.passwordless_start(connection="email", send="code", email="pat@example.com")
    result = web.client.passwordless_login(
        connection="email",
        email="pat@example.com",
        verification_code=devtenant.last_code("pat@example.com"),
    )
    assert result["access_token"]


def test_an_outage_of_the_token_endpoint_reaches_the_app(devtenant: DevTenant) -> None:
    devtenant.fault("/oauth/token", status=503)
    web = auth0_native.WebAuth(domain=devtenant.domain, client_id=devtenant.client_id)
    with pytest.raises(auth0_native.ServerError) as caught:
        web.client.login(
            username=devtenant.username, password=devtenant.password, realm=devtenant.connection
        )
    assert caught.value.status_code == 503
    assert devtenant.requests("/oauth/token")[-1]["method"] == "POST"


def test_tokens_signed_after_a_key_rotation_still_verify(devtenant: DevTenant) -> None:
    web = auth0_native.WebAuth(domain=devtenant.domain, client_id=devtenant.client_id)
    kid = devtenant.rotate_keys()
    result = web.client.login(
        username=devtenant.username, password=devtenant.password, realm=devtenant.connection
    )
    assert result["id_token"] is not None
    assert _kid(result["id_token"]) == kid


def _kid(jwt: str) -> str:
    import base64
    import json

    header = jwt.split(".")[0]
    kid: str = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]
    return kid
