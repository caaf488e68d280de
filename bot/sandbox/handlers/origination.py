"""A Voice Connector's origination: its inbound routes to the customer's SBCs."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from bot.sandbox import wire
from bot.sandbox.errors import bad_request
from bot.sandbox.handlers import Params, handles
from bot.sandbox.handlers.emergency import refuse_while_emergency_calling
from bot.sandbox.records import Origination, OriginationRoute
from bot.sandbox.state import SandboxState

DEFAULT_SIP_PORT = 5060
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)", re.ASCII)


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
    if settings.get("Disabled"):
        refuse_while_emergency_calling(
            state.voice_connector(region, params["VoiceConnectorId"]), "origination"
        )
    stored = state.put_origination(
        region,
        params["VoiceConnectorId"],
        Origination(routes=routes, disabled=settings.get("Disabled", False)),
    )
    return {"Origination": wire.origination(stored)}


@handles("DeleteVoiceConnectorOrigination")
def delete_origination(state: SandboxState, region: str, params: Params) -> None:
    refuse_while_emergency_calling(state.voice_connector(region, params["VoiceConnectorId"]), "origination")
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
