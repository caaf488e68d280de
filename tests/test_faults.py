"""Faults at every peer: each ends with a clear message, a truthful audit record, and no duplicate."""

import asyncpg
import pytest

from bot.sandbox import ScriptedFault
from bot.slack.actions import APPLY_ACTION
from tests.helpers.bot_harness import NOTIFY_CHANNEL, BotHarness, HarnessFactory
from tests.helpers.messages import button_value, text_of
from tests.helpers.polling import GUARD_SECONDS
from tests.helpers.postgres import ADMIN_DSN
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client
from tests.helpers.slack_standin import RESPONSE_URL

pytestmark = pytest.mark.both_transports

ROUTE = "origination set pstn-primary --route 10.0.0.8/udp,priority=1,weight=1"


async def apply(bot: BotHarness, command: str) -> tuple[str, str]:
    """Run a change through preview and Apply; returns (the change ID, the result's text)."""
    posted = await bot.command(command)
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    change_id = button_value(preview, APPLY_ACTION)
    click = await bot.click(APPLY_ACTION, change_id, preview)
    posts = await click.wait()
    return change_id, "\n".join(text_of(post) for post in posts)


def count(bot: BotHarness, operation: str) -> int:
    return sum(record["operation"] == operation for record in recorded_requests(bot.sandbox))


async def test_aws_failing_on_every_attempt_is_reported_and_recorded_as_failed(
    bot_factory: HarnessFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICE_MAX_ATTEMPTS", "3")
    bot = await bot_factory()
    bot.sandbox.faults.push(*[ScriptedFault(operation="PutVoiceConnectorOrigination", fault="error")] * 3)
    change_id, text = await apply(bot, ROUTE)
    assert "Failed" in text and "ServiceFailureException" in text
    assert "may have been applied" in text and "Health Dashboard" in text
    assert count(bot, "PutVoiceConnectorOrigination") == 3
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "FAILED" and record.error


async def test_a_timed_out_idempotent_change_is_retried_and_applied(
    bot_factory: HarnessFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first PUT hangs until the sandbox closes, so it certainly times out, however slow the machine;
    # the read timeout is short to keep the test short, but any other call that meets it is retried too.
    monkeypatch.setenv("VOICE_READ_TIMEOUT", "1")
    bot = await bot_factory()
    bot.sandbox.faults.push(
        ScriptedFault(operation="PutVoiceConnectorOrigination", fault="hang", seconds=GUARD_SECONDS)
    )
    change_id, text = await apply(bot, ROUTE)
    assert "Applied" in text
    assert count(bot, "PutVoiceConnectorOrigination") >= 2  # the hung PUT, then the retry that applied
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "APPLIED"


async def test_a_create_whose_answer_is_lost_is_reconciled_not_duplicated(bot: BotHarness) -> None:
    bot.sandbox.faults.push(ScriptedFault(operation="CreateVoiceConnector", fault="lost_response"))
    change_id, text = await apply(bot, "connector create edge-trunk --region us-east-1")
    assert "Applied" in text and "found by name" in text
    assert count(bot, "CreateVoiceConnector") == 1
    async with voice_client(bot.sandbox) as voice:
        names = [c["Name"] for c in (await voice.list_voice_connectors())["VoiceConnectors"]]
    assert names.count("edge-trunk") == 1
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "APPLIED"


async def test_aws_throttling_a_read_is_invisible_to_the_user(bot: BotHarness) -> None:
    bot.sandbox.faults.push(*[ScriptedFault(operation="ListVoiceConnectors", fault="throttle")] * 4)
    posted = await bot.command("connectors")
    [message] = await posted.wait()
    assert "pstn-primary" in text_of(message)


async def test_slack_refusing_the_blocks_gets_the_whole_answer_as_plain_text(bot: BotHarness) -> None:
    bot.standin.fail_next(RESPONSE_URL, status=400, error="invalid_blocks")
    posted = await bot.command("group show pstn-failover")
    posts = await posted.wait(2)
    assert "blocks" in posts[0]
    fallback = posts[1]
    assert "blocks" not in fallback or not fallback["blocks"]
    assert "plain text" in fallback["text"] and "pstn-secondary" in fallback["text"]


async def test_slack_server_errors_on_the_announcement_are_retried(bot: BotHarness) -> None:
    bot.standin.fail_next("chat.postMessage", status=503)
    await apply(bot, ROUTE)
    calls = await bot.standin.wait_for("chat.postMessage", count=2)
    assert [call.status for call in calls] == [503, 200]
    assert calls[1].args["channel"] == NOTIFY_CHANNEL


async def test_with_the_store_down_nothing_is_changed_and_the_user_is_told(
    bot_factory: HarnessFactory, postgres_url: str
) -> None:
    bot = await bot_factory(database_url=postgres_url)
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE "{postgres_url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()
    posted = await bot.command(ROUTE)
    [message] = await posted.wait()
    assert "audit store" in text_of(message) and "nothing was changed" in text_of(message)
    assert count(bot, "PutVoiceConnectorOrigination") == 0
    async with bot.http.get(bot.url + "/readyz") as response:
        assert response.status == 503
        assert "store unreachable" in (await response.json())["problems"][0]
