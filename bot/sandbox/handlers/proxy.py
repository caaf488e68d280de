"""A Voice Connector's proxy (masked-number sessions) configuration."""

from __future__ import annotations

from typing import Any

from bot.sandbox import wire
from bot.sandbox.handlers import Params, handles
from bot.sandbox.records import Proxy
from bot.sandbox.state import SandboxState


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
