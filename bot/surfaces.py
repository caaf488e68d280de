"""What a surface (Slack, the console) lends the workflow, given when the workflow is built.

Where a change's outcome is announced, where `--file` is read from, and how a person's user
groups are re-read before an apply. Any of them may be absent: the console announces nothing.
"""

from dataclasses import dataclass
from typing import Protocol

from bot.outcomes import Applied, Reconciled


class FileUnavailable(Exception):
    """A referenced file cannot be read; the message says why, for the person who named it."""


class FileSource(Protocol):
    """Where `--file` points: Slack's files on Slack, the local disk in the console."""

    async def read(self, reference: str, channel_id: str | None = None) -> tuple[str, bytes]:
        """`channel_id`: where the command was typed; Slack reads only files shared there."""
        ...


class Announcer(Protocol):
    """Tells the channel that watches changes how one ended; it words the ending itself."""

    async def announce(self, settled: Applied | Reconciled) -> None: ...


class Membership(Protocol):
    """A person's user groups as the policy's grants name them (Slack: usergroups.users.list)."""

    async def groups_of(self, user_id: str, *, fresh: bool = False) -> frozenset[str]: ...


@dataclass(frozen=True)
class Surfaces:
    announcer: Announcer | None = None
    files: FileSource | None = None
    membership: Membership | None = None


NO_SURFACES = Surfaces()
