"""A SIP credential's password: made when the change is applied, shown once to the requester alone,
and found nowhere else: not in the preview, the audit store, the logs, the announcement or the
sandbox's request log. The password shown is the one AWS got (the sandbox keeps its hash)."""

import io
import logging
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logs
from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.sandbox.handlers.termination import password_digest
from bot.slack.actions import APPLY_ACTION
from tests.helpers.bot_harness import NOTIFY_CHANNEL, BotHarness, HarnessFactory
from tests.helpers.console_process import run_console
from tests.helpers.messages import button_value, preview_of, text_of
from tests.helpers.sandbox_fixtures import recorded_requests

APPROVAL = """\
roles: {admin: ["*"]}
grants: [{role: admin, users: [U0ALICE, U0BOB]}]
rules: {approval_required: ["termination.credentials"]}
"""
SHOWN = re.compile(r"Password: `([A-Za-z0-9]{32})`")


@pytest.fixture
def debug_logs() -> Iterator[io.StringIO]:
    """The process's logs as `serve` writes them (JSON, redacted), at DEBUG: botocore's own lines too."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    captured = io.StringIO()
    logs.configure("DEBUG", stream=captured)
    yield captured
    root.handlers[:], root.level = handlers, level


def store_rows(database: Path) -> str:
    """Every row of every table of the audit store, as text."""
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            str(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"')
        )


def held_by_aws(sandbox: RunningSandbox, username: str, password: str) -> bool:
    snapshot = sandbox.state.snapshot()
    [primary] = [c for c in snapshot.voice_connectors if c.id == PRIMARY_CONNECTOR_ID]
    [credential] = [c for c in primary.credentials if c.username == username]
    return credential.password_sha256 == password_digest(credential.salt, password)


async def test_slack_shows_the_password_to_the_requester_alone_and_nowhere_else(
    bot_factory: HarnessFactory, tmp_path: Path, debug_logs: io.StringIO
) -> None:
    bot = await bot_factory(APPROVAL)
    preview = await preview_of(
        bot, await bot.command("termination credentials add pstn-primary sbc-east", user="U0BOB")
    )
    assert "Needs approval" in text_of(preview) and "shown once, privately" in text_of(preview)

    approved = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview, user="U0ALICE")
    [result] = await approved.wait()
    await bot.standin.wait_until(
        lambda: bool(bot.standin.calls("chat.postEphemeral")), "the password, shown privately"
    )
    await bot.standin.wait_until(lambda: bool(bot.standin.calls("chat.postMessage")), "the announcement")

    [shown] = bot.standin.calls("chat.postEphemeral")
    assert (shown.args["user"], shown.args["channel"]) == ("U0BOB", "C0OPS"), (
        "the requester, not the approver"
    )
    password = SHOWN.findall(str(shown.args["text"]))[0]
    assert held_by_aws(bot.sandbox, "sbc-east", password)
    assert "Applied" in text_of(result)
    [announcement] = [c for c in bot.standin.calls("chat.postMessage") if c.args["channel"] == NOTIFY_CHANNEL]
    assert "sbc-east" in str(announcement.args)
    elsewhere = {
        "preview": str(preview),
        "channel result": str(result),
        "announcement": str(announcement.args),
        "other Slack calls": str([c.args for c in bot.standin.calls() if c is not shown]),
        "audit store": store_rows(tmp_path / "switchboard.db"),
        "logs": debug_logs.getvalue(),
        "sandbox request log": str(recorded_requests(bot.sandbox)),
    }
    assert [where for where, text in elsewhere.items() if password in text] == []
    assert "Password" in debug_logs.getvalue(), "botocore's debug line with the request was logged, masked"


async def test_console_prints_the_password_once_after_apply(sandbox: RunningSandbox, tmp_path: Path) -> None:
    code, output = await run_console("/voice termination credentials add pstn-primary sbc-east", cwd=tmp_path)

    assert code == 0, output
    preview, applied = output.split("Applied:", 1)
    [password] = SHOWN.findall(applied)
    assert output.count(password) == 1 and password not in preview
    assert "SIP password of sbc-east on connector pstn-primary (abcdef1ghij2klmno3pqr4, us-east-1)" in applied
    assert held_by_aws(sandbox, "sbc-east", password)
    assert password not in store_rows(tmp_path / ".switchboard" / "switchboard.db")


async def test_a_new_password_for_an_existing_user_warns_and_cannot_be_undone(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    add = "/voice termination credentials add pstn-primary sbc-east"
    await run_console(add, cwd=tmp_path)

    code, output = await run_console(add, cwd=tmp_path)
    [change_id] = re.findall(r"Change\s+(\w{8})", output)[-1:]
    _, undo = await run_console(f"/voice undo {change_id}", cwd=tmp_path)

    assert code == 0 and "its current password stops working" in output, output
    assert "old one cannot be restored" in undo, undo


async def test_a_user_name_that_looks_like_slack_markup_pings_nobody_in_the_private_message(
    bot: BotHarness,
) -> None:
    preview = await preview_of(bot, await bot.command("termination credentials add pstn-primary <!here>"))
    await (await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)).wait()
    await bot.standin.wait_until(
        lambda: bool(bot.standin.calls("chat.postEphemeral")), "the password, shown privately"
    )
    [shown] = bot.standin.calls("chat.postEphemeral")
    assert "&lt;!here&gt;" in shown.args["text"] and "<!here>" not in shown.args["text"]
