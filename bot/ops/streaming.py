"""Streaming (call media to Kinesis Video Streams): show, set, clear; their requests, read-backs,
inverses and views."""

from typing import Any

from bot.ops.common import NothingToDo, Unplannable, describe, settings_plan
from bot.ops.registry import CHANGES, EFFECTS, READS, CannotUndo, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Paragraph, Part
from bot.results import ApiCall, FieldChange, Model, Outcome, Plan
from bot.voice import VoiceService
from commands.streaming import NONE, OFF, StreamingClear, StreamingSet, StreamingShow
from voice_domain.located import Located, Reference
from voice_domain.streaming import (
    MediaInsightsConfiguration,
    StreamingConfiguration,
    StreamingNotificationTarget,
)


class StreamingView(Model):
    target: Located
    streaming: StreamingConfiguration | None

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


async def current_streaming(
    voice: VoiceService, region: str, connector_id: str
) -> StreamingConfiguration | None:
    return await voice.get_setting(
        region,
        "GetVoiceConnectorStreamingConfiguration",
        connector_id,
        "StreamingConfiguration",
        StreamingConfiguration,
    )


# Reads -------------------------------------------------------------------------------------


async def read_show(command: StreamingShow, voice: VoiceService) -> StreamingView:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    return StreamingView(target=target, streaming=await current_streaming(voice, target.region, target.id))


def view_show(result: StreamingView) -> Doc:
    target, streaming = result.target, result.streaming
    parts: list[Part] = [Heading(f"Streaming of {target.name}")]
    if streaming is None:
        parts.append(Paragraph(("No streaming configuration: call media is not streamed to Kinesis.",)))
    else:
        parts.append(Fields(tuple((name.capitalize(), _text(streaming, name) or "-") for name in _FIELDS)))
    return Doc(
        f"Streaming of {target.name} ({target.id}, {target.region}): {_summary(streaming)}", tuple(parts)
    )


def _summary(streaming: StreamingConfiguration | None) -> str:
    if streaming is None:
        return "not configured"
    return f"{_text(streaming, 'streaming')}, {_text(streaming, 'retention')}"


_FIELDS = ("streaming", "retention", "notifications", "call analytics")


def described(streaming: StreamingConfiguration) -> dict[str, str]:
    """Each setting as a preview words it (the drift watch's diff uses the same words)."""
    return {name.capitalize(): _text(streaming, name) or "-" for name in _FIELDS}


def _text(streaming: StreamingConfiguration | None, field: str) -> str | None:
    if streaming is None:
        return None
    insights = streaming.media_insights_configuration
    return {
        "streaming": "disabled" if streaming.disabled else "enabled",
        "retention": f"{streaming.data_retention_in_hours} h",
        "notifications": ", ".join(streaming.targets) or NONE,
        "call analytics": OFF if insights is None else _insights(insights),
    }[field]


def _insights(insights: MediaInsightsConfiguration) -> str:
    return f"{insights.configuration_arn or '?'}" + (" (disabled)" if insights.disabled else "")


# Plans -------------------------------------------------------------------------------------


async def plan_set(command: StreamingSet, voice: VoiceService, located: list[Located]) -> Plan:
    """The Put replaces the whole configuration: the retention, notifications and call analytics
    not given are sent as AWS has them, so changing one does not silently drop the others. A
    connector that does not stream yet needs its retention given (AWS requires one)."""
    target = located[0]
    current = await current_streaming(voice, target.region, target.id)
    retention = (
        command.retention if command.retention is not None else (current and current.data_retention_in_hours)
    )
    if retention is None:
        raise Unplannable(
            f"{describe(target)} does not stream yet: give --retention HOURS (0 or more), "
            "how long Kinesis keeps the media."
        )
    after = StreamingConfiguration(
        data_retention_in_hours=retention,
        disabled=command.disabled,
        streaming_notification_targets=_targets(command, current),
        media_insights_configuration=_media_insights(command, current),
    )
    call = ApiCall(
        operation="PutVoiceConnectorStreamingConfiguration",
        region=target.region,
        params={"VoiceConnectorId": target.id, "StreamingConfiguration": after.to_api()},
    )
    return settings_plan(
        command, target, call, _changes(current, after), _before(current), "streaming settings"
    )


def _targets(
    command: StreamingSet, current: StreamingConfiguration | None
) -> list[StreamingNotificationTarget] | None:
    if command.notify is None:
        return current.streaming_notification_targets if current else None
    return [
        StreamingNotificationTarget.model_validate({"NotificationTarget": t}) for t in command.notify
    ] or None


def _media_insights(
    command: StreamingSet, current: StreamingConfiguration | None
) -> MediaInsightsConfiguration | None:
    if command.media_insights is None:
        return current.media_insights_configuration if current else None
    if command.media_insights == OFF:
        return None
    return MediaInsightsConfiguration(disabled=False, configuration_arn=command.media_insights)


async def plan_clear(command: StreamingClear, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await current_streaming(voice, target.region, target.id)
    if current is None:
        raise NothingToDo(f"{describe(target)} has no streaming configuration to clear.")
    call = ApiCall(
        operation="DeleteVoiceConnectorStreamingConfiguration",
        region=target.region,
        params={"VoiceConnectorId": target.id},
    )
    return settings_plan(
        command, target, call, _changes(current, None), _before(current), "streaming settings"
    )


def _before(current: StreamingConfiguration | None) -> dict[str, object] | None:
    return current.to_api() if current else None


def _changes(
    current: StreamingConfiguration | None, after: StreamingConfiguration | None
) -> list[FieldChange]:
    return [
        FieldChange(field=name, before=_text(current, name), after=_text(after, name)) for name in _FIELDS
    ]


# Read-backs and undo -----------------------------------------------------------------------


async def put_seen(call: ApiCall, voice: VoiceService) -> bool:
    wanted = StreamingConfiguration.model_validate(call.params["StreamingConfiguration"])
    current = await current_streaming(voice, call.region, call.params["VoiceConnectorId"])
    return current is not None and all(_text(current, name) == _text(wanted, name) for name in _FIELDS)


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    return await current_streaming(voice, call.region, call.params["VoiceConnectorId"]) is None


def restore(outcome: Outcome) -> str:
    """Put back the configuration the plan read before. Call analytics is named only when the change
    altered it (otherwise `set` keeps it as it is)."""
    plan = outcome.plan
    target = plan.target.id if plan.target else None
    if plan.before is None:
        return restore_command(target, None, None)
    sent = plan.calls[0].params.get("StreamingConfiguration", {}).get("MediaInsightsConfiguration")
    return restore_command(target, plan.before, sent if plan.calls[0].operation.startswith("Put") else False)


def restore_command(target: str | None, streaming: dict[str, Any] | None, now: object) -> str:
    """`set` `streaming` (the API's shape) again, or `clear` if there was none. `now` is the call
    analytics in place (the API's MediaInsightsConfiguration, None for none, False to always name
    it): the option is given only when it differs. Undo and drift revert."""
    if streaming is None:
        return f"streaming clear {target}"
    before = StreamingConfiguration.model_validate(streaming)
    text = f"streaming set {target} --retention {before.data_retention_in_hours}"
    text += f" --notify {','.join(before.targets) or NONE}"
    text += _insights_option(before, now)
    return text + (" --disabled" if before.disabled else "")


def _insights_option(before: StreamingConfiguration, now: object) -> str:
    insights = before.media_insights_configuration
    if now == (insights.to_api() if insights else None):
        return ""
    if insights is None:
        return f" --media-insights {OFF}"
    if insights.disabled or insights.configuration_arn is None:
        raise CannotUndo(
            f"call analytics was {_insights(insights)} before, which `streaming set` cannot write back: "
            "restore it in the Chime SDK console."
        )
    return f" --media-insights {insights.configuration_arn}"


READS[StreamingShow] = ReadOps(read_show, view_show)
CHANGES[StreamingSet] = ChangeOps(
    plan_set, sends=frozenset({"PutVoiceConnectorStreamingConfiguration"}), inverse=restore
)
CHANGES[StreamingClear] = ChangeOps(
    plan_clear, sends=frozenset({"DeleteVoiceConnectorStreamingConfiguration"}), inverse=restore
)
EFFECTS["PutVoiceConnectorStreamingConfiguration"] = Shows(put_seen)
EFFECTS["DeleteVoiceConnectorStreamingConfiguration"] = Shows(delete_seen)
