"""Every change command's whole life, in-process against the sandbox: dry run → preview → apply →
read back → crash read-back (reconciliation) → undo → read back.

The account is read back straight from the sandbox with botocore, not through the bot, and
compared by names (IDs change when a deleted resource is recreated). A change command without a
row here, or whose plan, apply, read-back check or inverse does not work, fails this file.
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot import reconciliation
from bot.ops import registry
from bot.outcomes import Answer, awaiting
from bot.render.outcome_views import answer_view
from bot.results import Plan
from bot.runtime import Runtime, open_runtime
from bot.sandbox import RunningSandbox
from bot.settings import AwsSettings, CoreSettings
from bot.store import Status
from bot.workflow import Request
from commands import ChangeCommand
from commands.connector import (
    ConnectorCreate,
    ConnectorDelete,
    ConnectorEncryption,
    ConnectorRename,
    ConnectorTag,
    ConnectorUntag,
)
from commands.connector_logging import LoggingSet
from commands.emergency import EmergencyClear, EmergencySet
from commands.group import GroupCreate, GroupDelete, GroupFailover, GroupRename, GroupUpdate
from commands.numbers import NumbersAssociate, NumbersDisassociate, NumbersOrder, NumberUpdate
from commands.origination import (
    OriginationClear,
    OriginationDisable,
    OriginationDrain,
    OriginationEnable,
    OriginationRouteAdd,
    OriginationRouteChange,
    OriginationRouteRemove,
    OriginationSet,
)
from commands.proxy import ProxyClear, ProxySet
from commands.registry import COMMANDS
from commands.sip import SipRuleDisable, SipRuleEnable
from commands.streaming import StreamingClear, StreamingSet
from commands.termination import CredentialsAdd, CredentialsRemove, TerminationClear, TerminationSet
from tests.helpers.sandbox_fixtures import voice_client

REGIONS = ("us-east-1", "us-west-2")
POLICY = "roles:\n  admin: ['*']\ngrants:\n  - role: admin\n    everyone: true\n"

Account = dict[str, Any]
"""The account by names: connectors, groups (members, numbers), origination and proxy per connector;
termination settings and SIP user names of the connectors that have either."""


async def read_account(sandbox: RunningSandbox) -> Account:
    """Everything a change command can touch, keyed by names so recreated resources compare equal."""
    connectors: dict[str, str] = {}
    account: Account = {"connectors": {}, "groups": {}, "numbers": {}, "termination": {}, "phones": {}}
    for region in REGIONS:
        async with voice_client(sandbox, region) as client:
            listed = (await client.list_voice_connectors())["VoiceConnectors"]
            for connector in listed:
                connectors[connector["VoiceConnectorId"]] = connector["Name"]
                account["connectors"][connector["Name"]] = {
                    "region": region,
                    "encryption": connector["RequireEncryption"],
                    "origination": await _optional(
                        client.get_voice_connector_origination, connector, "Origination"
                    ),
                    "proxy": await _optional(client.get_voice_connector_proxy, connector, "Proxy"),
                    "tags": await _tags(client, connector),
                }
                await _read_termination(client, connector, account)
                account.setdefault("settings", {})[connector["Name"]] = await _settings(client, connector)
    groups: dict[str, str] = {}
    for region in REGIONS:
        async with voice_client(sandbox, region) as client:
            for group in (await client.list_voice_connector_groups())["VoiceConnectorGroups"]:
                groups[group["VoiceConnectorGroupId"]] = group["Name"]
                members = sorted(
                    (connectors[item["VoiceConnectorId"]], item["Priority"])
                    for item in group["VoiceConnectorItems"]
                )
                account["groups"][group["Name"]] = {"region": region, "members": members}
            account.setdefault("sip_rules", {}).update(
                {rule["Name"]: rule["Disabled"] for rule in (await client.list_sip_rules())["SipRules"]}
            )
    async with voice_client(sandbox) as client:
        token: dict[str, str] = {}
        while True:
            page = await client.list_phone_numbers(**token)
            for number in page["PhoneNumbers"]:
                account["phones"][number["E164PhoneNumber"]] = (
                    number["ProductType"],
                    number.get("CallingName"),
                )
                for association in number.get("Associations") or []:
                    names = connectors if association["Name"] == "VoiceConnectorId" else groups
                    account["numbers"][number["E164PhoneNumber"]] = names[association["Value"]]
            if not page.get("NextToken"):
                break
            token = {"NextToken": page["NextToken"]}
    return account


async def _tags(client: Any, connector: dict[str, Any]) -> dict[str, str]:
    listed = await client.list_tags_for_resource(ResourceARN=connector["VoiceConnectorArn"])
    return {tag["Key"]: tag["Value"] for tag in listed["Tags"]}


async def _read_termination(client: Any, connector: dict[str, Any], account: Account) -> None:
    """Termination apart from the connector's entry, so rows that do not touch it need not say so."""
    settings = await _optional(client.get_voice_connector_termination, connector, "Termination")
    listed = await client.list_voice_connector_termination_credentials(
        VoiceConnectorId=connector["VoiceConnectorId"]
    )
    if settings is not None or listed["Usernames"]:
        account["termination"][connector["Name"]] = {
            "settings": settings,
            "users": sorted(listed["Usernames"]),
        }


async def _settings(client: Any, connector: dict[str, Any]) -> dict[str, Any]:
    """A connector's logging, streaming and emergency calling settings."""
    logging = await client.get_voice_connector_logging_configuration(
        VoiceConnectorId=connector["VoiceConnectorId"]
    )
    return {
        "logging": logging["LoggingConfiguration"],
        "streaming": await _optional(
            client.get_voice_connector_streaming_configuration, connector, "StreamingConfiguration"
        ),
        "emergency": await _optional(
            client.get_voice_connector_emergency_calling_configuration,
            connector,
            "EmergencyCallingConfiguration",
        ),
    }


async def _optional(get: Callable[..., Any], connector: dict[str, Any], key: str) -> Any:
    try:
        return (await get(VoiceConnectorId=connector["VoiceConnectorId"]))[key]
    except Exception as error:  # botocore's NotFoundException: the setting was never made
        if "NotFound" not in type(error).__name__:
            raise
        return None


@dataclass(frozen=True)
class Row:
    """One change command's life: `setup` makes the state it needs; `applied` checks the result."""

    command: type[ChangeCommand]
    text: str
    applied: Callable[[Account], bool]
    setup: tuple[str, ...] = ()
    restored: Callable[[Account, Account], bool] = field(default=lambda before, after: before == after)
    """Whether the account after undo is what it was before (by names, IDs aside)."""
    caveat: str | None = None
    """What the undo's preview must warn it will not restore."""
    no_undo: str | None = None
    """Why undo is refused (the change has no inverse): the refusal must say so."""


def _connector_back_without_its_settings(before: Account, after: Account) -> bool:
    """A deleted connector comes back by name, region and tags, without its origination or groups."""
    back = after["connectors"].get("doomed-vc")
    return (
        back is not None
        and back["region"] == "us-west-2"
        and back["origination"] is None
        and back["tags"] == {"team": "voice"}
    )


ROUTE = "--route 10.24.34.7:5060/udp,priority=1,weight=10"
TWO_HOSTS = f"origination set pstn-secondary {ROUTE} --route sbc.example.com:5061/tcp,priority=2,weight=5"


def _routes(account: Account) -> list[tuple[str, int, str, int, int]]:
    """pstn-secondary's routes as (host, port, protocol, priority, weight), in AWS's order."""
    routes = account["connectors"]["pstn-secondary"]["origination"]["Routes"]
    return [(r["Host"], r["Port"], r["Protocol"], r["Priority"], r["Weight"]) for r in routes]


N1, N2, N3 = "+12065550120", "+12065550121", "+12065550122"
DNIS = "--dnis +12065550150:+12065550151:US"
ANALYTICS = "arn:aws:chime:us-west-2:123456789012:media-insights-pipeline-configuration/call-analytics"
ORDERED = "+12125550150"  # for sale: 212 is beyond the sandbox account's default inventory

ROWS = (
    Row(
        LoggingSet,
        "logging set pstn-primary --sip-logs on",
        lambda account: (
            account["settings"]["pstn-primary"]["logging"]
            == {"EnableSIPLogs": True, "EnableMediaMetricLogs": True}
        ),
        setup=("logging set pstn-primary --media-metrics on",),
    ),
    Row(
        EmergencySet,
        f"emergency set pstn-secondary {DNIS} --dnis +12065550152::CA",
        lambda account: (
            [entry["CallingCountry"] for entry in account["settings"]["pstn-secondary"]["emergency"]["DNIS"]]
            == ["US", "CA"]
        ),
        setup=(
            f"origination set pstn-secondary {ROUTE}",
            "termination set pstn-secondary --calling-regions US",
            f"emergency set pstn-secondary {DNIS}",
        ),
    ),
    Row(
        EmergencyClear,
        "emergency clear pstn-secondary --reason moving-provider",
        lambda account: account["settings"]["pstn-secondary"]["emergency"] is None,
        setup=(
            f"origination set pstn-secondary {ROUTE}",
            "termination set pstn-secondary --calling-regions US",
            f"emergency set pstn-secondary {DNIS}",
        ),
    ),
    Row(
        StreamingSet,
        "streaming set pstn-secondary --retention 48 --notify SQS",
        lambda account: (
            account["settings"]["pstn-secondary"]["streaming"]
            == {
                "DataRetentionInHours": 48,
                "Disabled": False,
                "StreamingNotificationTargets": [{"NotificationTarget": "SQS"}],
                "MediaInsightsConfiguration": {"Disabled": False, "ConfigurationArn": ANALYTICS},
            }
        ),
        setup=(
            f"streaming set pstn-secondary --retention 24 --notify EventBridge --media-insights {ANALYTICS}",
        ),
    ),
    Row(
        StreamingClear,
        "streaming clear pstn-secondary",
        lambda account: account["settings"]["pstn-secondary"]["streaming"] is None,
        setup=(
            f"streaming set pstn-secondary --retention 24 --notify EventBridge --media-insights {ANALYTICS}",
        ),
    ),
    Row(
        SipRuleDisable,
        "sip-rule disable main-ivr-number --incident INC-1",
        lambda account: account["sip_rules"]["main-ivr-number"] is True,
    ),
    Row(
        SipRuleEnable,
        "sip-rule enable after-hours-number",
        lambda account: account["sip_rules"]["after-hours-number"] is False,
    ),
    Row(
        ConnectorCreate,
        "connector create lifecycle-vc --region us-west-2 --no-encryption --tag team=voice",
        lambda account: (
            account["connectors"]["lifecycle-vc"]
            == {
                "region": "us-west-2",
                "encryption": False,
                "origination": None,
                "proxy": None,
                "tags": {"team": "voice"},
            }
        ),
    ),
    Row(
        ConnectorDelete,
        "connector delete doomed-vc --reason decommissioned",
        lambda account: (
            "doomed-vc" not in account["connectors"]
            and account["groups"]["doomed-group"]["members"] == [("pstn-primary", 2)]
        ),
        setup=(
            "connector create doomed-vc --region us-west-2 --tag team=voice",
            "group create doomed-group --member doomed-vc:1 --member pstn-primary:2",
            f"origination set doomed-vc {ROUTE}",
        ),
        restored=_connector_back_without_its_settings,
        caveat="does not restore the old connector's origination routes",
    ),
    Row(
        GroupCreate,
        f"group create lifecycle-group --member pstn-primary:1 --member pstn-secondary:2 --number {N1}",
        lambda account: (
            account["groups"]["lifecycle-group"]["members"] == [("pstn-primary", 1), ("pstn-secondary", 2)]
            and account["numbers"][N1] == "lifecycle-group"
        ),
    ),
    Row(
        GroupDelete,
        "group delete pstn-failover",
        lambda account: "pstn-failover" not in account["groups"] and N1 not in account["numbers"],
        setup=(f"numbers associate pstn-failover {N1} {N2}",),
        caveat="new ID",
    ),
    Row(
        GroupUpdate,
        "group update pstn-failover --member pstn-secondary:1 --member pstn-primary:3",
        lambda account: (
            account["groups"]["pstn-failover"]["members"] == [("pstn-primary", 3), ("pstn-secondary", 1)]
        ),
    ),
    Row(
        GroupFailover,
        "group failover pstn-failover --reason 'primary SBC down'",
        lambda account: (
            account["groups"]["pstn-failover"]["members"] == [("pstn-primary", 2), ("pstn-secondary", 1)]
        ),
    ),
    Row(
        GroupRename,
        "group rename pstn-failover pstn-east",
        lambda account: (
            "pstn-failover" not in account["groups"] and account["groups"]["pstn-east"]["members"]
        ),
    ),
    Row(
        ConnectorRename,
        "connector rename pstn-secondary pstn-west",
        lambda account: (
            "pstn-secondary" not in account["connectors"] and "pstn-west" in account["connectors"]
        ),
    ),
    Row(
        ConnectorEncryption,
        "connector encryption pstn-secondary --off",
        lambda account: account["connectors"]["pstn-secondary"]["encryption"] is False,
    ),
    Row(
        ConnectorTag,
        "connector tag pstn-secondary team=ops 'site=Seattle 2' --remove old",
        lambda account: (
            account["connectors"]["pstn-secondary"]["tags"] == {"team": "ops", "site": "Seattle 2"}
        ),
        setup=("connector tag pstn-secondary team=voice old=1",),
    ),
    Row(
        ConnectorUntag,
        "connector untag pstn-secondary team",
        lambda account: account["connectors"]["pstn-secondary"]["tags"] == {"old": "1"},
        setup=("connector tag pstn-secondary team=voice old=1",),
    ),
    Row(
        NumbersAssociate,
        f"numbers associate pstn-failover {N1} {N2}",
        lambda account: account["numbers"][N1] == account["numbers"][N2] == "pstn-failover",
    ),
    Row(
        NumbersAssociate,
        f"numbers associate pstn-failover {N3} --force",
        lambda account: account["numbers"][N3] == "pstn-failover",
        setup=(f"group create other-group --number {N3}",),
        restored=lambda before, after: N3 not in after["numbers"],
        caveat="to move them back instead, run",
    ),
    Row(
        NumbersDisassociate,
        f"numbers disassociate pstn-failover {N1}",
        lambda account: N1 not in account["numbers"] and account["numbers"][N2] == "pstn-failover",
        setup=(f"numbers associate pstn-failover {N1} {N2}",),
    ),
    Row(
        NumbersAssociate,
        f"numbers associate pstn-primary {N1} {N2}",
        lambda account: account["numbers"][N1] == account["numbers"][N2] == "pstn-primary",
    ),
    Row(
        NumbersAssociate,
        f"numbers associate connector:pstn-primary {N3} --force",
        lambda account: account["numbers"][N3] == "pstn-primary",
        setup=(f"numbers associate pstn-failover {N3}",),
        restored=lambda before, after: N3 not in after["numbers"],
        caveat="to move them back instead, run",
    ),
    Row(
        NumbersDisassociate,
        f"numbers disassociate pstn-primary {N1}",
        lambda account: N1 not in account["numbers"] and account["numbers"][N2] == "pstn-primary",
        setup=(f"numbers associate connector:pstn-primary {N1} {N2}",),
    ),
    Row(
        NumberUpdate,
        f"number update {N1} {N2} --calling-name 'Example Corp'",
        lambda account: account["phones"][N1] == account["phones"][N2] == ("VoiceConnector", "Example Corp"),
    ),
    Row(
        NumberUpdate,
        f"number update {N3} --product-type SipMediaApplicationDialIn",
        lambda account: account["phones"][N3] == ("SipMediaApplicationDialIn", None),
    ),
    Row(
        NumberUpdate,
        f"number update {N1} {N2} --calling-name ''",
        lambda account: account["phones"][N1] == account["phones"][N2] == ("VoiceConnector", None),
        setup=(f"number update {N1} {N2} --calling-name 'Example Corp'",),
    ),
    Row(
        NumbersOrder,
        f"numbers order {ORDERED} --product-type VoiceConnector",
        lambda account: account["phones"][ORDERED] == ("VoiceConnector", None),
        no_undo="DeletePhoneNumber",
    ),
    Row(
        OriginationSet,
        f"origination set pstn-secondary {ROUTE} --route sbc.example.com/tcp,priority=2,weight=1",
        lambda account: len(account["connectors"]["pstn-secondary"]["origination"]["Routes"]) == 2,
    ),
    Row(
        OriginationDisable,
        "origination disable pstn-secondary",
        lambda account: account["connectors"]["pstn-secondary"]["origination"]["Disabled"] is True,
        setup=(f"origination set pstn-secondary {ROUTE}",),
    ),
    Row(
        OriginationEnable,
        "origination enable pstn-secondary",
        lambda account: account["connectors"]["pstn-secondary"]["origination"]["Disabled"] is False,
        setup=(f"origination set pstn-secondary {ROUTE} --disabled",),
    ),
    Row(
        OriginationClear,
        "origination clear pstn-secondary",
        lambda account: account["connectors"]["pstn-secondary"]["origination"] is None,
        setup=(f"origination set pstn-secondary {ROUTE}",),
    ),
    Row(
        OriginationRouteAdd,
        "origination route add pstn-secondary sbc2.example.com/udp,priority=2,weight=5",
        lambda account: _routes(account)[1:] == [("sbc2.example.com", 5060, "UDP", 2, 5)],
        setup=(f"origination set pstn-secondary {ROUTE}",),
    ),
    Row(
        OriginationRouteAdd,
        "origination route add pstn-secondary sbc2.example.com/udp,priority=2,weight=5",
        lambda account: _routes(account) == [("sbc2.example.com", 5060, "UDP", 2, 5)],
    ),
    Row(
        OriginationRouteRemove,
        "origination route remove pstn-secondary sbc.example.com",
        lambda account: _routes(account) == [("10.24.34.7", 5060, "UDP", 1, 10)],
        setup=(TWO_HOSTS,),
    ),
    Row(
        OriginationRouteChange,
        "origination route change pstn-secondary sbc.example.com:5061 --weight 1 --port 5062 --protocol udp",
        lambda account: _routes(account)[1] == ("sbc.example.com", 5062, "UDP", 2, 1),
        setup=(TWO_HOSTS,),
    ),
    Row(
        OriginationDrain,
        "origination drain pstn-secondary 10.24.34.7 --incident INC-1",
        lambda account: _routes(account) == [("sbc.example.com", 5061, "TCP", 2, 5)],
        setup=(TWO_HOSTS, "origination disable pstn-secondary"),
    ),
    Row(
        ProxySet,
        "proxy set pstn-secondary --expiry 60 --countries US,CA --fallback +12065550199",
        lambda account: (
            account["connectors"]["pstn-secondary"]["proxy"]["PhoneNumberCountries"] == ["US", "CA"]
        ),
    ),
    Row(
        ProxyClear,
        "proxy clear pstn-secondary",
        lambda account: account["connectors"]["pstn-secondary"]["proxy"] is None,
        setup=("proxy set pstn-secondary --expiry 30 --countries US",),
    ),
    Row(
        TerminationSet,
        "termination set pstn-secondary --cps 3 --default-number +12065550188",
        lambda account: (
            account["termination"]["pstn-secondary"]["settings"]
            == {
                "CpsLimit": 3,
                "CallingRegions": ["US"],
                "CidrAllowedList": ["203.0.113.0/24"],
                "DefaultPhoneNumber": "+12065550188",
                "Disabled": True,
            }
        ),
        setup=("termination set pstn-secondary --calling-regions US --cidr 203.0.113.0/24 --disabled",),
    ),
    Row(
        TerminationSet,
        "termination set pstn-secondary --calling-regions US,CA --cidr 198.51.100.0/24",
        lambda account: (
            account["termination"]["pstn-secondary"]["settings"]["CallingRegions"] == ["US", "CA"]
        ),
    ),
    Row(
        TerminationClear,
        "termination clear pstn-secondary",
        lambda account: "pstn-secondary" not in account["termination"],
        setup=("termination set pstn-secondary --cps 2 --calling-regions CA --cidr 198.51.100.0/24",),
    ),
    Row(
        CredentialsAdd,
        "termination credentials add pstn-secondary sbc-west",
        lambda account: account["termination"]["pstn-secondary"]["users"] == ["sbc-west"],
    ),
    Row(
        CredentialsRemove,
        "termination credentials remove pstn-secondary sbc-west",
        lambda account: "pstn-secondary" not in account["termination"],
        setup=("termination credentials add pstn-secondary sbc-west",),
        no_undo="passwords cannot be restored",
    ),
)


def test_every_change_command_has_a_lifecycle_row() -> None:
    """A new change command fails here until its whole life is tested below; its ops (plan,
    read-backs, inverse) are those registered in bot/ops, which the rows below exercise."""
    change_commands = {command for command in COMMANDS if issubclass(command, ChangeCommand)}
    assert change_commands == {row.command for row in ROWS} == set(registry.CHANGES)


@pytest.fixture
async def runtime(sandbox: RunningSandbox, tmp_path: Path) -> AsyncIterator[Runtime]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    core = CoreSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/audit.db", policy_file=policy)
    async with open_runtime(aws=AwsSettings(), core=core, sandbox_fallback=False) as runtime:
        yield runtime


def _request(text: str) -> Request:
    return Request(user_id="U0LIFE", channel_id="C0OPS", text=text, surface="console")


async def _apply(runtime: Runtime, text: str) -> tuple[Answer, Plan]:
    """Preview and confirm one command; returns the outcome's answer and the plan that was applied."""
    preview = await runtime.workflow.handle(_request(text))
    change_id = awaiting(preview)
    assert change_id is not None, answer_view(preview)
    record = await runtime.store.get(change_id)
    assert record is not None and record.status == Status.PLANNED and record.plan is not None
    applied = await runtime.workflow.confirm(change_id, _request(""))
    record = await runtime.store.get(change_id)
    assert record is not None and record.status == Status.APPLIED, (record and record.error, applied)
    return applied, Plan.model_validate(record.plan)


async def _in_effect(runtime: Runtime, plan: Plan, since: datetime) -> bool:
    return await reconciliation.in_effect(plan, runtime.backend.voice, since)


@pytest.mark.parametrize("row", ROWS, ids=[row.text.split(" --")[0][:40] for row in ROWS])
async def test_change_lives_from_preview_to_undo(row: Row, runtime: Runtime, sandbox: RunningSandbox) -> None:
    for text in row.setup:
        await _apply(runtime, text)
    before = await read_account(sandbox)

    dry = await runtime.workflow.handle(_request(row.text + " --dry-run"))
    assert awaiting(dry) is None and "Dry run" in str(answer_view(dry))
    assert await read_account(sandbox) == before, "a dry run changed the account"

    started = datetime.now().astimezone()
    preview = await runtime.workflow.handle(_request(row.text))
    change_id = awaiting(preview)
    assert change_id is not None, answer_view(preview)
    planned = await runtime.store.get(change_id)
    assert planned is not None and planned.plan is not None
    assert not await _in_effect(runtime, Plan.model_validate(planned.plan), started), "in effect before apply"
    await runtime.workflow.cancel(change_id, _request(""))

    _, plan = await _apply(runtime, row.text)
    after = await read_account(sandbox)
    assert after != before and row.applied(after), after
    assert await _in_effect(runtime, plan, started), "crash recovery would not see the applied change"

    [applied] = [
        r
        for r in await runtime.store.history(limit=100)
        if r.command_text == row.text and r.status == Status.APPLIED
    ]
    undo = await runtime.workflow.handle(_request(f"undo {applied.id}"))
    if row.no_undo:
        assert awaiting(undo) is None and row.no_undo in str(answer_view(undo)), answer_view(undo)
        return
    undo_id = awaiting(undo)
    assert undo_id is not None, answer_view(undo)
    if row.caveat:
        assert row.caveat in str(answer_view(undo)), answer_view(undo)
    undo_started = datetime.now().astimezone()
    await runtime.workflow.confirm(undo_id, _request(""))
    undone = await runtime.store.get(undo_id)
    assert undone is not None and undone.status == Status.APPLIED and undone.undo_of == applied.id, undone
    assert row.restored(before, await read_account(sandbox)), await read_account(sandbox)
    assert await _in_effect(runtime, Plan.model_validate(undone.plan), undo_started)
