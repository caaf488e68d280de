"""The audit trail: `history` lists changes, `undo` proposes the inverse of one."""

import re
import shlex
from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from commands.base import ChangeCommand, Command, IncidentId, Param, ReadCommand
from voice_domain.values import E164Number

CHANGE_ID = re.compile(r"^c[a-z0-9]{7}$")
ChangeId = Annotated[str, Field(pattern=CHANGE_ID.pattern)]
HISTORY_EVERYWHERE = "history.read.all"
"""Reading other channels' history (private channels and DMs included) is a permission of its own."""


_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
_SINCE = re.compile(r"^([1-9]\d{0,3})([mhd])$")
_SINCE_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def person(value: object) -> object:
    """`<@U123|name>` (a Slack mention) → `U123`; an ID stays as it is. A bare `@name` is refused:
    the /voice command is not escaped (the manifest's should_escape), so Slack sends it as text."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("@"):
        raise ValueError("name the person by a Slack mention or their member ID (U…), not by @name")
    found = _MENTION.fullmatch(text)
    return found.group(1) if found else text


def since_delta(value: str) -> timedelta:
    """`30m`, `2h`, `1d` → how far back."""
    found = _SINCE.fullmatch(value)
    if found is None:
        raise ValueError("a time span is a number and m, h or d, such as 30m, 2h or 1d")
    return timedelta(**{_SINCE_UNITS[found.group(2)]: int(found.group(1))})


def _span(value: object) -> object:
    if isinstance(value, str):
        since_delta(value)
    return value


Person = Annotated[str, BeforeValidator(person), Field(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
Since = Annotated[str, AfterValidator(_span)]


class History(ReadCommand):
    words = ("history",)
    task = "audit"
    summary = (
        "List recent changes requested in this channel, newest first: all, or those of one "
        "connector or group, incident, person, phone number or time span; `history CHANGE_ID` shows "
        f"one change in full. --all-channels (permission {HISTORY_EVERYWHERE}) shows every channel's."
    )
    params = (
        Param(
            "resource",
            "CHANGE_ID|RESOURCE",
            "one change's ID (shown in full), or a connector or group ID or name (its changes, creates too)",
            required=False,
        ),
        Param("incident", "ID", "changes recorded with this incident ID", "--incident", required=False),
        Param(
            "user",
            "@PERSON",
            "changes this person requested or approved (mention or ID)",
            "--user",
            required=False,
        ),
        Param("number", "NUMBER", "changes that touched this phone number", "--number", required=False),
        Param("since", "SPAN", "changes requested in the last SPAN: 30m, 2h, 1d", "--since", required=False),
        Param("limit", "N", "how many (1–100, default 20)", "--limit", required=False),
        Param(
            "all_channels",
            "",
            "changes requested in every channel, each with its channel",
            "--all-channels",
            switch=True,
            required=False,
        ),
    )
    examples = (
        "/voice history",
        "/voice history c7hx2mq4",
        "/voice history --incident INC-42 --since 2h",
        "/voice history pstn-primary --user U024BE7LH --limit 5",
        "/voice history --number +12065550100 --all-channels",
    )
    permission = "history.read"
    option_permissions = (HISTORY_EVERYWHERE,)

    resource: str | None = Field(default=None, max_length=256)
    incident: IncidentId | None = None
    user: Person | None = None
    number: E164Number | None = None
    since: Since | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    all_channels: bool = False

    def change_id(self) -> str | None:
        """The positional as a change ID, when it has that form (it may still name a resource)."""
        return self.resource if self.resource and CHANGE_ID.fullmatch(self.resource) else None


class Undo(Command):
    """Not a ChangeCommand itself: it proposes one (the inverse), which is then planned as usual."""

    words = ("undo",)
    task = "audit"
    summary = "Propose the inverse of a recorded change, previewed and confirmed like any change."
    params = (
        Param("change_id", "CHANGE_ID", "the change's ID, as shown in its preview or in history"),
        *(param for param in ChangeCommand.common_params if param.field in ("reason", "incident")),
    )
    examples = ("/voice undo c7hx2mq4", "/voice undo c7hx2mq4 --reason 'rollback' --incident INC-42")
    permission = "undo"

    change_id: ChangeId
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    incident: IncidentId | None = None

    def passed_on(self) -> str:
        """The options the inverse change carries over, where the policy requires them for it."""
        text = f" --reason {shlex.quote(self.reason)}" if self.reason else ""
        return text + (f" --incident {shlex.quote(self.incident)}" if self.incident else "")
