"""Bulk associations: batched, throttled by AWS, progress in one updated message, every number once."""

import csv
import io
from collections import Counter

import pytest

from bot.sandbox import ScriptedFault
from bot.sandbox.inventory import inventory_numbers
from bot.slack.actions import APPLY_ACTION
from tests.helpers.bot_harness import BotHarness, HarnessFactory
from tests.helpers.messages import button_value, text_of
from tests.helpers.metrics import sample
from tests.helpers.sandbox_fixtures import SandboxFactory, recorded_requests, voice_client

pytestmark = pytest.mark.both_transports

GROUP = "123a456b-c7d8-90e1-fg23-4h567jkl8901"


ASSOCIATE = "AssociatePhoneNumbersWithVoiceConnectorGroup"
THROTTLES = 12  # more than VOICE_MAX_CONCURRENCY (10): a burst, and retries that are throttled again


async def aws_errors(bot: BotHarness, code: str) -> float:
    """The bot's own count of AWS answering `code` to the association, from its /metrics."""
    async with bot.http.get(bot.url + "/metrics") as response:
        return sample(await response.text(), "switchboard_aws_errors_total", operation=ASSOCIATE, code=code)


async def test_bulk_association_under_throttling_accounts_for_every_number_once(
    bot_factory: HarnessFactory, sandbox_factory: SandboxFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Throttling is scripted (the next THROTTLES association requests get a 429, whatever the timing),
    not a request rate, so what AWS refused, and so every count below, does not depend on machine speed."""
    monkeypatch.setenv("VOICE_BATCH_SIZE", "50")
    aws = await sandbox_factory(inventory_size=1500)
    aws.faults.push(*[ScriptedFault(operation=ASSOCIATE, fault="throttle")] * THROTTLES)
    bot = await bot_factory(aws=aws)
    throttled_before = await aws_errors(bot, "ThrottledClientException")
    good = list(inventory_numbers(1500)[:1200])
    unknown = [f"+1206556{index:04d}" for index in range(40)]
    numbers = good + unknown
    pasted = "\n".join(", ".join(numbers[i : i + 10]) for i in range(0, len(numbers), 10))

    posted = await bot.command(f"numbers associate pstn-failover\n{pasted}")
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    assert "Sends 25 AssociatePhoneNumbersWithVoiceConnectorGroup requests" in text_of(preview)
    click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    [result] = await click.wait()
    assert "1200 of 1240" in text_of(result) and "NotFound (40)" in text_of(result)

    # AWS throttled us THROTTLES times and the bot saw each 429 and retried: every throttled request
    # was sent again, so 25 batches took 25 accepted requests plus one per 429.
    assert aws.faults.settings.script == []
    assert await aws_errors(bot, "ThrottledClientException") - throttled_before == THROTTLES
    requests = [r for r in recorded_requests(aws) if r["operation"] == ASSOCIATE]
    assert len(requests) == 25 + THROTTLES
    sent = Counter(number for r in requests for number in r["body"]["E164PhoneNumbers"])
    assert sent.keys() == set(numbers)  # nothing sent that was not asked for, nothing left out
    # Each number went out in one accepted request and was in effect once: AWS lists exactly the good ones.
    async with voice_client(aws) as voice:
        listed: list[str] = []
        token = None
        while True:
            page = await voice.list_phone_numbers(
                FilterName="VoiceConnectorGroupId",
                FilterValue=GROUP,
                MaxResults=100,
                **({"NextToken": token} if token else {}),
            )
            listed += [number["E164PhoneNumber"] for number in page["PhoneNumbers"]]
            token = page.get("NextToken")
            if not token:
                break
    assert sorted(listed) == sorted(good)

    # The report: successes as a file, failures in the message, nothing twice.
    await bot.standin.wait_until(
        lambda: any(
            f.filename == "succeeded.csv" and f.channel_id == "C0OPS" and f.completed
            for f in bot.standin.uploaded_files()
        ),
        "the successes file",
    )
    [file] = [
        f for f in bot.standin.uploaded_files() if f.filename == "succeeded.csv" and f.channel_id == "C0OPS"
    ]
    assert file.content is not None
    rows = [row[0] for row in list(csv.reader(io.StringIO(file.content.decode())))[1:]]
    assert Counter(rows) == Counter(good)

    # Progress: one message, posted once and updated, ending at the total.
    progress = [c for c in bot.standin.calls("chat.postMessage") if "Applying change" in text_of(c.args)]
    assert len(progress) == 1
    updates = bot.standin.calls("chat.update")
    assert updates and all(update.args["ts"] == progress[0].response["ts"] for update in updates)
    assert "1,240 of 1,240 numbers sent" in text_of(updates[-1].args)
    bot.assert_every_message_valid()


async def test_numbers_from_an_uploaded_csv_are_associated(bot: BotHarness) -> None:
    rows = ["number,site", *[f"+1 (206) 555-{line:04d},seattle" for line in range(100, 160)]]
    file_id = bot.standin.share_file("numbers.csv", "\n".join(rows).encode())
    link = f"<https://switchboard-test.slack.com/files/U0ALICE/{file_id}/numbers.csv>"
    posted = await bot.command(f"numbers associate pstn-failover --file {link}")
    await posted.wait()
    preview = bot.standin.stored_message(posted.response_name)
    assert "Associate 60 number(s)" in text_of(preview)
    click = await bot.click(APPLY_ACTION, button_value(preview, APPLY_ACTION), preview)
    [result] = await click.wait()
    assert "60 of 60" in text_of(result)
    sent = [
        r
        for r in recorded_requests(bot.sandbox)
        if r["operation"] == "AssociatePhoneNumbersWithVoiceConnectorGroup"
    ]
    assert sorted(n for r in sent for n in r["body"]["E164PhoneNumbers"]) == [
        f"+1206555{n:04d}" for n in range(100, 160)
    ]


async def test_a_file_with_bad_rows_names_them_and_plans_nothing(bot: BotHarness) -> None:
    file_id = bot.standin.share_file("numbers.txt", b"+12065550100\nnot a number\n12345678\n")
    posted = await bot.command(f"numbers associate pstn-failover --file {file_id}")
    [message] = await posted.wait()
    text = text_of(message)
    assert "2 problem(s)" in text and "line 2" in text and "line 3" in text
    assert not [r for r in recorded_requests(bot.sandbox) if str(r["operation"]).startswith("Associate")]
    [record] = await bot.runtime.store.history()
    assert record.status == "INVALID"


async def test_a_link_that_is_not_a_slack_file_is_refused(bot: BotHarness) -> None:
    posted = await bot.command("numbers associate pstn-failover --file <https://example.com/numbers.csv>")
    [message] = await posted.wait()
    assert "not a Slack file link" in text_of(message)
