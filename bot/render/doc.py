"""A surface-neutral document: what to show, not how.

Views build Docs from results; `blockkit` turns a Doc into Slack messages (escaping every string,
splitting what does not fit), `terminal` into console text. Strings in a Doc are always plain
text as AWS or the user wrote them; only the renderers add markup.
"""

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Code:
    """Inline literal: an ID, a number, a command."""

    text: str


@dataclass(frozen=True)
class Bold:
    text: str


Inline = str | Code | Bold


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Inline, ...]


@dataclass(frozen=True)
class Fields:
    """Label/value pairs (at most 10 make one Slack section; more are split)."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """Rows of a list; long ones are shown in part with the whole list attached as a file."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    file_name: str = "list.csv"


@dataclass(frozen=True)
class Entry:
    """One item of an Entries list: a short line that identifies it, then its text (`body`)."""

    head: tuple[Inline, ...]
    body: str


@dataclass(frozen=True)
class Entries:
    """A list whose items carry text that must be read whole (a command as typed): each item is a
    short block, its body wrapped (never cut, never squeezed into a table column)."""

    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Changes:
    changes: tuple[Change, ...]


Level = Literal["info", "success", "warning", "error"]


@dataclass(frozen=True)
class Notice:
    level: Level
    text: str


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Divider:
    pass


Part = Heading | Paragraph | Fields | Table | Entries | Changes | Notice | Buttons | Divider


@dataclass(frozen=True)
class Doc:
    """`title` is the one-line summary: the notification text and the start of the fallback."""

    title: str
    parts: tuple[Part, ...] = field(default_factory=tuple)
    level: Level = "info"

    def plus(self, *parts: Part) -> "Doc":
        return Doc(self.title, self.parts + parts, self.level)
