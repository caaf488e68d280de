"""Waiting in tests: for an event where there is one, by polling only across processes; never a latency check.

Every wait in the suite is bounded by GUARD_SECONDS, a deadlock guard: it only turns a hung test into a
failure that names what never happened. A busy CI machine may be slow; it is never that slow, so no wait
depends on how fast anything runs.
"""

import asyncio
from collections.abc import Awaitable, Callable

GUARD_SECONDS = 120.0
_POLL_INTERVAL = 0.05


async def eventually(
    condition: Callable[[], Awaitable[bool]], what: str, *, guard: float = GUARD_SECONDS
) -> None:
    """Poll `condition` until it holds (for state another process changes, which signals nothing here).

    Fails naming `what` once `guard` seconds pass without it; the guard is wall-clock time, not a count
    of attempts, so a slow condition check cannot shorten it.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + guard
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"never happened within the {guard:.0f} s guard: {what}")
        await asyncio.sleep(_POLL_INTERVAL)
