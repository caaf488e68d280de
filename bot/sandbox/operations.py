"""One handler per supported operation: validated input members in, the model's output shape out."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

from bot.sandbox import wire
from bot.sandbox.errors import bad_request
from bot.sandbox.model import SERVICE_MODEL
from bot.sandbox.pagination import decode_token, take_page
from bot.sandbox.records import AssociationKind, GroupItem, Origination, OriginationRoute, Proxy, Tag
from bot.sandbox.state import SandboxState, listing_key

Params = dict[str, Any]
Handler = Callable[[SandboxState, str, Params], dict[str, Any] | None]

HANDLERS: dict[str, Handler] = {}
DEFAULT_SIP_PORT = 5060
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)", re.ASCII)


def handles(operation: str) -> Callable[[Handler], Handler]:
    """Register a handler; the name must be a model operation, so typos fail at import."""
    SERVICE_MODEL.operation_model(operation)

    def register(handler: Handler) -> Handler:
        HANDLERS[operation] = handler
        return handler

    return register


def is_mutating(operation: str) -> bool:
    """Anything but a GET changes state and must be persisted."""
    method: str = SERVICE_MODEL.operation_model(operation).http["method"]
    return method != "GET"


# Voice Connectors


@handles("CreateVoiceConnector")
def create_voice_connector(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    connector = state.create_voice_connector(
        region,
        name=params["Name"],
        require_encryption=params["RequireEncryption"],
        aws_region=params.get("AwsRegion"),
        tags=[Tag(key=tag["Key"], value=tag["Value"]) for tag in params.get("Tags", [])],
        integration_type=params.get("IntegrationType"),
        network_type=params.get("NetworkType"),
    )
    return {"VoiceConnector": wire.voice_connector(connector)}


@handles("GetVoiceConnector")
def get_voice_connector(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {"VoiceConnector": wire.voice_connector(state.voice_connector(region, params["VoiceConnectorId"]))}


@handles("ListVoiceConnectors")
def list_voice_connectors(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    after = decode_token("ListVoiceConnectors", params.get("NextToken"))
    page, token = take_page(
        state.voice_connectors(region, after), listing_key, "ListVoiceConnectors", params.get("MaxResults")
    )
    return _with_token({"VoiceConnectors": [wire.voice_connector(c) for c in page]}, token)


@handles("UpdateVoiceConnector")
def update_voice_connector(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    connector = state.update_voice_connector(
        region,
        params["VoiceConnectorId"],
        name=params["Name"],
        require_encryption=params["RequireEncryption"],
    )
    return {"VoiceConnector": wire.voice_connector(connector)}


@handles("DeleteVoiceConnector")
def delete_voice_connector(state: SandboxState, region: str, params: Params) -> None:
    state.delete_voice_connector(region, params["VoiceConnectorId"])


# Voice Connector groups


@handles("CreateVoiceConnectorGroup")
def create_voice_connector_group(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    group = state.create_voice_connector_group(
        region,
        name=params["Name"],
        items=_group_items(params.get("VoiceConnectorItems", [])),
        call_distribution_type=params.get("CallDistributionType"),
    )
    return {"VoiceConnectorGroup": wire.voice_connector_group(group)}


@handles("GetVoiceConnectorGroup")
def get_voice_connector_group(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    group = state.voice_connector_group(region, params["VoiceConnectorGroupId"])
    return {"VoiceConnectorGroup": wire.voice_connector_group(group)}


@handles("ListVoiceConnectorGroups")
def list_voice_connector_groups(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    after = decode_token("ListVoiceConnectorGroups", params.get("NextToken"))
    page, token = take_page(
        state.voice_connector_groups(region, after),
        listing_key,
        "ListVoiceConnectorGroups",
        params.get("MaxResults"),
    )
    return _with_token({"VoiceConnectorGroups": [wire.voice_connector_group(g) for g in page]}, token)


@handles("UpdateVoiceConnectorGroup")
def update_voice_connector_group(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    group = state.update_voice_connector_group(
        region,
        params["VoiceConnectorGroupId"],
        name=params["Name"],
        items=_group_items(params["VoiceConnectorItems"]),
        call_distribution_type=params.get("CallDistributionType"),
    )
    return {"VoiceConnectorGroup": wire.voice_connector_group(group)}


@handles("DeleteVoiceConnectorGroup")
def delete_voice_connector_group(state: SandboxState, region: str, params: Params) -> None:
    state.delete_voice_connector_group(region, params["VoiceConnectorGroupId"])


def _group_items(items: list[dict[str, Any]]) -> list[GroupItem]:
    """Priority is optional in the model but AWS needs it to order failover, so it is enforced here."""
    for index, item in enumerate(items):
        if "Priority" not in item:
            raise bad_request(f"VoiceConnectorItems[{index}].Priority is required (1-99, 1 is tried first).")
    return [
        GroupItem(voice_connector_id=item["VoiceConnectorId"], priority=item["Priority"]) for item in items
    ]


# Phone-number associations


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


# Origination


@handles("GetVoiceConnectorOrigination")
def get_origination(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {"Origination": wire.origination(state.origination(region, params["VoiceConnectorId"]))}


@handles("PutVoiceConnectorOrigination")
def put_origination(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """The model's Origination documentation: Routes or Disabled must be given, and Routes has a
    "Valid range: Minimum value of 1. Maximum value of 20" (the list shape itself carries no min,
    so botocore's client-side validation lets an empty list through; AWS refuses it)."""
    settings = params["Origination"]
    if "Routes" not in settings and "Disabled" not in settings:
        raise bad_request("Origination must specify Routes, Disabled, or both.")
    if "Routes" in settings and not settings["Routes"]:
        raise bad_request("Origination.Routes must have at least 1 route (valid range: 1 to 20).")
    routes = [_route(index, route) for index, route in enumerate(settings.get("Routes", []))]
    stored = state.put_origination(
        region,
        params["VoiceConnectorId"],
        Origination(routes=routes, disabled=settings.get("Disabled", False)),
    )
    return {"Origination": wire.origination(stored)}


@handles("DeleteVoiceConnectorOrigination")
def delete_origination(state: SandboxState, region: str, params: Params) -> None:
    state.delete_origination(region, params["VoiceConnectorId"])


def _route(index: int, route: dict[str, Any]) -> OriginationRoute:
    """Host, Protocol, Priority and Weight are needed to place calls; Port defaults to SIP's 5060."""
    missing = [name for name in ("Host", "Protocol", "Priority", "Weight") if name not in route]
    if missing:
        raise bad_request(f"Origination.Routes[{index}] is missing {', '.join(missing)}.")
    if not _is_host(route["Host"]):
        raise bad_request(f"Origination.Routes[{index}].Host {route['Host']!r} is not an FQDN or IP address.")
    return OriginationRoute(
        host=route["Host"],
        port=route.get("Port", DEFAULT_SIP_PORT),
        protocol=route["Protocol"],
        priority=route["Priority"],
        weight=route["Weight"],
    )


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.removesuffix(".").split(".")
        return len(host) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels)
    return True


# Proxy


@handles("GetVoiceConnectorProxy")
def get_proxy(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {"Proxy": wire.proxy(state.proxy(region, params["VoiceConnectorId"]))}


@handles("PutVoiceConnectorProxy")
def put_proxy(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    stored = state.put_proxy(
        region,
        params["VoiceConnectorId"],
        Proxy(
            default_session_expiry_minutes=params["DefaultSessionExpiryMinutes"],
            countries=params["PhoneNumberPoolCountries"],
            fall_back_phone_number=params.get("FallBackPhoneNumber"),
            disabled=params.get("Disabled", False),
        ),
    )
    return {"Proxy": wire.proxy(stored)}


@handles("DeleteVoiceConnectorProxy")
def delete_proxy(state: SandboxState, region: str, params: Params) -> None:
    state.delete_proxy(region, params["VoiceConnectorId"])


# Phone numbers


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
    return _with_token({"PhoneNumbers": [wire.phone_number(record) for record in page]}, token)


@handles("GetPhoneNumber")
def get_phone_number(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {"PhoneNumber": wire.phone_number(state.phone_number(params["PhoneNumberId"]))}


def _with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token is not None:
        body["NextToken"] = token
    return body
