"""Read back whether a change is in effect: used to settle changes interrupted mid-apply."""

from datetime import datetime, timedelta

from bot.models import Origination, Proxy
from bot.results import ApiCall, Plan
from bot.voice import VoiceService

_SKEW = timedelta(seconds=30)


async def in_effect(plan: Plan, voice: VoiceService, since: datetime) -> bool:
    """True when every request of the plan is visibly in effect now."""
    for call in plan.calls:
        if not await _call_in_effect(call, voice, since):
            return False
    return True


async def _call_in_effect(call: ApiCall, voice: VoiceService, since: datetime) -> bool:
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
        case "CreateVoiceConnector":
            listed = await voice.list_connectors(call.region)
            return any(_created_after(c.name, c.created_timestamp, params["Name"], since) for c in listed)
        case "CreateVoiceConnectorGroup":
            groups = await voice.list_groups(call.region)
            return any(_created_after(g.name, g.created_timestamp, params["Name"], since) for g in groups)
        case "DeleteVoiceConnector":
            listed = await voice.list_connectors(call.region)
            return all(c.voice_connector_id != params["VoiceConnectorId"] for c in listed)
        case "DeleteVoiceConnectorGroup":
            groups = await voice.list_groups(call.region)
            return all(g.voice_connector_group_id != params["VoiceConnectorGroupId"] for g in groups)
    return False


def _same_origination(current: Origination, wanted: Origination) -> bool:
    def key(origination: Origination) -> tuple[object, ...]:
        routes = sorted(route.describe() for route in origination.routes)
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
