"""Which differences Switchboard made itself: the audit store records every request it sent.

A difference is explained when every subject it has (the resource's ID; for numbers, each number
that moved) was named by a request of a change Switchboard sent since the previous snapshot began.
Only requests and created IDs count, not a plan's recorded "before", which names bystanders.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from bot.drift.diff import Difference
from bot.store import ChangeRecord


def touched(records: Iterable[ChangeRecord]) -> set[str]:
    """Every string Switchboard's requests carried (IDs, numbers), and the IDs its creates returned."""
    found: set[str] = set()
    for record in records:
        plan = record.plan
        if plan is not None:
            for call in plan.calls:
                found |= _strings(call.params)
        created = record.result.created if record.result is not None else None
        if created is not None:
            found |= _strings(created.model_dump())
    return found


def unexplained(found: Sequence[Difference], records: Iterable[ChangeRecord]) -> list[Difference]:
    sent = touched(records)
    return [difference for difference in found if not _explained(difference, sent)]


def _explained(difference: Difference, sent: set[str]) -> bool:
    subjects = difference.subjects()
    return bool(subjects) and subjects <= sent


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(item) for item in value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*(_strings(item) for item in value)) if value else set()
    return set()
