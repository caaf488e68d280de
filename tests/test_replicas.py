"""Several bot processes, one PostgreSQL: a change is applied once; a killed bot's change is reconciled."""

import asyncio
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

from bot.render.outcome_views import answer_view
from bot.sandbox import RunningSandbox, ScriptedFault
from bot.slack.actions import APPLY_ACTION
from bot.store import Status, Store
from tests.helpers.bot_harness import NOTIFY_CHANNEL, POLICY, BotHarness, send_signed
from tests.helpers.bot_process import bot_process
from tests.helpers.messages import button_value, text_of
from tests.helpers.polling import eventually
from tests.helpers.replicas import ORIGINATION, click_body, propose, puts
from tests.helpers.sandbox_fixtures import voice_client
from tests.helpers.slack_standin import SlackStandIn


async def origination_set(sandbox: RunningSandbox) -> bool:
    async with voice_client(sandbox) as voice:
        try:
            await voice.get_voice_connector_origination(VoiceConnectorId="abcdef1ghij2klmno3pqr4")
        except voice.exceptions.NotFoundException:
            return False
        return True


def _async(check: Callable[[], bool]) -> Callable[[], Awaitable[bool]]:
    async def run() -> bool:
        return check()

    return run


async def test_two_replicas_given_the_same_click_apply_it_once(
    sandbox: RunningSandbox, postgres_url: str, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)

    def shared(standin: SlackStandIn) -> dict[str, Any]:
        """What both replicas share: working directory, database, policy and Slack."""
        return {
            "workdir": tmp_path,
            "database_url": postgres_url,
            "policy_file": policy,
            "slack_api_url": standin.api_url,
        }

    async with (
        SlackStandIn() as standin,
        aiohttp.ClientSession() as http,
        bot_process(**shared(standin), name="a") as first,
        bot_process(**shared(standin), name="b") as second,
    ):
        preview = await propose(http, first.url, standin, "cmd")
        # A double click: two clicks (each with its own action_ts), one reaching each replica.
        click = click_body(standin, preview, "click")
        again = click_body(standin, preview, "click")
        while again == click:  # the same microsecond would make it the same click
            again = click_body(standin, preview, "click")
        statuses = await asyncio.gather(
            send_signed(http, first.url, click), send_signed(http, second.url, again)
        )
        assert [status for status, _ in statuses] == [200, 200]
        await standin.wait_until(lambda: len(standin.response_posts("click")) == 2, "both replicas' answers")
        answers = sorted(text_of(post) for post in standin.response_posts("click"))
        assert puts(sandbox) == 1
        assert sum("Applied" in answer for answer in answers) == 1
        assert sum("already" in answer for answer in answers) == 1
        # The very same click again, at both replicas (a retry or replay): recognised before the ack.
        replayed = await asyncio.gather(
            send_signed(http, first.url, click), send_signed(http, second.url, click)
        )
        assert [status for status, _ in replayed] == [200, 200]
        assert len(standin.response_posts("click")) == 2 and puts(sandbox) == 1


async def test_a_bot_killed_while_applying_reconciles_and_announces_after_restart(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    database = f"sqlite+aiosqlite:///{tmp_path}/switchboard.db"
    sandbox.faults.push(ScriptedFault(operation="PutVoiceConnectorOrigination", fault="hang", seconds=60))
    async with SlackStandIn() as standin, aiohttp.ClientSession() as http:
        async with bot_process(
            workdir=tmp_path,
            database_url=database,
            policy_file=policy,
            slack_api_url=standin.api_url,
            name="before",
        ) as bot:
            preview = await propose(http, bot.url, standin, "cmd")
            change_id = button_value(preview, APPLY_ACTION)
            await send_signed(http, bot.url, click_body(standin, preview, "click"))
            await eventually(_async(lambda: puts(sandbox) == 1), "the bot sends the PUT (and hangs in it)")
            bot.kill()
            await bot.wait()
        store = Store(database)
        record = await store.get(change_id)
        assert record is not None and record.status == Status.APPLYING
        sandbox.faults.release()  # AWS finishes the request the dead bot sent
        await eventually(lambda: origination_set(sandbox), "AWS finishes applying the dead bot's PUT")

        async with bot_process(
            workdir=tmp_path,
            database_url=database,
            policy_file=policy,
            slack_api_url=standin.api_url,
            name="after",
        ):
            [announcement] = await standin.wait_for("chat.postMessage")
        assert announcement.args["channel"] == NOTIFY_CHANNEL
        assert f"Reconciled change {change_id}: APPLIED" in text_of(announcement.args)
        record = await store.get(change_id)
        assert record is not None and record.status == Status.APPLIED
        assert len(await store.history()) == 1
        await store.close()
        assert puts(sandbox) == 1


async def test_an_abandoned_change_not_in_effect_is_marked_unknown_and_announced(bot: BotHarness) -> None:
    """A replica died before its request reached AWS: reading back finds nothing, so UNKNOWN, said loudly."""
    posted = await bot.command(ORIGINATION)
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    change_id = button_value(preview, APPLY_ACTION)
    dead = f"{socket.gethostname()}:{2**22 + 12345}:gone"  # a PID that is not running here
    await bot.runtime.store.claim(change_id, applied_by="U0ALICE", claimed_by=dead)

    [settled] = [answer_view(s) for s in await bot.runtime.workflow.settle_abandoned()]
    assert f"Reconciled change {change_id}: UNKNOWN" == settled.title
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == Status.UNKNOWN
    [announcement] = await bot.standin.wait_for("chat.postMessage")
    assert "not (fully) in effect" in text_of(announcement.args)
    assert puts(bot.sandbox) == 0
