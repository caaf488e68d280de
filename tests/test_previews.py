"""Previews an SRE can read mid-incident: the summary line first, then the diff, then the change's
impact (numbers and groups it reaches, and calls leaving a group's first connector), the same in
the console, in Slack, in the stored record and in the announcement."""

from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RunningSandbox
from bot.slack.actions import APPLY_ACTION
from tests.helpers.bot_harness import BotHarness
from tests.helpers.console_process import run_console
from tests.helpers.messages import button_value, preview_of, text_of
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client

PRIMARY = f"pstn-primary ({PRIMARY_CONNECTOR_ID}, us-east-1)"
SECONDARY = f"pstn-secondary ({SECONDARY_CONNECTOR_ID}, us-west-2)"
GROUP = f"pstn-failover ({FAILOVER_GROUP_ID}, us-east-1)"
ON_GROUP = ["+12065550100", "+12065550101", "+12065550102"]
ROUTES = [
    {"Host": "sbc1.example.com", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10},
    {"Host": "sbc2.example.com", "Port": 5060, "Protocol": "UDP", "Priority": 2, "Weight": 5},
]
FAILS_OVER = f"{PRIMARY} is priority 1 in {GROUP}: calls fail over to {SECONDARY}"


async def _live_primary(sandbox: RunningSandbox) -> None:
    """pstn-primary takes calls on two routes, first in pstn-failover, which holds three numbers;
    pstn-secondary, second, can take them too (origination enabled, one route)."""
    async with voice_client(sandbox, "us-west-2") as client:
        await client.put_voice_connector_origination(
            VoiceConnectorId=SECONDARY_CONNECTOR_ID, Origination={"Routes": ROUTES[:1], "Disabled": False}
        )
    async with voice_client(sandbox) as client:
        await client.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": ROUTES, "Disabled": False}
        )
        await client.put_voice_connector_termination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, Termination={"CallingRegions": ["US"], "Disabled": False}
        )
        await client.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=ON_GROUP
        )


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


# The console -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "summary", "impact", "first_in_group"),
    [
        (
            "origination disable pstn-primary",
            f"Preview: Origination disable: {PRIMARY}",
            f"Impact: 3 numbers route to this connector through group {GROUP} at priority 1; "
            "its 2 routes stop receiving calls",
            FAILS_OVER,
        ),
        (
            "connector delete pstn-primary",
            f"Preview: Delete voice connector {PRIMARY}",
            f"Impact: 3 numbers route to this connector through group {GROUP} at priority 1; "
            "its 2 routes stop receiving calls",
            FAILS_OVER,
        ),
        (
            "origination drain pstn-primary sbc2.example.com",
            f"Preview: Origination drain: {PRIMARY}",
            f"Impact: 3 numbers route to this connector through group {GROUP} at priority 1; "
            "1 of its routes stops receiving calls (1 route left)",
            f"{PRIMARY} is priority 1 in {GROUP}: the group's calls still go to it first, now on 1 route",
        ),
        (
            "termination set pstn-primary --disabled",
            f"Preview: Termination set: {PRIMARY}",
            "Impact: outbound calls through this connector stop; inbound calls are not affected "
            f"(3 numbers route to this connector through group {GROUP} at priority 1)",
            f"{PRIMARY} is priority 1 in {GROUP}, but groups fail over inbound calls only: "
            f"outbound calls reach {SECONDARY} only if your SIP hosts send them there",
        ),
    ],
    ids=["origination-disable", "connector-delete", "drain", "termination-disable"],
)
async def test_console_preview_leads_with_the_summary_and_says_the_impact(
    sandbox: RunningSandbox,
    tmp_path: Path,
    command: str,
    summary: str,
    impact: str,
    first_in_group: str,
) -> None:
    await _live_primary(sandbox)
    code, output = await run_console(f"/voice {command} --dry-run", cwd=tmp_path)
    assert code == 0, output
    lines = _lines(output)
    assert lines[0] == summary
    assert lines[1].startswith("  ")  # the diff follows at once
    assert f"[!] {impact}" in lines
    assert f"[!] {first_in_group}" in lines
    # The impact follows the diff, before the requests.
    assert lines.index(f"[!] {impact}") < next(i for i, line in enumerate(lines) if "Sends " in line)


async def test_a_connector_second_in_its_group_or_in_none_has_no_failover_line(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _live_primary(sandbox)
    async with voice_client(sandbox, "us-west-2") as client:
        await client.put_voice_connector_origination(
            VoiceConnectorId=SECONDARY_CONNECTOR_ID, Origination={"Routes": ROUTES[:1], "Disabled": False}
        )
        created = await client.create_voice_connector(
            Name="lab", AwsRegion="us-west-2", RequireEncryption=True
        )
        lab = created["VoiceConnector"]["VoiceConnectorId"]
        await client.put_voice_connector_origination(
            VoiceConnectorId=lab, Origination={"Routes": ROUTES, "Disabled": False}
        )
    code, output = await run_console(
        "/voice origination clear pstn-secondary --dry-run",
        "/voice origination disable lab --dry-run",
        cwd=tmp_path,
    )
    assert code == 0, output
    assert (
        f"[!] Impact: 3 numbers route to this connector through group {GROUP} at priority 2; "
        "its 1 route stops receiving calls"
    ) in output
    assert "[!] Impact: no numbers route to this connector; its 2 routes stop receiving calls" in output
    assert "fail over" not in output


async def test_a_change_that_keeps_every_route_says_no_impact(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _live_primary(sandbox)
    code, output = await run_console(
        "/voice origination route change pstn-primary sbc2.example.com --weight 1 --dry-run", cwd=tmp_path
    )
    assert code == 0, output
    assert _lines(output)[0] == f"Preview: Origination route change: {PRIMARY}"
    assert "Impact" not in output


async def test_the_impact_costs_one_group_listing_per_region_and_one_number_listing_per_target(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _live_primary(sandbox)
    before = len(recorded_requests(sandbox))
    code, output = await run_console("/voice origination disable pstn-primary --dry-run", cwd=tmp_path)
    assert code == 0 and "Impact: 3 numbers" in output, output
    sent = [record for record in recorded_requests(sandbox)[before:]]
    groups = [record for record in sent if record["operation"] == "ListVoiceConnectorGroups"]
    numbers = [record["query"] for record in sent if record["operation"] == "ListPhoneNumbers"]
    assert len(groups) == 2  # us-east-1 and us-west-2
    assert sorted((query["filter-name"], query["filter-value"]) for query in numbers) == [
        ("VoiceConnectorGroupId", FAILOVER_GROUP_ID),
        ("VoiceConnectorId", PRIMARY_CONNECTOR_ID),
    ]


# Calls moved to a connector that cannot take them --------------------------------------------

SECONDARY_ID = f"pstn-secondary ({SECONDARY_CONNECTOR_ID})"
ENABLE_FIRST = f"enable it first with `/voice origination enable {SECONDARY_CONNECTOR_ID}`"
ROUTES_FIRST = (
    f"give it routes first with `/voice origination set {SECONDARY_CONNECTOR_ID} "
    "--route HOST[:PORT]/tcp|udp,priority=N,weight=N`"
)


async def _secondary_origination(sandbox: RunningSandbox, origination: dict[str, Any] | None) -> None:
    """pstn-secondary's origination as given: None deletes it."""
    async with voice_client(sandbox, "us-west-2") as client:
        if origination is None:
            await client.delete_voice_connector_origination(VoiceConnectorId=SECONDARY_CONNECTOR_ID)
        else:
            await client.put_voice_connector_origination(
                VoiceConnectorId=SECONDARY_CONNECTOR_ID, Origination=origination
            )


async def _group_members(sandbox: RunningSandbox) -> list[tuple[str, int]]:
    async with voice_client(sandbox) as client:
        group = await client.get_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID)
    return sorted(
        (item["VoiceConnectorId"], item["Priority"])
        for item in group["VoiceConnectorGroup"]["VoiceConnectorItems"]
    )


@pytest.mark.parametrize(
    ("origination", "lacks", "fix"),
    [
        ({"Routes": ROUTES[:1], "Disabled": True}, "origination disabled", ENABLE_FIRST),
        ({"Disabled": False}, "no origination routes", ROUTES_FIRST),
    ],
    ids=["disabled", "no-routes"],
)
async def test_a_failover_to_a_member_that_cannot_take_calls_warns_and_says_what_to_run_first(
    sandbox: RunningSandbox, tmp_path: Path, origination: dict[str, Any], lacks: str, fix: str
) -> None:
    await _live_primary(sandbox)
    await _secondary_origination(sandbox, origination)
    code, output = await run_console(
        "/voice group failover pstn-failover --dry-run",
        "/voice group update pstn-failover --member pstn-secondary:1 --member pstn-primary:2 --dry-run",
        "/voice group update pstn-failover --member pstn-secondary:1 --dry-run",
        cwd=tmp_path,
    )
    assert code == 0, output
    previews = output.split("Preview: ")[1:]
    assert len(previews) == 3, output
    for preview in previews:
        lines = _lines(preview)
        assert (
            f"[!] Impact: calls to the 3 numbers on this group go first to {SECONDARY_ID} instead of "
            f"pstn-primary ({PRIMARY_CONNECTOR_ID}), but {SECONDARY_ID} cannot take them ({lacks})"
        ) in lines, preview
        assert f"[!] {SECONDARY} has {lacks}, so it cannot take group pstn-failover's calls: {fix}." in lines
    assert "Dry run: nothing was changed" in output


async def test_a_failover_from_a_live_member_to_one_without_origination_is_refused(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Nothing could answer the group's calls there: the preview refuses and names the command
    that has to run first, rather than offering to Apply."""
    await _live_primary(sandbox)
    await _secondary_origination(sandbox, None)
    code, output = await run_console(
        "/voice group failover pstn-failover --reason 'primary SBC down'", cwd=tmp_path
    )
    assert code != 0, output
    assert (
        f"{SECONDARY} has no origination settings, so it cannot take the calls of {GROUP}, which {PRIMARY} "
        f"takes now: failing over would leave them no SIP host to reach. Give it routes first with "
        f"`/voice origination set {SECONDARY_CONNECTOR_ID} --route HOST[:PORT]/tcp|udp,priority=N,weight=N`, "
        "then fail over."
    ) in output, output
    assert "Preview" not in output and "Applied" not in output, output
    assert await _group_members(sandbox) == [(PRIMARY_CONNECTOR_ID, 1), (SECONDARY_CONNECTOR_ID, 2)]

    # `group update` (the whole member list, beyond on-call's failover) may still set that order,
    # with the warning; once pstn-secondary has routes, the failover is planned.
    code, output = await run_console(
        "/voice group update pstn-failover --member pstn-secondary:1 --member pstn-primary:2 --dry-run",
        f"/voice origination set pstn-secondary --route {ROUTES[0]['Host']}/udp,priority=1,weight=1",
        "/voice group failover pstn-failover --reason 'primary SBC down'",
        cwd=tmp_path,
    )
    assert code == 0, output
    assert (
        f"[!] {SECONDARY} has no origination settings, so it cannot take group pstn-failover's calls"
        in output
    )
    assert "Applied: Group failover" in output, output
    failover = output.split("Preview: Group failover")[1]
    assert "cannot take" not in failover, failover
    assert await _group_members(sandbox) == [(PRIMARY_CONNECTOR_ID, 2), (SECONDARY_CONNECTOR_ID, 1)]


async def test_a_connector_change_whose_fallback_cannot_take_calls_says_so(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _live_primary(sandbox)
    await _secondary_origination(sandbox, {"Routes": ROUTES[:1], "Disabled": True})
    code, output = await run_console(
        "/voice connector delete pstn-primary --dry-run",
        "/voice origination disable pstn-primary --dry-run",
        "/voice origination clear pstn-primary --dry-run",
        cwd=tmp_path,
    )
    assert code == 0, output
    fails_over = f"[!] {FAILS_OVER}, but it cannot take them (origination disabled)"
    assert output.count(fails_over) == 3, output
    assert f"[!] {FAILS_OVER}\n" not in output


# Slack -------------------------------------------------------------------------------------


def _sections(message: dict[str, Any]) -> list[str]:
    return [
        block["text"]["text"] for block in message["blocks"] if block["type"] == "section" and "text" in block
    ]


async def test_slack_preview_record_outcome_and_announcement_say_the_impact(bot: BotHarness) -> None:
    await _live_primary(bot.sandbox)
    posted = await bot.command("origination disable pstn-primary --incident INC-7")
    preview = await preview_of(bot, posted)
    summary = f"Preview: Origination disable: {PRIMARY}"
    # The notification and the first block say what will happen, in one line; the diff comes next.
    assert preview["text"] == summary
    assert preview["blocks"][0] == {"type": "section", "text": {"type": "mrkdwn", "text": f"*{summary}*"}}
    sections = _sections(preview)
    assert sections[1] == "*origination*: ~enabled~ → *disabled*"
    impact = (
        f":warning: Impact: 3 numbers route to this connector through group {GROUP} at priority 1; "
        "its 2 routes stop receiving calls"
    )
    assert sections[2] == impact
    assert sections[3] == f":warning: {FAILS_OVER}"

    change_id = button_value(preview, APPLY_ACTION)
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.plan is not None and record.plan.impact is not None
    assert record.plan.impact.numbers == 3 and record.plan.impact.groups == [GROUP]
    assert record.plan.impact.first_in_group == [FAILS_OVER]

    [applied] = await (await bot.click(APPLY_ACTION, change_id, preview)).wait()
    assert _sections(applied)[0] == f"*Applied: Origination disable: {PRIMARY}*"
    assert impact in _sections(applied) and f":warning: {FAILS_OVER}" in _sections(applied)
    [announcement] = await bot.standin.wait_for("chat.postMessage")
    assert impact in text_of(announcement.args) and FAILS_OVER in text_of(announcement.args)
    bot.assert_every_message_valid()


async def test_slack_group_failover_says_who_takes_the_calls(bot: BotHarness) -> None:
    await _live_primary(bot.sandbox)
    posted = await bot.command("group failover pstn-failover")
    preview = await preview_of(bot, posted)
    assert preview["text"] == f"Preview: Group failover: {GROUP}"
    primary, secondary = (
        f"pstn-primary ({PRIMARY_CONNECTOR_ID})",
        f"pstn-secondary ({SECONDARY_CONNECTOR_ID})",
    )
    sections = _sections(preview)
    assert sections[2] == (
        f":warning: Impact: calls to the 3 numbers on this group go first to {secondary} instead of {primary}"
    )
    assert sections[3] == f":warning: {primary} is priority 1 in {GROUP}: calls fail over to {secondary}"
    bot.assert_every_message_valid()


async def test_slack_connector_delete_names_its_group_by_name_and_id(bot: BotHarness) -> None:
    await _live_primary(bot.sandbox)
    posted = await bot.command("connector delete pstn-primary --reason 'SBC retired'")
    text = text_of(await preview_of(bot, posted))
    assert f"*member of group*: ~{GROUP}~ → _(none)_" in text
    assert f":warning: {FAILS_OVER}" in text
    assert "Impact: 3 numbers route to this connector" in text
    bot.assert_every_message_valid()


async def test_a_group_update_says_the_impact_only_when_the_first_member_changes(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _live_primary(sandbox)
    code, output = await run_console(
        "/voice group update pstn-failover --member pstn-primary:2 --member pstn-secondary:3 --dry-run",
        "/voice group update pstn-failover --member pstn-secondary:1 --dry-run",
        cwd=tmp_path,
    )
    assert code == 0, output
    renumbered, replaced = output.split("Preview: Group update", 2)[1:]
    assert "Impact" not in renumbered
    primary, secondary = (
        f"pstn-primary ({PRIMARY_CONNECTOR_ID})",
        f"pstn-secondary ({SECONDARY_CONNECTOR_ID})",
    )
    assert (
        f"[!] Impact: calls to the 3 numbers on this group go first to {secondary} instead of {primary}"
    ) in replaced
    assert f"[!] {primary} is priority 1 in {GROUP}: calls fail over to {secondary}" in replaced
