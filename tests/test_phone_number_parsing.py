"""Phone numbers as people type them, read by libphonenumber: a number that cannot exist is named
as malformed before anything is sent, national forms are read in VOICE_DEFAULT_COUNTRY, and every
number is shown readably next to its E.164 form."""

import os
from pathlib import Path

from bot.sandbox import RunningSandbox
from tests.helpers.bot_harness import BotHarness
from tests.helpers.console_process import run_console
from tests.helpers.messages import preview_of, text_of
from tests.helpers.sandbox_fixtures import recorded_requests

ASSOCIATE = "AssociatePhoneNumbersWithVoiceConnectorGroup"


async def test_a_number_too_short_to_exist_is_named_as_malformed_and_nothing_is_sent(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "/voice numbers associate pstn-failover +1 206 555 01, +12065550100", cwd=tmp_path
    )
    assert code == 1, output
    assert "`+1 206 555 01` is not a valid NUMBER: malformed: it has too few digits" in output
    assert "not in this account" not in output
    assert not [r for r in recorded_requests(sandbox) if r["operation"] == ASSOCIATE]


async def test_a_whole_number_typed_before_a_national_one_is_two_numbers(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "/voice numbers associate pstn-failover +12065550100 2065550101", cwd=tmp_path
    )
    assert code == 0, output
    [sent] = [r for r in recorded_requests(sandbox) if r["operation"] == ASSOCIATE]
    assert sent["body"]["E164PhoneNumbers"] == ["+12065550100", "+12065550101"]


async def test_slack_tel_links_of_whole_and_national_numbers_are_two_numbers(bot: BotHarness) -> None:
    posted = await bot.command(
        "numbers associate pstn-failover <tel:+12065550100|+1 206-555-0100> <tel:2065550101|206-555-0101>"
    )
    preview = text_of(await preview_of(bot, posted))
    assert "Associate 2 number(s)" in preview and '["+12065550100", "+12065550101"]' in preview, preview


async def test_a_national_number_is_read_in_the_default_country_and_shown_readably(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "/voice numbers associate pstn-failover (206) 555-0100 206.555.0101",
        "/voice numbers list --group pstn-failover",
        cwd=tmp_path,
    )
    assert code == 0, output
    [sent] = [r for r in recorded_requests(sandbox) if r["operation"] == ASSOCIATE]
    assert sent["body"]["E164PhoneNumbers"] == ["+12065550100", "+12065550101"]
    preview, _, listed = output.partition("Phone numbers associated with group")
    for e164, readable in (("+12065550100", "+1 206-555-0100"), ("+12065550101", "+1 206-555-0101")):
        for table in (preview, listed):
            row = next(line for line in table.splitlines() if line.strip().startswith(e164))
            assert readable in row, output


async def test_another_default_country_reads_national_numbers_as_its_own(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    env = dict(os.environ, VOICE_DEFAULT_COUNTRY="GB")
    code, output = await run_console(
        "/voice number show 020 7946 0018", "/voice number show (206) 555-0100", cwd=tmp_path, env=env
    )
    assert code == 1, output
    assert "+442079460018" in output  # asked of AWS as a UK number (the sandbox holds none)
    assert "malformed: no such number can be assigned in country code +44 (read as a GB number" in output


async def test_an_unknown_default_country_stops_the_console_naming_the_setting(tmp_path: Path) -> None:
    env = dict(os.environ, VOICE_DEFAULT_COUNTRY="XX")
    code, output = await run_console("/voice connectors", cwd=tmp_path, env=env)
    assert code != 0 and "VOICE_DEFAULT_COUNTRY" in output and "'XX' is not a two-letter" in output


async def test_a_shared_file_names_its_malformed_numbers_by_line(bot: BotHarness) -> None:
    file_id = bot.standin.share_file("numbers.csv", b"number\n(206) 555-0100\n+1 206 555 01\n")
    posted = await bot.command(f"numbers associate pstn-failover --file {file_id}")
    [message] = await posted.wait()
    text = text_of(message)
    assert "1 problem(s)" in text and "line 3: '+1 206 555 01': malformed: it has too few digits" in text
    assert not [r for r in recorded_requests(bot.sandbox) if r["operation"] == ASSOCIATE]
