"""Who made a drift: where CloudTrail is readable, the announcement names the IAM identity and the
address of the call that made it (the sandbox records CloudTrail events as AWS does); where it is
not (no cloudtrail:LookupEvents), the drift is announced all the same, without them. An event
CloudTrail shows only after the drift was found is looked up again on later scans, and the posted
announcement is updated."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from bot.drift.actors import CloudTrailActors
from bot.drift.views import drift_view
from bot.drift.watcher import DriftWatcher
from bot.render.blockkit import to_messages
from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.settings import AwsSettings, DriftSettings
from bot.slack.app import web_client
from bot.slack.delivery import Delivery
from bot.slack.drift import DRIFT_ACTIONS, DriftAnnouncer
from bot.store import DriftLedger, DriftRecord, Store, now
from bot.voice import VoiceService
from tests.helpers.bot_harness import NOTIFY_CHANNEL, BotHarness, HarnessFactory
from tests.helpers.drift_fixtures import recorded_drift
from tests.helpers.messages import text_of
from tests.helpers.sandbox_fixtures import ROOMY_QUOTAS, SandboxFactory, voice_client

ROUTE = {"Host": "10.9.8.7", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10}
OUT_OF_BAND = "AKIAOUTOFBAND"


async def drift_after_an_out_of_band_change(sandbox: RunningSandbox, drift_store: Store) -> DriftRecord:
    """A baseline, a route set with someone else's key, and the one drift the next scan records."""
    async with VoiceService(AwsSettings(VOICE_REGIONS="us-east-1")) as drift_voice:
        watcher = DriftWatcher(
            drift_voice,
            drift_store,
            DriftSettings(VOICE_REQUEST_BUDGET=1000),
            actors=CloudTrailActors(drift_voice),
        )
        await watcher.scan_once()
        async with voice_client(sandbox, aws_access_key_id=OUT_OF_BAND) as client:
            await client.put_voice_connector_origination(
                VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE]}
            )
        [record] = await watcher.scan_once()
    return record


def announced_text(record: DriftRecord) -> str:
    return "\n".join(str(message.blocks) for message in to_messages(drift_view(record, DRIFT_ACTIONS)))


async def test_the_announcement_says_who_changed_it_and_from_where(
    sandbox_factory: SandboxFactory, drift_store: Store
) -> None:
    sandbox = await sandbox_factory(quotas=ROOMY_QUOTAS)
    record = await drift_after_an_out_of_band_change(sandbox, drift_store)
    [actor] = record.actors or []
    assert actor["who"] == f"arn:aws:iam::123456789012:user/{OUT_OF_BAND}"
    assert actor["source"] == "127.0.0.1"
    assert actor["event"] == "PutVoiceConnectorOrigination"
    assert f"arn:aws:iam::123456789012:user/{OUT_OF_BAND} from 127.0.0.1" in announced_text(record)


async def test_without_lookup_events_the_drift_is_announced_without_who(
    sandbox_factory: SandboxFactory, drift_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = await sandbox_factory(quotas=ROOMY_QUOTAS, cloudtrail_readers=["AKIAAUDITOR"])
    record = await drift_after_an_out_of_band_change(sandbox, drift_store)
    assert record.actors is None
    assert "Changed by" not in announced_text(record)
    assert "CloudTrail not readable (AccessDeniedException)" in caplog.text


async def test_a_maker_cloudtrail_shows_late_is_added_to_the_posted_announcement(bot: BotHarness) -> None:
    await _late_maker_is_added(bot)


async def test_a_maker_shown_late_is_added_once_on_postgresql(
    bot_factory: HarnessFactory, postgres_url: str
) -> None:
    await _late_maker_is_added(await bot_factory(database_url=postgres_url))


async def _late_maker_is_added(bot: BotHarness) -> None:
    sandbox = bot.sandbox
    delivery = Delivery(web_client("xoxb-test-token", bot.standin.api_url), NOTIFY_CHANNEL)
    voice = bot.runtime.backend.voice
    watcher = DriftWatcher(
        voice,
        bot.runtime.store,
        DriftSettings(VOICE_REQUEST_BUDGET=1000),
        DriftAnnouncer(delivery),
        CloudTrailActors(voice),
    )
    await watcher.scan_once()
    sandbox.trail.withhold()  # CloudTrail has not shown the call yet when the scan finds its change
    async with voice_client(sandbox, aws_access_key_id=OUT_OF_BAND) as client:
        await client.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE]}
        )
    [record] = await watcher.scan_once()
    assert record.actors is None
    [posted] = [
        call for call in bot.standin.calls("chat.postMessage") if call.args["channel"] == NOTIFY_CHANNEL
    ]
    assert "Changed by" not in text_of(posted.args)

    assert await watcher.scan_once() == []  # still not shown: asked again, nothing to add
    assert bot.standin.calls("chat.update") == []
    sandbox.trail.deliver()
    assert await watcher.scan_once() == []  # nothing new drifted, but the maker is found
    [updated] = bot.standin.calls("chat.update")
    assert (updated.args["channel"], updated.args["ts"]) == (posted.args["channel"], posted.response["ts"])
    assert f"arn:aws:iam::123456789012:user/{OUT_OF_BAND} from 127.0.0.1" in text_of(updated.args)
    stored = await DriftLedger(bot.runtime.store).drift(record.id)
    assert stored is not None and stored.actors is not None
    assert stored.actors[0]["event"] == "PutVoiceConnectorOrigination"

    await watcher.scan_once()
    assert len(bot.standin.calls("chat.update")) == 1  # found once, updated once


async def test_a_store_made_before_late_makers_were_looked_up_gains_the_columns(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/schema4.db"
    store = Store(url)
    await store.migrate()
    async with store.engine.begin() as connection:
        for column in ("changed_after", "announced_as"):
            await connection.execute(sql(f"ALTER TABLE switchboard_drift DROP COLUMN {column}"))
    await store.close()
    store = Store(url)
    await store.migrate()
    try:
        ledger = DriftLedger(store)
        found = now()
        record = await recorded_drift(store, changed_after=found)
        await ledger.mark_announced(record.id, "C0NOTIFY:1.2")
        [waiting] = await ledger.unattributed(found - timedelta(minutes=1))
        assert (waiting.id, waiting.announced_as, waiting.changed_after) == (record.id, "C0NOTIFY:1.2", found)
        assert await ledger.attribute(record.id, [{"who": "arn"}])
        assert not await ledger.attribute(record.id, [{"who": "another replica"}])
        assert await ledger.unattributed(found - timedelta(minutes=1)) == []
    finally:
        await store.close()
