"""Pytest plugin: the real bot (aiohttp server, Bolt app, workflow, store) on loopback, wired to the
sandbox for AWS and to the Slack stand-in for the Web API and response_url posts.

Tests talk to it the way Slack does, over either of Slack's transports:

- ``http``: signed slash-command and button-click requests POSTed to the events endpoint;
- ``socket``: the same requests as Socket Mode envelopes from a SocketModePeer, over the WebSocket the
  bot opened with its app-level token (found through the stand-in's apps.connections.open), the bot
  built as ``serve --socket-mode`` builds it.

``bot.command``, ``bot.click``, ``bot.submit`` (a modal's submission), ``bot.event`` (an Events API event)
and ``bot.deliver`` go over the harness's transport and return once the
bot acknowledged (the HTTP response, or the ack envelope). The ``transport`` fixture is ``http``; a
module or test marked ``both_transports`` runs once per transport, except tests marked ``http_only``
(signatures and other things Socket Mode does not have).
"""

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from aiohttp import web

from bot.runtime import Runtime, open_runtime
from bot.sandbox import RunningSandbox
from bot.settings import AwsSettings, CoreSettings
from bot.slack.app import build_app, slack_surfaces, web_client
from bot.slack.delivery import Delivery
from bot.slack.server import EVENTS_PATH, build_server
from bot.slack.socket_mode import socket_mode_handler
from tests.helpers.blockkit import block_kit_problems, unescaped_mentions, view_problems
from tests.helpers.polling import GUARD_SECONDS
from tests.helpers.slack_signing import (
    block_actions_body,
    event_body,
    signed_headers,
    slash_command_body,
    view_submission_body,
)
from tests.helpers.slack_standin import SlackStandIn
from tests.helpers.socket_mode_peer import EVENTS_API, INTERACTIVE, SLASH_COMMANDS, Envelope, SocketModePeer

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
APP_TOKEN = "xapp-1-A0SWITCH-1234567890-0123456789abcdef"
NOTIFY_CHANNEL = "C0NOTIFY"
HTTP, SOCKET = "http", "socket"
TRANSPORTS = (HTTP, SOCKET)

POLICY = """\
roles:
  reader: ["*.read", "help"]
  oncall: ["*.read", "help", "undo", "origination.*", "numbers.*", "proxy.*"]
  admin: ["*"]
grants:
  - role: reader
    everyone: true
  - role: oncall
    usergroups: [S0ONCALL]
    channels: [C0OPS]
  - role: admin
    users: [U0ALICE, U0BOB]
rules:
  approval_required: ["connector.delete", "group.delete", "numbers.disassociate"]
  reason_required: ["connector.delete"]
  preview_minutes: 15
"""

_names = itertools.count()


async def send_signed(
    http: aiohttp.ClientSession,
    base_url: str,
    body: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    extra_headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """POST a body to a bot's events endpoint, signed as Slack signs it; returns (status, JSON or text)."""
    headers = signed_headers(body, secret, timestamp) | (extra_headers or {})
    async with http.post(base_url + EVENTS_PATH, data=body.encode(), headers=headers) as response:
        text = await response.text()
        try:
            payload = await response.json(content_type=None) if text else None
        except ValueError:
            payload = text
        return response.status, payload


def socket_mode_payload(body: str) -> tuple[str, dict[str, Any]]:
    """A form body as Slack would send it over Socket Mode: (envelope type, payload).

    Slack sends the same payload either way: a click's ``payload=`` JSON, a command's fields as an object.
    """
    fields = parse_qs(body, keep_blank_values=True)
    if "payload" in fields:
        return INTERACTIVE, json.loads(fields["payload"][0])
    return SLASH_COMMANDS, {name: values[0] for name, values in fields.items()}


@dataclass
class Posted:
    """What the bot sent back for one request: the ack body and the response_url posts."""

    status: int
    ack: dict[str, Any] | None
    response_name: str
    standin: SlackStandIn
    envelope: Envelope | None = None  # over Socket Mode: the envelope, its deliveries and acks

    def posts(self) -> list[dict[str, Any]]:
        return self.standin.response_posts(self.response_name)

    async def wait(self, count: int = 1) -> list[dict[str, Any]]:
        """Wait until `count` messages came back through this request's response_url (after the ack)."""
        await self.standin.wait_until(
            lambda: len(self.posts()) >= count, f"{count} post(s) to response_url {self.response_name}"
        )
        return self.posts()


@dataclass
class BotHarness:
    url: str  # the bot's HTTP server: the events endpoint (HTTP transport only) and health endpoints
    standin: SlackStandIn
    sandbox: RunningSandbox
    runtime: Runtime
    http: aiohttp.ClientSession
    peer: SocketModePeer | None = None  # set for the Socket Mode transport
    _envelopes: dict[str, Envelope] = field(default_factory=dict)

    @property
    def transport(self) -> str:
        return HTTP if self.peer is None else SOCKET

    async def deliver(self, body: str, *, retry: int = 0) -> tuple[int, Any]:
        """Send a request body the way Slack does over this transport; (status, ack body) once acked.

        ``retry`` > 0 sends it as Slack's retry: over HTTP with X-Slack-Retry-Num, over Socket Mode as a
        redelivery of the envelope that carried the same body (with ``retry_attempt``). Without
        ``retry``, the same body sent twice is a replay (HTTP) or a duplicate envelope (Socket Mode).
        """
        if self.peer is None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            return await self.signed_post(body, extra_headers=headers if retry else None)
        envelope = await self.send_envelope(body, retry=retry)
        return 200, envelope.response

    async def send_envelope(self, body: str, *, retry: int = 0) -> Envelope:
        """Socket Mode only: send `body` in an envelope (or redeliver its envelope); wait for the ack."""
        assert self.peer is not None, "send_envelope needs the Socket Mode transport"
        previous = self._envelopes.get(body)
        if retry and previous is not None:
            acks = len(previous.acks)
            await self.peer.redeliver(previous)
            await self.peer.wait_until(lambda: len(previous.acks) > acks, "the redelivery's ack")
            return previous
        kind, payload = socket_mode_payload(body)
        envelope = await self.peer.send(kind, payload, accepts_response_payload=True)
        self._envelopes.setdefault(body, envelope)
        await self.peer.wait_for_ack(envelope)
        return envelope

    async def signed_post(
        self,
        body: str,
        *,
        secret: str = SIGNING_SECRET,
        timestamp: int | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        return await send_signed(
            self.http, self.url, body, secret=secret, timestamp=timestamp, extra_headers=extra_headers
        )

    def command_body(self, text: str, name: str, *, user: str, channel: str, **fields: Any) -> str:
        """A slash command body whose response_url is the stand-in's `name` (fields: team_id, …)."""
        return slash_command_body(
            text,
            user_id=user,
            channel_id=channel,
            response_url=self.standin.response_url(name, channel),
            **fields,
        )

    async def command(
        self, text: str, *, user: str = "U0ALICE", channel: str = "C0OPS", **fields: Any
    ) -> Posted:
        """Send `/voice text`; `fields` override the body's other fields (team_id, channel_name, …)."""
        name = f"cmd{next(_names)}"
        return await self._posted(self.command_body(text, name, user=user, channel=channel, **fields), name)

    async def _posted(self, body: str, name: str) -> Posted:
        status, ack = await self.deliver(body)
        envelope = self._envelopes.get(body)
        return Posted(status, ack if isinstance(ack, dict) else None, name, self.standin, envelope)

    async def click(
        self,
        action_id: str,
        change_id: str,
        message: dict[str, Any] | None,
        *,
        user: str = "U0ALICE",
        channel: str = "C0OPS",
        team: str | None = None,
    ) -> Posted:
        """Click a button on `message` (None: on an ephemeral message, of which Slack sends no copy)."""
        name = f"click{next(_names)}"
        body = block_actions_body(
            action_id,
            change_id,
            user_id=user,
            channel_id=channel,
            response_url=self.standin.response_url(name, channel),
            message=message,
            **({"team_id": team} if team else {}),
        )
        return await self._posted(body, name)

    async def submit(
        self, view_id: str, answers: dict[str, Any], *, user: str = "U0ALICE"
    ) -> tuple[int, dict[str, Any] | None]:
        """Submit the modal the stand-in holds as `view_id`, `answers` typed over its initial values;
        (status, the ack's response_action body or None) once acknowledged."""
        body = view_submission_body(self.standin.view(view_id), answers, user_id=user)
        status, ack = await self.deliver(body)
        return status, ack if isinstance(ack, dict) and ack else None

    async def event(self, event: dict[str, Any]) -> int:
        """Deliver an Events API event as Slack does: signed JSON over HTTP, an events_api envelope over
        Socket Mode; returns once acknowledged (the HTTP status; 200 for an ack envelope)."""
        body = event_body(event)
        if self.peer is None:
            status, _ = await self.signed_post(body, extra_headers={"Content-Type": "application/json"})
            return status
        envelope = await self.peer.send(EVENTS_API, json.loads(body), accepts_response_payload=False)
        await self.peer.wait_for_ack(envelope)
        return 200

    def assert_every_message_valid(self) -> None:
        """Every message and view the bot attempted validates against Block Kit and pings nobody."""
        for message in self.standin.messages():
            assert block_kit_problems(message) == [], message
            assert unescaped_mentions(message) == [], message
        for view in self.standin.views():
            assert view_problems(view) == [], view
            assert unescaped_mentions(view) == [], view


HarnessFactory = Callable[..., Awaitable[BotHarness]]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `both_transports` (and not `http_only`) run once over HTTP, once over Socket Mode."""
    definition = metafunc.definition
    if (
        "transport" in metafunc.fixturenames
        and definition.get_closest_marker("both_transports") is not None
        and definition.get_closest_marker("http_only") is None
    ):
        metafunc.parametrize("transport", TRANSPORTS)


@pytest.fixture
def transport() -> str:
    """How Slack reaches the bot: `http` unless the test runs over both (see pytest_generate_tests)."""
    return HTTP


@pytest.fixture
async def bot_factory(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transport: str
) -> AsyncIterator[HarnessFactory]:
    """Start the bot (optionally with another policy); stopped at the end of the test."""
    stack: list[Callable[[], Awaitable[None]]] = []

    async def start(
        policy: str | None = POLICY,
        *,
        database_url: str | None = None,
        aws: RunningSandbox | None = None,
        ping_interval: float | None = None,
    ) -> BotHarness:
        """`aws` is another sandbox (from sandbox_factory) to use instead of the default one;
        `ping_interval` (Socket Mode) how often the bot checks its connection (slack_bolt's default)."""
        policy_file = None
        if policy is not None:
            policy_file = tmp_path / f"policy-{len(stack)}.yaml"
            policy_file.write_text(policy)
        standin = SlackStandIn()
        await standin.start()
        standin.usergroups = {"S0ONCALL": ["U0CAROL"]}
        core = CoreSettings(
            database_url=database_url or f"sqlite+aiosqlite:///{tmp_path}/switchboard.db",
            policy_file=policy_file,
        )
        delivery = Delivery(web_client("xoxb-test-token", standin.api_url), NOTIFY_CHANNEL)
        surfaces = partial(slack_surfaces, delivery)
        runtime_context = open_runtime(
            aws=AwsSettings(), core=core, sandbox_fallback=False, surfaces=surfaces
        )
        runtime = await runtime_context.__aenter__()
        socket_mode = transport == SOCKET
        # As `serve` builds it: over Socket Mode no signing secret is needed, and none is given.
        app = build_app(runtime.workflow, delivery, signing_secret=None if socket_mode else SIGNING_SECRET)
        runner = web.AppRunner(build_server(app, runtime, slack_events=not socket_mode))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        http = aiohttp.ClientSession()
        peer = handler = None
        if socket_mode:
            peer = SocketModePeer()
            await peer.start()
            standin.socket_mode_urls = peer.open_url
            options = {} if ping_interval is None else {"ping_interval": ping_interval}
            handler = socket_mode_handler(app, APP_TOKEN, **options)
            await handler.connect_async()  # type: ignore[no-untyped-call]
            await peer.wait_for_connection()

        async def stop() -> None:
            if handler is not None:
                await handler.close_async()  # type: ignore[no-untyped-call]
            if peer is not None:
                await peer.close()
            await http.close()
            await runner.cleanup()
            await _listeners_finished()
            await runtime_context.__aexit__(None, None, None)
            await standin.close()

        stack.append(stop)
        harness = BotHarness(f"http://127.0.0.1:{port}", standin, aws or sandbox, runtime, http, peer)
        started.append(harness)
        return harness

    started: list[BotHarness] = []
    yield start
    for stop in reversed(stack):
        await stop()
    # Whatever a test checked, every message any bot attempted must fit Block Kit and ping nobody.
    for harness in started:
        harness.assert_every_message_valid()
        # Over Socket Mode, every frame the bot sent was a well-formed ack of an envelope it was sent.
        assert harness.peer is None or harness.peer.stray_frames == []


async def _listeners_finished() -> None:
    """Bolt finishes each listener in a task of its own after the ack. A test may stop before a
    listener has (it checked what it needed): wait for them, so none uses the store once closed."""
    running = [
        task
        for task in asyncio.all_tasks()
        if "run_ack_function_asynchronously" in getattr(task.get_coro(), "__qualname__", "")
    ]
    if running:
        await asyncio.wait(running, timeout=GUARD_SECONDS)


@pytest.fixture
async def bot(bot_factory: HarnessFactory) -> BotHarness:
    return await bot_factory()
