"""The ops registry is complete, and each resource's requests are exactly what the API's seeds show."""

import pytest

from bot.ops import connector, group, numbers, origination, proxy, registry
from bot.sandbox import RunningSandbox
from bot.settings import AwsSettings
from bot.voice import VoiceService
from commands import parse
from commands.connector import ConnectorCreate
from commands.group import GroupCreate
from commands.numbers import NumbersAssociate
from commands.origination import OriginationDisable, OriginationSet
from commands.proxy import ProxySet, ProxyShow
from voice_domain.located import Reference
from voice_domain.shapes import Origination

PRIMARY = "abcdef1ghij2klmno3pqr4"


def test_every_command_has_its_ops() -> None:
    assert registry.missing() == []


def test_a_change_whose_operation_cannot_be_read_back_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(registry.EFFECTS, "UpdateVoiceConnectorGroup")
    problems = registry.missing()
    assert any(p.startswith("ConnectorDelete sends UpdateVoiceConnectorGroup") for p in problems), problems
    with pytest.raises(TypeError, match="no read-back for crash reconciliation"):
        registry.check_complete()


def test_a_command_without_ops_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "CHANGES", {k: v for k, v in registry.CHANGES.items() if k is not ProxySet})
    monkeypatch.setattr(registry, "READS", {k: v for k, v in registry.READS.items() if k is not ProxyShow})
    assert registry.missing() == [
        "ProxyShow has no read/view (register ReadOps in its bot/ops module)",
        "ProxySet has no plan/inverse (register ChangeOps in its bot/ops module)",
    ]


def test_seed_requests_come_out_field_for_field() -> None:
    create = parse("connector create newVoiceConnector --region us-west-2")
    assert isinstance(create, ConnectorCreate)
    assert connector.create_request(create, "us-west-2") == {
        "Name": "newVoiceConnector",
        "AwsRegion": "us-west-2",
        "RequireEncryption": True,
    }
    made = parse("group create myGroup --member pstn-primary:2")
    assert isinstance(made, GroupCreate)
    assert group.create_request(made, {"pstn-primary": PRIMARY}) == {
        "Name": "myGroup",
        "VoiceConnectorItems": [{"VoiceConnectorId": PRIMARY, "Priority": 2}],
    }
    routes = parse("origination set pstn-primary --route 10.24.34.0:1234/tcp,priority=1,weight=5")
    assert isinstance(routes, OriginationSet)
    desired = Origination(routes=routes.routes, disabled=routes.disabled)
    assert origination.put_request(PRIMARY, desired)["Origination"] == {
        "Routes": [{"Host": "10.24.34.0", "Port": 1234, "Protocol": "TCP", "Priority": 1, "Weight": 5}],
        "Disabled": False,
    }
    settings = parse("proxy set pstn-primary --expiry 60 --countries US")
    assert isinstance(settings, ProxySet)
    assert proxy.put_request(settings, PRIMARY) == {
        "VoiceConnectorId": PRIMARY,
        "DefaultSessionExpiryMinutes": 60,
        "PhoneNumberPoolCountries": ["US"],
    }


def test_force_is_sent_only_when_given() -> None:
    forced = parse("numbers associate pstn-failover +12065550100 --force")
    unforced = parse("numbers associate pstn-failover +12065550100")
    assert isinstance(forced, NumbersAssociate) and isinstance(unforced, NumbersAssociate)
    assert numbers.associate_options(forced) == {"ForceAssociate": True}
    assert numbers.associate_options(unforced) == {}


async def test_toggle_keeps_the_current_routes(sandbox: RunningSandbox) -> None:
    command = parse("origination disable pstn-primary")
    assert isinstance(command, OriginationDisable)
    route = {"Host": "10.0.0.1", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 1}
    async with VoiceService(AwsSettings()) as voice:
        await voice.call(
            "us-east-1",
            "PutVoiceConnectorOrigination",
            {"VoiceConnectorId": PRIMARY, "Origination": {"Routes": [route], "Disabled": False}},
        )
        target = await voice.locate(Reference("connector", PRIMARY))
        plan = await origination.plan_toggle(command, voice, [target])
    assert plan.calls[0].params["Origination"] == {"Routes": [route], "Disabled": True}
