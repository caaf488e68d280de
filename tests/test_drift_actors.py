"""Who made a drift: where CloudTrail is readable, the announcement names the IAM identity and the
address of the call that made it (the sandbox records CloudTrail events as AWS does); where it is
not (no cloudtrail:LookupEvents), the drift is announced all the same, without them."""

import pytest

from bot.drift.actors import CloudTrailActors
from bot.drift.views import drift_view
from bot.drift.watcher import DriftWatcher
from bot.render.blockkit import to_messages
from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.settings import AwsSettings, DriftSettings
from bot.slack.drift import DRIFT_ACTIONS
from bot.store import DriftRecord, Store
from bot.voice import VoiceService
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
