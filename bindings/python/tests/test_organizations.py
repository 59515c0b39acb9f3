"""Organizations: organization and invitation on authorize, the id_token's
org_id / org_name checked, invitation links parsed."""

import pytest

import auth0_native
from conftest import CALLBACK, make_web
from tenant import Browser, DevTenant

ORG_ID = "org_6f00000000000001"


def test_an_organization_login_checks_the_org_id_claim(tenant: DevTenant) -> None:
    web = make_web(tenant)
    url = web.authorize(organization=ORG_ID)
    assert f"&organization={ORG_ID}" in url
    location = Browser().log_in_to_location(url, tenant.username, tenant.password)
    result = web.parse_hash(location)
    assert result is not None
    assert (result["id_token_payload"] or {})["org_id"] == ORG_ID
    assert (result["id_token_payload"] or {})["org_name"] == "acme"


def test_a_token_of_another_organization_is_refused(fresh_tenant: DevTenant) -> None:
    fresh_tenant.dev("POST", "organizations", {"name": "globex", "members": [fresh_tenant.username]})
    web = make_web(fresh_tenant)
    url = web.authorize(organization="globex").replace("organization=globex", "organization=acme")
    location = Browser().log_in_to_location(url, fresh_tenant.username, fresh_tenant.password)
    with pytest.raises(auth0_native.InvalidTokenError) as caught:
        web.parse_hash(location)
    assert caught.value.description == (
        'Organization Name (org_name) claim mismatch in the ID token; expected "globex", found "acme"'
    )


def test_the_handle_option_applies_to_every_authorize(tenant: DevTenant) -> None:
    web = make_web(tenant, organization="ACME")
    assert "&organization=ACME" in web.authorize()
    assert "&organization=ACME" in web.client.build_authorize_url(state="s")
    location = Browser().log_in_to_location(web.authorize(), tenant.username, tenant.password)
    result = web.parse_hash(location)
    assert result is not None and (result["id_token_payload"] or {})["org_name"] == "acme"


def test_an_invitation_link_is_parsed_and_accepted(fresh_tenant: DevTenant) -> None:
    invitation = fresh_tenant.dev(
        "POST", "organizations/acme/invitations", {"email": fresh_tenant.username}
    )
    web = make_web(fresh_tenant)
    parsed = web.client.parse_invitation_url(invitation["invitation_url"])
    assert parsed == {
        "organization": ORG_ID,
        "invitation": invitation["ticket_id"],
        "organization_name": "acme",
    }
    url = web.authorize(organization=parsed["organization"], invitation=parsed["invitation"])
    location = Browser().log_in_to_location(url, fresh_tenant.username, fresh_tenant.password)
    assert location.startswith(CALLBACK)
    assert web.parse_hash(location) is not None
    assert fresh_tenant.dev("GET", "organizations/acme/invitations")[0]["accepted"] is True


def test_a_link_without_an_invitation_is_an_invalid_argument(web: auth0_native.WebAuth) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError, match="invitation parameter"):
        web.client.parse_invitation_url("https://app.example.com/login?organization=org_1")
    with pytest.raises(auth0_native.InvalidArgumentError, match="organization option is not valid"):
        web.authorize(organization=7)  # type: ignore[arg-type]
