"""Drift → Docs: one announcement per resource, and the list `/voice drift` shows."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.drift.diff import rows
from bot.drift.readers import READERS
from bot.render.doc import Button, Buttons, Changes, Doc, Fields, Notice, Part, Table
from bot.store import DriftRecord

_KINDS = {"numbers": "Phone numbers of", "connector": "Connector", "group": "Group"}


@dataclass(frozen=True)
class DriftActions:
    """The action IDs a surface's Acknowledge and Revert buttons send back."""

    acknowledge: str
    revert: str


def what(record: DriftRecord) -> str:
    """`origination of pstn-primary (abc…)`: the resource as people know it."""
    state = record.after or record.before or {}
    name = state.get("name")
    label = f"{name} ({record.resource.split(':', 2)[2]})" if name else record.resource.split(":", 2)[2]
    kind = _KINDS.get(record.kind, f"{record.kind.capitalize()} of")
    return f"{kind} {label}"


def _change(record: DriftRecord) -> str:
    reader = READERS.get(record.kind)
    if reader is not None and reader.default is not None:
        return "changed"  # a state not kept is the default (logging off), not an absence
    if record.before is None:
        return "appeared"
    if record.after is None:
        return "disappeared"
    return "changed"


def drift_view(record: DriftRecord, actions: DriftActions | None = None) -> Doc:
    title = f"Drift: {what(record)} {_change(record)} outside Switchboard"
    facts = [("Drift", record.id), ("Region", record.region or "account-wide")]
    facts.append(("First seen", record.first_seen.strftime("%Y-%m-%d %H:%M:%S UTC")))
    for actor in record.actors or []:
        facts.append(("Changed by", f"{actor.get('who')} from {actor.get('source') or 'unknown address'}"))
        facts.append(("Event", f"{actor.get('event')} at {actor.get('time')}"))
    parts: list[Part] = [
        Notice("warning", f"{what(record)} {_change(record)}, and no Switchboard change explains it."),
        Fields(tuple(facts[:10])),
        Changes(rows(record.kind, record.before, record.after)),
    ]
    if record.acknowledged_by:
        parts.append(Notice("info", f"Acknowledged by {record.acknowledged_by}."))
    elif actions is not None:
        buttons = [Button("Acknowledge", actions.acknowledge, record.id)]
        if record.revert:
            buttons.append(Button("Revert", actions.revert, record.id, "danger"))
        parts.append(Buttons(tuple(buttons)))
    if not record.revert and not record.acknowledged_by:
        parts.append(
            Notice("info", "There is no single /voice command that reverts this: change it by hand.")
        )
    return Doc(title, tuple(parts), "warning")


def drift_list_view(records: Sequence[DriftRecord], last_read: datetime | None) -> Doc:
    """`last_read`: when the watch last read the configuration (None: never), said with the list, so
    "no drift" is never read as "nothing changed" when nothing has looked."""
    if last_read is None:
        watched = Notice(
            "warning",
            "The drift watch has never read the configuration: it runs in `switchboard serve` "
            "(DRIFT_INTERVAL), so a change made outside Switchboard would not be listed here.",
        )
    else:
        watched = Notice(
            "info", f"The drift watch last read the configuration at {last_read:%Y-%m-%d %H:%M} UTC."
        )
    if not records and last_read is None:
        return Doc("No drift known: nothing has looked", (watched,), "warning")
    if not records:
        return Doc(
            "No unacknowledged drift", (Notice("success", "No unacknowledged drift."), watched), "success"
        )
    table = Table(
        "Unacknowledged drift, newest first",
        ("Drift", "First seen", "Resource", "Revert with"),
        tuple(
            (
                record.id,
                record.first_seen.strftime("%Y-%m-%d %H:%M"),
                f"{what(record)} {_change(record)}",
                f"/voice {record.revert}" if record.revert else "(by hand)",
            )
            for record in records
        ),
        file_name="drift.csv",
    )
    return Doc(f"{len(records)} unacknowledged drift", (table, watched), "warning")
