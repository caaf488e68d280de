"""Waiting for a condition that another process or peer makes true (no event to await across processes)."""

import asyncio
from collections.abc import Awaitable, Callable


async def eventually(condition: Callable[[], Awaitable[bool]], what: str, *, attempts: int = 400) -> None:
    """Poll `condition` until it holds; fail naming `what` if it never does. Not a latency assertion."""
    for _ in range(attempts):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")
