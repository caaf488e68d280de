"""Logging (SIP message logs, media metric logs): show, set; the request, read-back, inverse, view."""

from typing import Any

from bot.ops.common import settings_plan
from bot.ops.registry import CHANGES, EFFECTS, READS, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading
from bot.results import ApiCall, FieldChange, Model, Outcome, Plan
from bot.voice import VoiceService
from commands.connector_logging import LoggingSet, LoggingShow, word
from voice_domain.connector_logging import LoggingConfiguration
from voice_domain.located import Located, Reference

_OFF = LoggingConfiguration(enable_sip_logs=False, enable_media_metric_logs=False)


class LoggingView(Model):
    target: Located
    logging: LoggingConfiguration

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


async def current_logging(voice: VoiceService, region: str, connector_id: str) -> LoggingConfiguration:
    """What AWS has; a connector never configured (or a member AWS leaves out) is off."""
    found = await voice.get_setting(
        region,
        "GetVoiceConnectorLoggingConfiguration",
        connector_id,
        "LoggingConfiguration",
        LoggingConfiguration,
    )
    return found or _OFF


# Reads -------------------------------------------------------------------------------------


async def read_show(command: LoggingShow, voice: VoiceService) -> LoggingView:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    return LoggingView(target=target, logging=await current_logging(voice, target.region, target.id))


def view_show(result: LoggingView) -> Doc:
    target, logging = result.target, result.logging
    return Doc(
        f"Logging of {target.name} ({target.id}, {target.region}): SIP message logs "
        f"{word(logging.sip_logs)}, media metric logs {word(logging.media_metrics)}",
        (
            Heading(f"Logging of {target.name}"),
            Fields(
                (
                    ("SIP message logs", word(logging.sip_logs)),
                    ("Media metric logs", word(logging.media_metrics)),
                    ("Sent to", "CloudWatch Logs"),
                )
            ),
        ),
    )


# Plans -------------------------------------------------------------------------------------


async def plan_set(command: LoggingSet, voice: VoiceService, located: list[Located]) -> Plan:
    """PutVoiceConnectorLoggingConfiguration replaces both settings, so the one not stated is sent
    as AWS has it now: turning SIP logs on mid-incident must not turn media metrics off."""
    target = located[0]
    current = await current_logging(voice, target.region, target.id)
    after = LoggingConfiguration(
        enable_sip_logs=current.sip_logs if command.sip_logs is None else command.sip_logs,
        enable_media_metric_logs=current.media_metrics
        if command.media_metrics is None
        else command.media_metrics,
    )
    call = ApiCall(
        operation="PutVoiceConnectorLoggingConfiguration",
        region=target.region,
        params={"VoiceConnectorId": target.id, "LoggingConfiguration": after.to_api()},
    )
    changes = [
        FieldChange(field="SIP message logs", before=word(current.sip_logs), after=word(after.sip_logs)),
        FieldChange(
            field="media metric logs", before=word(current.media_metrics), after=word(after.media_metrics)
        ),
    ]
    return settings_plan(command, target, call, changes, current.to_api(), "logging settings")


# Read-backs and undo -----------------------------------------------------------------------


async def put_seen(call: ApiCall, voice: VoiceService) -> bool:
    wanted = LoggingConfiguration.model_validate(call.params["LoggingConfiguration"])
    current = await current_logging(voice, call.region, call.params["VoiceConnectorId"])
    return (current.sip_logs, current.media_metrics) == (wanted.sip_logs, wanted.media_metrics)


def restore(outcome: Outcome) -> str:
    plan = outcome.plan
    return restore_command(plan.target.id if plan.target else None, plan.before)


def restore_command(target: str | None, logging: dict[str, Any] | None) -> str:
    """Both settings as `logging` (the API's shape; None is off) has them. Undo and drift revert."""
    before = LoggingConfiguration.model_validate(logging or {})
    settings = f"--sip-logs {word(before.sip_logs)} --media-metrics {word(before.media_metrics)}"
    return f"logging set {target} {settings}"


READS[LoggingShow] = ReadOps(read_show, view_show)
CHANGES[LoggingSet] = ChangeOps(
    plan_set, sends=frozenset({"PutVoiceConnectorLoggingConfiguration"}), inverse=restore
)
EFFECTS["PutVoiceConnectorLoggingConfiguration"] = Shows(put_seen)
