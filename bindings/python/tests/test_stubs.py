"""The hand-written stubs match the installed module, and type-check."""

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ALLOWLIST = HERE.parent / "stubtest-allowlist.txt"


def run(workdir: pathlib.Path, *args: str) -> "subprocess.CompletedProcess[str]":
    """`python -m <args>` in `workdir`, where mypy leaves its cache.

    Not in the source tree either way: the installed package is checked.
    """
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=workdir,
    )


def test_stubtest_finds_the_stubs_consistent_with_the_module(tmp_path: pathlib.Path) -> None:
    # The one hand-written stub; the package's .py modules are their own stubs.
    done = run(tmp_path, "mypy.stubtest", "auth0_native._native", "--allowlist", str(ALLOWLIST))
    assert done.returncode == 0, done.stdout + done.stderr


def test_typed_code_and_these_tests_type_check_under_strict_mypy(tmp_path: pathlib.Path) -> None:
    # typed_usage.py is an application's view; the tests mark every deliberate
    # misuse with a precise `type: ignore`, which strict mypy reports as
    # unused if the stubs ever stop rejecting it.
    done = run(tmp_path, "mypy", "--strict", str(HERE))
    assert done.returncode == 0, done.stdout + done.stderr
