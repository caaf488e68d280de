"""Trust at the Slack front door, over signed HTTP and over Socket Mode to the real server: bodies parsed
right, other workspaces refused, retries, redeliveries and replays taken once, files read only where
they were shared, and shared text unable to forge a message's structure."""

import asyncio
import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web

from bot import logs
from bot.render.doc import Doc, Fields, Notice
from bot.render.terminal import to_text
from bot.slack.actions import APPLY_ACTION
from bot.slack.gate import REPEAT_MESSAGE
from tests.helpers.bot_harness import POLICY, BotHarness, HarnessFactory, Posted
from tests.helpers.log_watch import watching
from tests.helpers.messages import button_value, text_of
from tests.helpers.sandbox_fixtures import recorded_requests
from tests.helpers.slack_signing import block_actions_body

pytestmark = pytest.mark.both_transports

READS = ("Get", "List")
CHANGE = "origination set pstn-primary --route 10.0.0.7/udp,priority=1,weight=1"


def mutations(bot: BotHarness) -> list[str]:
    return [
        str(record["operation"])
        for record in recorded_requests(bot.sandbox)
        if not str(record["operation"]).startswith(READS)
    ]


async def preview_of(bot: BotHarness, posted: Posted) -> dict[str, Any]:
    await posted.wait()
    return bot.standin.stored_message(posted.response_name)


# 1. Form bodies containing "payload" -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("connectors", {"channel_name": "payload-ops"}),
        ("connector show payload-gw", {}),
        ("connectors", {"user_name": "payload.person"}),
        ("connectors", {"team_domain": "payloadco"}),
        ("connector create payload-gw --dry-run", {}),
    ],
)
async def test_a_body_mentioning_payload_is_a_command(
    bot: BotHarness, text: str, fields: dict[str, str]
) -> None:
    posted = await bot.command(text, **fields)
    assert posted.status == 200
    messages = [posted.ack] if posted.ack else await posted.wait()
    answer = text_of(messages[0])
    assert ("payload-gw" in answer) if "payload-gw" in text else ("pstn-primary" in answer), answer


async def test_buttons_still_work_beside_payload_named_channels(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command(CHANGE, channel_name="payload-ops"))
    click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    [result] = await click.wait()
    assert "Applied" in text_of(result)
    assert mutations(bot) == ["PutVoiceConnectorOrigination"]


# 2. Requests from other workspaces -------------------------------------------------------------------


async def test_another_workspace_is_refused_and_runs_nothing(bot: BotHarness) -> None:
    posted = await bot.command(CHANGE, team_id="T0OTHER")
    assert posted.status == 200 and posted.ack is not None
    assert "T0OTHER" in text_of(posted.ack) and "ran nothing" in text_of(posted.ack)
    assert posted.ack["response_type"] == "ephemeral"
    assert recorded_requests(bot.sandbox) == []
    assert await bot.runtime.store.history() == []
    asked = bot.standin.calls("auth.test")  # the home workspace comes from Slack itself
    assert asked and all(call.response["team_id"] == "T0001" for call in asked)


async def test_a_click_from_another_workspace_is_refused(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command(CHANGE))
    change_id = button_value(preview, APPLY_ACTION)
    click = await bot.click(APPLY_ACTION, change_id, preview, team="T0OTHER")
    [answer] = await click.wait()
    assert "T0OTHER" in text_of(answer) and answer["response_type"] == "ephemeral"
    assert mutations(bot) == []
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "PLANNED"


async def test_a_team_the_policy_names_is_served(bot_factory: HarnessFactory) -> None:
    bot = await bot_factory(POLICY + "teams: [T0001, T0PARTNER]\n")
    posted = await bot.command("connectors", team_id="T0PARTNER")
    [message] = await posted.wait()
    assert "pstn-primary" in text_of(message)
    refused = await bot.command("connectors", team_id="T0OTHER")
    assert refused.ack is not None and "T0OTHER" in text_of(refused.ack)


# 7. Retries and replays ------------------------------------------------------------------------------


async def test_a_slack_retry_and_a_replay_make_no_second_preview(bot: BotHarness) -> None:
    name = "retried"
    body = bot.command_body(CHANGE, name, user="U0ALICE", channel="C0OPS")
    assert (await bot.deliver(body))[0] == 200
    await bot.standin.wait_until(lambda: len(bot.standin.response_posts(name)) >= 1, "the preview")
    with watching("bot.slack.gate") as gate_log:
        retry = await bot.deliver(body, retry=1)  # HTTP: X-Slack-Retry-Num; Socket Mode: retry_attempt
        replay = await bot.deliver(body)  # HTTP: the same signed request; Socket Mode: a second envelope
        assert retry[0] == replay[0] == 200
        await gate_log.wait_for(REPEAT_MESSAGE, count=2)  # both recognised, after their acks
    assert len(bot.standin.response_posts(name)) == 1
    planned = [record for record in await bot.runtime.store.history() if record.status == "PLANNED"]
    assert len(planned) == 1


async def test_a_replayed_click_applies_once_and_answers_once(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command(CHANGE))
    change_id = button_value(preview, APPLY_ACTION)
    response_url = bot.standin.response_url("clicked", "C0OPS")
    body = block_actions_body(
        APPLY_ACTION,
        change_id,
        user_id="U0ALICE",
        channel_id="C0OPS",
        response_url=response_url,
        message=preview,
    )
    with watching("bot.slack.gate") as gate_log:
        await asyncio.gather(bot.deliver(body), bot.deliver(body))
        await bot.deliver(body, retry=1)
        await gate_log.wait_for(REPEAT_MESSAGE, count=2)
    await bot.standin.wait_until(lambda: len(bot.standin.response_posts("clicked")) >= 1, "the result")
    assert "Applied" in text_of(bot.standin.response_posts("clicked")[0])
    assert len(bot.standin.response_posts("clicked")) == 1
    assert mutations(bot) == ["PutVoiceConnectorOrigination"]


# 3. --file reads only what the requester may see ---------------------------------------------------

NUMBERS = b"+12065550170\n+12065550171\n"
FILE_COMMAND = "numbers associate pstn-failover --file {} --dry-run"


async def test_a_file_shared_elsewhere_is_refused_without_its_name_or_contents(bot: BotHarness) -> None:
    file_id = bot.standin.share_file("board-salaries.csv", NUMBERS, "C0ELSEWHERE")
    posted = await bot.command(FILE_COMMAND.format(file_id))
    [message] = await posted.wait()
    text = text_of(message)
    assert "not shared in this conversation" in text and file_id in text
    assert "salaries" not in text and "555017" not in text
    assert bot.standin.calls("download") == []
    unshared = bot.standin.share_file("board-salaries.csv", NUMBERS, None)
    [message] = await (await bot.command(FILE_COMMAND.format(unshared))).wait()
    assert "not shared in this conversation" in text_of(message)
    assert bot.standin.calls("download") == [] and mutations(bot) == []


@pytest.mark.parametrize(("channel", "listed"), [("C0OPS", True), ("C0OPS", False), ("G0PRIVATE", True)])
async def test_a_file_shared_where_the_command_was_typed_is_read(
    bot: BotHarness, channel: str, listed: bool
) -> None:
    file_id = bot.standin.share_file("numbers.txt", NUMBERS, channel, listed=listed)
    [message] = await (await bot.command(FILE_COMMAND.format(file_id), channel=channel)).wait()
    assert "Associate 2 number(s)" in text_of(message)
    assert len(bot.standin.calls("download")) == 1


async def test_a_remote_file_gets_a_clear_refusal(bot: BotHarness) -> None:
    file_id = bot.standin.share_file("numbers.txt", NUMBERS, external=True)
    [message] = await (await bot.command(FILE_COMMAND.format(file_id))).wait()
    assert "outside Slack" in text_of(message)
    assert bot.standin.calls("download") == []


async def test_the_bot_token_goes_only_to_slacks_file_host(bot: BotHarness) -> None:
    seen: list[dict[str, str]] = []

    async def capture(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        return web.Response(body=NUMBERS)

    app = web.Application()
    app.router.add_get("/{tail:.*}", capture)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        elsewhere = f"http://127.0.0.1:{runner.addresses[0][1]}/numbers.txt"
        file_id = bot.standin.share_file("numbers.txt", NUMBERS, download_url=elsewhere)
        [message] = await (await bot.command(FILE_COMMAND.format(file_id))).wait()
    finally:
        await runner.cleanup()
    assert "no download link on Slack's file host" in text_of(message)
    assert seen == []


# 8. response_urls never reach the logs ----------------------------------------------------------------


@pytest.fixture
def debug_logs(bot: BotHarness) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logs.configure("DEBUG", ["xoxb-test-token"], stream, api_url=bot.standin.api_url)
    yield stream
    root.handlers[:], root.level = saved


async def test_response_urls_are_redacted_from_debug_logs(bot: BotHarness, debug_logs: io.StringIO) -> None:
    preview = await preview_of(bot, await bot.command(CHANGE))
    click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    await click.wait()
    logging.getLogger("bot.test").error("posting to %s failed", bot.standin.response_url("logged"))
    everything = debug_logs.getvalue()
    port = bot.standin.url.rsplit(":", 1)[1]
    assert re.findall(rf"{port}(?:/|%2F|\\/)response", everything) == []
    assert f"posting to {logs.REDACTED} failed" in everything


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/commands/T0001/1234567890/AbCdEf123",
        "https%3A%2F%2Fhooks.slack.com%2Factions%2FT0001%2F123%2Fabc",
        "https:\\/\\/hooks.slack.com\\/actions\\/T0001\\/123\\/abc",
    ],
)
def test_slack_response_urls_are_redacted_in_every_form(url: str) -> None:
    redacted = logs.Redactor()(f"response_url={url}&next=1")
    assert redacted == f"response_url={logs.REDACTED}&next=1"


# 6. Shared text cannot forge structure ----------------------------------------------------------------

FORGED_LINE = re.compile(r"^[\s*_~`]*(?:&gt;|>)?[\s*_~]*Approved by", re.MULTILINE)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def mrkdwn_texts(message: dict[str, Any]) -> list[str]:
    found = [str(message.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node.get("text", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return found


def assert_cannot_forge(message: dict[str, Any]) -> None:
    texts = mrkdwn_texts(message)
    for text in texts:
        assert FORGED_LINE.search(text) is None, text
        assert text.count("```") % 2 == 0, text  # no code block opened or closed by the user's text
        assert "```x" not in text and "`pwned`" not in text, text
    assert not any(control in text for text in texts for control in BIDI), texts


async def test_reasons_and_commands_cannot_fake_lines_or_break_out(bot: BotHarness) -> None:
    reason = "routine\n*Approved by* U0BOB\n> Approved by U0BOB\n```x\n`pwned` \u202eevil\u202c"
    command = f'{CHANGE} --reason "{reason}"'
    preview = await preview_of(bot, await bot.command(command))
    assert_cannot_forge(preview)
    assert "Approved by" in "".join(mrkdwn_texts(preview))  # still shown, as literal text
    click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    [result] = await click.wait()
    assert_cannot_forge(result)
    [announcement] = [
        call.args
        for call in await bot.standin.wait_for("chat.postMessage")
        if call.args["channel"] == "C0NOTIFY"
    ]
    assert_cannot_forge(announcement)
    [history] = await (await bot.command("history --share")).wait()
    assert_cannot_forge(history)
    assert mutations(bot) == ["PutVoiceConnectorOrigination"]


def test_the_terminal_shows_shared_text_on_one_visible_line() -> None:
    doc = Doc("t", (Fields((("Reason", "ok\nApproved by U0BOB \u202eevil"),)), Notice("info", "a\nb")))
    lines = to_text(doc).splitlines()
    assert lines[0].startswith("  Reason  ok ⏎ Approved by U0BOB \ufffdevil") and len(lines) == 2
    assert not any(control in to_text(doc) for control in BIDI)
