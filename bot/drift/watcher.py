"""The watch loop: one replica at a time (a lease in the shared store), a snapshot every interval,
each unexplained difference recorded once and announced.

Dedup rests on one unique key per difference: the snapshot it was found against and the resource.
Recording happens before announcing and the new snapshot is saved after, so a replica that dies in
between finds the same differences against the same snapshot next time, and records none again.
"""

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import Protocol

from bot import claims
from bot.drift.budget import RegionPacer
from bot.drift.diff import Difference, differences
from bot.drift.explain import unexplained
from bot.drift.snapshot import take
from bot.settings import DriftSettings
from bot.store import DriftLedger, DriftRecord, Store, StoreUnavailable, now
from bot.voice import VoiceService

log = logging.getLogger(__name__)

LEASE = "drift-watch"
CLOCK_MARGIN = timedelta(seconds=2)
"""Changes settled this long before the previous snapshot began still explain, since replicas' clocks
differ a little; kept short because a Switchboard change explains every difference to its resource
in the window, an out-of-band one made just after it included."""

ATTRIBUTION_WINDOW = timedelta(minutes=30)
"""How long a drift found before CloudTrail showed its event is looked up again, once a scan:
CloudTrail shows an event "typically within 5 minutes" of the call, not guaranteed (CloudTrail User
Guide, "Working with CloudTrail event history")."""


class Announcer(Protocol):
    """Where drift is told: each record once, and again when who made it is found later."""

    async def announce(self, record: DriftRecord) -> str | None:
        """Post the record; where it was posted (what `revise` takes), or None when nowhere."""

    async def revise(self, record: DriftRecord, posted: str) -> None:
        """Bring what `announce` posted up to date with the record."""


class ActorLookup(Protocol):
    """Who made a difference and from where (CloudTrail), when that can be read: the changing calls
    made on its resource between `since` and `until`."""

    async def actors(
        self, difference: Difference, since: datetime, until: datetime
    ) -> list[dict[str, str]] | None: ...


class DriftWatcher:
    def __init__(
        self,
        voice: VoiceService,
        store: Store,
        settings: DriftSettings,
        announcer: Announcer | None = None,
        actors: ActorLookup | None = None,
    ) -> None:
        self.voice = voice
        self.ledger = DriftLedger(store)
        self.settings = settings
        self.announcer = announcer
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
        await self._attribute_late(skip={record.id for record in recorded})
        self.scanned.set()
        return recorded

    async def _record(self, difference: Difference, snapshot_id: str, since: datetime) -> DriftRecord | None:
        actors = await self._actors(difference, since, now())
        record = await self.ledger.record_drift(
            key=f"{snapshot_id}:{difference.resource}"[:400],
            resource=difference.resource,
            kind=difference.kind,
            region=difference.region,
            before=difference.before,
            after=difference.after,
            actors=actors,
            revert=difference.revert(),
            changed_after=since,
        )
        if record is None:
            return None  # recorded (and announced) before: a restart or another replica
        log.warning("drift: %s changed outside Switchboard (%s)", difference.resource, record.id)
        if self.announcer is not None:
            try:
                posted = await self.announcer.announce(record)
                if posted is not None:
                    await self.ledger.mark_announced(record.id, posted)
            except Exception:  # recorded all the same: /voice drift lists it
                log.exception("drift: could not announce %s", record.id)
        return record

    async def _actors(
        self, difference: Difference, since: datetime, until: datetime
    ) -> list[dict[str, str]] | None:
        if self.actors is None:
            return None
        try:
            return await self.actors.actors(difference, since, until)
        except Exception:  # who did it is a courtesy: the drift is announced without it
            log.exception("drift: could not look up who changed %s", difference.resource)
            return None

    async def _attribute_late(self, skip: set[str]) -> None:
        """Ask again who made recent drift CloudTrail had no event for yet, and update its
        announcement when it answers. `attribute` is a compare-and-set: of two replicas (one that
        lost the lease mid-scan), one updates the post."""
        if self.actors is None:
            return
        for record in await self.ledger.unattributed(now() - ATTRIBUTION_WINDOW):
            if record.id in skip or record.changed_after is None:
                continue
            difference = Difference(record.resource, record.before, record.after)
            actors = await self._actors(difference, record.changed_after, record.first_seen)
            if not actors or not await self.ledger.attribute(record.id, actors):
                continue
            record.actors = actors
            log.info("drift: %s was made by %s", record.id, actors[0].get("who"))
            if self.announcer is not None and record.announced_as:
                try:
                    await self.announcer.revise(record, record.announced_as)
                except Exception:  # the record has it: /voice drift and the Acknowledge view show it
                    log.exception("drift: could not update the announcement of %s", record.id)
