"""The suite runs against the installed wheel, and the wheel is one a
package index accepts: abi3, manylinux on Linux, with the stubs, py.typed
and the license (run_tests.sh builds it, installs it into a fresh venv and
runs pytest from outside the source tree)."""

import os
import pathlib
import sys
import sysconfig
from importlib import metadata

import auth0_native

DIST = metadata.distribution("auth0-native")


def installed_files() -> "set[str]":
    return {str(f) for f in (DIST.files or [])}


def test_the_module_is_imported_from_site_packages_not_the_source_tree() -> None:
    module = pathlib.Path(auth0_native.__file__).resolve()
    site = {pathlib.Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    assert any(s in module.parents for s in site), f"{module} is not under {site}"
    source = pathlib.Path(__file__).resolve().parents[1] / "python"
    assert source not in module.parents


def test_the_wheel_carries_the_stubs_py_typed_and_the_license() -> None:
    files = installed_files()
    assert "auth0_native/_native.pyi" in files
    assert "auth0_native/py.typed" in files
    licenses = [f for f in files if f.startswith("auth0_native-") and "/licenses/" in f]
    assert [pathlib.PurePosixPath(f).name for f in licenses] == ["LICENSE"]
    text = pathlib.Path(str(DIST.locate_file(licenses[0]))).read_text(encoding="utf-8")
    assert text.startswith("MIT License")


def test_the_metadata_names_the_license_and_python_versions() -> None:
    meta = DIST.metadata
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == ">=3.10"


def test_the_wheel_is_abi3_for_cpython_3_9_and_later() -> None:
    tags = DIST.read_text("WHEEL") or ""
    assert "Tag: cp310-abi3-" in tags, tags


def test_the_platform_tag_is_one_an_index_accepts() -> None:
    # Linux: manylinux_2_17 (glibc 2.17 and later), never the bare
    # `linux_x86_64` PyPI refuses.
    tags = [line for line in (DIST.read_text("WHEEL") or "").splitlines() if line.startswith("Tag:")]
    platforms = {t.rsplit("-", 1)[1] for t in tags}
    expected = {"linux": "manylinux_2_17_", "darwin": "macosx_", "win32": "win"}[sys.platform]
    assert platforms and all(
        p.startswith(expected) or (sys.platform == "linux" and p.startswith("manylinux2014_"))
        for p in platforms
    ), tags
    if sys.platform == "linux":
        assert any(p.startswith("manylinux_2_17_") for p in platforms), tags


def test_it_is_the_wheel_run_tests_built() -> None:
    # Set by run_tests.sh: the file name of the wheel it installed.
    expected = os.environ.get("AUTH0_EXPECT_WHEEL")
    assert expected, "run the suite with bindings/python/run_tests.sh"
    name, version = expected.split("-")[:2]
    assert (name, version) == ("auth0_native", DIST.version)
    assert expected.endswith(".whl")
