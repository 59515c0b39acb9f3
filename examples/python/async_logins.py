"""Log a user in 50 times from asyncio: one after another, then all at once.

    python examples/python/async_logins.py [--count 50]

``auth0_native.aio`` has the classes of ``auth0_native`` with every method
a coroutine: each call runs on a bounded thread pool with the GIL
released, so the event loop keeps running (a ticker measures its longest
pause) and many logins wait on the network together. With no
configuration it starts a local dev tenant and logs its test user in; for
a real tenant see login.py (the application must allow the password-realm
grant). Tokens are never printed.
"""

import argparse
import asyncio
import time
from typing import List, Tuple

import auth0_native
from auth0_native import aio
from _devtenant import tenant


async def longest_pause(stop: asyncio.Event) -> float:
    """The longest time the loop took to come back to this coroutine."""
    worst = 0.0
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        worst = max(worst, now - last)
        last = now
    return worst


async def timed_logins(
    web: aio.WebAuth, options: dict, count: int, concurrent: bool
) -> Tuple[float, float, List[auth0_native.AuthResult]]:
    stop = asyncio.Event()
    ticker = asyncio.ensure_future(longest_pause(stop))
    began = time.perf_counter()
    if concurrent:
        results = await asyncio.gather(*(web.client.login(**options) for _ in range(count)))
    else:
        results = [await web.client.login(**options) for _ in range(count)]
    elapsed = time.perf_counter() - began
    stop.set()
    return elapsed, await ticker, list(results)


async def main(count: int) -> None:
    with tenant() as t:
        web = aio.WebAuth(domain=t.domain, client_id=t.client_id, scope="openid profile email")
        options = {"username": t.username, "password": t.password, "realm": t.connection}
        await web.client.login(**options)  # warm up: TLS, JWKS

        print(f"{count} logins, pool of {aio.DEFAULT_MAX_WORKERS} threads:")
        figures = {}
        for concurrent in (False, True):
            label = "concurrent" if concurrent else "sequential"
            elapsed, pause, results = await timed_logins(web, options, count, concurrent)
            subs = {(r["id_token_payload"] or {}).get("sub") for r in results}
            assert len(results) == count and len(subs) == 1, "every login is the same user"
            figures[label] = elapsed
            print(
                f"  {label:>10}: {elapsed * 1000:8.1f} ms  ({count / elapsed:6.1f} logins/s,"
                f" longest event-loop pause {pause * 1000:.1f} ms)"
            )
        print(f"  speed-up: {figures['sequential'] / figures['concurrent']:.1f}x")

        # Cancelling the task that awaits a call cancels it: here a device
        # poll nobody approves, which stops polling at once.
        code = await web.device.start()
        poll = asyncio.ensure_future(web.device.poll(code, timeout=60))
        await asyncio.sleep(0.2)
        poll.cancel()
        try:
            await poll
        except asyncio.CancelledError:
            print("a cancelled device poll: CancelledError")
        print("async logins: ok")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    asyncio.run(main(parser.parse_args().count))
