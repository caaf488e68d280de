"""A connector's media streaming to Kinesis Video Streams: show, set, clear."""

from typing import Annotated

from pydantic import Field, field_validator

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import CONNECTOR
from voice_domain.located import Reference
from voice_domain.streaming import ARN_PATTERN, NOTIFICATION_TARGETS
from voice_domain.values import Name

NONE = "none"
OFF = "off"
_TARGETS = {target.lower(): target for target in NOTIFICATION_TARGETS}


def notification_target(token: str) -> str:
    """`eventbridge`, `SNS`, … → the API's spelling; `none` stands for no notifications."""
    if token.lower() == NONE:
        return NONE
    try:
        return _TARGETS[token.lower()]
    except KeyError:
        raise ValueError(f"'{token}' is not one of {', '.join(NOTIFICATION_TARGETS)} or none") from None


class StreamingShow(ReadCommand):
    words = ("streaming", "show")
    task = "onboarding"
    summary = (
        "Show a connector's media streaming to Kinesis: state, retention, notifications, call analytics."
    )
    params = (CONNECTOR,)
    examples = ("/voice streaming show pstn-primary",)
    permission = "streaming.read"

    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class _StreamingChange(ChangeCommand):
    connector: Name

    def references(self) -> list[Reference]:
        return [Reference("connector", self.connector)]


class StreamingSet(_StreamingChange):
    words = ("streaming", "set")
    task = "onboarding"
    summary = (
        "Stream a connector's call media to Kinesis Video Streams; notifications and call analytics "
        "not given are kept as they are."
    )
    params = (
        CONNECTOR,
        Param(
            "retention",
            "HOURS",
            "hours Kinesis keeps the media (0 or more; kept when not given)",
            "--retention",
            required=False,
        ),
        Param(
            "notify",
            "EventBridge,SNS,SQS|none",
            "where streaming events are sent (1–3 of them), or none",
            "--notify",
            required=False,
            split_commas=True,
            convert=notification_target,
        ),
        Param(
            "media_insights",
            "ARN|off",
            "media insights pipeline configuration for call analytics, or off",
            "--media-insights",
            required=False,
        ),
        Param(
            "disabled",
            "",
            "store the settings but leave streaming off",
            "--disabled",
            switch=True,
            required=False,
        ),
    )
    examples = (
        "/voice streaming set pstn-primary --retention 24 --notify EventBridge",
        "/voice streaming set pstn-primary --retention 0 --notify none --media-insights off",
    )
    permission = "streaming.set"

    retention: Annotated[int, Field(ge=0)] | None = None
    notify: list[str] | None = None
    media_insights: Annotated[str, Field(max_length=1024, pattern=f"{ARN_PATTERN}|^{OFF}$")] | None = None
    disabled: bool = False

    @field_validator("notify")
    @classmethod
    def _targets(cls, notify: list[str] | None) -> list[str] | None:
        """`none` alone means no targets; otherwise 1–3 distinct targets, as AWS takes them."""
        if notify is None:
            return None
        if NONE in notify:
            if notify != [NONE]:
                raise ValueError("--notify none cannot be combined with targets")
            return []
        if len(set(notify)) != len(notify):
            raise ValueError("each notification target may be given once")
        return notify


class StreamingClear(_StreamingChange):
    words = ("streaming", "clear")
    task = "onboarding"
    summary = "Delete a connector's streaming configuration (media is no longer streamed)."
    params = (CONNECTOR,)
    examples = ("/voice streaming clear pstn-primary",)
    permission = "streaming.clear"
