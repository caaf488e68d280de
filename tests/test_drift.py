"""The drift watch: out-of-band changes (botocore straight to the sandbox) are announced once, with
the right diff; Switchboard's own changes are not; a restart, even mid-scan, does not re-announce."""

from dataclasses import dataclass

import pytest

from bot.drift.diff import rows
from bot.drift.views import drift_view
from bot.drift.watcher import DriftWatcher
from bot.engine import Engine
from bot.outcomes import Applied, Proposed, ReadAnswered
from bot.policy import SANDBOX
from bot.render.blockkit import to_messages
from bot.render.terminal import to_text
from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.settings import DriftSettings
from bot.slack.drift import DRIFT_ACTIONS
from bot.store import DriftRecord, SnapshotRecord, Store
from bot.voice import VoiceService
from bot.workflow import Request, Workflow
from tests.helpers.blockkit import block_kit_problems, unescaped_mentions
from tests.helpers.drift_fixtures import RecordingAnnouncer
from tests.helpers.sandbox_fixtures import voice_client

ROUTE = {"Host": "10.9.8.7", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10}


@dataclass
class Bot:
    """One replica's drift watch and workflow on a shared store; `announced` is what it posted."""

    watcher: DriftWatcher
    workflow: Workflow
    announced: list[DriftRecord]


def replica(drift_voice: VoiceService, drift_store: Store) -> Bot:
    announced: list[DriftRecord] = []
    settings = DriftSettings(VOICE_REQUEST_BUDGET=1000)
    watcher = DriftWatcher(drift_voice, drift_store, settings, RecordingAnnouncer(announced))
    return Bot(watcher, Workflow(Engine(drift_voice), drift_store, SANDBOX), announced)


async def set_route_out_of_band(sandbox: RunningSandbox, host: str) -> None:
    async with voice_client(sandbox) as client:
        await client.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE | {"Host": host}]}
        )


async def test_an_out_of_band_route_change_is_announced_once_with_its_diff(
    sandbox: RunningSandbox, drift_voice: VoiceService, drift_store: Store
) -> None:
    bot = replica(drift_voice, drift_store)
    assert await bot.watcher.scan_once() == []  # the baseline announces nothing
    await set_route_out_of_band(sandbox, "10.9.8.7")
    [record] = await bot.watcher.scan_once()
    assert bot.announced == [record]
    assert record.resource == f"origination:us-east-1:{PRIMARY_CONNECTOR_ID}"
    [routes] = [row for row in rows(record.kind, record.before, record.after) if row.field == "Routes"]
    assert routes.after == "10.9.8.7:5060/udp,priority=1,weight=10"
    assert routes.before != routes.after
    assert record.revert is not None and record.revert.startswith("origination ")
    assert await bot.watcher.scan_once() == []  # seen once, announced once


async def test_a_change_switchboard_applied_is_not_drift(
    sandbox: RunningSandbox, drift_voice: VoiceService, drift_store: Store
) -> None:
    bot = replica(drift_voice, drift_store)
    await bot.watcher.scan_once()
    asked = Request(
        user_id="U0ALICE",
        channel_id="C0OPS",
        text=f"origination set {PRIMARY_CONNECTOR_ID} --route 10.1.1.1:5060/udp,priority=1,weight=5",
        surface="slack",
    )
    proposed = await bot.workflow.handle(asked)
    assert isinstance(proposed, Proposed)
    assert isinstance(await bot.workflow.confirm(proposed.record.id, asked), Applied)
    assert await bot.watcher.scan_once() == []
    assert bot.announced == []


async def test_a_restart_even_between_announcing_and_saving_does_not_re_announce(
    sandbox: RunningSandbox, drift_voice: VoiceService, drift_store: Store
) -> None:
    first = replica(drift_voice, drift_store)
    await first.watcher.scan_once()
    await set_route_out_of_band(sandbox, "10.2.2.2")

    async def die(*_args: object) -> SnapshotRecord:
        raise SystemExit("killed after announcing, before saving the snapshot")

    first.watcher.ledger.save_snapshot = die  # type: ignore[method-assign,assignment]
    with pytest.raises(SystemExit):
        await first.watcher.scan_once()
    assert len(first.announced) == 1
    restarted = replica(drift_voice, drift_store)
    assert await restarted.watcher.scan_once() == []  # the same difference, against the same snapshot
    assert await restarted.watcher.scan_once() == []
    assert restarted.announced == []


async def test_every_announcement_is_escaped_and_within_block_kit_limits(
    sandbox: RunningSandbox, drift_voice: VoiceService, drift_store: Store
) -> None:
    bot = replica(drift_voice, drift_store)
    await bot.watcher.scan_once()
    async with voice_client(sandbox) as client:
        await client.create_voice_connector(Name="out-of-band_vc.1", RequireEncryption=True)
        await client.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID,
            Origination={"Routes": [ROUTE | {"Host": f"10.0.0.{n}", "Priority": n} for n in range(1, 21)]},
        )
    recorded = await bot.watcher.scan_once()
    assert {record.kind for record in recorded} == {"connector", "origination"}
    for record in recorded:
        for message in to_messages(drift_view(record, DRIFT_ACTIONS), files_allowed=False):
            payload = {"text": message.text, "blocks": message.blocks}
            assert block_kit_problems(payload) == []
            assert unescaped_mentions(payload) == []


async def test_the_drift_list_says_whether_anything_has_looked(
    drift_voice: VoiceService, drift_store: Store
) -> None:
    """`/voice drift` in a console with no watch running must not read as "nothing changed"."""
    bot = replica(drift_voice, drift_store)
    asked = Request(user_id="U0ALICE", channel_id="C0OPS", text="drift", surface="slack")

    async def listed() -> str:
        answer = await bot.workflow.handle(asked)
        assert isinstance(answer, ReadAnswered)
        return to_text(answer.doc)

    unwatched = await listed()
    assert "never read the configuration" in unwatched and "No unacknowledged" not in unwatched
    await bot.watcher.scan_once()
    watched = await listed()
    assert "No unacknowledged drift" in watched and "last read the configuration at" in watched
