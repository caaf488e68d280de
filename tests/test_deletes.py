"""Deletes and the undo of deletes through both surfaces, read back from the sandbox with botocore."""

from pathlib import Path

import pytest

from bot.sandbox import RecordedRequest, RunningSandbox
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
    assert "+12065550142" in text_of(refusal) and "disassociate" in text_of(refusal)
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
