"""The audit trail: `history` lists changes, `undo` proposes the inverse of one."""

import shlex
from typing import Annotated

from pydantic import Field

from commands.base import ChangeCommand, Command, Param, ReadCommand

ChangeId = Annotated[str, Field(pattern=r"^c[a-z0-9]{7}$")]
HISTORY_EVERYWHERE = "history.read.all"
"""Reading other channels' history (private channels and DMs included) is a permission of its own."""


class History(ReadCommand):
    words = ("history",)
    task = "audit"
    summary = (
        "List recent changes requested in this channel, newest first: all, or those of one "
        f"connector or group; --all-channels (permission {HISTORY_EVERYWHERE}) shows every channel's."
    )
    params = (
        Param("resource", "RESOURCE", "a connector or group ID or name", required=False),
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
    examples = ("/voice history", "/voice history pstn-primary --limit 5", "/voice history --all-channels")
    permission = "history.read"
    option_permissions = (HISTORY_EVERYWHERE,)

    resource: str | None = Field(default=None, max_length=256)
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    all_channels: bool = False


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
    incident: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:#/-]+$")] | None = (
        None
    )

    def passed_on(self) -> str:
        """The options the inverse change carries over, where the policy requires them for it."""
        text = f" --reason {shlex.quote(self.reason)}" if self.reason else ""
        return text + (f" --incident {shlex.quote(self.incident)}" if self.incident else "")
