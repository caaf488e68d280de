"""`/voice history` answers "who changed what during the incident": one change in full, filters done
in the store's query (SQLite and PostgreSQL), commands shown whole, people by their Slack names."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql

from bot import history
from bot.sandbox import FAILOVER_GROUP_ID, RunningSandbox
from bot.slack.actions import APPLY_ACTION
from bot.store import Status, Store, now
from tests.helpers.bot_harness import BotHarness, HarnessFactory
from tests.helpers.console_process import run_console
from tests.helpers.messages import button_value, preview_of, text_of
from tests.helpers.sandbox_fixtures import voice_client

ROUTE = "origination set pstn-primary --route 10.0.0.{host}/udp,priority=1,weight=1"
LONG_REASON = "carrier ticket 5531 says their Seattle SBC drops INVITEs over UDP, so fail over to TCP now"


async def _applied(bot: BotHarness, text: str, *, user: str = "U0ALICE", approver: str | None = None) -> str:
    """Run a change through its preview and Apply (by `approver` when it needs one); its change ID."""
    preview = await preview_of(bot, await bot.command(text, user=user))
    change_id = button_value(preview, APPLY_ACTION)
    [applied] = await (await bot.click(APPLY_ACTION, change_id, preview, user=approver or user)).wait()
    assert "Applied" in text_of(applied), text_of(applied)
    return change_id


async def _listing(bot: BotHarness, text: str, **fields: Any) -> str:
    [message] = await (await bot.command(text, **fields)).wait()
    return text_of(message)


async def test_one_change_in_full_says_who_why_when_and_what_aws_answered(bot: BotHarness) -> None:
    bot.standin.users["U0ALICE"] = {"profile": {"display_name": "alice <!channel>"}}
    bot.standin.users["U0BOB"] = {"profile": {"display_name": "Bob on call"}}
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=["+12065550150"]
        )
    change_id = await _applied(
        bot,
        "numbers disassociate pstn-failover +12065550150 --reason 'carrier outage' --incident INC-42",
        approver="U0BOB",
    )

    [message] = await (await bot.command(f"history {change_id}")).wait()
    shown = text_of(message)
    assert f"Change {change_id}: APPLIED" in shown
    assert "numbers disassociate pstn-failover +12065550150" in shown  # the command
    assert "+12065550150" in shown and "DisassociatePhoneNumbersFromVoiceConnectorGroup" in shown
    assert "carrier outage" in shown and "INC-42" in shown and "C0OPS" in shown
    assert "Bob on call" in shown and "alice &lt;!channel&gt;" in shown  # names, escaped
    assert "U0ALICE" not in shown and "U0BOB" not in shown
    for timing in ("Requested", "Approved", "Settled (applied)"):
        assert timing in shown
    assert "Requests and AWS" in shown and "us-east-1  OK" in shown
    # Each person was asked about once, however many times they appear or history is read.
    await (await bot.command(f"history {change_id}")).wait()
    await (await bot.command("history")).wait()
    assert sorted(call.args["user"] for call in bot.standin.calls("users.info")) == ["U0ALICE", "U0BOB"]


async def test_a_change_from_another_channel_needs_history_read_all(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command(ROUTE.format(host=8), channel="C0SECRET"))
    change_id = button_value(preview, APPLY_ACTION)

    [refused] = await (await bot.command(f"history {change_id}", user="U0DAVE", channel="C0OPS")).wait()
    assert "history.read.all" in text_of(refused) and "10.0.0.8" not in text_of(refused)
    denied = [r for r in await bot.runtime.store.history(limit=100) if r.status == Status.DENIED]
    assert [(r.requested_by, r.command_text) for r in denied] == [("U0DAVE", f"history {change_id}")]

    [own_channel] = await (
        await bot.command(f"history {change_id}", user="U0DAVE", channel="C0SECRET")
    ).wait()
    assert "10.0.0.8" in text_of(own_channel)
    [auditor] = await (await bot.command(f"history {change_id}", user="U0ALICE", channel="C0OPS")).wait()
    assert "10.0.0.8" in text_of(auditor) and "C0SECRET" in text_of(auditor)


async def test_a_long_command_is_listed_whole(bot: BotHarness) -> None:
    text = f"{ROUTE.format(host=7)} --route 10.0.0.6/tcp,priority=2,weight=1 --reason '{LONG_REASON}'"
    await _applied(bot, text)
    assert len(text) > 200
    assert f"`{text}`" in await _listing(bot, "history")


async def test_hostile_text_at_its_longest_stays_within_block_kit_and_pings_nobody(bot: BotHarness) -> None:
    """Escaping grows `&` fivefold: a 500-character reason of them still fits, whole, in every view
    (the harness checks every message against Block Kit and for mentions when the test ends)."""
    reason = ("<!channel>&" * 50)[:500]
    change_id = await _applied(bot, f"{ROUTE.format(host=9)} --reason '{reason}'")
    escaped = reason.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for asked in (f"history {change_id}", "history --limit 100"):
        [message] = await (await bot.command(asked)).wait()
        assert escaped in text_of(message).replace("`\n`", "")  # the pieces of code, one after another
    assert all(call.status == 200 for call in bot.standin.calls("response_url"))


async def test_a_create_is_found_by_the_resource_it_created(bot: BotHarness) -> None:
    change_id = await _applied(bot, "connector create brand-new-trunk --region us-west-2")
    listing = await _listing(bot, "history brand-new-trunk")
    assert change_id in listing and "connector create brand-new-trunk" in listing
    [record] = await bot.runtime.store.history("brand-new-trunk")
    assert await bot.runtime.store.history(record.target_id) != []


async def test_filters_are_done_in_the_query_on_sqlite(bot: BotHarness) -> None:
    await _filters_find_their_changes(bot)


async def test_filters_are_done_in_the_query_on_postgresql(
    bot_factory: HarnessFactory, postgres_url: str
) -> None:
    await _filters_find_their_changes(await bot_factory(database_url=postgres_url))


async def _filters_find_their_changes(bot: BotHarness) -> None:
    bot.standin.users["U0BOB"] = {"profile": {"display_name": "Bob on call"}}
    by_incident = await _applied(bot, f"{ROUTE.format(host=1)} --incident INC-7")
    old = await _applied(bot, ROUTE.format(host=2))
    await bot.runtime.store.update(old, created_at=now() - timedelta(hours=5))
    on_number = await _applied(bot, "numbers associate pstn-failover +1 (206) 555-0161")
    by_bob = await _applied(bot, ROUTE.format(host=3), user="U0BOB")
    newest = await _applied(bot, ROUTE.format(host=4))
    everything = {by_incident, old, on_number, by_bob, newest}

    def listed(listing: str) -> set[str]:
        return {change_id for change_id in everything if change_id in listing}

    # --limit 1 still finds the one match under four newer changes: the filter is in the query.
    assert listed(await _listing(bot, "history --incident INC-7 --limit 1")) == {by_incident}
    assert listed(await _listing(bot, "history --number +12065550161 --limit 1")) == {on_number}
    assert listed(await _listing(bot, "history --number 206-555-0199")) == set()
    bob = await _listing(bot, "history --user <@U0BOB|bob> --limit 1")
    assert listed(bob) == {by_bob} and "by Bob on call" in bob
    assert listed(await _listing(bot, "history --user U0BOB")) == {by_bob}
    assert listed(await _listing(bot, "history --since 2h")) == everything - {old}
    assert listed(await _listing(bot, "history --since 1d --limit 100")) == everything
    assert listed(await _listing(bot, "history pstn-primary --since 30m --user U0ALICE")) == {
        by_incident,
        newest,
    }


async def test_a_person_named_as_text_is_refused_with_what_to_type(bot: BotHarness) -> None:
    posted = await bot.command("history --user @alice")
    assert posted.ack is not None and "member ID" in str(posted.ack)


async def test_console_shows_ids_and_keeps_within_80_columns(sandbox: RunningSandbox, tmp_path: Path) -> None:
    change = f"/voice {ROUTE.format(host=5)} --incident INC-9 --reason '{LONG_REASON}'"
    code, output = await run_console(change, "/voice history --incident INC-9", cwd=tmp_path)
    assert code == 0, output
    listing = output.split("History in incident INC-9")[1]
    assert all(len(line) <= 80 for line in listing.splitlines()), listing
    assert "console" in listing and "Seattle SBC drops INVITEs over UDP, so fail over to TCP now" in " ".join(
        listing.split()
    )
    change_id = listing.split("`")[1]
    code, output = await run_console(f"/voice history {change_id}", cwd=tmp_path)
    assert code == 0, output
    assert f"Change {change_id}: APPLIED" in output and "Requested by  console" in output
    assert "PutVoiceConnectorOrigination  us-east-1  OK" in output


async def test_a_store_made_before_settling_times_were_kept_gains_them(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/schema3.db"
    store = Store(url)
    await store.migrate()
    async with store.engine.begin() as connection:
        for column in ("claimed_at", "settled_at"):
            await connection.execute(sql(f"ALTER TABLE switchboard_changes DROP COLUMN {column}"))
    await store.close()
    store = Store(url)
    await store.migrate()
    try:
        record = await store.add(
            status=Status.PLANNED, requested_by="U0ALICE", surface="slack", command_text="x"
        )
        await store.claim(record.id, applied_by="U0ALICE", claimed_by="test")
        assert await store.transition(record.id, Status.APPLYING, Status.APPLIED)
        settled = await store.get(record.id)
        assert settled is not None and settled.claimed_at is not None and settled.settled_at is not None
        assert settled.created_at <= settled.claimed_at <= settled.settled_at
    finally:
        await store.close()


async def test_a_renamed_connector_s_history_is_found_by_its_new_name_and_its_old(bot: BotHarness) -> None:
    before = await _applied(bot, ROUTE.format(host=11))
    renamed = await _applied(bot, "connector rename pstn-primary pstn-main")  # recorded as pstn-primary
    for name in ("pstn-main", "pstn-primary"):
        listing = await _listing(bot, f"history {name}")
        assert before in listing and renamed in listing, (name, listing)


async def test_a_connector_s_history_includes_numbers_moved_off_it_with_force(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4", E164PhoneNumbers=["+12065550162", "+12065550163"]
        )
    moved = await _applied(bot, "numbers associate pstn-failover +12065550162 --force", approver="U0BOB")
    preview = await preview_of(bot, await bot.command("numbers associate pstn-failover +12065550163"))
    refused = button_value(preview, APPLY_ACTION)  # without --force AWS refuses it: nothing left pstn-primary
    await (await bot.click(APPLY_ACTION, refused, preview)).wait()

    listing = await _listing(bot, "history pstn-primary")
    assert moved in listing and "numbers associate pstn-failover +12065550162 --force" in listing
    assert refused not in listing
    assert moved in await _listing(bot, "history abcdef1ghij2klmno3pqr4 --number +12065550162")
    assert moved not in await _listing(bot, "history pstn-primary --number +12065550163")


async def test_history_of_a_name_answers_from_the_audit_log_when_aws_does_not(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During an outage history is what people read: it answers without AWS, saying what may be missing."""
    monkeypatch.setattr(history, "LOOKUP_SECONDS", 0.5)
    before = await _applied(bot, ROUTE.format(host=13))
    renamed = await _applied(bot, "connector rename pstn-primary pstn-main")
    bot.sandbox.faults.configure({"down_regions": ["us-east-1", "us-west-2"]})
    listing = await _listing(bot, "history pstn-main")
    assert before not in listing and renamed not in listing
    assert "AWS did not say in time what pstn-main names now" in listing and "its ID finds them" in listing
    listing = await _listing(bot, "history abcdef1ghij2klmno3pqr4")
    assert before in listing and renamed in listing and "did not say" not in listing

    bot.sandbox.faults.configure({"down_regions": []})
    after = await _applied(bot, "origination set pstn-main --route 10.0.0.14/udp,priority=1,weight=1")
    bot.sandbox.faults.configure({"down_regions": ["us-east-1", "us-west-2"]})
    listing = await _listing(bot, "history pstn-main")  # a change recorded under the new name has its ID
    assert all(change_id in listing for change_id in (before, renamed, after)), listing
