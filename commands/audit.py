"""The audit trail: `history` lists changes, `undo` proposes the inverse of one."""

from typing import Annotated

from pydantic import Field

from commands.base import Command, Param, ReadCommand

ChangeId = Annotated[str, Field(pattern=r"^c[a-z0-9]{7}$")]


class History(ReadCommand):
    words = ("history",)
    summary = "List recent changes, newest first: all, or those of one connector or group."
    params = (
        Param("resource", "RESOURCE", "a connector or group ID or name", required=False),
        Param("limit", "N", "how many (1–100, default 20)", "--limit", required=False),
    )
    examples = ("/voice history", "/voice history pstn-primary --limit 5")
    permission = "history.read"

    resource: str | None = Field(default=None, max_length=256)
    limit: Annotated[int, Field(ge=1, le=100)] = 20


class Undo(Command):
    """Not a ChangeCommand itself: it proposes one (the inverse), which is then planned as usual."""

    words = ("undo",)
    summary = "Propose the inverse of a recorded change, previewed and confirmed like any change."
    params = (Param("change_id", "CHANGE_ID", "the change's ID, as shown in its preview or in history"),)
    examples = ("/voice undo c7hx2mq4",)
    permission = "undo"

    change_id: ChangeId
