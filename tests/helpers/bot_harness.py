"""Pytest plugin: the real bot (aiohttp server, Bolt app, workflow, store) on loopback, wired to the
sandbox for AWS and to the Slack stand-in for the Web API and response_url posts.

Tests talk to it the way Slack does: signed slash-command and button-click requests over HTTP.
"""

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.runtime import Runtime, open_runtime
from bot.sandbox import RunningSandbox
from bot.settings import AwsSettings, CoreSettings
from bot.slack.app import build_app, slack_surfaces, web_client
from bot.slack.delivery import Delivery
from bot.slack.server import EVENTS_PATH, build_server
from tests.helpers.blockkit import block_kit_problems, unescaped_mentions
from tests.helpers.slack_signing import block_actions_body, signed_headers, slash_command_body
from tests.helpers.slack_standin import SlackStandIn

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NOTIFY_CHANNEL = "C0NOTIFY"

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


@dataclass
class Posted:
    """What the bot sent back for one request: the ack body and the response_url posts."""

    status: int
    ack: dict[str, Any] | None
    response_name: str
    standin: SlackStandIn

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
    url: str
    standin: SlackStandIn
    sandbox: RunningSandbox
    runtime: Runtime
    http: aiohttp.ClientSession

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
        status, ack = await self.signed_post(
            self.command_body(text, name, user=user, channel=channel, **fields)
        )
        return Posted(status, ack if isinstance(ack, dict) else None, name, self.standin)

    async def click(
        self,
        action_id: str,
        change_id: str,
        message: dict[str, Any],
        *,
        user: str = "U0ALICE",
        channel: str = "C0OPS",
        team: str | None = None,
    ) -> Posted:
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
        status, ack = await self.signed_post(body)
        return Posted(status, ack if isinstance(ack, dict) else None, name, self.standin)

    def assert_every_message_valid(self) -> None:
        """Every message the bot attempted validates against Block Kit and pings nobody."""
        for message in self.standin.messages():
            assert block_kit_problems(message) == [], message
            assert unescaped_mentions(message) == [], message


HarnessFactory = Callable[..., Awaitable[BotHarness]]


@pytest.fixture
async def bot_factory(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[HarnessFactory]:
    """Start the bot (optionally with another policy); stopped at the end of the test."""
    stack: list[Callable[[], Awaitable[None]]] = []

    async def start(
        policy: str | None = POLICY, *, database_url: str | None = None, aws: RunningSandbox | None = None
    ) -> BotHarness:
        """`aws` is another sandbox (from sandbox_factory) to use instead of the default one."""
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
        app = build_app(runtime.workflow, delivery, signing_secret=SIGNING_SECRET)
        runner = web.AppRunner(build_server(app, runtime))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        http = aiohttp.ClientSession()

        async def stop() -> None:
            await http.close()
            await runner.cleanup()
            await runtime_context.__aexit__(None, None, None)
            await standin.close()

        stack.append(stop)
        harness = BotHarness(f"http://127.0.0.1:{port}", standin, aws or sandbox, runtime, http)
        started.append(harness)
        return harness

    started: list[BotHarness] = []
    yield start
    for stop in reversed(stack):
        await stop()
    # Whatever a test checked, every message any bot attempted must fit Block Kit and ping nobody.
    for harness in started:
        harness.assert_every_message_valid()


@pytest.fixture
async def bot(bot_factory: HarnessFactory) -> BotHarness:
    return await bot_factory()
