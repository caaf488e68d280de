"""A Voice Connector's media streaming configuration (Kinesis Video Streams, notifications, call
analytics). The model's constraints (retention ≥ 0, Disabled required, 1–3 notification targets of
its enum, the configuration ARN's pattern) are enforced by request validation; AWS documents no
further rule."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import not_found
from bot.sandbox.handlers import Params, handles
from bot.sandbox.records import MediaInsights, Streaming
from bot.sandbox.state import SandboxState


def _rendered(streaming: Streaming) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "DataRetentionInHours": streaming.data_retention_in_hours,
        "Disabled": streaming.disabled,
    }
    if streaming.notification_targets is not None:
        rendered["StreamingNotificationTargets"] = [
            {"NotificationTarget": target} for target in streaming.notification_targets
        ]
    insights = streaming.media_insights
    if insights is not None:
        members = {"Disabled": insights.disabled, "ConfigurationArn": insights.configuration_arn}
        rendered["MediaInsightsConfiguration"] = {k: v for k, v in members.items() if v is not None}
    return rendered


@handles("GetVoiceConnectorStreamingConfiguration")
def get_streaming(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    streaming = state.voice_connector(region, params["VoiceConnectorId"]).streaming
    if streaming is None:
        raise not_found(f"Voice Connector {params['VoiceConnectorId']} has no streaming configuration.")
    return {"StreamingConfiguration": _rendered(streaming)}


@handles("PutVoiceConnectorStreamingConfiguration")
def put_streaming(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """The whole configuration is replaced by what is sent."""
    connector = state.voice_connector(region, params["VoiceConnectorId"])
    settings = params["StreamingConfiguration"]
    targets = settings.get("StreamingNotificationTargets")
    insights = settings.get("MediaInsightsConfiguration")
    connector.streaming = Streaming(
        data_retention_in_hours=settings["DataRetentionInHours"],
        disabled=settings["Disabled"],
        notification_targets=None
        if targets is None
        else [target["NotificationTarget"] for target in targets],
        media_insights=None
        if insights is None
        else MediaInsights(
            disabled=insights.get("Disabled"), configuration_arn=insights.get("ConfigurationArn")
        ),
    )
    return {"StreamingConfiguration": _rendered(connector.streaming)}


@handles("DeleteVoiceConnectorStreamingConfiguration")
def delete_streaming(state: SandboxState, region: str, params: Params) -> None:
    state.voice_connector(region, params["VoiceConnectorId"]).streaming = None
