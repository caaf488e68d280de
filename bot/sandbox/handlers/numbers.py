"""Phone numbers: listing, reading, and associating them with connectors and groups."""

from __future__ import annotations

from typing import Any

from bot.sandbox import wire
from bot.sandbox.errors import bad_request
from bot.sandbox.handlers import Handler, Params, handles, with_token
from bot.sandbox.pagination import decode_token, take_page
from bot.sandbox.records import AssociationKind
from bot.sandbox.state import SandboxState


@handles("ListPhoneNumbers")
def list_phone_numbers(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
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
