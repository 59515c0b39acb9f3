"""The pytest plugin of ``auth0-devtenant`` (registered through the ``pytest11``
entry point: installing the package is enough).

Fixtures:

- ``devtenant`` -- a :class:`~auth0_devtenant.DevTenant` of the test's own,
  on an ephemeral port, stopped after the test::

      def test_login(devtenant):
          web = auth0_native.WebAuth(domain=devtenant.domain, client_id=devtenant.client_id)
          assert web.client.login(username=devtenant.username, password=devtenant.password,
                                  realm=devtenant.connection)["access_token"]

- ``devtenant_config`` -- the configuration ``devtenant`` starts with
  (default: none, the server's defaults). Override it in a ``conftest.py``
  to seed users or change lifetimes for every test; a test's
  ``@pytest.mark.devtenant(**config)`` marker is merged over it.
- ``devtenant_factory`` -- ``devtenant_factory(**config)`` starts more
  tenants in one test; all are stopped after it.
"""

from typing import Any, Callable, Dict, Iterator, List

import pytest

from . import DevTenant


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "devtenant(**config): configuration of the test's `devtenant` fixture "
        "(keys of the auth0-devtenant --config file, e.g. users=[...])",
    )


@pytest.fixture
def devtenant_config() -> Dict[str, Any]:
    """The configuration the ``devtenant`` fixture starts the server with."""
    return {}


@pytest.fixture
def devtenant_factory() -> Iterator[Callable[..., DevTenant]]:
    """Starts tenants with the given configuration; stops them after the test."""
    started: List[DevTenant] = []

    def start(**config: Any) -> DevTenant:
        tenant = DevTenant.start(config)
        started.append(tenant)
        return tenant

    yield start
    for tenant in started:
        tenant.stop()


@pytest.fixture
def devtenant(
    request: pytest.FixtureRequest,
    devtenant_config: Dict[str, Any],
    devtenant_factory: Callable[..., DevTenant],
) -> DevTenant:
    """A dev tenant of this test's own (fresh users, sessions, outbox)."""
    config = dict(devtenant_config)
    for marker in reversed(list(request.node.iter_markers("devtenant"))):
        if marker.args:
            raise TypeError("@pytest.mark.devtenant takes keyword arguments only")
        config.update(marker.kwargs)
    return devtenant_factory(**config)
