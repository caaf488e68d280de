"""A shared back-off gate per region: when AWS answers 429, every caller pauses, not only the one told.

Without it, concurrent batches keep hammering an API that is already refusing them, and each
retry is itself throttled. Delays grow while 429s keep coming and reset on the first success;
a random factor keeps replicas and workers from retrying in lockstep.
"""

import asyncio
import random


class ThrottleGate:
    def __init__(self, base_delay: float, max_delay: float = 5.0) -> None:
        self._base = base_delay
        self._max = max_delay
        self._open_at = 0.0
        self._streak = 0

    async def wait(self) -> None:
        """Return when calls may go out again."""
        loop = asyncio.get_running_loop()
        # A loop, not an Event: another 429 may push the opening time back while we sleep.
        while (delay := self._open_at - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)

    def throttled(self) -> None:
        """AWS said 429: close the gate for a while (longer the more often it happens in a row).

        429s for requests sent before the gate closed belong to the same burst: they keep it
        closed but do not lengthen the pause, or one burst of N workers would back off N times.
        """
        now = asyncio.get_running_loop().time()
        if now < self._open_at:
            return
        self._streak += 1
        delay = min(self._max, self._base * 2 ** min(self._streak - 1, 16)) * random.uniform(0.5, 1.0)
        self._open_at = now + delay

    def succeeded(self) -> None:
        self._streak = 0
