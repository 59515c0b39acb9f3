"""signup, change_password and the passwordless start/verify pair against the dev tenant."""

import uuid

import pytest

import auth0_native
from conftest import WebFor
from tenant import DevTenant

NEW_PASSWORD = "Sign-Up-Passw0rd"


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def test_signup_returns_id_email_and_email_verified(tenant: DevTenant, web_of: WebFor) -> None:
    email = unique_email("signup")
    answer = web_of().signup(connection=tenant.connection, email=email, password=NEW_PASSWORD)
    assert set(answer) == {"id", "email", "email_verified"}
    assert answer["email"] == email
    assert answer["email_verified"] is False
    assert answer["id"]


def test_signed_up_user_can_log_in_with_metadata_kept_as_given(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    email = unique_email("meta")
    web.signup(
        connection=tenant.connection,
        email=email,
        password=NEW_PASSWORD,
        user_metadata={"favoriteColor": "blue", "plan_name": "pro"},
    )
    r = web.client.login(
        username=email,
        password=NEW_PASSWORD,
        realm=tenant.connection,
        audience=tenant.management_audience,
        scope="openid read:current_user",
    )
    payload = r["id_token_payload"]
    assert payload is not None and r["access_token"] is not None
    user = auth0_native.Management(domain=tenant.domain, token=r["access_token"]).get_user(
        payload["sub"]
    )
    assert user["user_metadata"] == {"favoriteColor": "blue", "plan_name": "pro"}


def test_signup_of_an_existing_user_is_user_exists(tenant: DevTenant, web_of: WebFor) -> None:
    with pytest.raises(auth0_native.ServerError) as caught:
        web_of().signup(connection=tenant.connection, email=tenant.username, password=NEW_PASSWORD)
    assert (caught.value.status_code, caught.value.code) == (400, "user_exists")
    assert NEW_PASSWORD not in str(caught.value) and NEW_PASSWORD not in repr(caught.value)


def test_signup_without_a_password_is_refused_before_sending(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    with pytest.raises(auth0_native.InvalidArgumentError, match=r"^password option is required$"):
        web.signup(connection=tenant.connection, email="x@e.com")  # type: ignore[call-arg]


def test_change_password_returns_the_tenant_text_and_sends_a_link(
    tenant: DevTenant, web_of: WebFor
) -> None:
    answer = web_of().change_password(connection=tenant.connection, email=tenant.username)
    assert answer == "We've just sent you an email to reset your password."
    assert tenant.outbox(tenant.username)


def test_change_password_without_an_email_is_refused(tenant: DevTenant, web_of: WebFor) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match=r"^email option is required$"):
        web_of().change_password(connection=tenant.connection)  # type: ignore[call-arg]


def test_passwordless_start_returns_snake_case_keys_and_sends_a_code(
    tenant: DevTenant, web_of: WebFor
) -> None:
    email = unique_email("start")
    answer = web_of().passwordless_start(connection="email", send="code", email=email)
    assert answer["email"] == email
    assert "id" in answer and "email_verified" in answer
    assert all(k == k.lower() for k in answer)
    assert len(tenant.last_code(email)) == 6


def test_passwordless_start_with_a_bad_send_is_refused(web_of: WebFor) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match=r"^send is not valid"):
        web_of().passwordless_start(connection="email", send="pigeon", email="a@example.com")


def test_passwordless_verify_returns_the_auth_result(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    email = unique_email("verify")
    web.passwordless_start(connection="email", send="code", email=email)
    result = web.passwordless_verify(
        connection="email", email=email, verification_code=tenant.last_code(email)
    )
    assert result["id_token_payload"] is not None
    assert result["id_token_payload"]["email"] == email


def test_passwordless_verify_with_a_wrong_code_is_invalid_grant(web_of: WebFor) -> None:
    web = web_of()
    email = unique_email("wrong")
    web.passwordless_start(connection="email", send="code", email=email)
    with pytest.raises(auth0_native.ServerError) as caught:
        web.passwordless_verify(connection="email", email=email, verification_code="999999")
    assert (caught.value.status_code, caught.value.code) == (403, "invalid_grant")
