"""What a surface (Slack, the console) lends the workflow, given when the workflow is built.

Where a change's outcome is announced, where `--file` is read from, how a person's user groups
are re-read before an apply, and what people are called. Any of them may be absent: the console
announces nothing and shows user IDs.
"""

from collections.abc import Collection, Mapping
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


class People(Protocol):
    """What people are called where they are (Slack: their display name, by users.info)."""

    async def names(self, user_ids: Collection[str]) -> Mapping[str, str]:
        """The names of those it knows (an unknown ID is left out, and shown as itself)."""
        ...


@dataclass(frozen=True)
class Surfaces:
    announcer: Announcer | None = None
    files: FileSource | None = None
    membership: Membership | None = None
    people: People | None = None


NO_SURFACES = Surfaces()
