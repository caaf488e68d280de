"""The drift watch across two `switchboard serve` processes on one PostgreSQL: one watches; killing
it moves the watch to the other; each drift is announced once; its buttons work end to end."""

from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.drift.watcher import CLOCK_MARGIN
from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.slack.actions import APPLY_ACTION
from bot.slack.drift import ACKNOWLEDGE_ACTION, REVERT_ACTION
from bot.store import DriftLedger, Store
from tests.helpers.bot_harness import NOTIFY_CHANNEL, send_signed
from tests.helpers.bot_process import BotProcess, bot_process
from tests.helpers.messages import button_value, text_of
from tests.helpers.polling import eventually
from tests.helpers.sandbox_fixtures import voice_client
from tests.helpers.slack_signing import block_actions_body
from tests.helpers.slack_standin import Call, SlackStandIn

POLICY = """\
roles:
  admin: ["*"]
grants:
  - role: admin
    everyone: true
"""
LEASE = "drift-watch"


def announcements(standin: SlackStandIn) -> list[Call]:
    return [
        call
        for call in standin.calls("chat.postMessage")
        if call.args.get("channel") == NOTIFY_CHANNEL and "Drift:" in str(call.args.get("text"))
    ]


async def set_route(sandbox: RunningSandbox, host: str) -> None:
    async with voice_client(sandbox) as client:
        route = {"Host": host, "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 1}
        await client.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [route]}
        )


async def route_host(sandbox: RunningSandbox) -> str | None:
    """The first route's host, or None when the connector has no origination (as before the drift)."""
    async with voice_client(sandbox) as client:
        try:
            answer = await client.get_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
        except client.exceptions.NotFoundException:
            return None
        return str(answer["Origination"]["Routes"][0]["Host"])


def click(standin: SlackStandIn, action: str, value: str, message: dict[str, Any], name: str) -> str:
    return block_actions_body(
        action,
        value,
        user_id="U0ALICE",
        channel_id=NOTIFY_CHANNEL,
        response_url=standin.response_url(name, NOTIFY_CHANNEL),
        message=message,
    )


async def test_one_replica_watches_and_the_other_takes_over_when_it_is_killed(
    sandbox: RunningSandbox, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRIFT_INTERVAL", "0.5")
    monkeypatch.setenv("DRIFT_LEASE", "3")
    monkeypatch.setenv("VOICE_REQUEST_BUDGET", "1000")
    monkeypatch.setenv("VOICE_REGIONS", "us-east-1")
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    store = Store(postgres_url)
    ledger = DriftLedger(store)
    async with (
        SlackStandIn() as standin,
        aiohttp.ClientSession() as http,
        bot_process(
            workdir=tmp_path,
            database_url=postgres_url,
            policy_file=policy,
            slack_api_url=standin.api_url,
            name="a",
        ) as first,
        bot_process(
            workdir=tmp_path,
            database_url=postgres_url,
            policy_file=policy,
            slack_api_url=standin.api_url,
            name="b",
        ) as second,
    ):

        async def watching() -> BotProcess | None:
            holder = await ledger.lease_holder(LEASE)
            pids = {str(bot.process.pid): bot for bot in (first, second)}
            return pids.get((holder or "::").split(":")[1])

        async def baseline() -> bool:
            return await watching() is not None and await ledger.latest_snapshot() is not None

        await eventually(baseline, "a replica holds the watch and took a baseline")
        await set_route(sandbox, "10.7.7.7")
        await standin.wait_until(lambda: len(announcements(standin)) >= 1, "the first drift announcement")
        [announced] = announcements(standin)
        assert "10.7.7.7:5060/udp" in text_of(announced.args)
        assert not announced.problems

        # Revert from the announcement: the normal preview, then Apply puts the route back.
        message = announced.response["message"]
        drift_id = button_value(message, REVERT_ACTION)
        assert (await send_signed(http, first.url, click(standin, REVERT_ACTION, drift_id, message, "rv")))[
            0
        ] == 200
        await standin.wait_until(lambda: bool(standin.response_posts("rv")), "the revert's preview")
        preview = standin.stored_message("rv")
        change_id = button_value(preview, APPLY_ACTION)
        apply = click(standin, APPLY_ACTION, change_id, preview, "apply")
        assert (await send_signed(http, first.url, apply))[0] == 200
        await standin.wait_until(lambda: len(standin.response_posts("apply")) >= 1, "the revert applied")
        assert await route_host(sandbox) is None  # as it was before the drift
        ack = click(standin, ACKNOWLEDGE_ACTION, drift_id, message, "ack")
        assert (await send_signed(http, second.url, ack))[0] == 200
        await standin.wait_until(lambda: bool(standin.response_posts("ack")), "the acknowledgement")
        assert "Acknowledged by U0ALICE" in text_of(standin.response_posts("ack")[-1])

        # Kill the watching replica: the other takes the watch and announces the next drift, once.
        holder = await watching()
        assert holder is not None
        survivor = second if holder is first else first
        holder.kill()
        await holder.wait()
        await eventually(lambda: _is(watching, survivor), "the surviving replica took over the watch")
        # A Switchboard change explains differences to its resource found in the next scans (the revert,
        # here): change the route again only once a snapshot began after that window.
        [revert] = await store.history(PRIMARY_CONNECTOR_ID, 1)
        settled = revert.updated_at + CLOCK_MARGIN
        await eventually(lambda: _snapshot_started_after(ledger, settled), "a scan after the revert's window")
        await set_route(sandbox, "10.8.8.8")
        await standin.wait_until(lambda: len(announcements(standin)) >= 2, "the drift after the takeover")
        snapshot = await ledger.latest_snapshot()
        await eventually(
            lambda: _newer_snapshot(ledger, snapshot), "another scan after the second announcement"
        )
        texts = [text_of(call.args) for call in announcements(standin)]
        assert len(texts) == 2, texts  # the Switchboard revert was not drift, nothing was re-announced
        assert "10.8.8.8:5060/udp" in texts[1]
    await store.close()


async def _is(watching: Any, bot: BotProcess) -> bool:
    return await watching() is bot


async def _newer_snapshot(ledger: DriftLedger, snapshot: Any) -> bool:
    latest = await ledger.latest_snapshot()
    return latest is not None and snapshot is not None and latest.id != snapshot.id


async def _snapshot_started_after(ledger: DriftLedger, moment: datetime) -> bool:
    latest = await ledger.latest_snapshot()
    return latest is not None and latest.started_at > moment
