"""What the drift tests share: an SQLite store of their own and a VoiceService on the sandbox."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox import RunningSandbox
from bot.settings import AwsSettings
from bot.store import Store
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
