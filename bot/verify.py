"""Read back whether a change is in effect: used to settle changes interrupted mid-apply.

Every operation a plan can send has a check here; an operation without one raises rather than
answer "not in effect", so a new change command cannot silently turn every crash recovery into
UNKNOWN (the lifecycle test reconciles every command's plan and its undo).
"""

from datetime import datetime, timedelta

from bot.results import ApiCall, Plan
from bot.voice import VoiceService
from voice_domain.shapes import Origination, Proxy, VoiceConnectorGroup

_SKEW = timedelta(seconds=30)
_DELETES = {"DeleteVoiceConnector": "VoiceConnectorId", "DeleteVoiceConnectorGroup": "VoiceConnectorGroupId"}


class NoCheck(Exception):
    """A plan holds an operation this module cannot read back: a bug, named for the operators."""


async def in_effect(plan: Plan, voice: VoiceService, since: datetime) -> bool:
    """True when every request of the plan is visibly in effect now.

    A plan that ends in deleting a resource is in effect once the resource is gone: the steps
    that prepared the delete (emptying a group) cannot be seen on a resource that no longer exists.
    """
    if plan.calls and plan.calls[-1].operation in _DELETES:
        return await _call_in_effect(plan.calls[-1], voice)
    created: str | None = None
    for call in plan.calls:
        if call.operation in ("CreateVoiceConnector", "CreateVoiceConnectorGroup"):
            created = await _created_id(call, voice, since)
            if created is None:
                return False
            continue
        if not await _call_in_effect(call.with_created_id(created), voice):
            return False
    return True


async def _created_id(call: ApiCall, voice: VoiceService, since: datetime) -> str | None:
    """The ID of the resource this create made (same name, created since the change began)."""
    name = call.params["Name"]
    if call.operation == "CreateVoiceConnector":
        for connector in await voice.list_connectors(call.region):
            if _created_after(connector.name, connector.created_timestamp, name, since):
                return connector.voice_connector_id
        return None
    for group in await voice.list_groups(call.region):
        if _created_after(group.name, group.created_timestamp, name, since):
            return group.voice_connector_group_id
    return None


async def _call_in_effect(call: ApiCall, voice: VoiceService) -> bool:
    params = call.params
    match call.operation:
        case "PutVoiceConnectorOrigination":
            current = await voice.get_origination(call.region, params["VoiceConnectorId"])
            wanted = Origination.model_validate(params["Origination"])
            return current is not None and _same_origination(current, wanted)
        case "DeleteVoiceConnectorOrigination":
            return await voice.get_origination(call.region, params["VoiceConnectorId"]) is None
        case "PutVoiceConnectorProxy":
            proxy = await voice.get_proxy(call.region, params["VoiceConnectorId"])
            return proxy is not None and _same_proxy(proxy, params)
        case "DeleteVoiceConnectorProxy":
            return await voice.get_proxy(call.region, params["VoiceConnectorId"]) is None
        case (
            "AssociatePhoneNumbersWithVoiceConnectorGroup" | "DisassociatePhoneNumbersFromVoiceConnectorGroup"
        ):
            group_id = params["VoiceConnectorGroupId"]
            records = await voice.phone_numbers_by_e164(params["E164PhoneNumbers"])
            on_group = {
                number
                for number, record in records.items()
                if (association := record.associated_with()) is not None and association.value == group_id
            }
            if call.operation.startswith("Associate"):
                return on_group == set(records)
            return not on_group
        case "UpdateVoiceConnectorGroup":
            group = await _group(voice, call.region, params["VoiceConnectorGroupId"])
            return group is not None and _members(group) == {
                (item["VoiceConnectorId"], item.get("Priority")) for item in params["VoiceConnectorItems"]
            }
        case "DeleteVoiceConnector":
            listed = await voice.list_connectors(call.region)
            return all(c.voice_connector_id != params["VoiceConnectorId"] for c in listed)
        case "DeleteVoiceConnectorGroup":
            return await _group(voice, call.region, params["VoiceConnectorGroupId"]) is None
    raise NoCheck(f"no read-back for {call.operation}: crash recovery cannot tell whether it took effect")


async def _group(voice: VoiceService, region: str, group_id: str) -> VoiceConnectorGroup | None:
    return next((g for g in await voice.list_groups(region) if g.voice_connector_group_id == group_id), None)


def _members(group: VoiceConnectorGroup) -> set[tuple[str, int | None]]:
    return {(item.voice_connector_id, item.priority) for item in group.voice_connector_items}


def _same_origination(current: Origination, wanted: Origination) -> bool:
    """Equal as AWS stores them: an omitted port is 5060 (API reference, OriginationRoute: Port
    "Defaults to 5060")."""

    def key(origination: Origination) -> tuple[object, ...]:
        routes = sorted(
            route.model_copy(update={"port": 5060 if route.port is None else route.port}).describe()
            for route in origination.routes
        )
        return (tuple(routes), bool(origination.disabled))

    return key(current) == key(wanted)


def _same_proxy(proxy: Proxy, params: dict[str, object]) -> bool:
    return (
        proxy.default_session_expiry_minutes == params["DefaultSessionExpiryMinutes"]
        and proxy.phone_number_countries == params["PhoneNumberPoolCountries"]
        and proxy.fall_back_phone_number == params.get("FallBackPhoneNumber")
        and bool(proxy.disabled) == bool(params.get("Disabled", False))
    )


def _created_after(name: str, created: datetime | None, wanted: str, since: datetime) -> bool:
    return name == wanted and created is not None and created >= since - _SKEW
