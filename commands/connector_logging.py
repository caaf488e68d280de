"""A connector's logging to CloudWatch Logs (SIP messages, media metrics): show, set."""

from pydantic import model_validator

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import CONNECTOR
from voice_domain.located import Reference
from voice_domain.values import Name

_SWITCH = {"on": True, "off": False}


def on_off(token: str) -> bool:
    try:
        return _SWITCH[token.lower()]
    except KeyError:
        raise ValueError(f"'{token}' is neither on nor off") from None


def word(on: bool) -> str:
    """The command language's spelling of a switch's state, so an inverse reads like what was typed."""
    return "on" if on else "off"


class LoggingShow(ReadCommand):
    words = ("logging", "show")
    task = "incident"
    summary = "Show whether a connector sends SIP message logs and media metric logs to CloudWatch Logs."
    params = (CONNECTOR,)
    examples = ("/voice logging show pstn-primary",)
    permission = "logging.read"

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class LoggingSet(ChangeCommand):
    words = ("logging", "set")
    task = "incident"
    summary = "Turn a connector's SIP message logs and/or media metric logs on or off (the other is kept)."
    params = (
        CONNECTOR,
        Param(
            "sip_logs",
            "on|off",
            "SIP message logs to CloudWatch Logs",
            "--sip-logs",
            required=False,
            convert=on_off,
        ),
        Param(
            "media_metrics",
            "on|off",
            "media metric logs to CloudWatch Logs",
            "--media-metrics",
            required=False,
            convert=on_off,
        ),
    )
    examples = (
        "/voice logging set pstn-primary --sip-logs on --incident INC-4711",
        "/voice logging set pstn-primary --sip-logs off --media-metrics off",
    )
    permission = "logging.set"

    connector: Name
    sip_logs: bool | None = None
    media_metrics: bool | None = None

    @model_validator(mode="after")
    def _says_something(self) -> "LoggingSet":
        if self.sip_logs is None and self.media_metrics is None:
            raise ValueError("say what to change: --sip-logs on|off and/or --media-metrics on|off")
        return self

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]
