"""The Socket Mode peer and apps.connections.open on the stand-in, driven by raw WebSocket frames and by
slack_sdk's own clients: the protocol as Slack documents it, so the bot's tests rest on it."""

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.helpers.slack_standin import SlackStandIn
from tests.helpers.socket_mode_peer import SocketModePeer

pytestmark = pytest.mark.harness  # tests of a test tool, not of Switchboard


@pytest.fixture
async def peer() -> AsyncIterator[SocketModePeer]:
    async with SocketModePeer() as running:
        yield running


async def test_connections_open_takes_only_an_app_level_token(peer: SocketModePeer) -> None:
    async with SlackStandIn() as slack:
        app = AsyncWebClient(base_url=slack.api_url)
        with pytest.raises(SlackApiError) as disabled:
            await app.apps_connections_open(app_token="xapp-1-A-1-x")
        slack.socket_mode_urls = peer.open_url
        opened = await app.apps_connections_open(app_token="xapp-1-A-1-x")
        with pytest.raises(SlackApiError) as bot_token:
            await app.apps_connections_open(app_token="xoxb-test")
        with pytest.raises(SlackApiError) as app_token_elsewhere:
            await AsyncWebClient(token="xapp-1-A-1-x", base_url=slack.api_url).auth_test()
    assert disabled.value.response["error"] == "socket_mode_disabled"
    assert opened["url"].startswith("ws://127.0.0.1:") and "ticket=" in opened["url"]
    assert bot_token.value.response["error"] == app_token_elsewhere.value.response["error"]
    assert bot_token.value.response["error"] == "not_allowed_token_type"


async def test_hello_envelopes_acks_and_one_connection_per_ticket(peer: SocketModePeer) -> None:
    url = peer.open_url()
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as socket:
        hello = await socket.receive_json()
        assert hello["type"] == "hello" and hello["connection_info"]["app_id"] == peer.app_id
        assert hello["num_connections"] == 1 and hello["debug_info"]["approximate_connection_time"] > 0
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(url)  # the ticket was used
        envelope = await peer.send_command({"command": "/voice", "text": "help"})
        frame = await socket.receive_json()
        assert frame == {
            "envelope_id": envelope.envelope_id,
            "type": "slash_commands",
            "payload": {"command": "/voice", "text": "help"},
            "accepts_response_payload": True,
        }
        await socket.send_str(json.dumps({"envelope_id": envelope.envelope_id, "payload": {"text": "hi"}}))
        ack = await peer.wait_for_ack(envelope)
        assert ack.payload == {"text": "hi"} and envelope.response == {"text": "hi"}
        ignored = await peer.send("events_api", {"event": {}}, accepts_response_payload=False)
        await socket.receive_json()
        await socket.send_str(json.dumps({"envelope_id": ignored.envelope_id, "payload": {"text": "x"}}))
        assert (await peer.wait_for_ack(ignored)).ignored_payload and ignored.response is None
        await socket.send_str(json.dumps({"envelope_id": "unknown"}))
        await peer.wait_until(lambda: bool(peer.stray_frames), "the stray frame")


async def test_unacked_envelopes_come_again_after_a_drop_with_retry_attempt(peer: SocketModePeer) -> None:
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(peer.open_url())
        await first.receive_json()  # hello
        envelope = await peer.send_command({"text": "connectors"})
        await first.receive_json()
        [dropped] = await peer.drop()
        assert dropped.closed_by == "drop"
        queued = await peer.send_command({"text": "groups"})  # no connection: it waits
        async with http.ws_connect(peer.open_url()) as second:
            frames = [await second.receive_json() for _ in range(3)]
        await first.close()
    assert frames[0]["type"] == "hello"
    retried = next(frame for frame in frames if frame.get("envelope_id") == envelope.envelope_id)
    assert (retried["retry_attempt"], retried["retry_reason"]) == (1, "connection_lost")
    waited = next(frame for frame in frames if frame.get("envelope_id") == queued.envelope_id)
    assert "retry_attempt" not in waited


async def test_disconnect_uses_slacks_reasons(peer: SocketModePeer) -> None:
    async with aiohttp.ClientSession() as http, http.ws_connect(peer.open_url()) as socket:
        await socket.receive_json()
        await peer.disconnect("refresh_requested")
        frame = await socket.receive_json()
        assert frame["type"] == "disconnect" and frame["reason"] == "refresh_requested"
        with pytest.raises(ValueError, match="no disconnect reason"):
            await peer.disconnect("too_tired")
