"""The watcher's share of each region's request budget, so interactive commands keep the rest.

A pacer, not a bucket: requests leave at most every 1/rate seconds per region, never in a burst,
so the watcher cannot eat the headroom an interactive command may need the next instant.
"""

import asyncio
from collections import Counter


class RegionPacer:
    def __init__(self, rate: float) -> None:
        """`rate`: requests per second per region (the watcher's share, DriftSettings.watcher_rate)."""
        self._interval = 1.0 / rate
        self._next: dict[str, float] = {}
        self.sent: Counter[str] = Counter()

    async def take(self, region: str) -> None:
        """Return when the next request to `region` may leave."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self._next.get(region, now))
        self._next[region] = slot + self._interval
        self.sent[region] += 1
        if slot > now:
            await asyncio.sleep(slot - now)
