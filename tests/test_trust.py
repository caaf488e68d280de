"""The policy in force decides at every step where a person acts, over signed HTTP to the real bot.

Each test proves with the sandbox's request record whether a mutating AWS call happened.
"""

import sqlite3
from pathlib import Path

import pytest

from bot.policy import Subject, load_policy
from bot.slack.actions import APPLY_ACTION
from bot.slack.drift import ACKNOWLEDGE_ACTION
from bot.store import DriftLedger, Status
from commands.audit import HISTORY_EVERYWHERE
from tests.helpers.bot_harness import POLICY, BotHarness, HarnessFactory
from tests.helpers.drift_fixtures import recorded_drift
from tests.helpers.messages import button_value, preview_of, sent, text_of
from tests.helpers.polling import eventually
from tests.helpers.sandbox_fixtures import voice_client

pytestmark = pytest.mark.both_transports

GROUP_ID = "123a456b-c7d8-90e1-fg23-4h567jkl8901"
SET_ROUTE = "origination set pstn-primary --route 10.0.0.9/udp,priority=1,weight=1"


async def test_a_member_removed_from_the_user_group_cannot_apply_an_earlier_preview(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command(SET_ROUTE, user="U0CAROL"))
    change_id = button_value(preview, APPLY_ACTION)
    bot.standin.usergroups = {"S0ONCALL": []}  # removed while the preview waits; the cache still has her

    [refusal] = await (await bot.click(APPLY_ACTION, change_id, preview, user="U0CAROL")).wait()
    assert "no longer allows" in text_of(refusal) and "origination.set" in text_of(refusal)
    assert sent(bot, "PutVoiceConnectorOrigination") == []
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == Status.CANCELLED


async def test_undo_from_another_channel_takes_what_reading_its_history_takes(bot: BotHarness) -> None:
    applied = await preview_of(bot, await bot.command(SET_ROUTE, channel="C0SECRET"))
    change_id = button_value(applied, APPLY_ACTION)
    await (await bot.click(APPLY_ACTION, change_id, applied, channel="C0SECRET")).wait()

    [refusal] = await (await bot.command(f"undo {change_id}", user="U0CAROL", channel="C0OPS")).wait()
    assert HISTORY_EVERYWHERE in text_of(refusal) and "10.0.0.9" not in text_of(refusal)
    undo = await preview_of(bot, await bot.command(f"undo {change_id}", channel="C0OPS"))  # admin: allowed
    assert "Preview: Origination clear" in text_of(undo) and change_id in text_of(undo)


async def test_a_snapshot_goes_to_the_asker_alone_unless_shared(bot: BotHarness) -> None:
    """It holds the whole voice configuration: a channel's members see it only when it is shared."""
    [answer] = await (await bot.command("snapshot", user="U0DAVE")).wait()
    assert answer["response_type"] == "ephemeral" and "direct messages" in text_of(answer)
    [shared] = await (await bot.command("snapshot --share", user="U0DAVE")).wait()
    assert shared["response_type"] == "in_channel"
    await bot.standin.wait_until(
        lambda: sum(file.completed for file in bot.standin.uploaded_files()) == 2, "both files shared"
    )
    assert [file.channel_id for file in bot.standin.uploaded_files()] == ["D0DAVE", "C0OPS"]


DRIFT_POLICY = POLICY.replace('"proxy.*"]', '"proxy.*", "drift.*"]')


async def test_a_member_removed_from_the_user_group_cannot_acknowledge_drift_on_the_cached_membership(
    bot_factory: HarnessFactory,
) -> None:
    bot = await bot_factory(DRIFT_POLICY)
    record = await recorded_drift(bot.runtime.store)
    [listed] = await (await bot.command("drift", user="U0CAROL")).wait()  # allowed: groups cached
    assert record.id in text_of(listed)
    bot.standin.usergroups = {"S0ONCALL": []}

    [typed] = await (await bot.command(f"drift ack {record.id}", user="U0CAROL")).wait()
    assert "drift.acknowledge" in text_of(typed)
    [clicked] = await (await bot.click(ACKNOWLEDGE_ACTION, record.id, None, user="U0CAROL")).wait()
    assert "drift.acknowledge" in text_of(clicked)
    stored = await DriftLedger(bot.runtime.store).drift(record.id)
    assert stored is not None and stored.acknowledged_by is None


POLICY_EDITS = {
    "bob-no-longer-admin": (
        POLICY.replace("users: [U0ALICE, U0BOB]", "users: [U0ALICE]"),
        "no longer allows",
    ),
    "reason-now-required": (
        POLICY.replace('reason_required: ["connector.delete"]', 'reason_required: ["origination.*"]'),
        "--reason TEXT",
    ),
    "approval-now-required": (
        POLICY.replace('approval_required: ["', 'approval_required: ["origination.set", "'),
        "second person's approval",
    ),
}


@pytest.mark.parametrize("edit", POLICY_EDITS)
async def test_a_policy_edited_and_reloaded_governs_previews_made_before(
    edit: str, bot_factory: HarnessFactory, tmp_path: Path
) -> None:
    """The file is edited and the bot restarted (another process on the same store) between the
    preview and the click: the policy in force at the click decides."""
    database = f"sqlite+aiosqlite:///{tmp_path}/shared.db"
    before = await bot_factory(database_url=database)
    preview = await preview_of(before, await before.command(SET_ROUTE, user="U0BOB"))
    change_id = button_value(preview, APPLY_ACTION)

    edited, says = POLICY_EDITS[edit]
    after = await bot_factory(edited, database_url=database)
    [answer] = await (await after.click(APPLY_ACTION, change_id, preview, user="U0BOB")).wait()
    assert says in text_of(answer)
    assert sent(after, "PutVoiceConnectorOrigination") == []
    record = await after.runtime.store.get(change_id)
    assert record is not None and record.status == Status.CANCELLED
    if edit == "approval-now-required":  # still allowed: a new preview asks for the approval
        assert "Needs approval" in text_of(answer) and button_value(answer, APPLY_ACTION) != change_id


async def test_the_re_preview_of_a_stale_change_is_judged_for_the_requester(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command(SET_ROUTE, user="U0CAROL"))
    change_id = button_value(preview, APPLY_ACTION)
    async with voice_client(bot.sandbox) as voice:  # someone else changes the routes meanwhile
        await voice.put_voice_connector_origination(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4",
            Origination={
                "Routes": [{"Host": "10.9.9.9", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 1}]
            },
        )
    bot.standin.usergroups = {"S0ONCALL": []}
    [refusal] = await (await bot.click(APPLY_ACTION, change_id, preview, user="U0CAROL")).wait()
    assert "no longer allows" in text_of(refusal)
    assert APPLY_ACTION not in str(refusal.get("blocks")), "a new preview was issued to someone not allowed"


FORCE_POLICY = """\
roles:
  reader: ["*.read", "help"]
  associator: ["numbers.associate", "group.delete"]
grants:
  - role: reader
    everyone: true
  - role: associator
    users: [U0ERIN]
"""


async def test_a_forced_move_needs_disassociate_for_its_source_too(bot_factory: HarnessFactory) -> None:
    bot = await bot_factory(FORCE_POLICY)
    async with voice_client(bot.sandbox) as voice:
        created = await voice.create_voice_connector_group(Name="elsewhere")
        source = created["VoiceConnectorGroup"]["VoiceConnectorGroupId"]
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=source, E164PhoneNumbers=["+12065550170"]
        )
    forced = await bot.command("numbers associate pstn-failover +12065550170 --force", user="U0ERIN")
    [refusal] = await forced.wait()
    assert "numbers.disassociate" in text_of(refusal)
    free = await preview_of(
        bot, await bot.command("numbers associate pstn-failover +12065550171", user="U0ERIN")
    )
    assert "Preview" in text_of(free)
    assert len(sent(bot, "AssociatePhoneNumbersWithVoiceConnectorGroup")) == 1  # the test's own set-up


async def test_a_forced_move_names_each_source_and_takes_disassociate_s_approval(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        created = await voice.create_voice_connector_group(Name="elsewhere")
        source = created["VoiceConnectorGroup"]["VoiceConnectorGroupId"]
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=source, E164PhoneNumbers=["+12065550172"]
        )
    preview = await preview_of(bot, await bot.command("numbers associate pstn-failover +12065550172 --force"))
    assert f"taken from: group elsewhere ({source})" in text_of(preview)
    assert "Needs approval" in text_of(preview)  # numbers.disassociate needs approval in this policy


async def test_a_group_delete_that_takes_numbers_needs_disassociate(bot_factory: HarnessFactory) -> None:
    bot = await bot_factory(FORCE_POLICY)
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=GROUP_ID, E164PhoneNumbers=["+12065550173"]
        )
    [refusal] = await (await bot.command("group delete pstn-failover", user="U0ERIN")).wait()
    assert "numbers.disassociate" in text_of(refusal)
    assert sent(bot, "UpdateVoiceConnectorGroup") == sent(bot, "DeleteVoiceConnectorGroup") == []


async def test_buttons_act_only_in_the_channel_the_change_was_requested_in(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command(SET_ROUTE))
    change_id = button_value(preview, APPLY_ACTION)
    [refusal] = await (await bot.click(APPLY_ACTION, change_id, preview, channel="C0ELSEWHERE")).wait()
    assert "another channel" in text_of(refusal)
    assert sent(bot, "PutVoiceConnectorOrigination") == []
    [applied] = await (await bot.click(APPLY_ACTION, change_id, preview)).wait()
    assert "Applied" in text_of(applied)


async def test_history_shows_this_channel_unless_allowed_to_see_all(bot: BotHarness) -> None:
    await preview_of(bot, await bot.command(SET_ROUTE, channel="C0OPS"))
    await preview_of(bot, await bot.command(SET_ROUTE.replace("10.0.0.9", "10.0.0.8"), channel="C0SECRET"))
    [here] = await (await bot.command("history", user="U0DAVE", channel="C0OPS")).wait()
    assert "10.0.0.9" in text_of(here) and "10.0.0.8" not in text_of(here)
    [denied] = await (await bot.command("history --all-channels", user="U0DAVE", channel="C0OPS")).wait()
    assert "history.read.all" in text_of(denied)
    [everywhere] = await (await bot.command("history --all-channels", user="U0ALICE", channel="C0OPS")).wait()
    assert "10.0.0.8" in text_of(everywhere) and "C0SECRET" in text_of(everywhere)


@pytest.mark.parametrize(
    ("typed", "kept", "error"),
    [
        (
            "conector create x --token xoxb-secret-value",
            "(not a /voice command) …",
            "is not a /voice command",
        ),
        # A password where no password goes: the parse error quotes it, the record must not.
        (
            "termination credentials add pstn-primary sbc-east Sup3r-secret-value",
            "termination credentials add …",
            "`…` is not expected here",
        ),
        ("origination set pstn-primary --secret-value x", "origination set …", "Its options: `--disabled`"),
    ],
)
async def test_text_that_does_not_parse_is_kept_only_as_its_command_words(
    bot: BotHarness, typed: str, kept: str, error: str
) -> None:
    posted = await bot.command(typed)
    assert posted.ack is not None  # the typist is told at once, privately, with the words typed

    async def recorded() -> bool:
        return any(r.status == Status.INVALID for r in await bot.runtime.store.history(limit=100))

    await eventually(recorded, "the invalid attempt is in the audit log")
    [record] = [r for r in await bot.runtime.store.history(limit=100) if r.status == Status.INVALID]
    assert (record.command_text, "secret-value" in (record.error or "")) == (kept, False)
    assert error in (record.error or "")
    [detail] = await (await bot.command(f"history {record.id}", user="U0DAVE")).wait()
    assert record.id in text_of(detail) and "secret-value" not in text_of(detail)


async def test_a_create_whose_name_is_taken_is_refused(bot: BotHarness) -> None:
    [refusal] = await (await bot.command("connector create pstn-secondary --region us-east-1")).wait()
    assert "already exists" in text_of(refusal) and "bcdefg2hijk3lmnop4qrs5" in text_of(refusal)
    [group] = await (await bot.command("group create pstn-failover")).wait()
    assert "already exists" in text_of(group)
    assert sent(bot, "CreateVoiceConnector") == sent(bot, "CreateVoiceConnectorGroup") == []


async def test_undo_carries_the_reason_and_incident_the_policy_requires(bot: BotHarness) -> None:
    preview = await preview_of(bot, await bot.command("connector create lifecycle-vc"))
    change_id = button_value(preview, APPLY_ACTION)
    await (await bot.click(APPLY_ACTION, change_id, preview)).wait()
    [refusal] = await (await bot.command(f"undo {change_id}")).wait()
    assert "--reason TEXT" in text_of(refusal)  # connector.delete needs a reason in this policy
    undo = await preview_of(
        bot, await bot.command(f"undo {change_id} --reason 'made by mistake' --incident INC-7")
    )
    record = await bot.runtime.store.get(button_value(undo, APPLY_ACTION))
    assert record is not None and (record.reason, record.incident) == ("made by mistake", "INC-7")


async def test_a_usage_error_too_long_for_one_message_says_how_many_were_left_out(bot: BotHarness) -> None:
    bad = " ".join(f"+1206555{index:04d}x" for index in range(400))
    posted = await bot.command(f"numbers associate pstn-failover {bad}")
    shown = text_of(posted.ack or {})
    assert "400 problems" in shown and "390 more not shown" in shown
    assert "`+12065550009x`" in shown and "`+12065550010x`" not in shown


async def test_a_click_from_another_allowed_workspace_cannot_apply_this_workspace_s_change(
    bot_factory: HarnessFactory,
) -> None:
    bot = await bot_factory(POLICY + "teams: [T0001, T0PARTNER]\n")
    preview = await preview_of(bot, await bot.command(SET_ROUTE))
    change_id = button_value(preview, APPLY_ACTION)
    [refusal] = await (await bot.click(APPLY_ACTION, change_id, preview, team="T0PARTNER")).wait()
    assert "another Slack workspace" in text_of(refusal)
    assert sent(bot, "PutVoiceConnectorOrigination") == []
    record = await bot.runtime.store.get(change_id)
    assert record is not None and (record.status, record.team_id) == (Status.PLANNED, "T0001")


def test_history_read_all_is_a_permission_a_policy_may_name(tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        "roles:\n  auditor: [history.read.all]\ngrants:\n  - role: auditor\n    users: [U0EVE]\n"
    )
    policy = load_policy(policy_file)
    assert policy.decide(Subject("U0EVE", "C0OPS"), HISTORY_EVERYWHERE).allowed


async def test_the_ack_never_waits_on_the_audit_store(bot_factory: HarnessFactory, tmp_path: Path) -> None:
    """Slack gives 3 s: with the store's database locked by someone else, commands and clicks are
    still acknowledged (what waits for the store runs after the ack)."""
    database = tmp_path / "locked.db"
    bot = await bot_factory(database_url=f"sqlite+aiosqlite:///{database}")
    preview = await preview_of(bot, await bot.command(SET_ROUTE))
    locker = sqlite3.connect(database, timeout=0)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        command = await bot.command("connectors")
        click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
        assert (command.status, click.status) == (200, 200)
    finally:
        locker.rollback()
        locker.close()
    # Both are then answered in full once the store is free; waiting for that keeps the bot's
    # store threads from outliving the test.
    await command.wait()
    await click.wait()
