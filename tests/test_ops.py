"""The ops registry is complete, and each resource's requests are exactly what the API's seeds show."""

from typing import cast

import pytest

from bot.ops import connector, group, numbers, origination, proxy, registry
from bot.voice import Across, VoiceService
from commands import parse
from commands.connector import ConnectorCreate
from commands.group import GroupCreate
from commands.numbers import NumbersAssociate
from commands.origination import OriginationDisable, OriginationSet
from commands.proxy import ProxySet, ProxyShow
from voice_domain.located import Located
from voice_domain.shapes import Origination, PhoneNumber, Route, VoiceConnector, VoiceConnectorGroup

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


class _Origination:
    """A VoiceService stand-in that knows one connector's origination."""

    def __init__(self, current: Origination) -> None:
        self.current = current

    async def get_origination(self, region: str, connector_id: str) -> Origination:
        return self.current

    # An account with no groups and no numbers, for the preview's impact.
    async def list_groups(self, region: str) -> list[VoiceConnectorGroup]:
        return []

    async def list_reachable(self, lister: object) -> Across[VoiceConnectorGroup]:
        return Across({}, {})

    async def list_phone_numbers(self, **_: str) -> list[PhoneNumber]:
        return []


async def test_toggle_keeps_the_current_routes() -> None:
    command = parse("origination disable pstn-primary")
    assert isinstance(command, OriginationDisable)
    current = Origination(routes=[Route(host="10.0.0.1", port=5060)])
    target = Located(
        kind="connector",
        id=PRIMARY,
        name="pstn-primary",
        region="us-east-1",
        resource=VoiceConnector(voice_connector_id=PRIMARY),
    )
    voice = cast(VoiceService, _Origination(current))
    plan = await origination.plan_toggle(command, voice, [target])
    assert plan.calls[0].params["Origination"] == {
        "Routes": [{"Host": "10.0.0.1", "Port": 5060}],
        "Disabled": True,
    }
