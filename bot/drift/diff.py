"""Two snapshots → the resources that differ, each worded as a preview words a change."""

from dataclasses import dataclass

from bot.drift.readers import READERS, State
from bot.drift.readers.registry import split_key
from bot.render.doc import Change


@dataclass(frozen=True)
class Difference:
    resource: str
    before: State | None
    after: State | None

    @property
    def kind(self) -> str:
        return split_key(self.resource)[0]

    @property
    def region(self) -> str | None:
        return split_key(self.resource)[1] or None

    @property
    def ident(self) -> str:
        return split_key(self.resource)[2]

    def subjects(self) -> set[str]:
        return READERS[self.kind].subjects(self.resource, self.before, self.after)

    def revert(self) -> str | None:
        return READERS[self.kind].revert(self.resource, self.before, self.after)


def differences(old: dict[str, State], new: dict[str, State]) -> list[Difference]:
    """Every resource whose state differs, appeared or vanished, for kinds a reader still reads."""
    found = []
    for resource in sorted(old.keys() | new.keys()):
        if split_key(resource)[0] not in READERS:
            continue  # a reader removed since the old snapshot: nothing to compare with
        before, after = old.get(resource), new.get(resource)
        if before != after:
            found.append(Difference(resource, before, after))
    return found


def rows(kind: str, before: State | None, after: State | None) -> tuple[Change, ...]:
    """The diff's lines, label by label: before → after, as the preview of a change shows them."""
    reader = READERS[kind]
    before, after = before or reader.default, after or reader.default
    old = reader.fields(before) if before is not None else {}
    new = reader.fields(after) if after is not None else {}
    labels = list(old) + [label for label in new if label not in old]
    return tuple(
        Change(label, old.get(label), new.get(label)) for label in labels if old.get(label) != new.get(label)
    )
