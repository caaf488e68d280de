"""The audit store keeps every attempt, and never blames itself for a caller's bug."""

from datetime import UTC, datetime

import pytest

from bot.store import Status, Store, StoreMisuse
from tests.helpers.bot_harness import HarnessFactory
from tests.helpers.polling import eventually

pytestmark = pytest.mark.both_transports


async def test_a_nul_byte_does_not_keep_an_attempt_out_of_the_audit_log_on_postgresql(
    bot_factory: HarnessFactory, postgres_url: str
) -> None:
    bot = await bot_factory(database_url=postgres_url)
    denied = await bot.command("origination disable pstn-primary --reason 'pasted\x00text'", user="U0DAVE")
    [refusal] = await denied.wait()
    assert "may not" in str(refusal)
    invalid = await bot.command("conector\x00 create")  # answered in the ack, recorded after it
    assert invalid.ack is not None

    async def statuses() -> list[str]:
        return sorted(
            record.status for record in await bot.runtime.store.history(limit=10, channel_id="C0OPS")
        )

    async def both_recorded() -> bool:
        return len(await statuses()) == 2

    await eventually(both_recorded, "the denied and the invalid attempt are both recorded")
    assert await statuses() == [Status.DENIED, Status.INVALID]


async def test_a_value_the_store_cannot_bind_is_a_bug_not_an_outage() -> None:
    store = Store("sqlite+aiosqlite:///:memory:")
    await store.migrate()
    with pytest.raises(StoreMisuse, match="add"):
        await store.add(
            status=Status.PLANNED,
            requested_by="U0ALICE",
            surface="console",
            command_text="connector delete x",
            plan={"when": datetime.now(UTC)},
        )
    await store.close()
