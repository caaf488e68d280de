"""Large results, Slack faults, start-up settings: nothing lost, nothing hidden, nothing half-configured."""

import asyncio
import csv
import io
import os
import sys
from pathlib import Path

import pytest
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.render.doc import Doc, Notice
from bot.sandbox.inventory import inventory_numbers
from bot.slack.actions import APPLY_ACTION
from bot.slack.app import web_client
from bot.slack.delivery import Conversation, Delivery
from tests.helpers.bot_harness import NOTIFY_CHANNEL, BotHarness, HarnessFactory
from tests.helpers.messages import button_value, text_of
from tests.helpers.sandbox_fixtures import SandboxFactory, voice_client
from tests.helpers.slack_standin import SlackStandIn, UploadedFile

pytestmark = pytest.mark.both_transports


async def apply(bot: BotHarness, command: str) -> list[dict[str, object]]:
    posted = await bot.command(command)
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    applied = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    return await applied.wait()


async def test_500_number_association_with_mixed_failures_is_reported_completely(
    bot_factory: HarnessFactory, sandbox_factory: SandboxFactory
) -> None:
    aws = await sandbox_factory(inventory_size=1000)
    bot = await bot_factory(aws=aws)
    inventory = list(inventory_numbers(1000))
    elsewhere, good = inventory[:20], inventory[20:470]
    unknown = [f"+1206556{index:04d}" for index in range(30)]
    async with voice_client(aws) as voice:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4", E164PhoneNumbers=elsewhere
        )
    numbers = good + unknown + elsewhere
    assert len(numbers) == 500

    [result] = await apply(bot, f"numbers associate pstn-failover {' '.join(numbers)}")
    text = text_of(result)
    assert "Partly applied" in text and "450 of 500" in text
    # Every failure is listed in the message itself, grouped by code with AWS's message.
    for number in unknown + elsewhere:
        assert number in text
    assert "NotFound (30)" in text and "PhoneNumberAssociationsExist (20)" in text
    assert text.count("abcdef1ghij2klmno3pqr4") >= 20  # where each blocked number is associated

    # The 450 successes are too many for a message: a summary, and the whole list as a file in the channel.
    def files_in(channel: str) -> list[UploadedFile]:
        return [
            file
            for file in bot.standin.uploaded_files()
            if (file.filename, file.channel_id, file.completed) == ("succeeded.csv", channel, True)
        ]

    await bot.standin.wait_until(lambda: bool(files_in("C0OPS") and files_in(NOTIFY_CHANNEL)), "the lists")
    [succeeded] = files_in("C0OPS")
    assert succeeded.content is not None
    rows = list(csv.reader(io.StringIO(succeeded.content.decode())))[1:]
    assert sorted(row[0] for row in rows) == sorted(good)
    bot.assert_every_message_valid()


async def test_a_failed_announcement_neither_undoes_nor_hides_the_change(bot: BotHarness) -> None:
    bot.standin.fail_next("chat.postMessage", error="channel_not_found")
    [result] = await apply(bot, "origination set pstn-primary --route 10.0.0.3/udp,priority=1,weight=1")
    assert "Applied" in text_of(result)
    await bot.standin.wait_for("chat.postMessage")
    history = await bot.runtime.store.history()
    assert history[0].status == "APPLIED"


async def test_a_rate_limited_announcement_is_retried_after_retry_after(bot: BotHarness) -> None:
    bot.standin.fail_next("chat.postMessage", retry_after=1)
    await apply(bot, "origination set pstn-primary --route 10.0.0.4/udp,priority=1,weight=1")
    calls = await bot.standin.wait_for("chat.postMessage", count=2)
    assert [call.status for call in calls] == [429, 200]
    assert calls[1].args["channel"] == NOTIFY_CHANNEL


async def test_a_long_private_answer_is_split_over_messages_not_cut(
    bot_factory: HarnessFactory, sandbox_factory: SandboxFactory
) -> None:
    aws = await sandbox_factory(inventory_size=8000)
    bot = await bot_factory(aws=aws)
    posted = await bot.command("numbers list --unassigned")
    last = inventory_numbers(8000)[-1]
    await bot.standin.wait_until(
        lambda: any(last in text_of(part) for part in posted.posts()), "the last number"
    )
    assert len(posted.posts()) > 1
    listed = "\n".join(text_of(part) for part in posted.posts())
    assert all(number in listed for number in inventory_numbers(8000))
    assert all(part["response_type"] == "ephemeral" for part in posted.posts())
    bot.assert_every_message_valid()


async def test_private_parts_beyond_response_urls_five_uses_go_by_chat_post_ephemeral() -> None:
    async with SlackStandIn() as standin:
        client = web_client("xoxb-test", standin.api_url)
        conversation = Conversation("U0ALICE", "C0OPS", AsyncRespond(response_url=standin.response_url("r")))
        doc = Doc("many notices", tuple(Notice("info", f"notice {index}") for index in range(300)))
        await Delivery(client, None).private(conversation, doc)
        via_url = standin.response_posts("r")
        via_api = [call.args for call in standin.calls("chat.postEphemeral")]
    assert len(via_url) == 5 and len(via_api) == 1
    shown = "\n".join(text_of(part) for part in via_url + via_api)
    assert all(f"notice {index}\n" in shown + "\n" for index in range(300))
    assert via_api[0]["user"] == "U0ALICE" and via_api[0]["channel"] == "C0OPS"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET"),
        ({"VOICE_REGIONS": "us-east-1,mars-1"}, "mars-1"),
        ({"POLICY_FILE": "/nonexistent/policy.yaml"}, "policy"),
    ],
)
async def test_serve_refuses_to_start_half_configured(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    base = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "AWS_ENDPOINT_URL_CHIME_SDK_VOICE": "http://127.0.0.1:9",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--port",
        "0",
        cwd=tmp_path,
        env={**base, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 2
    assert named in output.decode()
    assert "secret" not in output.decode().replace("SLACK_SIGNING_SECRET", "")
