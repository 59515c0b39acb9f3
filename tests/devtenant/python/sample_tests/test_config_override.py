"""``devtenant_config`` overridden for a module (a conftest.py does it for a
whole suite): every tenant here polls device codes every second."""

from typing import Any, Dict

import pytest

import auth0_native
from auth0_devtenant import DevTenant


@pytest.fixture
def devtenant_config() -> Dict[str, Any]:
    return {"device_interval_secs": 1}


def test_the_device_code_carries_the_configured_interval(devtenant: DevTenant) -> None:
    web = auth0_native.WebAuth(domain=devtenant.domain, client_id=devtenant.client_id)
    code = web.device.start()
    assert code["interval"] == 1


def test_two_tenants_in_one_test_are_independent(devtenant_factory: Any) -> None:
    first, second = devtenant_factory(), devtenant_factory()
    assert first.domain != second.domain
    first.stop()
    web = auth0_native.WebAuth(domain=second.domain, client_id=second.client_id)
    assert web.client.login(
        username=second.username, password=second.password, realm=second.connection
    )["access_token"]
