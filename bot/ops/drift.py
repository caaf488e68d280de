"""The drift watch's commands, answered from the shared store (and, for a snapshot, from AWS)."""

import json
import shlex
from collections import defaultdict
from typing import Any

from bot.drift.snapshot import take
from bot.drift.views import drift_list_view, drift_view
from bot.ops.registry import STORE_COMMANDS, Answered, Exports, Proposes, StoreContext, StoreOps
from bot.render.doc import Doc, Fields, Notice
from bot.store import DriftLedger
from commands.drift import DriftAcknowledge, DriftList, DriftRevert, Snapshot


def _unknown(drift_id: str) -> Answered:
    text = f"No drift has the ID {drift_id}: `/voice drift` lists those not yet acknowledged."
    return Answered(Doc(text, (Notice("error", text),), "error"))


async def list_drift(command: DriftList, context: StoreContext) -> Answered:
    ledger = DriftLedger(context.store)
    records = await ledger.unacknowledged()
    latest = await ledger.latest_snapshot()
    return Answered(drift_list_view(records, latest.taken_at if latest else None), public=command.share)


async def acknowledge(command: DriftAcknowledge, context: StoreContext) -> Answered:
    """Shown in the channel, replacing the announcement's buttons: the team sees who took it."""
    ledger = DriftLedger(context.store)
    first = await ledger.acknowledge(command.drift_id, context.user_id)
    record = await ledger.drift(command.drift_id)
    if record is None:
        return _unknown(command.drift_id)
    doc = drift_view(record)
    if not first:
        note = f"Already acknowledged by {record.acknowledged_by}."
        return Answered(Doc(note, (Notice("info", note),)))
    return Answered(doc, public=True)


async def revert(command: DriftRevert, context: StoreContext) -> Answered | Proposes:
    record = await DriftLedger(context.store).drift(command.drift_id)
    if record is None:
        return _unknown(command.drift_id)
    if not record.revert:
        text = f"Drift {record.id} has no single /voice command that reverts it: change it by hand."
        return Answered(Doc(text, (Notice("warning", text),), "warning"))
    options = f" --reason {shlex.quote(command.reason)}" if command.reason else ""
    options += f" --incident {shlex.quote(command.incident)}" if command.incident else ""
    return Proposes(record.revert + options)


async def export(command: Snapshot, context: StoreContext) -> Exports:
    """The configuration as the drift watch reads it, by kind; read at a command's full speed."""
    taken = await take(context.voice)
    by_kind: dict[str, dict[str, Any]] = defaultdict(dict)
    for resource, state in taken.content.items():
        kind, _, rest = resource.partition(":")
        by_kind[kind][rest] = state
    document = {"taken_at": taken.started_at.isoformat(), "resources": dict(by_kind)}
    if command.format == "json":
        content = json.dumps(document, indent=2, sort_keys=True) + "\n"
    else:
        import yaml  # PyYAML on first use: most runs never export

        content = yaml.safe_dump(document, sort_keys=True)
    name = f"voice-snapshot-{taken.started_at:%Y%m%dT%H%M%SZ}.{command.format}"
    counts = tuple((kind, str(len(states))) for kind, states in sorted(by_kind.items()))
    parts: list[Notice | Fields] = [Fields(counts)] if counts else []
    parts += [Notice("warning", f"{part} was not read: {why}") for part, why in taken.unanswered.items()]
    title = f"Voice configuration snapshot ({len(taken.content)} resources): {name}"
    doc = Doc(title, tuple(parts), "warning" if taken.unanswered else "info")
    return Exports(doc, name, content, shared=command.share)


STORE_COMMANDS[DriftList] = StoreOps(list_drift)
STORE_COMMANDS[DriftAcknowledge] = StoreOps(acknowledge)
STORE_COMMANDS[DriftRevert] = StoreOps(revert)
STORE_COMMANDS[Snapshot] = StoreOps(export)
