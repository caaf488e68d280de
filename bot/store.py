"""The audit log and the pending changes, in one table (SQLAlchemy 2 async).

SQLite file by default; PostgreSQL (`postgresql+asyncpg://…`) when several replicas share it.
Exactly-once apply rests on one statement: `UPDATE … SET status='APPLYING' WHERE id=… AND
status='PLANNED'`. Whichever replica's update touches the row applies the change; every other
click, retry or replica sees zero rows and reports who got there first.
"""

import functools
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Generic, ParamSpec, TypeVar, overload

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Integer,
    String,
    Text,
    delete,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from bot.results import Outcome, Plan

P = ParamSpec("P")
T = TypeVar("T")

SCHEMA_VERSION = 2
_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: IDs are read aloud on bridges


class Status(StrEnum):
    INVALID = "INVALID"  # the text did not parse; nothing ran
    DENIED = "DENIED"  # the policy refused; nothing ran
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


class Base(DeclarativeBase):
    pass


class _StatusText(TypeDecorator[Status]):
    """A Status in Python, its text in the database (VARCHAR(16), as the schema always had)."""

    impl = String(16)
    cache_ok = True

    def process_bind_param(self, value: Status | None, dialect: Any) -> str | None:
        return None if value is None else Status(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> Status | None:
        return None if value is None else Status(value)


M = TypeVar("M", bound=BaseModel)


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


class ChangeRecord(Base):
    __tablename__ = "switchboard_changes"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[Status] = mapped_column(_StatusText(), index=True)
    requested_by: Mapped[str] = mapped_column(String(64))
    surface: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(String(64), index=True)
    team_id: Mapped[str | None] = mapped_column(String(32))
    command_text: Mapped[str] = mapped_column(Text)
    command: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    permission: Mapped[str | None] = mapped_column(String(64))
    target_kind: Mapped[str | None] = mapped_column(String(16))
    target_id: Mapped[str | None] = mapped_column(String(128), index=True)
    target_name: Mapped[str | None] = mapped_column(String(256), index=True)
    plan: Mapped[Plan | None] = mapped_column(_ModelJSON(Plan))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    result: Mapped[Outcome | None] = mapped_column(_ModelJSON(Outcome))
    error: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    incident: Mapped[str | None] = mapped_column(String(64))
    needs_approval: Mapped[bool] = mapped_column(default=False)
    approver: Mapped[str | None] = mapped_column(String(64))
    applied_by: Mapped[str | None] = mapped_column(String(64))
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    undo_of: Mapped[str | None] = mapped_column(String(16))
    message_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SchemaVersion(Base):
    __tablename__ = "switchboard_schema"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def new_change_id() -> str:
    return "c" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(7))


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class StoreUnavailable(Exception):
    """The audit store cannot be reached or written: the workflow changes nothing without it."""


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
    """Schema 2 added `team_id`: tables made by schema 1 get it (create_all never alters a table)."""
    present = {column["name"] for column in inspect(connection).get_columns(ChangeRecord.__tablename__)}
    for column in ChangeRecord.__table__.columns:
        if column.name not in present:
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(
                text(f"ALTER TABLE {ChangeRecord.__tablename__} ADD COLUMN {column.name} {kind}")
            )


def _storable(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: a pasted NUL must not keep an attempt out of the audit log."""
    return value.replace("\x00", "\\0") if isinstance(value, str) else value


class StoreMisuse(Exception):
    """The store was handed something it cannot keep: a programming error, reported as one."""


class ClaimRefused(Exception):
    """Someone else already applied, cancelled or expired this change: `status` says which."""

    def __init__(self, record: ChangeRecord | None) -> None:
        super().__init__(record.status if record else "missing")
        self.record = record


class Store:
    def __init__(self, url: str, **engine_options: Any) -> None:
        options: dict[str, Any] = dict(engine_options)
        if url.startswith("sqlite") and ":memory:" in url:
            options.setdefault("poolclass", StaticPool)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @_guarded
    async def migrate(self) -> None:
        """Create or upgrade the schema; safe to run from several replicas at once."""
        if self.engine.url.get_backend_name() == "sqlite":
            database = self.engine.url.database
            if database and database != ":memory:":
                from pathlib import Path

                Path(database).parent.mkdir(parents=True, exist_ok=True)
        async with self.engine.begin() as connection:
            if self.engine.url.get_backend_name() == "postgresql":
                # Replicas starting together would race on CREATE TABLE; one migrates, the rest wait.
                await connection.execute(text("SELECT pg_advisory_xact_lock(7236001)"))
            await connection.run_sync(Base.metadata.create_all)
            await connection.run_sync(_add_missing_columns)
        async with self._sessions.begin() as session:
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
        async with self._sessions.begin() as session:
            session.add(record)
        return record

    @_guarded
    async def get(self, change_id: str) -> ChangeRecord | None:
        async with self._sessions() as session:
            return _normalise(await session.get(ChangeRecord, change_id))

    @_guarded
    async def update(self, change_id: str, **fields: Any) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(ChangeRecord).where(ChangeRecord.id == change_id).values(updated_at=now(), **fields)
            )

    @_guarded
    async def claim(
        self, change_id: str, *, applied_by: str, claimed_by: str, approver: str | None = None
    ) -> ChangeRecord:
        """PLANNED → APPLYING by compare-and-set; raises ClaimRefused to every caller but one."""
        moment = now()
        async with self._sessions.begin() as session:
            claimed = await session.execute(
                update(ChangeRecord)
                .where(
                    ChangeRecord.id == change_id,
                    ChangeRecord.status == Status.PLANNED,
                    (ChangeRecord.expires_at.is_(None)) | (ChangeRecord.expires_at > moment),
                )
                .values(
                    status=Status.APPLYING,
                    applied_by=applied_by,
                    approver=approver,
                    claimed_by=claimed_by,
                    updated_at=moment,
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
        """Move a change between states only if it is still in `from_status`."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(ChangeRecord)
                .where(ChangeRecord.id == change_id, ChangeRecord.status == from_status)
                .values(status=to_status, updated_at=now(), **{k: _storable(v) for k, v in fields.items()})
            )
        return getattr(result, "rowcount", 0) == 1

    @_guarded
    async def renew(self, change_id: str, claimed_by: str) -> bool:
        """Keep a live apply's claim fresh, so no replica takes it for abandoned; False if it was settled."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(ChangeRecord)
                .where(
                    ChangeRecord.id == change_id,
                    ChangeRecord.status == Status.APPLYING,
                    ChangeRecord.claimed_by == claimed_by,
                )
                .values(updated_at=now())
            )
        return getattr(result, "rowcount", 0) == 1

    @_guarded
    async def with_status(self, status: Status) -> Sequence[ChangeRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(select(ChangeRecord).where(ChangeRecord.status == status))
            return [_normalise(row) for row in rows]

    @_guarded
    async def count_pending(self) -> int:
        async with self._sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(ChangeRecord).where(ChangeRecord.status == Status.PLANNED)
            )
            return int(count or 0)

    @_guarded
    async def history(
        self, resource: str | None = None, limit: int = 20, *, channel_id: str | None = None
    ) -> Sequence[ChangeRecord]:
        """Newest first; `resource` matches a target's ID or name; `channel_id` keeps one channel's."""
        query = select(ChangeRecord).order_by(ChangeRecord.created_at.desc()).limit(limit)
        if channel_id is not None:
            query = query.where(ChangeRecord.channel_id == channel_id)
        if resource:
            query = query.where((ChangeRecord.target_id == resource) | (ChangeRecord.target_name == resource))
        async with self._sessions() as session:
            return [_normalise(row) for row in await session.scalars(query)]


@overload
def _normalise(record: ChangeRecord) -> ChangeRecord: ...
@overload
def _normalise(record: None) -> None: ...
def _normalise(record: ChangeRecord | None) -> ChangeRecord | None:
    if record is not None:
        record.created_at = _aware(record.created_at) or record.created_at
        record.updated_at = _aware(record.updated_at) or record.updated_at
        record.expires_at = _aware(record.expires_at)
    return record


def expiry(minutes: float) -> datetime:
    return now() + timedelta(minutes=minutes)


# Seen Slack requests: appended apart from the change log above -------------------------------------


class SeenRequest(Base):
    """One Slack request identity (team, user, trigger or action), so a retry or replay runs once."""

    __tablename__ = "switchboard_seen_requests"

    key: Mapped[str] = mapped_column(String(256), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


SEEN_KEPT = timedelta(hours=1)  # well past Slack's 5-minute signature window and its retries


class SeenRequests:
    """Which Slack requests some replica already took: in the shared store, since a retry or a
    replay may reach another replica than the original did."""

    def __init__(self, store: Store) -> None:
        self._sessions = store._sessions

    @_guarded
    async def first_sighting(self, key: str) -> bool:
        """True the first time any replica offers `key` (a unique insert), False ever after."""
        try:
            async with self._sessions.begin() as session:
                session.add(SeenRequest(key=key[:256], seen_at=now()))
        except IntegrityError:
            return False
        return True

    @_guarded
    async def prune(self) -> None:
        """Forget identities older than SEEN_KEPT: Slack would refuse their signatures by now."""
        async with self._sessions.begin() as session:
            await session.execute(delete(SeenRequest).where(SeenRequest.seen_at < now() - SEEN_KEPT))
