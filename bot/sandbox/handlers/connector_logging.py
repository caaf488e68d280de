"""A Voice Connector's logging configuration: SIP message logs and media metric logs."""

from __future__ import annotations

from typing import Any

from bot.sandbox.handlers import Params, handles
from bot.sandbox.records import ConnectorLogging
from bot.sandbox.state import SandboxState


def _rendered(logging: ConnectorLogging) -> dict[str, Any]:
    return {"EnableSIPLogs": logging.sip_logs, "EnableMediaMetricLogs": logging.media_metric_logs}


@handles("GetVoiceConnectorLoggingConfiguration")
def get_logging(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """A connector never configured answers both logs off: they are only sent once turned on, and
    the API reference documents no NotFoundException case for an unconfigured connector."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    return {"LoggingConfiguration": _rendered(connector.logging)}


@handles("PutVoiceConnectorLoggingConfiguration")
def put_logging(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """The whole configuration is replaced: a member left out is off (the model's
    LoggingConfiguration members are optional booleans with no default but false)."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    settings = params["LoggingConfiguration"]
    connector.logging = ConnectorLogging(
        sip_logs=settings.get("EnableSIPLogs", False),
        media_metric_logs=settings.get("EnableMediaMetricLogs", False),
    )
    return {"LoggingConfiguration": _rendered(connector.logging)}
