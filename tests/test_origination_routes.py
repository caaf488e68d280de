"""Route-level origination edits: the route diff every origination preview shows, the refusals a
route edit needs, the stale check that keeps someone else's route change, and who may drain."""

import re
from pathlib import Path

import pytest

from bot.ops.common import NothingToDo, Unplannable
from bot.ops.origination import route_changes
from bot.ops.registry import change_ops
from bot.policy import Subject, load_policy
from bot.render.views import help_view
from bot.results import FieldChange, Plan
from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.settings import AwsSettings
from bot.slack.actions import APPLY_ACTION
from bot.voice import VoiceService
from commands import ChangeCommand, UsageError, parse
from commands.origination import OriginationDrain, OriginationRouteAdd, OriginationRouteChange
from tests.helpers.bot_harness import BotHarness
from tests.helpers.console_process import run_console
from tests.helpers.messages import button_value, preview_of, sent, text_of
from tests.helpers.samples import SAMPLES
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client
from voice_domain.located import Reference
from voice_domain.shapes import MAX_ROUTES, Origination, Route

DEPLOY = Path(__file__).parent.parent / "deploy"
SBC1 = Route(host="sbc1.example.com", port=5060, protocol="UDP", priority=1, weight=10)
SBC2 = Route(host="sbc2.example.com", port=5060, protocol="UDP", priority=2, weight=10)
SBC3 = Route(host="sbc3.example.com", port=5061, protocol="TCP", priority=2, weight=5)


def _lines(changes: list[FieldChange]) -> list[str]:
    return [f"{change.field}: {change.before} → {change.after}" for change in changes]


# The diff ----------------------------------------------------------------------------------


def test_unchanged_routes_are_not_shown_whatever_their_order_or_spelling() -> None:
    typed = SBC1.model_copy(update={"port": None, "host": "SBC1.example.com."})
    assert route_changes([SBC1, SBC2], [SBC2, typed]) == []


def test_a_changed_route_is_shown_field_by_field() -> None:
    lighter = SBC3.model_copy(update={"weight": 1, "protocol": "UDP"})
    assert _lines(route_changes([SBC1, SBC3], [SBC1, lighter])) == [
        "route sbc3.example.com:5061 protocol: tcp → udp",
        "route sbc3.example.com:5061 weight: 5 → 1",
    ]


def test_a_host_whose_one_route_moved_port_is_one_changed_route() -> None:
    moved = SBC3.model_copy(update={"port": 5062})
    assert _lines(route_changes([SBC3], [moved])) == ["route sbc3.example.com:5061 port: 5061 → 5062"]


def test_routes_of_other_hosts_are_removed_and_added() -> None:
    assert _lines(route_changes([SBC1, SBC2], [SBC2, SBC3])) == [
        "route removed: sbc1.example.com:5060/udp,priority=1,weight=10 → None",
        "route added: None → sbc3.example.com:5061/tcp,priority=2,weight=5",
    ]


def test_two_routes_of_one_host_pair_by_port() -> None:
    second = SBC1.model_copy(update={"port": 5080, "weight": 3})
    heavier = second.model_copy(update={"weight": 9})
    assert _lines(route_changes([SBC1, second], [SBC1, heavier])) == [
        "route sbc1.example.com:5080 weight: 3 → 9"
    ]


# Plans and their refusals ------------------------------------------------------------------


async def _plan(text: str, *routes: Route, disabled: bool = False) -> Plan:
    """The command's registered plan, against the sandbox's pstn-primary holding these routes."""
    command = parse(text)
    assert isinstance(command, ChangeCommand)
    async with VoiceService(AwsSettings()) as voice:
        if routes:
            origination = Origination(routes=list(routes), disabled=disabled).to_api()
            await voice.call(
                "us-east-1",
                "PutVoiceConnectorOrigination",
                {"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "Origination": origination},
            )
        target = await voice.locate(Reference("connector", PRIMARY_CONNECTOR_ID))
        return await change_ops(type(command)).plan(command, voice, [target])


async def test_a_route_edit_sends_every_route_and_keeps_origination_disabled(sandbox: RunningSandbox) -> None:
    plan = await _plan(
        "origination route change pstn-primary sbc1.example.com --weight 1", SBC1, SBC2, disabled=True
    )
    sent_routes = plan.calls[0].params["Origination"]
    assert sent_routes == {
        "Routes": [SBC1.model_copy(update={"weight": 1}).to_api(), SBC2.to_api()],
        "Disabled": True,
    }
    assert plan.before == Origination(routes=[SBC1, SBC2], disabled=True).to_api()
    assert _lines(plan.changes) == ["route sbc1.example.com:5060 weight: 10 → 1"]


@pytest.mark.parametrize(
    ("text", "routes", "refusal", "says"),
    [
        (
            "origination route add pstn-primary sbc1.example.com/tcp,priority=3,weight=1",
            (SBC1,),
            Unplannable,
            "already has a route to sbc1.example.com:5060",
        ),
        (
            "origination route remove pstn-primary sbc9.example.com",
            (SBC1, SBC2),
            NothingToDo,
            "no route to sbc9.example.com",
        ),
        (
            "origination route remove pstn-primary sbc1.example.com",
            (SBC1,),
            Unplannable,
            "origination disable",
        ),
        (
            "origination route change pstn-primary sbc1.example.com --port 5061",
            (SBC1, SBC1.model_copy(update={"port": 5061})),
            Unplannable,
            "give HOST:PORT",
        ),
        (
            "origination route change pstn-primary sbc2.example.com --port 5061",
            (SBC2, SBC2.model_copy(update={"port": 5061, "priority": 3})),
            Unplannable,
            "give HOST:PORT",
        ),
        (
            "origination route change pstn-primary sbc2.example.com:5060 --port 5061",
            (SBC2, SBC2.model_copy(update={"port": 5061, "priority": 3})),
            Unplannable,
            "already has another route to",
        ),
        ("origination drain pstn-primary sbc1.example.com", (SBC1,), Unplannable, "origination disable"),
        (
            "origination drain pstn-primary sbc9.example.com",
            (SBC1, SBC2),
            NothingToDo,
            "its hosts: sbc1.example.com, sbc2.example.com",
        ),
    ],
)
async def test_a_route_edit_that_cannot_apply_says_why(
    sandbox: RunningSandbox, text: str, routes: tuple[Route, ...], refusal: type[Exception], says: str
) -> None:
    with pytest.raises(refusal, match=re.escape(says)):
        await _plan(text, *routes)


async def test_a_route_add_beyond_the_limit_is_refused(sandbox: RunningSandbox) -> None:
    full = [SBC1.model_copy(update={"host": f"sbc{n}.example.com"}) for n in range(MAX_ROUTES)]
    with pytest.raises(Unplannable, match="the most AWS allows"):
        await _plan("origination route add pstn-primary sbc99.example.com/udp,priority=1,weight=1", *full)


async def test_draining_the_only_host_at_the_first_priority_warns_where_calls_go(
    sandbox: RunningSandbox,
) -> None:
    plan = await _plan("origination drain pstn-primary SBC1.example.com", SBC1, SBC2, SBC3)
    assert _lines(plan.changes) == ["route removed: sbc1.example.com:5060/udp,priority=1,weight=10 → None"]
    assert plan.warnings == [
        "No route is left at priority 1, which was tried first: calls will go first to priority 2 "
        "(sbc2.example.com, sbc3.example.com)."
    ]
    kept = await _plan("origination drain pstn-primary sbc3.example.com", SBC1, SBC2, SBC3)
    assert kept.warnings == []


def test_a_route_change_must_change_something() -> None:
    with pytest.raises(UsageError, match="at least one of --priority"):
        parse("origination route change pstn-primary sbc1.example.com")
    change = parse("origination route change pstn-primary sbc1.example.com:5061 --protocol tcp --weight 2")
    assert isinstance(change, OriginationRouteChange)
    assert change.updates() == {"protocol": "TCP", "weight": 2}
    assert isinstance(
        parse("origination route add vc sbc1.example.com/udp,priority=1,weight=1"), OriginationRouteAdd
    )
    assert isinstance(parse("ORIGINATION DRAIN vc 10.0.0.1"), OriginationDrain)


def test_three_word_commands_have_help_of_their_own() -> None:
    assert help_view(["origination", "route", "change"]).title.startswith("/voice origination route change:")
    assert help_view(["Origination", "drain", "vc"]).title.startswith("/voice origination drain:")


# Through the console: the diff a person sees, the request AWS gets, undo --------------------


async def test_a_first_route_added_sends_the_api_references_sample_request(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A connector without origination gets it from `route add`: the PutVoiceConnectorOrigination
    sample of the API reference, byte for byte (tests/data/seed_samples.json)."""
    sample = SAMPLES["PutVoiceConnectorOrigination"]

    code, output = await run_console(
        f"/voice origination route add {PRIMARY_CONNECTOR_ID} 10.24.34.0:1234/tcp,priority=1,weight=5",
        cwd=tmp_path,
    )

    assert code == 0, output
    [put] = [r for r in recorded_requests(sandbox) if r["operation"] == "PutVoiceConnectorOrigination"]
    assert (put["method"], put["path"], put["body"]) == (sample["method"], sample["path"], sample["request"])


async def test_console_shows_a_route_edit_as_a_route_diff_and_undo_puts_the_host_back(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "/voice origination set pstn-primary --route sbc1.example.com/udp,priority=1,weight=10"
        " --route sbc2.example.com/udp,priority=2,weight=10",
        "/voice origination route change pstn-primary sbc2.example.com --weight 4",
        "/voice origination drain pstn-primary sbc1.example.com",
        cwd=tmp_path,
    )
    assert code == 0, output
    assert "route added: (none) → sbc2.example.com/udp,priority=2,weight=10" in output
    assert "route sbc2.example.com:5060 weight: 10 → 4" in output
    assert "route removed: sbc1.example.com:5060/udp,priority=1,weight=10 → (none)" in output
    assert "No route is left at priority 1" in output
    puts = [r["body"] for r in recorded_requests(sandbox) if r["operation"] == "PutVoiceConnectorOrigination"]
    assert puts[-1] == {
        "Origination": {
            "Routes": [
                {"Host": "sbc2.example.com", "Port": 5060, "Protocol": "UDP", "Priority": 2, "Weight": 4}
            ],
            "Disabled": False,
        }
    }
    [drain_id] = re.findall(r"Change\s+(c\w+)", output.split("Applied: Origination drain")[1])[:1]

    code, undone = await run_console(f"/voice undo {drain_id}", cwd=tmp_path)

    assert code == 0, undone
    assert "route added: (none) → sbc1.example.com:5060/udp,priority=1,weight=10" in undone
    async with voice_client(sandbox) as voice:
        routes = (await voice.get_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID))[
            "Origination"
        ]
    assert [(r["Host"], r["Weight"]) for r in routes["Routes"]] == [
        ("sbc1.example.com", 10),
        ("sbc2.example.com", 4),
    ]


# Stale: someone else changed the routes between preview and Apply ---------------------------


async def test_a_route_edit_applied_after_someone_else_changed_the_routes_is_refused_as_stale(
    bot: BotHarness,
) -> None:
    """Their change is to a route the drain does not touch: only comparing the whole list read at
    preview with the list at Apply sees it, and sending the previewed list would undo it."""
    two = {"Routes": [SBC1.to_api(), SBC2.to_api()], "Disabled": False}
    async with voice_client(bot.sandbox) as voice:
        await voice.put_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination=two)
        preview = await preview_of(bot, await bot.command("origination drain pstn-primary sbc1.example.com"))
        change_id = button_value(preview, APPLY_ACTION)
        theirs = {"Routes": [SBC1.to_api(), {**SBC2.to_api(), "Weight": 3}], "Disabled": False}
        await voice.put_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination=theirs)

        [message] = await (await bot.click(APPLY_ACTION, change_id, preview)).wait()

        now = (await voice.get_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID))[
            "Origination"
        ]
    assert "state changed since the preview" in text_of(message)
    assert now == theirs
    assert len(sent(bot, "PutVoiceConnectorOrigination")) == 2  # the test's own two, none by the bot
    record = await bot.runtime.store.get(change_id)
    assert record is not None and record.status == "CANCELLED"
    assert button_value(message, APPLY_ACTION) != change_id  # a fresh preview, against their routes


# Who may do it ------------------------------------------------------------------------------


@pytest.mark.parametrize("permission", ["origination.route", "origination.drain"])
def test_on_call_may_edit_and_drain_routes_in_the_example_policy(permission: str) -> None:
    policy = load_policy(DEPLOY / "policy.example.yaml")
    assert policy.decide(Subject("U0CAROL", "C0INCIDENTS", frozenset({"S0ONCALL"})), permission).allowed
    assert not policy.decide(Subject("U0DAVE", "C0INCIDENTS"), permission).allowed
