"""Edit forms on Slack: `origination show` / `termination show` → Edit → a modal of the current settings →
submitted, the same preview as the typed `… set` command, run as the person who submitted it."""

from typing import Any

import pytest

from bot.sandbox.seed import PRIMARY_CONNECTOR_ID
from bot.slack.actions import APPLY_ACTION
from tests.helpers.blockkit import errors_problems
from tests.helpers.bot_harness import POLICY, BotHarness, HarnessFactory, Posted
from tests.helpers.messages import button_value, sent, text_of
from tests.helpers.sandbox_fixtures import voice_client

pytestmark = pytest.mark.both_transports

EDIT_ORIGINATION, EDIT_TERMINATION = "open_origination_form", "open_termination_form"


async def put_origination(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID,
            Origination={
                "Routes": [
                    {"Host": "10.24.34.1", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 5}
                ],
                "Disabled": False,
            },
        )


async def open_form(
    bot: BotHarness, show: str, action_id: str, *, user: str = "U0ALICE"
) -> tuple[Posted, str]:
    """`/voice <show>`, then Edit on its answer: (the click, the ID of the modal it opened and filled)."""
    shown = await bot.command(show, user=user)
    [answer] = await shown.wait()
    value = button_value(answer, action_id)
    opened = len(bot.standin.calls("views.open"))
    updated = len(bot.standin.calls("views.update"))
    click = await bot.click(action_id, value, None, user=user)  # the show's answer is ephemeral
    calls = await bot.standin.wait_for("views.open", opened + 1)
    view_id = str(calls[-1].response["view"]["id"])
    await bot.standin.wait_for("views.update", updated + 1)
    return click, view_id


def initial(view: dict[str, Any], block_id: str) -> Any:
    [element] = [b["element"] for b in view["blocks"] if b.get("block_id") == block_id]
    option = element.get("initial_option")
    return option["value"] if option else element.get("initial_value")


async def test_origination_form_previews_the_typed_command_and_applies(bot: BotHarness) -> None:
    await put_origination(bot)
    setup = sent(bot, "PutVoiceConnectorOrigination")
    click, view_id = await open_form(bot, "origination show pstn-primary", EDIT_ORIGINATION)
    form = bot.standin.view(view_id)
    assert form["title"]["text"] == "Edit origination" and form["submit"]["text"] == "Preview"
    assert [
        initial(form, f"route0_{field}") for field in ("host", "port", "protocol", "priority", "weight")
    ] == [
        "10.24.34.1",
        "5060",
        "UDP",
        "1",
        "5",
    ]
    assert initial(form, "route1_host") is None  # a blank row to add a route

    answers = {
        "route0_weight": "7",
        "route1_host": "sbc2.example.com",
        "route1_protocol": "TCP",
        "route1_priority": "2",
        "route1_weight": "3",
        "reason": "second SBC",
    }
    status, ack = await bot.submit(view_id, answers)
    assert status == 200 and ack is None  # the form closes
    [preview] = await click.wait()  # through the Edit click's response_url, in the channel
    assert preview["response_type"] == "in_channel" and "Preview" in text_of(preview)
    assert "sbc2.example.com/tcp,priority=2,weight=3" in text_of(preview)
    assert sent(bot, "PutVoiceConnectorOrigination") == setup

    change_id = button_value(preview, APPLY_ACTION)
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.requested_by == "U0ALICE" and record.channel_id == "C0OPS"
    assert record.command_text == (
        f"origination set {PRIMARY_CONNECTOR_ID} --route 10.24.34.1:5060/udp,priority=1,weight=7"
        " --route sbc2.example.com/tcp,priority=2,weight=3 --reason 'second SBC'"
    )
    applied = await bot.click(APPLY_ACTION, change_id, bot.standin.stored_message(click.response_name))
    [result] = await applied.wait()
    assert "Applied" in text_of(result)
    [put] = sent(bot, "PutVoiceConnectorOrigination")[len(setup) :]
    routes = put["body"]["Origination"]["Routes"]
    assert [(route["Host"], route["Weight"]) for route in routes] == [
        ("10.24.34.1", 7),
        ("sbc2.example.com", 3),
    ]


async def test_field_errors_and_the_policys_rules_come_back_on_their_fields(
    bot_factory: HarnessFactory,
) -> None:
    bot = await bot_factory(
        POLICY.replace('reason_required: ["connector.delete"]', 'reason_required: ["origination.set"]')
    )
    await put_origination(bot)
    _, view_id = await open_form(bot, "origination show pstn-primary", EDIT_ORIGINATION)
    form = bot.standin.view(view_id)

    status, ack = await bot.submit(
        view_id, {"route1_host": "bad host!", "route1_priority": "2", "route1_weight": "1"}
    )
    assert status == 200 and ack is not None and ack["response_action"] == "errors"
    errors = ack["errors"]
    assert set(errors) == {"route1_host", "route1_protocol"} and "DNS name" in errors["route1_host"]
    assert errors_problems(form, errors) == []

    status, ack = await bot.submit(view_id, {"route0_host": None})  # every route cleared
    assert status == 200 and ack is not None and set(ack["errors"]) == {"route0_host"}

    status, ack = await bot.submit(view_id, {"route0_weight": "9"})  # valid, but no reason
    assert status == 200 and ack is not None
    assert ack["errors"] == {"reason": "The policy requires it for `origination.set`."}
    assert await bot.runtime.store.history() == []  # nothing was proposed


async def test_the_click_and_the_submission_check_the_policy_of_whoever_acts(bot: BotHarness) -> None:
    await put_origination(bot)
    setup = sent(bot, "PutVoiceConnectorOrigination")
    shared = await bot.command("origination show pstn-primary --share")
    [answer] = await shared.wait()
    # U0DAVE may read (everyone is a reader) but not change origination: the click opens nothing.
    message = bot.standin.stored_message(shared.response_name)
    denied = await bot.click(EDIT_ORIGINATION, button_value(answer, EDIT_ORIGINATION), message, user="U0DAVE")
    [refusal] = await denied.wait()
    assert "origination.set" in text_of(refusal) and refusal["response_type"] == "ephemeral"
    assert bot.standin.calls("views.open") == []

    # A form submitted by someone the policy does not allow is refused and audited, not previewed.
    click, view_id = await open_form(bot, "origination show pstn-primary", EDIT_ORIGINATION)
    status, ack = await bot.submit(view_id, {"route0_weight": "9"}, user="U0DAVE")
    assert status == 200 and ack is None
    [refused] = await click.wait()
    assert "origination.set" in text_of(refused) and refused["response_type"] == "ephemeral"
    [record] = await bot.runtime.store.history()
    assert (record.status, record.requested_by) == ("DENIED", "U0DAVE")
    assert sent(bot, "PutVoiceConnectorOrigination") == setup


async def test_termination_form_states_every_setting_and_previews(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.put_voice_connector_termination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID,
            Termination={"CallingRegions": ["US"], "CidrAllowedList": ["203.0.113.0/24"], "CpsLimit": 2},
        )
    click, view_id = await open_form(bot, "termination show pstn-primary", EDIT_TERMINATION)
    form = bot.standin.view(view_id)
    assert [initial(form, block) for block in ("cps", "calling_regions", "cidrs", "state")] == [
        "2",
        "US",
        "203.0.113.0/24",
        "enabled",
    ]
    status, ack = await bot.submit(view_id, {"calling_regions": "US, Canada"})
    assert status == 200 and ack is not None and set(ack["errors"]) == {"calling_regions"}
    assert "Canada" in ack["errors"]["calling_regions"]

    status, ack = await bot.submit(
        view_id, {"cps": "5", "calling_regions": "US,CA", "cidrs": "203.0.113.0/24\n198.51.100.0/24"}
    )
    assert status == 200 and ack is None
    [preview] = await click.wait()
    assert "Preview" in text_of(preview) and "198.51.100.0/24" in text_of(preview)
    record = await bot.runtime.store.get(button_value(preview, APPLY_ACTION))
    assert record is not None and record.command_text == (
        f"termination set {PRIMARY_CONNECTOR_ID} --cps 5 --calling-regions US,CA --cidr 203.0.113.0/24"
        " --cidr 198.51.100.0/24 --no-default-number --enabled"
    )


async def test_a_field_s_text_stays_in_its_field_whatever_quotes_it_holds(bot: BotHarness) -> None:
    """Slack turns quotes into smart quotes and the lexer undoes that: a form's reason holding them
    must not end its own quoting and smuggle in a route the form did not show."""
    await put_origination(bot)
    click, view_id = await open_form(bot, "origination show pstn-primary", EDIT_ORIGINATION)
    reason = "x’ --route evil.example.com/udp,priority=1,weight=99 --reason ’R&amp;D"
    status, ack = await bot.submit(view_id, {"route0_weight": "9", "reason": reason})
    assert status == 200 and ack is None
    [preview] = await click.wait()
    record = await bot.runtime.store.get(button_value(preview, APPLY_ACTION))
    assert record is not None and record.reason == reason.replace("’", "'")
    assert record.plan is not None
    [put] = record.plan.calls
    assert [route["Host"] for route in put.params["Origination"]["Routes"]] == ["10.24.34.1"]
