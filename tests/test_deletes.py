"""Deletes and the undo of deletes through both surfaces, read back from the sandbox with botocore."""

from pathlib import Path

import pytest

from bot.sandbox import PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RecordedRequest, RunningSandbox
from bot.slack.actions import APPLY_ACTION
from tests.helpers.bot_harness import BotHarness
from tests.helpers.console_process import run_console
from tests.helpers.messages import button_value, preview_of, sent, text_of
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client

pytestmark = pytest.mark.both_transports

GROUP_ID = "123a456b-c7d8-90e1-fg23-4h567jkl8901"


async def test_a_group_with_members_and_numbers_is_deleted_and_restored_from_slack(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=GROUP_ID, E164PhoneNumbers=["+12065550140", "+12065550141"]
        )
    preview = await preview_of(bot, await bot.command("group delete pstn-failover"))
    shown = text_of(preview)
    assert "1. Sends DisassociatePhoneNumbersFromVoiceConnectorGroup" in shown
    assert "2. Sends UpdateVoiceConnectorGroup" in shown and "3. Sends DeleteVoiceConnectorGroup" in shown
    assert "pstn-primary (abcdef1ghij2klmno3pqr4) (priority 1), pstn-secondary" in shown  # by name
    change_id = button_value(preview, APPLY_ACTION)
    [result] = await (await bot.click(APPLY_ACTION, change_id, preview, user="U0BOB")).wait()
    assert "Applied" in text_of(result)
    assert [r["operation"] for r in bot_mutations(bot)] == [
        "AssociatePhoneNumbersWithVoiceConnectorGroup",  # the test's own set-up
        "DisassociatePhoneNumbersFromVoiceConnectorGroup",
        "UpdateVoiceConnectorGroup",
        "DeleteVoiceConnectorGroup",
    ]
    async with voice_client(bot.sandbox) as voice:
        assert (await voice.list_voice_connector_groups())["VoiceConnectorGroups"] == []

    undo = await preview_of(bot, await bot.command(f"undo {change_id}"))
    assert "new ID" in text_of(undo)
    [restored] = await (await bot.click(APPLY_ACTION, button_value(undo, APPLY_ACTION), undo)).wait()
    assert "Applied" in text_of(restored)
    async with voice_client(bot.sandbox) as voice:
        [group] = (await voice.list_voice_connector_groups())["VoiceConnectorGroups"]
        assert group["Name"] == "pstn-failover" and len(group["VoiceConnectorItems"]) == 2
        numbers = await voice.list_phone_numbers(
            FilterName="VoiceConnectorGroupId", FilterValue=group["VoiceConnectorGroupId"]
        )
        assert sorted(n["E164PhoneNumber"] for n in numbers["PhoneNumbers"]) == [
            "+12065550140",
            "+12065550141",
        ]


def bot_mutations(bot: BotHarness) -> list[RecordedRequest]:
    """The requests that change something, in the order the sandbox received them."""
    return [r for r in recorded_requests(bot.sandbox) if not str(r["operation"]).startswith(("List", "Get"))]


async def test_a_connector_with_numbers_is_not_deleted_and_the_reply_names_them(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4", E164PhoneNumbers=["+12065550142"]
        )
    [refusal] = await (await bot.command("connector delete pstn-primary --reason retire")).wait()
    assert "+12065550142" in text_of(refusal)
    assert "/voice numbers disassociate connector:abcdef1ghij2klmno3pqr4" in text_of(refusal)  # audited
    assert sent(bot, "DeleteVoiceConnector") == []


async def test_the_console_deletes_a_connector_and_undoes_it(sandbox: RunningSandbox, tmp_path: Path) -> None:
    code, output = await run_console(
        "/voice connector create short-lived --region us-west-2",
        "/voice connector delete short-lived",
        cwd=tmp_path,
    )
    assert code == 0, output
    assert "Applied: Delete voice connector short-lived" in output
    assert "cannot reach its audit store" not in output
    async with voice_client(sandbox, "us-west-2") as voice:
        names = [c["Name"] for c in (await voice.list_voice_connectors())["VoiceConnectors"]]
    assert "short-lived" not in names


async def test_a_group_delete_whose_first_step_fails_stops_there_and_says_so(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=GROUP_ID, E164PhoneNumbers=["+12065550143"]
        )
    preview = await preview_of(bot, await bot.command("group delete pstn-failover"))
    change_id = button_value(preview, APPLY_ACTION)
    failing = {"operation": "DisassociatePhoneNumbersFromVoiceConnectorGroup", "fault": "error"}
    bot.sandbox.faults.configure(
        {"script": [failing] * 6}
    )  # as many as the bot's attempts (VOICE_MAX_ATTEMPTS)
    [result] = await (await bot.click(APPLY_ACTION, change_id, preview, user="U0BOB")).wait()
    assert "ServiceFailureException" in text_of(result)
    assert sent(bot, "UpdateVoiceConnectorGroup") == sent(bot, "DeleteVoiceConnectorGroup") == []
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "FAILED" and record.error
    async with voice_client(bot.sandbox) as voice:
        [group] = (await voice.list_voice_connector_groups())["VoiceConnectorGroups"]
        assert (
            len(group["VoiceConnectorItems"]) == 2
        )  # members untouched: nothing half-applied after the failure


SECRET = "never-shown-Pa55word"


async def test_a_connector_delete_names_all_it_takes_and_its_undo_what_it_cannot_bring_back(
    bot: BotHarness,
) -> None:
    """Everything on the connector is listed before the delete (SIP user names, never passwords);
    the undo brings back the name, encryption and tags, and names the rest with the commands."""
    async with voice_client(bot.sandbox, "us-west-2") as voice:
        vc = {"VoiceConnectorId": SECONDARY_CONNECTOR_ID}
        route = {"Host": "sbc9.example.com", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10}
        await voice.put_voice_connector_origination(**vc, Origination={"Routes": [route], "Disabled": False})
        await voice.put_voice_connector_termination(
            **vc, Termination={"CpsLimit": 5, "CallingRegions": ["US"], "CidrAllowedList": ["203.0.113.0/24"]}
        )
        await voice.put_voice_connector_termination_credentials(
            **vc, Credentials=[{"Username": "trunk-west", "Password": SECRET}]
        )
        await voice.put_voice_connector_emergency_calling_configuration(
            **vc,
            EmergencyCallingConfiguration={
                "DNIS": [{"EmergencyPhoneNumber": "+12065550199", "CallingCountry": "US"}]
            },
        )
        await voice.put_voice_connector_logging_configuration(
            **vc, LoggingConfiguration={"EnableSIPLogs": True}
        )
        await voice.put_voice_connector_streaming_configuration(
            **vc,
            StreamingConfiguration={
                "DataRetentionInHours": 24,
                "Disabled": False,
                "StreamingNotificationTargets": [{"NotificationTarget": "SNS"}],
            },
        )
        [connector] = [
            c
            for c in (await voice.list_voice_connectors())["VoiceConnectors"]
            if c["VoiceConnectorId"] == SECONDARY_CONNECTOR_ID
        ]
        await voice.tag_resource(
            ResourceARN=connector["VoiceConnectorArn"],
            Tags=[{"Key": "team", "Value": "voice"}, {"Key": "cost-centre", "Value": "4711"}],
        )

    preview = await preview_of(bot, await bot.command("connector delete pstn-secondary --reason retire"))
    shown = text_of(preview)
    for listed in (
        "member of group",
        "origination routes",
        "sbc9.example.com:5060/udp",
        "termination",
        "5 cps, calling regions US, networks 203.0.113.0/24",
        "SIP users",
        "trunk-west",
        "emergency calling",
        "+12065550199",
        "logging",
        "SIP logs on",
        "streaming",
        "retention 24 h, notifications SNS",
        "tag team",
        "tag cost-centre",
    ):
        assert listed in shown, listed
    assert "passwords cannot come back" in shown
    change_id = button_value(preview, APPLY_ACTION)
    [result] = await (await bot.click(APPLY_ACTION, change_id, preview, user="U0BOB")).wait()
    assert "Applied" in text_of(result)
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.plan is not None
    assert SECRET not in record.plan.model_dump_json() and SECRET not in shown

    undo = await preview_of(bot, await bot.command(f"undo {change_id}"))
    caveats = text_of(undo)
    assert "new ID" in caveats and "name, region, encryption setting and tags" in caveats
    for not_restored in (
        "origination routes (sbc9.example.com:5060/udp",
        "termination (enabled, 5 cps",
        "SIP users (trunk-west)",
        "emergency calling (+12065550199",
        "logging (SIP logs on",
        "streaming (enabled",
        "membership of group pstn-failover",
    ):
        assert not_restored in caveats, not_restored
    assert (
        "/voice termination set pstn-secondary --cps 5 --calling-regions US --cidr 203.0.113.0/24" in caveats
    )
    assert "/voice termination credentials add pstn-secondary USER" in caveats
    [restored] = await (await bot.click(APPLY_ACTION, button_value(undo, APPLY_ACTION), undo)).wait()
    assert "Applied" in text_of(restored)
    async with voice_client(bot.sandbox, "us-west-2") as voice:
        [back] = [
            c
            for c in (await voice.list_voice_connectors())["VoiceConnectors"]
            if c["Name"] == "pstn-secondary"
        ]
        tags = (await voice.list_tags_for_resource(ResourceARN=back["VoiceConnectorArn"]))["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("cost-centre", "4711"), ("team", "voice")]


async def test_connector_show_counts_numbers_reaching_it_directly_and_through_its_group(
    bot: BotHarness,
) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=["+12065550144"]
        )
        await voice.associate_phone_numbers_with_voice_connector_group(
            VoiceConnectorGroupId=GROUP_ID, E164PhoneNumbers=["+12065550145", "+12065550146", "+12065550147"]
        )
    [shown] = await (await bot.command("connector show pstn-primary")).wait()
    assert f"4: 1 directly, 3 through group pstn-failover ({GROUP_ID}, us-east-1)" in text_of(shown)


async def test_undo_of_an_undo_after_its_group_was_deleted_and_recreated_names_both_changes(
    bot: BotHarness,
) -> None:
    """The undo's inverse names the old group ID: rather than AWS's bare NotFoundException, the
    refusal says which change deleted the group and which recreated it, and the command for its new ID."""
    failover = await _applied(bot, "group failover pstn-failover")
    back = await _applied(bot, f"undo {failover}")
    deleted = await _applied(bot, "group delete pstn-failover", approver="U0BOB")
    recreated = await _applied(bot, f"undo {deleted}")
    async with voice_client(bot.sandbox) as voice:
        [group] = (await voice.list_voice_connector_groups())["VoiceConnectorGroups"]
    new_id = group["VoiceConnectorGroupId"]
    updates = len(sent(bot, "UpdateVoiceConnectorGroup"))

    [refusal] = await (await bot.command(f"undo {back}")).wait()
    shown = text_of(refusal)
    assert "NotFoundException" not in shown
    assert f"group pstn-failover ({GROUP_ID}) was deleted after it, by change {deleted}" in shown
    assert f"recreated with a new ID, {new_id}, by change {recreated}" in shown
    assert f"/voice group failover {new_id} --to" in shown
    assert len(sent(bot, "UpdateVoiceConnectorGroup")) == updates  # nothing was sent


async def _applied(bot: BotHarness, text: str, *, approver: str = "U0ALICE") -> str:
    preview = await preview_of(bot, await bot.command(text))
    change_id = button_value(preview, APPLY_ACTION)
    [applied] = await (await bot.click(APPLY_ACTION, change_id, preview, user=approver)).wait()
    assert "Applied" in text_of(applied), text_of(applied)
    return change_id
