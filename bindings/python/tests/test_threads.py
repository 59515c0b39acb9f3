"""One handle shared by threads; core calls run with the GIL released."""

import pathlib
import subprocess
import sys
import textwrap
import threading
from typing import List

import auth0_native
from helpers import query_dict

THREADS = 8
CALLS = 100


def test_threads_share_one_handle_and_get_distinct_states(web: auth0_native.WebAuth) -> None:
    states: List[List[str]] = [[] for _ in range(THREADS)]
    errors: List[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(mine: List[str]) -> None:
        try:
            start.wait()
            for _ in range(CALLS):
                state = query_dict(web.authorize())["state"]
                assert state is not None
                mine.append(state)
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(s,)) for s in states]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    every = [s for mine in states for s in mine]
    assert len(every) == THREADS * CALLS
    assert len(set(every)) == THREADS * CALLS


# Runs in a child process so that a regression (a core call holding the GIL)
# fails the test by timeout instead of hanging the whole run. The child holds
# the file store's lock itself, so a thread's `authorize` blocks inside the
# core; the main thread must still be able to run Python meanwhile.
GIL_PROBE = textwrap.dedent(
    """
    import fcntl, os, sys, threading, time
    import auth0_native

    directory = sys.argv[1]
    path = os.path.join(directory, "tx.json")
    web = auth0_native.WebAuth(
        domain="me.auth0.com", client_id="abc",
        transaction={"store": "file", "path": path},
    )
    web.authorize()  # lets the store create its files
    # The file store serialises its read-modify-write with flock on a file
    # beside the store; hold every file it made, whatever it names its lock.
    held = [open(os.path.join(directory, name), "a") for name in sorted(os.listdir(directory))]
    for f in held:
        fcntl.flock(f, fcntl.LOCK_EX)

    result = []
    worker = threading.Thread(target=lambda: result.append(web.authorize()))
    worker.start()
    time.sleep(0.5)
    # Reaching this line needs the GIL while the worker sits in the core.
    assert worker.is_alive(), "authorize did not wait for the lock"
    spins = sum(range(100_000))
    for f in held:
        fcntl.flock(f, fcntl.LOCK_UN)
    worker.join(timeout=30)
    assert result and result[0].startswith("https://me.auth0.com/authorize?")
    print("ran python while the core waited", spins > 0)
    """
)


def test_a_blocked_core_call_lets_other_threads_run_python(tmp_path: pathlib.Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", GIL_PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "ran python while the core waited True" in done.stdout
