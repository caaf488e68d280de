"""One click from failure to retry: a bulk association with failures offers the exact follow-up,
as buttons in Slack (run as the person clicking, through the policy, to a normal preview) and as
a printed command in the console."""

from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, RunningSandbox, ScriptedFault
from bot.slack.actions import APPLY_ACTION, FOLLOW_UP_ACTION
from tests.helpers.bot_harness import BotHarness, HarnessFactory
from tests.helpers.console_process import run_console
from tests.helpers.messages import button_value, text_of
from tests.helpers.sandbox_fixtures import SandboxFactory, recorded_requests, voice_client

ASSOCIATE = "AssociatePhoneNumbersWithVoiceConnectorGroup"
ELSEWHERE, FREE, UNKNOWN = "+12065550102", "+12065550100", "+17735550123"


async def _on_connector(sandbox: RunningSandbox, number: str) -> None:
    async with voice_client(sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[number]
        )


async def _group_of(sandbox: RunningSandbox, number: str) -> str | None:
    async with voice_client(sandbox) as voice:
        record = (await voice.get_phone_number(PhoneNumberId=number))["PhoneNumber"]
    groups = [a["Value"] for a in record["Associations"] if a["Name"] == "VoiceConnectorGroupId"]
    return groups[0] if groups else None


async def test_the_console_prints_the_force_command_and_it_moves_the_number(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    await _on_connector(sandbox, ELSEWHERE)
    _, output = await run_console(
        f"/voice numbers associate pstn-failover {FREE} {UNKNOWN} {ELSEWHERE} --reason 'site move'",
        cwd=tmp_path,
    )
    printed = f"/voice numbers associate group:{FAILOVER_GROUP_ID} {ELSEWHERE} --force --reason 'site move'"
    assert f"Move 1 here with --force: `{printed}`" in " ".join(output.split()), output
    assert "Retry" not in output  # nothing failed for throttling or a service error

    code, output = await run_console(printed, cwd=tmp_path)
    assert code == 0, output
    assert f"connector pstn-primary ({PRIMARY_CONNECTOR_ID})" in output  # where it was, in the preview
    assert await _group_of(sandbox, ELSEWHERE) == FAILOVER_GROUP_ID


async def _applied(bot: BotHarness, text: str, user: str = "U0ALICE") -> dict[str, Any]:
    posted = await bot.command(text, user=user)
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview, user=user)
    await click.wait()
    return bot.standin.stored_message(click.response_name)


async def test_a_click_on_move_with_force_previews_where_each_number_is_now(bot: BotHarness) -> None:
    await _on_connector(bot.sandbox, ELSEWHERE)
    result = await _applied(bot, f"numbers associate pstn-failover {FREE} {UNKNOWN} {ELSEWHERE}")
    assert "Move 1 here with --force" in text_of(result)

    # Someone who may only read is refused at the click, like typing the command.
    denied = await bot.click(FOLLOW_UP_ACTION, button_value(result, FOLLOW_UP_ACTION), result, user="U0DAVE")
    [refusal] = await denied.wait()
    assert "Not allowed: numbers.associate" in text_of(refusal)

    clicked = await bot.click(FOLLOW_UP_ACTION, button_value(result, FOLLOW_UP_ACTION), result)
    await clicked.wait()
    preview = bot.standin.stored_message(clicked.response_name)
    text = text_of(preview)
    assert "Associate 1 number(s) with group pstn-failover" in text
    [row] = [line for line in text.splitlines() if line.startswith(ELSEWHERE)]
    assert "+1 206-555-0102" in row and f"connector pstn-primary ({PRIMARY_CONNECTOR_ID})" in row
    assert '"ForceAssociate": true' in text
    assert "Needs approval" in text  # moving it disassociates it elsewhere: the policy asks for approval
    [record] = [r for r in await bot.runtime.store.history() if r.status == "PLANNED"]
    assert record.command_text == f"numbers associate group:{FAILOVER_GROUP_ID} {ELSEWHERE} --force"
    assert record.requested_by == "U0ALICE"
    bot.assert_every_message_valid()


async def test_a_click_on_retry_sends_again_only_the_numbers_a_service_error_failed(
    bot_factory: HarnessFactory, sandbox_factory: SandboxFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICE_BATCH_SIZE", "2")
    monkeypatch.setenv("VOICE_MAX_ATTEMPTS", "1")  # the one failed batch is not retried
    aws = await sandbox_factory()
    aws.faults.push(ScriptedFault(operation=ASSOCIATE, fault="unavailable"))
    bot = await bot_factory(aws=aws)
    numbers = ["+12065550100", "+12065550101", "+12065550103", "+12065550104"]
    result = await _applied(bot, f"numbers associate pstn-failover {' '.join(numbers)}")
    assert "2 of 4" in text_of(result) and "ServiceUnavailableException (2)" in text_of(result)
    failed = [n for n in numbers if await _group_of(aws, n) is None]
    assert len(failed) == 2

    clicked = await bot.click(FOLLOW_UP_ACTION, button_value(result, FOLLOW_UP_ACTION), result)
    await clicked.wait()
    preview = bot.standin.stored_message(clicked.response_name)
    assert "Associate 2 number(s) with group pstn-failover" in text_of(preview)
    click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    [again] = await click.wait()
    assert "Applied: Associate 2 number(s)" in text_of(again)
    assert [r["body"]["E164PhoneNumbers"] for r in recorded_requests(aws) if r["operation"] == ASSOCIATE][
        -1
    ] == failed
    assert all([await _group_of(aws, n) == FAILOVER_GROUP_ID for n in numbers])
    bot.assert_every_message_valid()
