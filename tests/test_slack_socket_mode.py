"""Socket Mode against a peer that speaks Slack's protocol: the connection, acks, redeliveries and
reconnections (after Slack's `disconnect` and after a dropped socket), with nothing lost or run twice.

Everything the two transports share runs over both from the same test bodies (test_slack_app.py,
test_slack_hardening.py, …); what is here exists only in Socket Mode.
"""

import json
from pathlib import Path

import aiohttp
import pytest

from bot.sandbox import RunningSandbox
from bot.slack.actions import APPLY_ACTION
from bot.slack.gate import REPEAT_MESSAGE
from tests.helpers.bot_harness import APP_TOKEN, POLICY, SOCKET, BotHarness, send_signed, socket_mode_payload
from tests.helpers.bot_process import bot_process
from tests.helpers.log_watch import watching
from tests.helpers.messages import button_value, preview_of, text_of
from tests.helpers.replicas import ORIGINATION, click_body, puts
from tests.helpers.sandbox_fixtures import recorded_requests
from tests.helpers.slack_signing import slash_command_body
from tests.helpers.slack_standin import SlackStandIn
from tests.helpers.socket_mode_peer import SocketModePeer


@pytest.fixture
def transport() -> str:
    return SOCKET


def peer_of(bot: BotHarness) -> SocketModePeer:
    assert bot.peer is not None
    return bot.peer


async def test_the_bot_connects_with_its_app_token_and_is_greeted(bot: BotHarness) -> None:
    [opened] = bot.standin.calls("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
    assert opened.response["ok"] is True and opened.response["url"].startswith("ws://127.0.0.1:")
    [connection] = peer_of(bot).connections
    assert connection.open and connection.sent[0]["type"] == "hello"
    # Only the app-level token opens connections, and it is good for nothing else.
    assert all(call.headers["Authorization"] != f"Bearer {APP_TOKEN}" for call in bot.standin.calls()[1:])


async def test_a_command_is_acked_with_its_envelope_id_and_answered_after(bot: BotHarness) -> None:
    posted = await bot.command("connectors")
    envelope = posted.envelope
    assert envelope is not None and envelope.type == "slash_commands"
    [ack] = envelope.acks
    assert ack.envelope_id == envelope.envelope_id and ack.payload is None  # a bare ack: the answer follows
    [message] = await posted.wait()
    assert "pstn-primary" in text_of(message)
    assert peer_of(bot).stray_frames == []


async def test_a_usage_error_is_the_acks_payload(bot: BotHarness) -> None:
    posted = await bot.command("connectr")
    assert posted.envelope is not None and posted.envelope.accepts_response_payload
    [ack] = posted.envelope.acks
    assert ack.payload is not None and ack.payload["response_type"] == "ephemeral"
    assert "connectr" in text_of(ack.payload) and not ack.ignored_payload
    assert posted.posts() == []


async def test_a_redelivered_command_is_acked_again_but_not_run_again(bot: BotHarness) -> None:
    peer = peer_of(bot)
    posted = await bot.command(ORIGINATION)
    await posted.wait()
    envelope = posted.envelope
    assert envelope is not None
    with watching("bot.slack.gate") as gate_log:
        await peer.redeliver(envelope)  # Slack saw no ack in time and sends it again
        await peer.wait_until(lambda: len(envelope.acks) == 2, "the redelivery's ack")
        await gate_log.wait_for(REPEAT_MESSAGE)
    [first, retry] = [peer.connections[-1].sent[index] for index in (-2, -1)]
    assert first["envelope_id"] == retry["envelope_id"] == envelope.envelope_id
    assert "retry_attempt" not in first and (retry["retry_attempt"], retry["retry_reason"]) == (1, "timeout")
    assert len(posted.posts()) == 1
    assert [record.status for record in await bot.runtime.store.history()] == ["PLANNED"]


async def test_refresh_requested_reconnects_and_loses_no_command(bot: BotHarness) -> None:
    peer = peer_of(bot)
    [old] = await peer.disconnect("refresh_requested")
    # Sent at once, to the connection being refreshed: taken there, or redelivered on the new one.
    posted = await bot.command("connectors")
    new = await peer.wait_for_connection(after=old.number)
    await peer.wait_until(lambda: not old.open, "the bot to close the refreshed connection")
    assert old.closed_by == "app"
    assert len(bot.standin.calls("apps.connections.open")) == 2  # a fresh URL for the new connection
    [message] = await posted.wait()
    assert "pstn-primary" in text_of(message)
    after = await bot.command("group show pstn-failover")
    assert after.envelope is not None and after.envelope.deliveries == [(new.number, 0)]
    [message] = await after.wait()
    assert "pstn-secondary" in text_of(message)
    assert len(posted.posts()) == 1 and peer.stray_frames == []


async def test_a_warning_is_followed_by_a_new_connection(bot: BotHarness) -> None:
    peer = peer_of(bot)
    [old] = await peer.disconnect("warning")
    await peer.wait_for_connection(after=old.number)
    [message] = await (await bot.command("connectors")).wait()
    assert "pstn-primary" in text_of(message)


async def test_a_dropped_socket_is_reopened_and_what_was_sent_meanwhile_arrives_once(
    bot: BotHarness,
) -> None:
    peer = peer_of(bot)
    [dropped] = await peer.drop()
    posted = await bot.command("connectors")  # waits at Slack until the bot reconnects
    assert posted.envelope is not None
    [(connection, attempt)] = posted.envelope.deliveries
    assert connection > dropped.number and attempt == 0
    [message] = await posted.wait()
    assert "pstn-primary" in text_of(message)


async def test_an_ack_lost_with_its_socket_is_redelivered_and_the_click_applies_once(
    bot: BotHarness,
) -> None:
    peer = peer_of(bot)
    preview = await preview_of(bot, await bot.command(ORIGINATION))
    peer.lose_next_ack()  # the click's ack dies with the connection: Slack never saw it
    with watching("bot.slack.gate") as gate_log:
        click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
        await gate_log.wait_for(REPEAT_MESSAGE)
    envelope = click.envelope
    assert envelope is not None and len(envelope.acks) == 1  # only the redelivery's ack arrived
    [(first, first_attempt), (second, second_attempt)] = envelope.deliveries
    assert (
        (first_attempt, second_attempt) == (0, 1)
        and second > first
        and peer.connections[first - 1].closed_by == "drop"
    )
    redelivered = next(frame for frame in peer.connections[second - 1].sent if frame.get("retry_attempt"))
    assert redelivered["retry_reason"] == "connection_lost"
    [result] = await click.wait()
    assert "Applied" in text_of(result)
    assert puts(bot.sandbox) == 1


async def test_the_http_server_has_no_slack_endpoint_in_socket_mode(bot: BotHarness) -> None:
    # Slack sends nothing over HTTP in Socket Mode, and no signing secret is configured to check it with.
    body = slash_command_body(
        ORIGINATION, user_id="U0ALICE", channel_id="C0OPS", response_url=bot.standin.response_url("forged")
    )
    status, _ = await send_signed(bot.http, bot.url, body)
    assert status == 404
    async with bot.http.get(bot.url + "/readyz") as response:
        assert response.status == 200
    assert [
        r for r in recorded_requests(bot.sandbox) if not str(r["operation"]).startswith(("Get", "List"))
    ] == []
    assert bot.standin.response_posts("forged") == []


async def test_serve_in_socket_mode_answers_over_the_socket_and_stops_cleanly(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    async with SlackStandIn() as standin, SocketModePeer() as peer, aiohttp.ClientSession() as http:
        standin.socket_mode_urls = peer.open_url
        async with bot_process(
            workdir=tmp_path,
            database_url=f"sqlite+aiosqlite:///{tmp_path}/switchboard.db",
            policy_file=policy,
            slack_api_url=standin.api_url,
            socket_mode_app_token=APP_TOKEN,
        ) as bot:
            await peer.wait_for_connection()
            command = slash_command_body(
                ORIGINATION,
                user_id="U0ALICE",
                channel_id="C0OPS",
                response_url=standin.response_url("cmd", "C0OPS"),
            )
            envelope = await peer.send_command(socket_mode_payload(command)[1])
            await peer.wait_for_ack(envelope)
            await standin.wait_until(lambda: bool(standin.response_posts("cmd")), "the preview")
            preview = standin.stored_message("cmd")
            click = await peer.send_interactive(socket_mode_payload(click_body(standin, preview, "click"))[1])
            await peer.wait_for_ack(click)
            await standin.wait_until(lambda: bool(standin.response_posts("click")), "the result")
            assert "Applied" in text_of(standin.response_posts("click")[0])
            assert puts(sandbox) == 1
            assert (await send_signed(http, bot.url, command))[0] == 404
            bot.terminate()
            assert await bot.wait() == 0
        assert peer.connections[-1].closed_by == "app"  # a clean close on SIGTERM, no dropped socket
        log = [json.loads(line) for line in bot.log.read_text().splitlines() if line.startswith("{")]
        assert APP_TOKEN not in bot.log.read_text()
        ids = {line.get("request_id") for line in log if line["logger"].startswith("bot.")} - {None}
        assert len(ids) >= 2, "each Socket Mode request carries its own request ID in the logs"
