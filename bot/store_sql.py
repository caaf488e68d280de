"""The store's SQL half: tables, mappings and statements (SQLAlchemy 2 async).

Imported by `bot.store` when a store is first used, not before: a one-shot read that records
nothing never loads SQLAlchemy. `ChangeRecord` is defined in `bot.store` and mapped here
(imperatively), so everything that names a change record can import it without SQLAlchemy.
"""

import functools
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Generic, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    delete,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import registry
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from bot import claims
from bot.results import Outcome, Plan
from bot.store import (
    FINAL,
    SCHEMA_VERSION,
    SEEN_KEPT,
    ChangeRecord,
    ClaimRefused,
    DriftRecord,
    SnapshotRecord,
    Status,
    StoreMisuse,
    StoreUnavailable,
    aware,
    new_change_id,
    new_drift_id,
    now,
)

P = ParamSpec("P")
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class _StatusText(TypeDecorator[Status]):
    """A Status in Python, its text in the database (VARCHAR(16), as the schema always had)."""

    impl = String(16)
    cache_ok = True

    def process_bind_param(self, value: Status | None, dialect: Any) -> str | None:
        return None if value is None else Status(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> Status | None:
        return None if value is None else Status(value)


class _ModelJSON(TypeDecorator[M], Generic[M]):
    """A pydantic model in Python, its JSON in the database (exactly `model_dump(mode="json")`)."""

    impl = JSON
    cache_ok = True

    def __init__(self, model: type[M]) -> None:
        super().__init__()
        self.model = model

    def process_bind_param(self, value: M | None, dialect: Any) -> dict[str, Any] | None:
        return None if value is None else value.model_dump(mode="json")

    def process_result_value(self, value: dict[str, Any] | None, dialect: Any) -> M | None:
        return None if value is None else self.model.model_validate(value)


metadata = MetaData()

changes = Table(
    "switchboard_changes",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("status", _StatusText(), nullable=False, index=True),
    Column("requested_by", String(64), nullable=False),
    Column("surface", String(16), nullable=False),
    Column("channel_id", String(64), nullable=True, index=True),
    Column("team_id", String(32), nullable=True),
    Column("command_text", Text, nullable=False),
    Column("command", JSON, nullable=True),
    Column("permission", String(64), nullable=True),
    Column("target_kind", String(16), nullable=True),
    Column("target_id", String(128), nullable=True, index=True),
    Column("target_name", String(256), nullable=True, index=True),
    Column("plan", _ModelJSON(Plan), nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("result", _ModelJSON(Outcome), nullable=True),
    Column("error", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("incident", String(64), nullable=True),
    Column("needs_approval", Boolean, nullable=False, default=False),
    Column("approver", String(64), nullable=True),
    Column("applied_by", String(64), nullable=True),
    Column("claimed_by", String(128), nullable=True),
    Column("undo_of", String(16), nullable=True),
    Column("message_ref", JSON, nullable=True),
    Column("claimed_at", DateTime(timezone=True), nullable=True),
    Column("settled_at", DateTime(timezone=True), nullable=True),
)

schema_versions = Table(
    "switchboard_schema",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

# Seen Slack requests: appended apart from the change log above.
seen_requests = Table(
    "switchboard_seen_requests",
    metadata,
    Column("key", String(256), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
)

# The drift watch (schema 3): who watches, the last configuration read, and the drift announced.
leases = Table(
    "switchboard_leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("renewed_at", DateTime(timezone=True), nullable=False),
)

snapshots = Table(
    "switchboard_snapshots",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("taken_at", DateTime(timezone=True), nullable=False, index=True),
    Column("content", JSON, nullable=False),
)

drift = Table(
    "switchboard_drift",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("key", String(400), nullable=False, unique=True),
    Column("resource", String(300), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("region", String(32), nullable=True),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("actors", JSON, nullable=True),
    Column("revert", Text, nullable=True),
    Column("acknowledged_by", String(64), nullable=True),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True, index=True),
    Column("changed_after", DateTime(timezone=True), nullable=True),
    Column("announced_as", String(128), nullable=True),
)

# A drift recorded without who made it: JSON's null (how the ORM writes None to a JSON column), or
# SQL NULL; compared as text, since PostgreSQL's json type has no equality operator.
_NO_ACTORS = or_(drift.c.actors.is_(None), cast(drift.c.actors, Text) == "null")


class Lease:
    def __init__(self, *, name: str, holder: str, renewed_at: datetime) -> None:
        self.name = name
        self.holder = holder
        self.renewed_at = renewed_at


class SchemaVersion:
    def __init__(self, *, version: int, applied_at: datetime) -> None:
        self.version = version
        self.applied_at = applied_at


class SeenRequest:
    """One Slack request identity (team, user, trigger or action), so a retry or replay runs once."""

    def __init__(self, *, key: str, seen_at: datetime) -> None:
        self.key = key
        self.seen_at = seen_at


mappings = registry(metadata=metadata)
mappings.map_imperatively(ChangeRecord, changes)
mappings.map_imperatively(SchemaVersion, schema_versions)
mappings.map_imperatively(SeenRequest, seen_requests)
mappings.map_imperatively(Lease, leases)
mappings.map_imperatively(SnapshotRecord, snapshots)
mappings.map_imperatively(DriftRecord, drift)


def _guarded(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Turn database and connection failures into StoreUnavailable, naming the operation.

    A value the driver cannot bind (a datetime in a JSON column, say) is a bug in the caller, not
    an outage: it is raised as StoreMisuse so nobody is told to go and check the database.
    """

    @functools.wraps(method)
    async def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(*args, **kwargs)
        except StatementError as error:
            if not isinstance(error, DBAPIError):  # failed before reaching the database
                raise StoreMisuse(f"{method.__name__}: {error.orig!r}") from error
            raise StoreUnavailable(f"{method.__name__}: {type(error).__name__}") from error
        except (SQLAlchemyError, OSError) as error:
            raise StoreUnavailable(f"{method.__name__}: {type(error).__name__}") from error

    return guarded


def _add_missing_columns(connection: Connection) -> None:
    """Schema 2 added `team_id`, schema 4 `claimed_at` and `settled_at`, schema 5 the drift's
    `changed_after` and `announced_as`: older tables get them (create_all never alters a table)."""
    for table in (changes, drift):
        present = {column["name"] for column in inspect(connection).get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))


def _storable(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: a pasted NUL must not keep an attempt out of the audit log."""
    return value.replace("\x00", "\\0") if isinstance(value, str) else value


def _normalise(record: ChangeRecord | None) -> ChangeRecord | None:
    if record is not None:
        record.created_at = aware(record.created_at) or record.created_at
        record.updated_at = aware(record.updated_at) or record.updated_at
        record.expires_at = aware(record.expires_at)
        record.claimed_at = aware(record.claimed_at)
        record.settled_at = aware(record.settled_at)
    return record


def _found(record: ChangeRecord | None) -> ChangeRecord:
    assert record is not None
    return record


class SqlStore:
    """What `bot.store.Store` does, in SQL: one engine, its sessions, the statements."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        options: dict[str, Any] = dict(engine_options)
        if url.startswith("sqlite") and ":memory:" in url:
            options.setdefault("poolclass", StaticPool)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @_guarded
    async def migrate(self) -> None:
        if self.engine.url.get_backend_name() == "sqlite":
            database = self.engine.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        async with self.engine.begin() as connection:
            if self.engine.url.get_backend_name() == "postgresql":
                # Replicas starting together would race on CREATE TABLE; one migrates, the rest wait.
                await connection.execute(text("SELECT pg_advisory_xact_lock(7236001)"))
            await connection.run_sync(metadata.create_all)
            await connection.run_sync(_add_missing_columns)
        async with self.sessions.begin() as session:
            if await session.get(SchemaVersion, SCHEMA_VERSION) is None:
                session.add(SchemaVersion(version=SCHEMA_VERSION, applied_at=now()))

    @_guarded
    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(select(1))

    async def close(self) -> None:
        await self.engine.dispose()

    @_guarded
    async def add(self, **fields: Any) -> ChangeRecord:
        moment = now()
        storable = {name: _storable(value) for name, value in fields.items()}
        record = ChangeRecord(id=new_change_id(), created_at=moment, updated_at=moment, **storable)
        async with self.sessions.begin() as session:
            session.add(record)
        return record

    @_guarded
    async def get(self, change_id: str) -> ChangeRecord | None:
        async with self.sessions() as session:
            return _normalise(await session.get(ChangeRecord, change_id))

    @_guarded
    async def update(self, change_id: str, **fields: Any) -> None:
        async with self.sessions.begin() as session:
            await session.execute(
                update(ChangeRecord).where(changes.c.id == change_id).values(updated_at=now(), **fields)
            )

    @_guarded
    async def claim(
        self, change_id: str, *, applied_by: str, claimed_by: str, approver: str | None = None
    ) -> ChangeRecord:
        moment = now()
        async with self.sessions.begin() as session:
            claimed = await session.execute(
                update(ChangeRecord)
                .where(
                    changes.c.id == change_id,
                    changes.c.status == Status.PLANNED,
                    (changes.c.expires_at.is_(None)) | (changes.c.expires_at > moment),
                )
                .values(
                    status=Status.APPLYING,
                    applied_by=applied_by,
                    approver=approver,
                    claimed_by=claimed_by,
                    updated_at=moment,
                    claimed_at=moment,
                )
            )
        record = await self.get(change_id)
        if getattr(claimed, "rowcount", 0) != 1 or record is None:
            if record is not None and record.status == Status.PLANNED:
                await self.transition(change_id, Status.PLANNED, Status.EXPIRED)
                record = await self.get(change_id)
            raise ClaimRefused(record)
        return record

    @_guarded
    async def transition(self, change_id: str, from_status: Status, to_status: Status, **fields: Any) -> bool:
        values = {name: _storable(value) for name, value in fields.items()}
        if to_status in FINAL:
            values.setdefault("settled_at", now())
        return await self._update_one(
            (changes.c.id == change_id, changes.c.status == from_status), status=to_status, **values
        )

    @_guarded
    async def renew(self, change_id: str, claimed_by: str) -> bool:
        return await self._update_one(
            (
                changes.c.id == change_id,
                changes.c.status == Status.APPLYING,
                changes.c.claimed_by == claimed_by,
            )
        )

    async def _update_one(self, where: tuple[Any, ...], **values: Any) -> bool:
        """Update the change matching `where` (stamping updated_at); True if exactly one matched."""
        async with self.sessions.begin() as session:
            result = await session.execute(
                update(ChangeRecord).where(*where).values(updated_at=now(), **values)
            )
        return getattr(result, "rowcount", 0) == 1

    @_guarded
    async def with_status(self, status: Status) -> Sequence[ChangeRecord]:
        async with self.sessions() as session:
            rows = await session.scalars(select(ChangeRecord).where(changes.c.status == status))
            return [_found(_normalise(row)) for row in rows]

    @_guarded
    async def count_pending(self) -> int:
        async with self.sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(changes).where(changes.c.status == Status.PLANNED)
            )
            return int(count or 0)

    @_guarded
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
        query = select(ChangeRecord).order_by(changes.c.created_at.desc()).limit(limit)
        if channel_id is not None:
            query = query.where(changes.c.channel_id == channel_id)
        if resource:
            query = query.where((changes.c.target_id == resource) | (changes.c.target_name == resource))
        if incident:
            query = query.where(changes.c.incident == incident)
        if user:
            query = query.where((changes.c.requested_by == user) | (changes.c.approver == user))
        if number:
            # The plan's JSON names each number it touches as a string: in moves, requests, changes.
            query = query.where(cast(changes.c.plan, Text).contains(f'"{number}"', autoescape=True))
        if since is not None:
            query = query.where(changes.c.created_at >= since)
        async with self.sessions() as session:
            return [_found(_normalise(row)) for row in await session.scalars(query)]

    @_guarded
    async def first_sighting(self, key: str) -> bool:
        try:
            async with self.sessions.begin() as session:
                session.add(SeenRequest(key=key[:256], seen_at=now()))
        except IntegrityError:
            return False
        return True

    @_guarded
    async def prune(self) -> None:
        async with self.sessions.begin() as session:
            await session.execute(delete(SeenRequest).where(seen_requests.c.seen_at < now() - SEEN_KEPT))

    # The drift watch ---------------------------------------------------------------------------

    @_guarded
    async def hold_lease(self, name: str, holder: str, lease: timedelta) -> bool:
        """Compare-and-set on the holder and renewal time read: of two replicas racing for a lapsed
        lease, one update matches and the other finds the row changed under it."""
        async with self.sessions() as session:
            current = await session.get(Lease, name)
        if current is None:
            try:
                async with self.sessions.begin() as session:
                    session.add(Lease(name=name, holder=holder, renewed_at=now()))
            except IntegrityError:
                return False
            return True
        renewed_at = aware(current.renewed_at) or current.renewed_at
        if current.holder != holder and not claims.abandoned(current.holder, renewed_at, lease):
            return False
        async with self.sessions.begin() as session:
            result = await session.execute(
                update(Lease)
                .where(
                    leases.c.name == name,
                    leases.c.holder == current.holder,
                    leases.c.renewed_at == current.renewed_at,
                )
                .values(holder=holder, renewed_at=now())
            )
        return getattr(result, "rowcount", 0) == 1

    @_guarded
    async def release_lease(self, name: str, holder: str) -> None:
        async with self.sessions.begin() as session:
            await session.execute(delete(Lease).where(leases.c.name == name, leases.c.holder == holder))

    @_guarded
    async def lease_holder(self, name: str) -> str | None:
        async with self.sessions() as session:
            current = await session.get(Lease, name)
            return None if current is None else current.holder

    @_guarded
    async def latest_snapshot(self) -> SnapshotRecord | None:
        query = select(SnapshotRecord).order_by(snapshots.c.taken_at.desc()).limit(1)
        async with self.sessions() as session:
            found = await session.scalar(query)
        if found is not None:
            found.started_at = aware(found.started_at) or found.started_at
            found.taken_at = aware(found.taken_at) or found.taken_at
        return found

    @_guarded
    async def save_snapshot(self, started_at: datetime, content: dict[str, Any]) -> SnapshotRecord:
        record = SnapshotRecord(id=new_change_id(), started_at=started_at, taken_at=now(), content=content)
        async with self.sessions.begin() as session:
            session.add(record)
            await session.flush()
            await session.execute(delete(SnapshotRecord).where(snapshots.c.id != record.id))
        return record

    @_guarded
    async def record_drift(self, **fields: Any) -> DriftRecord | None:
        record = DriftRecord(id=new_drift_id(), first_seen=now(), **fields)
        try:
            async with self.sessions.begin() as session:
                session.add(record)
        except IntegrityError:
            return None
        return record

    @_guarded
    async def get_drift(self, drift_id: str) -> DriftRecord | None:
        async with self.sessions() as session:
            return await session.get(DriftRecord, drift_id)

    @_guarded
    async def unacknowledged(self, limit: int) -> Sequence[DriftRecord]:
        query = (
            select(DriftRecord)
            .where(drift.c.acknowledged_at.is_(None))
            .order_by(drift.c.first_seen.desc())
            .limit(limit)
        )
        async with self.sessions() as session:
            return list(await session.scalars(query))

    @_guarded
    async def acknowledge(self, drift_id: str, user_id: str) -> bool:
        async with self.sessions.begin() as session:
            result = await session.execute(
                update(DriftRecord)
                .where(drift.c.id == drift_id, drift.c.acknowledged_at.is_(None))
                .values(acknowledged_by=user_id, acknowledged_at=now())
            )
        return getattr(result, "rowcount", 0) == 1

    @_guarded
    async def update_drift(self, drift_id: str, **fields: Any) -> None:
        async with self.sessions.begin() as session:
            await session.execute(update(DriftRecord).where(drift.c.id == drift_id).values(**fields))

    @_guarded
    async def unattributed(self, seen_since: datetime) -> Sequence[DriftRecord]:
        query = (
            select(DriftRecord)
            .where(_NO_ACTORS, drift.c.first_seen >= seen_since)
            .order_by(drift.c.first_seen)
        )
        async with self.sessions() as session:
            found = list(await session.scalars(query))
        for record in found:
            record.first_seen = aware(record.first_seen) or record.first_seen
            record.changed_after = aware(record.changed_after)
        return found

    @_guarded
    async def attribute(self, drift_id: str, actors: list[dict[str, str]]) -> bool:
        async with self.sessions.begin() as session:
            result = await session.execute(
                update(DriftRecord).where(drift.c.id == drift_id, _NO_ACTORS).values(actors=actors)
            )
        return getattr(result, "rowcount", 0) == 1

    @_guarded
    async def changes_since(self, moment: datetime) -> Sequence[ChangeRecord]:
        sent = (Status.APPLYING, Status.APPLIED, Status.PARTIAL, Status.FAILED, Status.UNKNOWN)
        query = select(ChangeRecord).where(changes.c.status.in_(sent), changes.c.updated_at >= moment)
        async with self.sessions() as session:
            return [_found(_normalise(row)) for row in await session.scalars(query)]
