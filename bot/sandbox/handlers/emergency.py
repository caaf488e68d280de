"""A Voice Connector's emergency calling configuration, and AWS's documented dependency between it
and the connector's origination and termination settings."""

from __future__ import annotations

from typing import Any, Literal

from bot.sandbox.errors import bad_request, not_found
from bot.sandbox.handlers import Params, handles
from bot.sandbox.records import DnisEntry, VoiceConnector
from bot.sandbox.state import SandboxState

Setting = Literal["origination", "termination"]


def _rendered(entries: list[DnisEntry]) -> dict[str, Any]:
    return {
        "DNIS": [
            {
                "EmergencyPhoneNumber": entry.emergency_phone_number,
                "CallingCountry": entry.calling_country,
                **({"TestPhoneNumber": entry.test_phone_number} if entry.test_phone_number else {}),
            }
            for entry in entries
        ]
    }


def _is_on(connector: VoiceConnector, setting: Setting) -> bool:
    """Whether the setting is configured and not disabled."""
    configured = getattr(connector, setting)
    return configured is not None and not configured.disabled


@handles("GetVoiceConnectorEmergencyCallingConfiguration")
def get_emergency(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    entries = state.voice_connector(region, params["VoiceConnectorId"]).emergency_calling
    if entries is None:
        raise not_found(
            f"Voice Connector {params['VoiceConnectorId']} has no emergency calling configuration."
        )
    return {"EmergencyCallingConfiguration": _rendered(entries)}


@handles("PutVoiceConnectorEmergencyCallingConfiguration")
def put_emergency(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """API reference PutVoiceConnectorEmergencyCallingConfiguration (Amazon Chime namespace):
    "Origination and termination settings must be enabled for the Amazon Chime Voice Connector
    before emergency calling can be configured" (so too the Administrator Guide, "Setting up
    third-party emergency routing numbers": "Turn on and configure termination and origination
    settings for a Voice Connector")."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    off = [setting for setting in ("origination", "termination") if not _is_on(connector, setting)]
    if off:
        raise bad_request(
            f"{' and '.join(off).capitalize()} must be enabled for Voice Connector {connector.id} "
            "before emergency calling can be configured."
        )
    connector.emergency_calling = [
        DnisEntry(
            emergency_phone_number=entry["EmergencyPhoneNumber"],
            test_phone_number=entry.get("TestPhoneNumber"),
            calling_country=entry["CallingCountry"],
        )
        for entry in params["EmergencyCallingConfiguration"].get("DNIS", [])
    ]
    return {"EmergencyCallingConfiguration": _rendered(connector.emergency_calling)}


@handles("DeleteVoiceConnectorEmergencyCallingConfiguration")
def delete_emergency(state: SandboxState, region: str, params: Params) -> None:
    state.voice_connector(region, params["VoiceConnectorId"]).emergency_calling = None


def refuse_while_emergency_calling(connector: VoiceConnector, setting: Setting) -> None:
    """Deleting or turning off origination or termination while emergency calling is configured is
    refused: API reference DeleteVoiceConnectorOrigination and DeleteVoiceConnectorTermination ("If
    emergency calling is configured for the Voice Connector, it must be deleted prior to deleting
    the origination settings" / "… termination settings"), and PutVoiceConnectorOrigination in the
    Amazon Chime namespace ("… it must be deleted prior to turning off origination settings")."""
    if connector.emergency_calling is not None:
        raise bad_request(
            f"Voice Connector {connector.id} has emergency calling configured; delete it "
            f"(DeleteVoiceConnectorEmergencyCallingConfiguration) before turning off or deleting {setting}."
        )
