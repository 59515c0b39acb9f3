"""The installed auth0-devtenant package: where it finds its server, how it
fails, and the pytest plugin's fixtures seen from a test run of their own
(pytester)."""

import pathlib
import subprocess
import sys
import sysconfig
import urllib.error
import urllib.request

import pytest

import auth0_devtenant
from auth0_devtenant import DevTenant, DevTenantError


def test_the_server_is_the_binary_the_wheel_installed_in_this_environment() -> None:
    found = auth0_devtenant.binary()
    assert found.parent.resolve() == pathlib.Path(sysconfig.get_path("scripts")).resolve()
    assert found.name.startswith("auth0-devtenant")


def test_auth0_devtenant_bin_names_another_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_DEVTENANT_BIN", "/opt/my-build/auth0-devtenant")
    assert auth0_devtenant.binary() == pathlib.Path("/opt/my-build/auth0-devtenant")


def test_a_server_that_cannot_run_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(DevTenantError, match="cannot run .*missing"):
        DevTenant.start(server=tmp_path / "missing")


def test_a_config_the_server_refuses_is_a_clear_error() -> None:
    with pytest.raises(DevTenantError, match="exited with status 2 within 30 s: .*invalid config"):
        DevTenant.start({"code_lifetime_secs": "not a number"})


def test_the_tenant_answers_until_stopped() -> None:
    with DevTenant.start() as tenant:
        with urllib.request.urlopen(tenant.domain + "/.well-known/jwks.json", timeout=10) as r:
            assert r.status == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(tenant.domain + "/.well-known/jwks.json", timeout=5)


def test_the_marker_is_merged_over_devtenant_config_and_tenants_stop_after_the_test(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def devtenant_config():
            return {"users": [{"email": "conf@example.com", "password": "Conf-Passw0rd!"}]}
        """
    )
    pytester.makepyfile(
        """
        import pathlib
        import pytest

        def test_config(devtenant):
            pathlib.Path("domain.txt").write_text(devtenant.domain)
            assert devtenant.username == "conf@example.com"

        @pytest.mark.devtenant(users=[{"email": "mark@example.com", "password": "Mark-Passw0rd!"}])
        def test_marker(devtenant):
            assert devtenant.username == "mark@example.com"
            assert devtenant.password == "Mark-Passw0rd!"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)
    domain = (pytester.path / "domain.txt").read_text()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(domain + "/.well-known/jwks.json", timeout=5)


def test_the_outbox_holds_the_codes_sent(devtenant: DevTenant) -> None:
    body = b'{"client_id": "%s", "connection": "email", "email": "a@example.com", "send": "code"}'
    request = urllib.request.Request(
        devtenant.domain + "/passwordless/start",
        data=body % devtenant.client_id.encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).close()
    code = devtenant.last_code("a@example.com")
    assert code.isdigit() and len(code) == 6
    devtenant.clear_outbox()
    assert devtenant.outbox() == []


def test_the_installed_package_and_the_sample_suite_type_check_under_strict_mypy(
    tmp_path: pathlib.Path,
) -> None:
    # `-p`: the installed package (found through its py.typed), not a path;
    # mypy takes packages and files in separate runs.
    sample = pathlib.Path(__file__).resolve().parents[1] / "sample_tests"
    for target in (["-p", "auth0_devtenant"], [str(sample)]):
        done = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", *target],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
