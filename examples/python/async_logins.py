"""Log a user in 50 times from asyncio: one after another, then all at once.

    python examples/python/async_logins.py [--count 50] [--latency-ms 50]

``auth0_native.aio`` has the classes of ``auth0_native`` with every method
a coroutine: each call runs on a bounded thread pool with the GIL
released, so the event loop keeps running (a ticker measures its longest
pause) and many logins wait on the network together. With no
configuration it starts a local dev tenant and logs its test user in; for
a real tenant see login.py (the application must allow the password-realm
grant). Tokens are never printed.

On loopback a login costs CPU (the tenant signs a token, the client
verifies it), not waiting, so a 2-core machine gains little from running
them together; ``--latency-ms`` asks the dev tenant to answer each token
request that much later, as a tenant across the internet does.
"""

import argparse
import asyncio
import json
import time
import urllib.request
from typing import Any, Dict, List, Tuple

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
    web: aio.WebAuth, options: Dict[str, Any], count: int, concurrent: bool
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


def add_latency(domain: str, latency_ms: int, requests: int) -> None:
    """The dev tenant answers the next ``requests`` token requests late."""
    fault = {"path": "/oauth/token", "latency_ms": latency_ms, "count": requests}
    request = urllib.request.Request(
        f"{domain}/__dev/faults",
        data=json.dumps(fault).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).close()


async def main(count: int, latency_ms: int) -> None:
    with tenant() as t:
        web = aio.WebAuth(domain=t.domain, client_id=t.client_id, scope="openid profile email")
        options = {"username": t.username, "password": t.password, "realm": t.connection}
        # Warm up: the JWKS, and as many pooled connections as the pool has
        # threads (the first burst pays a TCP, and with a real tenant TLS,
        # set-up per connection).
        warm_up = min(count, aio.DEFAULT_MAX_WORKERS)
        await asyncio.gather(*(web.client.login(**options) for _ in range(warm_up)))
        if latency_ms and t.is_dev:
            add_latency(t.domain, latency_ms, 2 * count)

        delay = f", each token answer {latency_ms} ms late" if latency_ms and t.is_dev else ""
        print(f"{count} logins, pool of {aio.DEFAULT_MAX_WORKERS} threads{delay}:")
        figures: Dict[str, float] = {}
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

        if t.is_dev:  # a real application may not have the device grant
            # Cancelling the task that awaits a call cancels it: here a
            # device poll nobody approves, which stops polling at once.
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
    parser.add_argument("--latency-ms", type=int, default=0, help="dev tenant only")
    args = parser.parse_args()
    asyncio.run(main(args.count, args.latency_ms))
