"""Logging: whether a connector sends SIP message logs and media metric logs to CloudWatch Logs.

Both off is a connector's default (and what AWS answers for one never configured), so it is not
kept: a connector created outside Switchboard is announced once, as a connector, not twice.
"""

from bot.drift.readers.registry import State, per_connector_setting, register, split_key
from commands.connector_logging import word
from voice_domain.connector_logging import LoggingConfiguration

OFF: State = {"EnableSIPLogs": False, "EnableMediaMetricLogs": False}


def normal(setting: State) -> State | None:
    """Both members spelt out (AWS may leave out one it was never told); None when both are off."""
    found = LoggingConfiguration.model_validate(setting)
    kept = {"EnableSIPLogs": found.sip_logs, "EnableMediaMetricLogs": found.media_metrics}
    return None if kept == OFF else kept


def fields(state: State) -> dict[str, str]:
    found = LoggingConfiguration.model_validate(state)
    return {"SIP message logs": word(found.sip_logs), "Media metric logs": word(found.media_metrics)}


def revert(resource: str, before: State | None, _after: State | None) -> str:
    """`logging set` both settings as they were (a state not kept is both off)."""
    from bot.ops.connector_logging import restore_command  # on use: bot.ops loads the drift watch

    return restore_command(split_key(resource)[2], before)


register(
    per_connector_setting(
        "logging",
        "GetVoiceConnectorLoggingConfiguration",
        "LoggingConfiguration",
        fields,
        revert,
        normal=normal,
        default=OFF,
    )
)
