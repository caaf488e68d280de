"""A Voice Connector's proxy (masked-number sessions) configuration.

botocore's chime-sdk-voice model marks every proxy operation `deprecated` (`deprecatedSince`
2026-04-07, "End of support notice: On April 7, 2026, AWS ended support for Amazon Chime SDK proxy
sessions") but documents no error for it: their error shapes are those of any other connector setting
and their documentation still only "Puts"/"Deletes" the configuration. So the sandbox keeps
answering proxy reads and writes as before; it refuses nothing the model does not document.
"""

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
    """Accepted after end of support: the model documents no error for it (see the module docstring)."""
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
    """Accepted after end of support: the model documents no error for it (see the module docstring)."""
    state.delete_proxy(region, params["VoiceConnectorId"])
