"""Permissions, confirmation, approval, expiry, staleness, undo and history, through Slack."""

from datetime import timedelta
from pathlib import Path

import pytest

from bot.policy import PolicyError, load_policy
from bot.slack.actions import APPLY_ACTION, CANCEL_ACTION
from bot.store import now
from tests.helpers.bot_harness import BotHarness, HarnessFactory
from tests.helpers.messages import button_value, preview_of, sent, text_of
from tests.helpers.sandbox_fixtures import voice_client

pytestmark = pytest.mark.both_transports


async def test_denied_user_is_told_which_role_would_allow_it_and_nothing_runs(bot: BotHarness) -> None:
    posted = await bot.command("origination disable pstn-primary", user="U0DAVE")
    [message] = await posted.wait()
    assert message["response_type"] == "ephemeral"
    text = text_of(message)
    assert "origination.disable" in text and "oncall" in text and "admin" in text
    assert "U0ALICE" not in text and "S0ONCALL" not in text  # the roles, not who holds them
    assert sent(bot, "GetVoiceConnectorOrigination") == []
    [record] = await bot.runtime.store.history()
    assert (record.status, record.requested_by, record.permission) == (
        "DENIED",
        "U0DAVE",
        "origination.disable",
    )


async def test_usergroup_grant_applies_only_in_its_channel(bot: BotHarness) -> None:
    elsewhere = await bot.command(
        "origination set pstn-primary --route 10.0.0.9/udp,priority=1,weight=1",
        user="U0CAROL",
        channel="C0RANDOM",
    )
    [refusal] = await elsewhere.wait()
    assert "may not" in text_of(refusal) and "oncall" in text_of(refusal)
    assert "C0OPS" not in text_of(refusal) and "S0ONCALL" not in text_of(refusal)  # roles, not holders
    here = await bot.command(
        "origination set pstn-primary --route 10.0.0.9/udp,priority=1,weight=1",
        user="U0CAROL",
        channel="C0OPS",
    )
    preview = await preview_of(bot, here)
    assert "Preview" in text_of(preview)
    assert [call.args["usergroup"] for call in bot.standin.calls("usergroups.users.list")] == ["S0ONCALL"]


async def test_second_person_must_approve_and_requester_cannot(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId="123a456b-c7d8-90e1-fg23-4h567jkl8901", E164PhoneNumbers=["+12065550150"]
        )
    preview = await preview_of(bot, await bot.command("numbers disassociate pstn-failover +12065550150"))
    change_id = button_value(preview, APPLY_ACTION)
    assert "Needs approval" in text_of(preview)

    own = await bot.click(APPLY_ACTION, change_id, preview, user="U0ALICE")
    [refusal] = await own.wait()
    assert refusal["response_type"] == "ephemeral" and "second person" in text_of(refusal)
    outsider = await bot.click(APPLY_ACTION, change_id, preview, user="U0DAVE")
    [refusal] = await outsider.wait()
    assert "cannot approve" in text_of(refusal)
    assert sent(bot, "DisassociatePhoneNumbersFromVoiceConnectorGroup") == []

    approved = await bot.click(APPLY_ACTION, change_id, preview, user="U0BOB")
    [result] = await approved.wait()
    assert "Applied" in text_of(result) and "U0BOB" in text_of(result)
    record = await bot.runtime.store.get(change_id)
    assert record is not None and (record.status, record.approver) == ("APPLIED", "U0BOB")
    assert len(sent(bot, "DisassociatePhoneNumbersFromVoiceConnectorGroup")) == 1


async def test_only_the_requester_applies_a_change_without_approval(bot: BotHarness) -> None:
    preview = await preview_of(
        bot, await bot.command("origination set pstn-primary --route 10.0.0.7/udp,priority=1,weight=1")
    )
    change_id = button_value(preview, APPLY_ACTION)
    other = await bot.click(APPLY_ACTION, change_id, preview, user="U0BOB")
    [refusal] = await other.wait()
    assert "Only U0ALICE" in text_of(refusal)
    assert sent(bot, "PutVoiceConnectorOrigination") == []


async def test_expired_preview_is_refused(bot: BotHarness) -> None:
    preview = await preview_of(
        bot, await bot.command("origination set pstn-primary --route 10.0.0.7/udp,priority=1,weight=1")
    )
    change_id = button_value(preview, APPLY_ACTION)
    await bot.runtime.store.update(change_id, expires_at=now() - timedelta(seconds=1))
    late = await bot.click(APPLY_ACTION, change_id, preview)
    [message] = await late.wait()
    assert "expired" in text_of(message)
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "EXPIRED"
    assert sent(bot, "PutVoiceConnectorOrigination") == []


async def test_state_changed_since_preview_is_refused_with_the_new_diff(bot: BotHarness) -> None:
    preview = await preview_of(
        bot, await bot.command("origination set pstn-primary --route 10.0.0.7/udp,priority=1,weight=1")
    )
    change_id = button_value(preview, APPLY_ACTION)
    async with voice_client(bot.sandbox) as voice:
        await voice.put_voice_connector_origination(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4",
            Origination={
                "Routes": [{"Host": "192.0.2.1", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 1}]
            },
        )
    click = await bot.click(APPLY_ACTION, change_id, preview)
    [message] = await click.wait()
    text = text_of(message)
    assert "state changed since the preview" in text
    assert "192.0.2.1:5060/udp" in text  # the new "before" is shown
    assert len(sent(bot, "PutVoiceConnectorOrigination")) == 1  # only the test's own change
    fresh = button_value(message, APPLY_ACTION)
    assert fresh != change_id
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "CANCELLED"


async def test_policy_can_require_a_reason(bot: BotHarness) -> None:
    posted = await bot.command("connector delete pstn-secondary")
    [message] = await posted.wait()
    assert "--reason" in text_of(message)
    assert sent(bot, "DeleteVoiceConnector") == []


async def test_undo_restores_the_previous_origination_through_a_new_preview(bot: BotHarness) -> None:
    first = await preview_of(
        bot, await bot.command("origination set pstn-primary --route 10.0.0.1:5060/udp,priority=1,weight=1")
    )
    await (await bot.click(APPLY_ACTION, button_value(first, APPLY_ACTION), first)).wait()
    second = await preview_of(
        bot, await bot.command("origination set pstn-primary --route 10.0.0.2:5080/tcp,priority=2,weight=3")
    )
    change_id = button_value(second, APPLY_ACTION)
    await (await bot.click(APPLY_ACTION, change_id, second)).wait()

    undo = await preview_of(bot, await bot.command(f"undo {change_id}"))
    assert "10.0.0.1:5060/udp" in text_of(undo)
    await (await bot.click(APPLY_ACTION, button_value(undo, APPLY_ACTION), undo)).wait()
    async with voice_client(bot.sandbox) as voice:
        origination = (
            await voice.get_voice_connector_origination(VoiceConnectorId="abcdef1ghij2klmno3pqr4")
        )["Origination"]
    assert [route["Host"] for route in origination["Routes"]] == ["10.0.0.1"]

    history = await bot.command("history pstn-primary")
    [listing] = await history.wait()
    assert change_id in text_of(listing) and "APPLIED" in text_of(listing)


async def test_without_a_policy_file_reads_work_and_changes_are_refused(bot_factory: HarnessFactory) -> None:
    bot = await bot_factory(policy=None)
    read = await bot.command("connectors")
    assert "pstn-primary" in text_of((await read.wait())[0])
    change = await bot.command("origination disable pstn-primary")
    [message] = await change.wait()
    assert "POLICY_FILE" in text_of(message)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("roles: {a: ['*']}\ngrants:\n  - role: b\n    everyone: true\n", "line 3: .*role 'b'"),
        ("roles: {a: ['*']}\ngrants:\n  - role: a\n", "names no users"),
        ("roles: [unclosed\n", "line 2"),
        ("roles: {a: ['Bad Pattern']}\n", "line 1"),
    ],
)
def test_a_bad_policy_file_names_the_line_and_reason(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=says):
        load_policy(path)


async def test_undoing_a_forced_association_says_what_it_will_not_restore(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4", E164PhoneNumbers=["+12065550160"]
        )
    command = "numbers associate pstn-failover +12065550160 +12065550161 --force"
    preview = await preview_of(bot, await bot.command(command))
    change_id = button_value(preview, APPLY_ACTION)
    # Moving a number off a connector disassociates it there: numbers.disassociate's approval applies.
    assert "Needs approval" in text_of(preview)
    await (await bot.click(APPLY_ACTION, change_id, preview, user="U0BOB")).wait()

    undo = await preview_of(bot, await bot.command(f"undo {change_id}"))
    text = text_of(undo)
    assert "Disassociate 2 number(s)" in text
    assert (
        "+12065550160 (was connector pstn-primary (abcdef1ghij2klmno3pqr4))" in text
        and "numbers associate connector:abcdef1ghij2klmno3pqr4 +12065550160 --force" in text
    )
    assert undo["blocks"][-1]["type"] == "actions"  # the caveat comes before the buttons


async def _two_routes(bot: BotHarness) -> None:
    """pstn-primary's origination: sbc1 and sbc2, enabled (set straight through botocore)."""
    route = {"Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10}
    async with voice_client(bot.sandbox) as voice:
        await voice.put_voice_connector_origination(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4",
            Origination={
                "Routes": [{"Host": "sbc1.example.com", **route}, {"Host": "sbc2.example.com", **route}],
                "Disabled": False,
            },
        )


async def test_undo_names_the_later_changes_to_the_same_settings_that_it_reverts_too(bot: BotHarness) -> None:
    """A drain's undo puts back the routes it found: a route added since would be dropped with it.
    The preview names each such change (not those of other settings), whoever and wherever made it."""
    bot.standin.users["U0BOB"] = {"profile": {"display_name": "Bob on call"}}
    await _two_routes(bot)
    drain = await _applied(bot, "origination drain pstn-primary sbc1.example.com")
    added = await _applied(
        bot, "origination route add pstn-primary sbc3.example.com/udp,priority=1,weight=10", "U0BOB"
    )
    other_setting = await _applied(bot, "logging set pstn-primary --sip-logs on")
    elsewhere = await _applied(
        bot, "origination route change pstn-primary sbc2.example.com --weight 5", "U0BOB", "C0SECRET"
    )

    undo = await preview_of(bot, await bot.command(f"undo {drain}"))
    shown = text_of(undo)
    assert f"Undoing {drain} also reverts 2 later changes to the same settings" in shown
    assert added in shown and "origination route add pstn-primary sbc3.example.com" in shown
    assert "Bob on call" in shown
    assert elsewhere in shown and "--weight 5" in shown  # U0ALICE may read every channel's history
    assert other_setting not in shown
    assert shown.index(added) < shown.index(elsewhere)  # oldest first
    assert undo["blocks"][-1]["type"] == "actions"  # said before the buttons

    # On-call may undo but not read another channel's history: that change is named, not shown.
    carol = await preview_of(bot, await bot.command(f"undo {drain}", user="U0CAROL"))
    shown = text_of(carol)
    assert elsewhere in shown and "requested in another channel" in shown and "--weight 5" not in shown
    assert added in shown and "sbc3.example.com" in shown


async def _applied(bot: BotHarness, text: str, user: str = "U0ALICE", channel: str = "C0OPS") -> str:
    preview = await preview_of(bot, await bot.command(text, user=user, channel=channel))
    change_id = button_value(preview, APPLY_ACTION)
    [applied] = await (await bot.click(APPLY_ACTION, change_id, preview, user=user, channel=channel)).wait()
    assert "Applied" in text_of(applied), text_of(applied)
    return change_id


async def test_undoing_a_termination_change_names_a_later_one_it_would_overwrite(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.put_voice_connector_termination(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4", Termination={"CpsLimit": 5, "CallingRegions": ["US"]}
        )
    first = await _applied(bot, "termination set pstn-primary --calling-regions US,CA")
    later = await _applied(bot, "termination set pstn-primary --cps 20")
    undo = await preview_of(bot, await bot.command(f"undo {first}"))
    shown = text_of(undo)
    assert "calls per second: 20 → 5" in shown.replace("*", "").replace("~", "")  # the undo sets cps back…
    assert f"Undoing {first} also reverts a later change" in shown  # …and says whose change that was
    assert later in shown and "termination set pstn-primary --cps 20" in shown

    none_since = await preview_of(bot, await bot.command(f"undo {later}"))
    assert "also reverts" not in text_of(none_since)


async def test_an_undo_reverting_many_later_changes_lists_twenty_and_counts_the_rest(bot: BotHarness) -> None:
    """However many changes came since, the preview stays one valid Slack message (the harness checks
    every message against Block Kit's limits)."""
    await _two_routes(bot)
    drain = await _applied(bot, "origination drain pstn-primary sbc1.example.com")
    later = [
        await _applied(bot, f"origination route change pstn-primary sbc2.example.com --weight {weight}")
        for weight in range(1, 23)
    ]
    undo = await preview_of(bot, await bot.command(f"undo {drain}"))
    shown = text_of(undo)
    assert f"also reverts {len(later)} later changes" in shown
    assert all(change_id in shown for change_id in later[:20]) and later[-1] not in shown
    assert "and 2 more since" in shown


async def test_undo_of_a_change_that_was_never_applied_says_what_it_is(bot: BotHarness) -> None:
    preview = await preview_of(
        bot, await bot.command("origination set pstn-primary --route 10.0.0.7/udp,priority=1,weight=1")
    )
    change_id = button_value(preview, APPLY_ACTION)
    await (await bot.click(CANCEL_ACTION, change_id, preview)).wait()
    [answer] = await (await bot.command(f"undo {change_id}")).wait()
    assert f"Cannot undo {change_id}: it is CANCELLED: nothing was applied" in text_of(answer)
    [unknown] = await (await bot.command("undo c0000000")).wait()
    assert "No change has the ID c0000000" in text_of(unknown)
