"""What the drift tests share: an SQLite store of their own, a VoiceService on the sandbox, and an
announcer that keeps what it was given."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import RunningSandbox
from bot.settings import AwsSettings
from bot.store import DriftLedger, DriftRecord, Store
from bot.voice import VoiceService


@pytest.fixture
async def drift_store(tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'drift.db'}")
    await store.migrate()
    yield store
    await store.close()


@pytest.fixture
async def drift_voice(sandbox: RunningSandbox) -> AsyncIterator[VoiceService]:
    """The two regions the sandbox seeds, so a scan reads both."""
    async with VoiceService(AwsSettings(VOICE_REGIONS="us-east-1,us-west-2")) as service:
        yield service


@dataclass
class RecordingAnnouncer:
    """The drift watch's Announcer, keeping each record (Slack's own is tested in test_drift_actors
    and test_drift_replicas); it posts nothing, so there is nothing to revise."""

    announced: list[DriftRecord]

    async def announce(self, record: DriftRecord) -> str | None:
        self.announced.append(record)
        return None

    async def revise(self, record: DriftRecord, posted: str) -> None:
        raise AssertionError(f"{record.id} was never posted, so it cannot be revised")


async def recorded_drift(store: Store, **fields: Any) -> DriftRecord:
    """A drift of pstn-primary's origination, recorded as the watch records one (`fields` override)."""
    record = await DriftLedger(store).record_drift(
        **{
            "key": "test:origination",
            "resource": "origination:us-east-1:abcdef1ghij2klmno3pqr4",
            "kind": "origination",
            "region": "us-east-1",
            "before": None,
            "after": {"routes": []},
            "actors": None,
            "revert": None,
        }
        | fields
    )
    assert record is not None
    return record
