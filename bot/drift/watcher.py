"""The watch loop: one replica at a time (a lease in the shared store), a snapshot every interval,
each unexplained difference recorded once and announced.

Dedup rests on one unique key per difference: the snapshot it was found against and the resource.
Recording happens before announcing and the new snapshot is saved after, so a replica that dies in
between finds the same differences against the same snapshot next time, and records none again.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot import claims
from bot.drift.budget import RegionPacer
from bot.drift.diff import Difference, differences
from bot.drift.explain import unexplained
from bot.drift.snapshot import take
from bot.settings import DriftSettings
from bot.store import DriftLedger, DriftRecord, Store, StoreUnavailable
from bot.voice import VoiceService

log = logging.getLogger(__name__)

LEASE = "drift-watch"
CLOCK_MARGIN = timedelta(seconds=2)
"""Changes settled this long before the previous snapshot began still explain, since replicas' clocks
differ a little; kept short because a Switchboard change explains every difference to its resource
in the window, an out-of-band one made just after it included."""

Announce = Callable[[DriftRecord], Awaitable[None]]


class ActorLookup(Protocol):
    """Who made a difference and from where (CloudTrail), when that can be read."""

    async def actors(self, difference: Difference, since: datetime) -> list[dict[str, str]] | None: ...


class DriftWatcher:
    def __init__(
        self,
        voice: VoiceService,
        store: Store,
        settings: DriftSettings,
        announce: Announce | None = None,
        actors: ActorLookup | None = None,
    ) -> None:
        self.voice = voice
        self.ledger = DriftLedger(store)
        self.settings = settings
        self.announce = announce
        self.actors = actors
        self.holder = claims.this_process()
        self.pacer = RegionPacer(settings.watcher_rate)
        self.scanned = asyncio.Event()  # set after each completed scan (tests and the benchmark wait on it)

    @property
    def _lease(self) -> timedelta:
        return timedelta(seconds=self.settings.lease)

    async def run(self) -> None:
        """Watch until cancelled: hold the lease (or wait for it to lapse), scan every interval."""
        loop = asyncio.get_running_loop()
        check_every = self.settings.lease / 3
        next_scan = 0.0
        try:
            while True:
                held = await self._hold()
                if held and loop.time() >= next_scan:
                    await self._scan_under_lease()
                    next_scan = loop.time() + self.settings.interval
                wait = min(check_every, max(0.0, next_scan - loop.time())) if held else check_every
                await asyncio.sleep(wait)
        finally:
            with contextlib.suppress(StoreUnavailable):
                await self.ledger.release_lease(LEASE, self.holder)

    async def _hold(self) -> bool:
        try:
            return await self.ledger.hold_lease(LEASE, self.holder, self._lease)
        except StoreUnavailable as error:
            log.warning("drift: the store did not answer the lease check: %s", error)
            return False

    async def _scan_under_lease(self) -> None:
        """Scan while renewing the lease; stop the scan if another replica took the lease meanwhile."""
        scan = asyncio.create_task(self.scan_once())
        try:
            while not scan.done():
                await asyncio.wait({scan}, timeout=self.settings.lease / 3)
                if not scan.done() and not await self._hold():
                    log.warning("drift: lost the watch lease mid-scan; leaving it to its new holder")
                    scan.cancel()
            await scan
        except asyncio.CancelledError:
            if not scan.done():
                scan.cancel()
                raise
        except Exception:  # AWS or the store failing must not end the watch: the next interval retries
            log.exception("drift scan failed")

    async def scan_once(self) -> list[DriftRecord]:
        """One snapshot, diffed with the last; returns the drift recorded (and announced) now.

        Without a previous snapshot (a fresh store) this one is the baseline and announces nothing."""
        previous = await self.ledger.latest_snapshot()
        taken = await take(self.voice, self.pacer, previous.content if previous else None)
        recorded: list[DriftRecord] = []
        if previous is not None:
            found = differences(previous.content, taken.content)
            since = previous.started_at - CLOCK_MARGIN
            for difference in unexplained(found, await self.ledger.changes_since(since)):
                record = await self._record(difference, previous.id, since)
                if record is not None:
                    recorded.append(record)
        await self.ledger.save_snapshot(taken.started_at, taken.content)
        self.scanned.set()
        return recorded

    async def _record(self, difference: Difference, snapshot_id: str, since: datetime) -> DriftRecord | None:
        actors = None
        if self.actors is not None:
            try:
                actors = await self.actors.actors(difference, since)
            except Exception:  # who did it is a courtesy: the drift is announced without it
                log.exception("drift: could not look up who changed %s", difference.resource)
        record = await self.ledger.record_drift(
            key=f"{snapshot_id}:{difference.resource}"[:400],
            resource=difference.resource,
            kind=difference.kind,
            region=difference.region,
            before=difference.before,
            after=difference.after,
            actors=actors,
            revert=difference.revert(),
        )
        if record is None:
            return None  # recorded (and announced) before: a restart or another replica
        log.warning("drift: %s changed outside Switchboard (%s)", difference.resource, record.id)
        if self.announce is not None:
            try:
                await self.announce(record)
            except Exception:  # recorded all the same: /voice drift lists it
                log.exception("drift: could not announce %s", record.id)
        return record
