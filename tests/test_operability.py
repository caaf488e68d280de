"""What an operator relies on: metrics, JSON logs without secrets, graceful shutdown."""

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot import logs
from bot.sandbox import RunningSandbox, ScriptedFault
from bot.slack.actions import APPLY_ACTION
from bot.store import Status, Store
from tests.helpers.bot_harness import POLICY, SIGNING_SECRET, BotHarness, send_signed
from tests.helpers.bot_process import bot_process
from tests.helpers.messages import button_value
from tests.helpers.metrics import sample
from tests.helpers.polling import GUARD_SECONDS, eventually
from tests.helpers.replicas import click_body, propose, puts
from tests.helpers.slack_standin import SlackStandIn

pytestmark = pytest.mark.both_transports


async def scrape(bot: BotHarness) -> str:
    async with bot.http.get(bot.url + "/metrics") as response:
        assert response.status == 200
        return await response.text()


async def test_metrics_count_commands_aws_calls_acks_and_pending_changes(bot: BotHarness) -> None:
    before = await scrape(bot)
    posted = await bot.command("origination set pstn-primary --route 10.0.0.5/udp,priority=1,weight=1")
    await posted.wait()
    await bot.command("connectr")

    async def recorded() -> bool:
        return any(record.status == "INVALID" for record in await bot.runtime.store.history())

    await eventually(recorded, "the invalid command is recorded")
    after = await scrape(bot)
    verb = "origination set"
    assert sample(after, "switchboard_commands_total", verb=verb, outcome="planned") == (
        sample(before, "switchboard_commands_total", verb=verb, outcome="planned") + 1
    )
    assert sample(after, "switchboard_commands_total", verb="(unparsed)", outcome="invalid") >= 1
    assert sample(after, "switchboard_aws_call_seconds_count", operation="GetVoiceConnectorOrigination") >= 1
    assert (
        sample(after, "switchboard_slack_ack_seconds_count")
        >= sample(before, "switchboard_slack_ack_seconds_count") + 2
    )
    assert sample(after, "switchboard_pending_changes") == 1
    assert "switchboard_slack_slow_acks_total" in after


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logs.configure("DEBUG", ["xoxb-test-token", SIGNING_SECRET], stream)
    yield stream
    root.handlers[:], root.level = saved


async def test_logs_are_json_with_request_ids_and_no_secrets(
    bot: BotHarness, captured_logs: io.StringIO
) -> None:
    posted = await bot.command("connectors")
    await posted.wait()
    logging.getLogger("test").info(
        "token xoxb-123-abc and Authorization: Bearer xoxb-zzz and %s", SIGNING_SECRET
    )
    lines = [json.loads(line) for line in captured_logs.getvalue().splitlines()]
    assert lines and all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    assert any(line.get("request_id") for line in lines)
    everything = captured_logs.getvalue()
    assert "xoxb-test-token" not in everything and SIGNING_SECRET not in everything
    assert "xoxb-123-abc" not in everything and "xoxb-zzz" not in everything
    assert logs.REDACTED in everything


@pytest.mark.parametrize(
    "secret",
    [
        "xoxb-1234-5678-abcdef",
        "xapp-1-A0-123-abc",
        "AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "'Authorization': 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/chime/aws4_request, "
        "Signature=abc'",
    ],
)
def test_known_secret_shapes_are_redacted(secret: str) -> None:
    redacted = logs.Redactor()(f"before {secret} after")
    assert logs.REDACTED in redacted
    assert "wJalrXUtnFEMI" not in redacted and "1234-5678" not in redacted and "Signature=abc" not in redacted


async def test_sigterm_finishes_the_change_being_applied_then_exits(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    database = f"sqlite+aiosqlite:///{tmp_path}/switchboard.db"
    # The PUT hangs until released below, after the bot has taken SIGTERM: the drain is what finishes it.
    sandbox.faults.push(
        ScriptedFault(operation="PutVoiceConnectorOrigination", fault="hang", seconds=GUARD_SECONDS)
    )
    async with (
        SlackStandIn() as standin,
        aiohttp.ClientSession() as http,
        bot_process(
            workdir=tmp_path, database_url=database, policy_file=policy, slack_api_url=standin.api_url
        ) as bot,
    ):
        preview = await propose(http, bot.url, standin, "cmd")
        change_id = button_value(preview, APPLY_ACTION)
        await send_signed(http, bot.url, click_body(standin, preview, "click"))

        async def sent() -> bool:
            return puts(sandbox) == 1

        await eventually(sent, "the PUT reaches AWS")
        bot.terminate()

        async def stopping() -> bool:
            return "stopping: no new requests" in bot.log.read_text()

        await eventually(stopping, "the bot takes SIGTERM and stops taking requests")
        sandbox.faults.release()  # AWS answers the PUT the bot is draining
        assert await bot.wait() == 0
    store = Store(database)
    record = await store.get(change_id)
    await store.close()
    assert record is not None and record.status == Status.APPLIED
