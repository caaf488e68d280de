"""Phone numbers: listing, reading, and associating them with connectors and groups."""

from __future__ import annotations

from typing import Any

from bot.sandbox import wire
from bot.sandbox.errors import ApiError, bad_request, conflict, not_found
from bot.sandbox.handlers import Handler, Params, handles, with_token
from bot.sandbox.handlers.phone_number_orders import settle
from bot.sandbox.pagination import decode_token, take_page
from bot.sandbox.records import AssociationKind, now
from bot.sandbox.state import NumberError, SandboxState, e164

# IAM's description of BatchUpdatePhoneNumber: "… UpdatePhoneNumberRequestItem object for up to 50
# phone numbers".
MAX_BATCH_UPDATE = 50
_ATTRIBUTES = ("ProductType", "CallingName", "Name")


@handles("ListPhoneNumbers")
def list_phone_numbers(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    settle(state)
    filter_name, filter_value = params.get("FilterName"), params.get("FilterValue")
    if (filter_name is None) != (filter_value is None):
        raise bad_request("FilterName and FilterValue must be given together.")
    association = None if filter_name is None or filter_value is None else (filter_name, filter_value)
    after = decode_token("ListPhoneNumbers", params.get("NextToken"))
    numbers = state.phone_numbers(
        after, status=params.get("Status"), association=association, product=params.get("ProductType")
    )
    page, token = take_page(numbers, lambda record: record.e164, "ListPhoneNumbers", params.get("MaxResults"))
    return with_token({"PhoneNumbers": [wire.phone_number(record) for record in page]}, token)


@handles("GetPhoneNumber")
def get_phone_number(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    settle(state)
    return {"PhoneNumber": wire.phone_number(state.phone_number(params["PhoneNumberId"]))}


def _associations(target: AssociationKind) -> tuple[Handler, Handler]:
    """Associate/disassociate handlers for one kind of target (connector or group): same rules."""

    def associate(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
        errors = state.associate_phone_numbers(
            region,
            target,
            params[target],
            params["E164PhoneNumbers"],
            force=params.get("ForceAssociate", False),
        )
        return wire.phone_number_errors(errors)

    def disassociate(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
        errors = state.disassociate_phone_numbers(region, target, params[target], params["E164PhoneNumbers"])
        return wire.phone_number_errors(errors)

    return associate, disassociate


_TARGETS: tuple[tuple[AssociationKind, str], ...] = (
    ("VoiceConnectorId", "VoiceConnector"),
    ("VoiceConnectorGroupId", "VoiceConnectorGroup"),
)
for _target, _suffix in _TARGETS:
    _associate, _disassociate = _associations(_target)
    handles(f"AssociatePhoneNumbersWith{_suffix}")(_associate)
    handles(f"DisassociatePhoneNumbersFrom{_suffix}")(_disassociate)


def _update(state: SandboxState, item: Params) -> None:
    """One number's update, by the API reference's rules (UpdatePhoneNumber, BatchUpdatePhoneNumber):
    "You can update one phone number detail at a time"; "Pending updates to outbound calling names
    must be complete before you can request another update" (ConflictException, a modeled error of
    UpdatePhoneNumber); "For numbers outside the U.S., you must use the … SIP Media Application
    Dial-In product type". A number on a connector or group keeps the VoiceConnector product type
    (Administrator Guide: numbers assigned to a Voice Connector or group "must have the Voice
    Connector product type"); AWS does not say which code it answers, BadRequest is the model's."""
    number = e164(item["PhoneNumberId"])
    given = [member for member in _ATTRIBUTES if member in item]
    if len(given) != 1:
        raise bad_request(f"Update one of {', '.join(_ATTRIBUTES)} at a time for {number}, not {len(given)}.")
    if not state.owns(number):
        raise not_found(f"Phone number {number} is not in this account.")
    record = state.record(number)
    product = item.get("ProductType")
    if product == "VoiceConnector" and not number.startswith("+1"):
        raise bad_request(f"{number} is outside the US and must keep product type SipMediaApplicationDialIn.")
    if product not in (None, "VoiceConnector") and record.association is not None:
        raise bad_request(
            f"{number} is associated with a Voice Connector or group, where numbers must have product "
            "type VoiceConnector; disassociate it first."
        )
    if "CallingName" in item and record.calling_name_status == "UpdateInProgress":
        raise conflict(f"{number} has a calling-name update in progress; wait for it to complete.")
    if product is not None:
        record.product_type = product
    if "CallingName" in item:
        record.calling_name = item["CallingName"] or None
        record.calling_name_status = "UpdateInProgress"
    if "Name" in item:
        record.name = item["Name"]
    record.updated = now()
    state.save_record(record)


@handles("UpdatePhoneNumber")
def update_phone_number(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    _update(state, params)
    return {"PhoneNumber": wire.phone_number(state.record(e164(params["PhoneNumberId"])))}


@handles("BatchUpdatePhoneNumber")
def batch_update_phone_number(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """Per-number errors in PhoneNumberErrors; the whole request is refused for a duplicate
    PhoneNumberId (API reference: "You cannot have a duplicate phoneNumberId in a request") or more
    than MAX_BATCH_UPDATE items."""
    items = params["UpdatePhoneNumberRequestItems"]
    if len(items) > MAX_BATCH_UPDATE:
        raise bad_request(
            f"UpdatePhoneNumberRequestItems has {len(items)} items; at most {MAX_BATCH_UPDATE}."
        )
    ids = [e164(item["PhoneNumberId"]) for item in items]
    repeated = sorted({number for number in ids if ids.count(number) > 1})
    if repeated:
        raise bad_request(f"UpdatePhoneNumberRequestItems lists {', '.join(repeated)} more than once.")
    errors: list[NumberError] = []
    for item in items:
        try:
            _update(state, item)
        except ApiError as error:
            errors.append(NumberError(e164(item["PhoneNumberId"]), error.code, error.message))
    return wire.phone_number_errors(errors)
