"""The Slack surface end to end: signed requests in, Block Kit back through response_url and the Web API."""

import json
import time
from pathlib import Path

import pytest

from bot.sandbox import ScriptedFault
from bot.slack.actions import APPLY_ACTION, CANCEL_ACTION
from tests.helpers.bot_harness import NOTIFY_CHANNEL, BotHarness
from tests.helpers.messages import button_value, text_of
from tests.helpers.polling import GUARD_SECONDS, eventually
from tests.helpers.sandbox_fixtures import recorded_requests
from tests.helpers.slack_signing import slash_command_body

pytestmark = pytest.mark.both_transports


@pytest.mark.http_only  # Socket Mode envelopes come over an authenticated connection, unsigned
async def test_forged_unsigned_and_stale_requests_get_401_and_run_nothing(bot: BotHarness) -> None:
    body = slash_command_body(
        "connector create evil",
        user_id="U0ALICE",
        channel_id="C0OPS",
        response_url=bot.standin.response_url("x"),
    )
    assert (await bot.signed_post(body, secret="not-the-secret"))[0] == 401
    stale = int(time.time()) - 6 * 60
    assert (await bot.signed_post(body, timestamp=stale))[0] == 401
    async with bot.http.post(bot.url + "/slack/events", data=body) as response:
        assert response.status == 401
    assert recorded_requests(bot.sandbox) == []
    assert bot.standin.calls() == []


async def test_usage_error_is_answered_in_the_ack_naming_the_token(bot: BotHarness) -> None:
    posted = await bot.command("origination set pstn-primary --route 10.0.0.1:99999/udp,priority=1,weight=1")
    assert posted.status == 200
    assert posted.ack is not None and posted.ack["response_type"] == "ephemeral"
    text = text_of(posted.ack)
    assert "`10.0.0.1:99999/udp,priority=1,weight=1`" in text and "65535" in text and "Usage" in text
    assert recorded_requests(bot.sandbox) == []

    async def recorded() -> bool:  # written just after the ack, which answers without waiting for it
        return bool(await bot.runtime.store.history())

    await eventually(recorded, "the invalid input is recorded")
    history = await bot.runtime.store.history()
    assert [(record.status, record.requested_by) for record in history] == [("INVALID", "U0ALICE")]


async def test_the_ack_does_not_wait_for_the_work(bot: BotHarness) -> None:
    """Slack's 3 seconds, checked by order rather than by clock: the ack arrives while AWS still holds the
    work the command started, and the answer only after AWS lets it go."""
    hold = ScriptedFault(operation="ListVoiceConnectors", fault="hang", seconds=GUARD_SECONDS)
    bot.sandbox.faults.push(hold)
    posted = await bot.command("connectors")  # returns on the ack (HTTP response or ack envelope)
    assert posted.status == 200 and posted.ack is None
    assert posted.posts() == []
    bot.sandbox.faults.release()
    [message] = await posted.wait()
    assert "pstn-primary" in text_of(message)
    assert bot.sandbox.faults.settings.script == []  # the work did reach AWS and was held there


async def test_read_is_private_unless_shared(bot: BotHarness) -> None:
    private = await bot.command("connectors")
    [message] = await private.wait()
    assert message["response_type"] == "ephemeral"
    assert "pstn-primary" in text_of(message)
    shared = await bot.command("group show pstn-failover --share")
    [message] = await shared.wait()
    assert message["response_type"] == "in_channel"
    assert "pstn-secondary" in text_of(message)
    bot.assert_every_message_valid()


async def test_change_is_previewed_applied_once_and_announced(bot: BotHarness) -> None:
    posted = await bot.command(
        "origination set abcdef1ghij2klmno3pqr4 --route 10.24.34.0:1234/tcp,priority=1,weight=5"
    )
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    assert preview["response_type"] == "in_channel"
    assert "Preview" in text_of(preview) and "10.24.34.0:1234/tcp" in text_of(preview)
    assert not [r for r in recorded_requests(bot.sandbox) if r["operation"] == "PutVoiceConnectorOrigination"]

    change_id = button_value(preview, APPLY_ACTION)
    first = await bot.click(APPLY_ACTION, change_id, preview)
    second = await bot.click(APPLY_ACTION, change_id, preview)
    # Both clicks are acked at once and their work runs concurrently: either may take the change.
    answers = [*(await first.wait()), *(await second.wait())]
    [applied] = [answer for answer in answers if "Applied" in text_of(answer)]
    [again] = [answer for answer in answers if answer is not applied]
    assert applied["replace_original"] is True
    assert "already" in text_of(again).lower()
    puts = [r for r in recorded_requests(bot.sandbox) if r["operation"] == "PutVoiceConnectorOrigination"]
    assert len(puts) == 1

    [announcement] = await bot.standin.wait_for("chat.postMessage")
    assert announcement.args["channel"] == NOTIFY_CHANNEL
    announced = text_of(announcement.args)
    assert "U0ALICE" in announced and "Applied" in announced and "origination set" in announced
    assert f"slack.com/archives/C0OPS/p{preview['ts'].replace('.', '')}" in announced
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "APPLIED"
    bot.assert_every_message_valid()


async def test_cancel_runs_nothing(bot: BotHarness) -> None:
    posted = await bot.command("proxy set pstn-primary --expiry 60 --countries US")
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    assert "end of support" in text_of(preview)
    change_id = button_value(preview, CANCEL_ACTION)
    cancelled = await bot.click(CANCEL_ACTION, change_id, preview)
    [message] = await cancelled.wait()
    assert "Cancelled" in text_of(message)
    late = await bot.click(APPLY_ACTION, change_id, preview)
    [refusal] = await late.wait()
    assert "cancelled" in text_of(refusal).lower()
    assert not [r for r in recorded_requests(bot.sandbox) if r["operation"] == "PutVoiceConnectorProxy"]


async def test_mentions_in_user_text_ping_nobody(bot: BotHarness) -> None:
    posted = await bot.command("connector show <!channel>")
    message = posted.ack or (await posted.wait())[0]
    assert "&lt;!channel&gt;" in text_of(message)
    created = await bot.command("numbers list --group @here&<!everyone>")
    for message in [created.ack] if created.ack else await created.wait():
        assert "<!everyone>" not in text_of(message)
    bot.assert_every_message_valid()


async def test_health_endpoints(bot: BotHarness) -> None:
    async with bot.http.get(bot.url + "/healthz") as response:
        assert response.status == 200
    async with bot.http.get(bot.url + "/readyz") as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ready"


SEEDS = json.loads((Path(__file__).parent / "data" / "seed_samples.json").read_text())


@pytest.mark.parametrize(
    ("operation", "command"),
    [
        ("CreateVoiceConnectorGroup", "group create myGroup --member abcdef1ghij2klmno3pqr4:2"),
        ("CreateVoiceConnector", "connector create newVoiceConnector --region us-west-2"),
        (
            "AssociatePhoneNumbersWithVoiceConnectorGroup",
            "numbers associate 123a456b-c7d8-90e1-fg23-4h567jkl8901 +12065550100 +12065550101 --force",
        ),
        (
            "PutVoiceConnectorOrigination",
            "origination set abcdef1ghij2klmno3pqr4 --route 10.24.34.0:1234/tcp,priority=1,weight=5",
        ),
        ("PutVoiceConnectorProxy", "proxy set abcdef1ghij2klmno3pqr4 --expiry 60 --countries US"),
    ],
)
async def test_each_seed_operation_works_from_slack_end_to_end(
    bot: BotHarness, operation: str, command: str
) -> None:
    posted = await bot.command(command)
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    applied = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    [result] = await applied.wait()
    assert "Applied" in text_of(result)
    [sent] = [record for record in recorded_requests(bot.sandbox) if record["operation"] == operation]
    assert (sent["method"], sent["path"], sent["body"]) == (
        SEEDS[operation]["method"],
        SEEDS[operation]["path"],
        SEEDS[operation]["request"],
    )


async def test_dry_run_previews_without_buttons_and_changes_nothing(bot: BotHarness) -> None:
    posted = await bot.command(
        "origination set pstn-primary --route 10.0.0.6/udp,priority=1,weight=1 --dry-run"
    )
    [message] = await posted.wait()
    assert "Dry run" in text_of(message) and "10.0.0.6" in text_of(message)
    assert APPLY_ACTION not in json.dumps(message)
    assert not [r for r in recorded_requests(bot.sandbox) if r["operation"] == "PutVoiceConnectorOrigination"]
    [record] = await bot.runtime.store.history()
    assert record.status == "DRY_RUN"
