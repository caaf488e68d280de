"""The audit log and the pending changes, in one table (SQLAlchemy 2 async).

SQLite file by default; PostgreSQL (`postgresql+asyncpg://…`) when several replicas share it.
Exactly-once apply rests on one statement: `UPDATE … SET status='APPLYING' WHERE id=… AND
status='PLANNED'`. Whichever replica's update touches the row applies the change; every other
click, retry or replica sees zero rows and reports who got there first.

This module names things (statuses, the change record, errors) and imports no SQLAlchemy; the
statements live in `bot.store_sql`, loaded when a store is first used. A lazy store
(`Store(url, lazy=True)`, the console's) also waits until then to connect and migrate, so a
one-shot read that records nothing never opens the database.
"""

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.results import Outcome, Plan

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.store_sql import SqlStore

SCHEMA_VERSION = 5
# 3: leases, snapshots and drift (the drift watch); 4: claimed_at, settled_at (history);
# 5: the drift's changed_after and announced_as (who made it, found after it was announced)
_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: IDs are read aloud on bridges
SEEN_KEPT = timedelta(hours=1)  # well past Slack's 5-minute signature window and its retries


class Status(StrEnum):
    INVALID = "INVALID"  # the text did not parse; nothing ran
    DENIED = "DENIED"  # the policy refused; nothing ran
    NOT_PLANNED = "NOT_PLANNED"  # nothing to do, or something must happen first; nothing ran
    PLANNED = "PLANNED"  # previewed, waiting for confirmation
    APPLYING = "APPLYING"  # claimed by one replica; requests being sent
    APPLIED = "APPLIED"
    PARTIAL = "PARTIAL"  # some numbers failed
    FAILED = "FAILED"
    UNKNOWN = "UNKNOWN"  # interrupted and could not be confirmed either way
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    DRY_RUN = "DRY_RUN"


FINAL = frozenset(
    {Status.APPLIED, Status.PARTIAL, Status.FAILED, Status.UNKNOWN, Status.CANCELLED, Status.EXPIRED}
)


class ChangeRecord:
    """One row of `switchboard_changes` (mapped onto the table by `bot.store_sql`)."""

    id: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    status: Status
    requested_by: str
    surface: str
    channel_id: str | None
    team_id: str | None
    command_text: str
    command: dict[str, Any] | None
    permission: str | None
    target_kind: str | None
    target_id: str | None
    target_name: str | None
    plan: Plan | None
    before: Any
    after: Any
    result: Outcome | None
    error: str | None
    reason: str | None
    incident: str | None
    needs_approval: bool
    approver: str | None
    applied_by: str | None
    claimed_by: str | None
    undo_of: str | None
    message_ref: dict[str, Any] | None
    claimed_at: datetime | None  # confirmed (and approved, if it needed approval): applying began
    settled_at: datetime | None  # reached a final status

    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            if name not in _FIELDS:
                raise TypeError(f"{name!r} is an invalid keyword argument for ChangeRecord")
            setattr(self, name, value)


_FIELDS = frozenset(ChangeRecord.__annotations__)


def new_change_id() -> str:
    return "c" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(7))


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def expiry(minutes: float) -> datetime:
    return now() + timedelta(minutes=minutes)


class StoreUnavailable(Exception):
    """The audit store cannot be reached or written: the workflow changes nothing without it."""


class StoreMisuse(Exception):
    """The store was handed something it cannot keep: a programming error, reported as one."""


class ClaimRefused(Exception):
    """Someone else already applied, cancelled or expired this change: `status` says which."""

    def __init__(self, record: ChangeRecord | None) -> None:
        super().__init__(record.status if record else "missing")
        self.record = record


class Store:
    """`lazy=False` (the default, `serve`'s): the engine is made now and the caller migrates.
    `lazy=True`: nothing is imported, connected or migrated until the first operation, which
    migrates and then runs the `when_opened` callbacks (the console's reconciliation)."""

    def __init__(self, url: str, *, lazy: bool = False, **engine_options: Any) -> None:
        self.url = url
        self._engine_options = engine_options
        self._sql: SqlStore | None = None if lazy else self._make()
        self._migrated = not lazy  # an eager store's caller migrates
        self._opening = asyncio.Lock()
        self._on_open: list[Callable[[], Awaitable[None]]] = []

    def _make(self) -> "SqlStore":
        from bot.store_sql import SqlStore

        return SqlStore(self.url, **self._engine_options)

    @property
    def opened(self) -> bool:
        """Whether this process has touched the database yet (a lazy store may never)."""
        return self._sql is not None

    @property
    def engine(self) -> "AsyncEngine":
        if self._sql is None:
            self._sql = self._make()
        return self._sql.engine

    def when_opened(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run `callback` once a lazy store has been opened and migrated (now, if it has been)."""
        self._on_open.append(callback)

    async def _open(self) -> "SqlStore":
        if self._sql is not None and self._migrated:
            return self._sql
        async with self._opening:
            if self._sql is None:
                self._sql = self._make()
            if not self._migrated:
                await self._sql.migrate()
                self._migrated = True
        callbacks, self._on_open = self._on_open, []
        for callback in callbacks:
            await callback()
        return self._sql

    async def migrate(self) -> None:
        """Create or upgrade the schema; safe to run from several replicas at once."""
        if self._sql is None:
            self._sql = self._make()
        await self._sql.migrate()
        self._migrated = True

    async def ping(self) -> None:
        await (await self._open()).ping()

    async def close(self) -> None:
        if self._sql is not None:
            await self._sql.close()

    async def add(self, **fields: Any) -> ChangeRecord:
        return await (await self._open()).add(**fields)

    async def get(self, change_id: str) -> ChangeRecord | None:
        return await (await self._open()).get(change_id)

    async def update(self, change_id: str, **fields: Any) -> None:
        await (await self._open()).update(change_id, **fields)

    async def claim(
        self, change_id: str, *, applied_by: str, claimed_by: str, approver: str | None = None
    ) -> ChangeRecord:
        """PLANNED → APPLYING by compare-and-set; raises ClaimRefused to every caller but one."""
        sql = await self._open()
        return await sql.claim(change_id, applied_by=applied_by, claimed_by=claimed_by, approver=approver)

    async def transition(self, change_id: str, from_status: Status, to_status: Status, **fields: Any) -> bool:
        """Move a change between states only if it is still in `from_status`."""
        return await (await self._open()).transition(change_id, from_status, to_status, **fields)

    async def renew(self, change_id: str, claimed_by: str) -> bool:
        """Keep a live apply's claim fresh, so no replica takes it for abandoned; False if it was settled."""
        return await (await self._open()).renew(change_id, claimed_by)

    async def with_status(self, status: Status) -> Sequence[ChangeRecord]:
        return await (await self._open()).with_status(status)

    async def count_pending(self) -> int:
        return await (await self._open()).count_pending()

    async def history(
        self,
        resource: str | None = None,
        limit: int = 20,
        *,
        channel_id: str | None = None,
        incident: str | None = None,
        user: str | None = None,
        number: str | None = None,
        since: datetime | None = None,
    ) -> Sequence[ChangeRecord]:
        """Newest first, filtered in the query: `resource` matches a target's ID or name (a create's
        target is what it created); `channel_id` keeps one channel's; `user` who requested or
        approved; `number` an E.164 number the plan names; `since` requested at or after."""
        return await (await self._open()).history(
            resource, limit, channel_id=channel_id, incident=incident, user=user, number=number, since=since
        )


# Seen Slack requests: appended apart from the change log above -------------------------------------


class SeenRequests:
    """Which Slack requests some replica already took: in the shared store, since a retry or a
    replay may reach another replica than the original did."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def first_sighting(self, key: str) -> bool:
        """True the first time any replica offers `key` (a unique insert), False ever after."""
        return await (await self._store._open()).first_sighting(key)

    async def prune(self) -> None:
        """Forget identities older than SEEN_KEPT: Slack would refuse their signatures by now."""
        await (await self._store._open()).prune()


# The drift watch: leases, configuration snapshots and drift found --------------------------------


class SnapshotRecord:
    """One complete read of the voice configuration (`content`: resource key → its JSON state)."""

    id: str
    started_at: datetime
    taken_at: datetime
    content: dict[str, Any]

    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self, name, value)


class DriftRecord:
    """One difference between snapshots that no Switchboard change explains, announced once.

    `key` is unique: the snapshot the difference was found against and the resource, so a restart
    or a second replica that finds the same difference again cannot announce it again."""

    id: str
    key: str
    resource: str
    kind: str
    region: str | None
    first_seen: datetime
    before: Any
    after: Any
    actors: list[dict[str, Any]] | None
    revert: str | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    changed_after: datetime | None  # when the previous snapshot began: the change was made since
    announced_as: str | None  # where the announcement was posted, for updating it (see Announcer)

    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self, name, value)


def new_drift_id() -> str:
    return "d" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(7))


class DriftLedger:
    """The drift watch's part of the shared store: who watches (a lease), the last snapshot, and the
    drift found. Shared so that replicas agree on all three, whichever one is watching."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def hold_lease(self, name: str, holder: str, lease: timedelta) -> bool:
        """Take or keep the lease `name` for `holder`: True while it is ours (see bot.claims)."""
        return await (await self._store._open()).hold_lease(name, holder, lease)

    async def release_lease(self, name: str, holder: str) -> None:
        await (await self._store._open()).release_lease(name, holder)

    async def lease_holder(self, name: str) -> str | None:
        return await (await self._store._open()).lease_holder(name)

    async def latest_snapshot(self) -> SnapshotRecord | None:
        return await (await self._store._open()).latest_snapshot()

    async def save_snapshot(self, started_at: datetime, content: dict[str, Any]) -> SnapshotRecord:
        """Keep this snapshot as the latest (older ones are pruned: only the last is diffed against)."""
        return await (await self._store._open()).save_snapshot(started_at, content)

    async def record_drift(self, **fields: Any) -> DriftRecord | None:
        """The new drift record, or None when its key was recorded before (already announced)."""
        return await (await self._store._open()).record_drift(**fields)

    async def drift(self, drift_id: str) -> DriftRecord | None:
        return await (await self._store._open()).get_drift(drift_id)

    async def unacknowledged(self, limit: int = 50) -> Sequence[DriftRecord]:
        return await (await self._store._open()).unacknowledged(limit)

    async def acknowledge(self, drift_id: str, user_id: str) -> bool:
        """True for the one acknowledgement that counts; False when it was acknowledged already."""
        return await (await self._store._open()).acknowledge(drift_id, user_id)

    async def mark_announced(self, drift_id: str, posted: str) -> None:
        await (await self._store._open()).update_drift(drift_id, announced_as=posted)

    async def unattributed(self, seen_since: datetime) -> Sequence[DriftRecord]:
        """Drift first seen since `seen_since` whose maker CloudTrail has not shown yet."""
        return await (await self._store._open()).unattributed(seen_since)

    async def attribute(self, drift_id: str, actors: list[dict[str, str]]) -> bool:
        """Record who made it; True for the one replica whose lookup counts (it updates the post)."""
        return await (await self._store._open()).attribute(drift_id, actors)

    async def changes_since(self, moment: datetime) -> Sequence[ChangeRecord]:
        """Changes Switchboard sent (or may have sent) to AWS since `moment`: they explain drift."""
        return await (await self._store._open()).changes_since(moment)
