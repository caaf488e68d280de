"""The drift watch over connector settings: termination, its SIP users, logging, emergency calling and
streaming changed straight through botocore are announced once with the right diff, and each revert
command, run like a typed one, puts the setting back. SIP passwords reach no snapshot, announcement
or `/voice snapshot` file."""

import json
import subprocess
import sys

import pytest

from bot.drift.diff import rows
from bot.drift.watcher import DriftWatcher
from bot.engine import Engine
from bot.outcomes import Applied, Proposed
from bot.policy import SANDBOX
from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.settings import DriftSettings
from bot.slack.app import web_client
from bot.slack.delivery import Delivery
from bot.slack.drift import DriftAnnouncer
from bot.store import DriftLedger, DriftRecord, Store
from bot.voice import VoiceService
from bot.workflow import Request, Workflow
from tests.helpers.bot_harness import NOTIFY_CHANNEL, BotHarness
from tests.helpers.drift_fixtures import RecordingAnnouncer
from tests.helpers.messages import text_of
from tests.helpers.sandbox_fixtures import voice_client

VC = PRIMARY_CONNECTOR_ID
TERMINATION = {
    "CpsLimit": 2,
    "CallingRegions": ["US"],
    "CidrAllowedList": ["198.51.100.0/24"],
    "Disabled": False,
}
ROUTE = {"Host": "10.9.8.7", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10}
PASSWORD = "Zq7wPasswordNeverShown4xK"


class Watch:
    """A drift watch on the sandbox that keeps what it announced, and a workflow to run reverts."""

    def __init__(self, drift_voice: VoiceService, drift_store: Store) -> None:
        self.announced: list[DriftRecord] = []
        self.watcher = DriftWatcher(
            drift_voice,
            drift_store,
            DriftSettings(VOICE_REQUEST_BUDGET=1000),
            RecordingAnnouncer(self.announced),
        )
        self.workflow = Workflow(Engine(drift_voice), drift_store, SANDBOX)

    async def run(self, command: str) -> None:
        """`command` typed by someone allowed to, previewed and applied (as Revert's preview is)."""
        asked = Request(user_id="U0ALICE", channel_id="C0OPS", text=command, surface="slack")
        proposed = await self.workflow.handle(asked)
        assert isinstance(proposed, Proposed), proposed
        assert isinstance(await self.workflow.confirm(proposed.record.id, asked), Applied)


def diff(record: DriftRecord) -> dict[str, tuple[str | None, str | None]]:
    return {row.field: (row.before, row.after) for row in rows(record.kind, record.before, record.after)}


async def test_termination_changed_out_of_band_is_announced_once_and_its_revert_restores_it(
    sandbox: RunningSandbox, drift_voice: VoiceService, drift_store: Store
) -> None:
    watch = Watch(drift_voice, drift_store)
    async with voice_client(sandbox) as client:
        await client.put_voice_connector_termination(VoiceConnectorId=VC, Termination=TERMINATION)
        assert await watch.watcher.scan_once() == []  # the baseline
        await client.put_voice_connector_termination(
            VoiceConnectorId=VC, Termination=TERMINATION | {"CpsLimit": 9, "CallingRegions": ["US", "CA"]}
        )
        [record] = await watch.watcher.scan_once()
        assert watch.announced == [record]
        assert record.resource == f"termination:us-east-1:{VC}"
        assert diff(record) == {"Calls per second": ("2", "9"), "Calling regions": ("US", "US,CA")}
        assert await watch.watcher.scan_once() == []
        assert record.revert is not None and record.revert.startswith(f"termination set {VC} --cps 2")
        await watch.run(record.revert)
        answer = await client.get_voice_connector_termination(VoiceConnectorId=VC)
    assert {name: answer["Termination"][name] for name in TERMINATION} == TERMINATION
    assert await watch.watcher.scan_once() == []  # Switchboard's own revert is not drift


async def test_logging_turned_on_out_of_band_is_announced_as_a_change_and_reverted(
    sandbox: RunningSandbox, drift_voice: VoiceService, drift_store: Store
) -> None:
    watch = Watch(drift_voice, drift_store)
    await watch.watcher.scan_once()
    async with voice_client(sandbox) as client:
        await client.put_voice_connector_logging_configuration(
            VoiceConnectorId=VC, LoggingConfiguration={"EnableSIPLogs": True, "EnableMediaMetricLogs": False}
        )
        [record] = await watch.watcher.scan_once()
        assert record.resource == f"logging:us-east-1:{VC}"
        assert diff(record) == {"SIP message logs": ("off", "on")}
        assert record.revert == f"logging set {VC} --sip-logs off --media-metrics off"
        await watch.run(record.revert)
        answer = await client.get_voice_connector_logging_configuration(VoiceConnectorId=VC)
    assert answer["LoggingConfiguration"]["EnableSIPLogs"] is False
    assert await watch.watcher.scan_once() == []
    assert len(watch.announced) == 1


async def test_emergency_calling_and_streaming_set_out_of_band_are_announced_with_a_clear(
    sandbox: RunningSandbox, drift_voice: VoiceService, drift_store: Store
) -> None:
    watch = Watch(drift_voice, drift_store)
    async with voice_client(sandbox) as client:
        await client.put_voice_connector_origination(VoiceConnectorId=VC, Origination={"Routes": [ROUTE]})
        await client.put_voice_connector_termination(VoiceConnectorId=VC, Termination=TERMINATION)
        await watch.watcher.scan_once()
        dnis = {
            "EmergencyPhoneNumber": "+12065550150",
            "TestPhoneNumber": "+12065550151",
            "CallingCountry": "US",
        }
        await client.put_voice_connector_emergency_calling_configuration(
            VoiceConnectorId=VC, EmergencyCallingConfiguration={"DNIS": [dnis]}
        )
        await client.put_voice_connector_streaming_configuration(
            VoiceConnectorId=VC, StreamingConfiguration={"DataRetentionInHours": 24, "Disabled": False}
        )
        found = {record.kind: record for record in await watch.watcher.scan_once()}
        assert set(found) == {"emergency", "streaming"}
        assert diff(found["emergency"]) == {"Emergency routing, US": (None, "+12065550150:+12065550151:US")}
        assert diff(found["streaming"])["Retention"] == (None, "24 h")
        assert found["emergency"].revert == f"emergency clear {VC}"
        assert found["streaming"].revert == f"streaming clear {VC}"
        await watch.run(found["emergency"].revert)
        with pytest.raises(client.exceptions.NotFoundException):
            await client.get_voice_connector_emergency_calling_configuration(VoiceConnectorId=VC)


async def test_sip_passwords_reach_no_snapshot_announcement_or_snapshot_file(
    sandbox: RunningSandbox, bot: BotHarness
) -> None:
    drift_store = bot.runtime.store
    delivery = Delivery(web_client("xoxb-test-token", bot.standin.api_url), NOTIFY_CHANNEL)
    watcher = DriftWatcher(
        bot.runtime.backend.voice,
        drift_store,
        DriftSettings(VOICE_REQUEST_BUDGET=1000),
        DriftAnnouncer(delivery),
    )
    async with voice_client(sandbox) as client:
        await client.put_voice_connector_termination(VoiceConnectorId=VC, Termination=TERMINATION)
        await watcher.scan_once()
        await client.put_voice_connector_termination_credentials(
            VoiceConnectorId=VC, Credentials=[{"Username": "pbx-east", "Password": PASSWORD}]
        )
    [record] = await watcher.scan_once()
    assert diff(record) == {"SIP users": ("(none)", "pbx-east")}
    assert record.revert == f"termination credentials remove {VC} pbx-east"
    snapshot = await DriftLedger(drift_store).latest_snapshot()
    assert snapshot is not None
    [announcement] = [
        call.args
        for call in bot.standin.calls("chat.postMessage")
        if call.args.get("channel") == NOTIFY_CHANNEL
    ]
    posted = await bot.command("snapshot --format json")
    assert posted.status == 200
    await bot.standin.wait_until(
        lambda: any(file.completed for file in bot.standin.uploaded_files()), "the snapshot file shared"
    )
    [exported] = bot.standin.uploaded_files()
    seen = {
        "drift record": json.dumps([record.before, record.after, record.revert]),
        "stored snapshot": json.dumps(snapshot.content),
        "announcement": text_of(announcement),
        "/voice snapshot": (exported.content or b"").decode(),
    }
    for where, text in seen.items():
        assert "pbx-east" in text, where  # the user name is listed ...
        assert PASSWORD not in text, where  # ... its password never


@pytest.mark.parametrize(
    "module",
    ["bot.drift.snapshot", "bot.drift.watcher", "bot.drift.diff", "bot.drift.views", "bot.drift.actors"],
)
def test_each_drift_module_can_be_imported_first(module: str) -> None:
    """The setting readers reuse bot.ops' undo commands, and bot.ops loads the drift watch's own
    commands: whichever is imported first, neither finds the other half-loaded."""
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, timeout=120)
