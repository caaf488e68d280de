"""The inverse of a recorded change, as a command line that goes through the normal plan/confirm
path; each command's inverse and caveats are registered in its bot/ops module.

An inverse puts back what the change found, so it also overwrites whatever was changed since in
the same settings (an undo of a drain sets the routes read before it, dropping a route added
after it). Before anyone confirms, `reverted` names those later changes, found in the audit log by
what their requests set; and an undo whose resource was deleted since (maybe recreated with a new
ID) is refused by `target_gone` with the change that did it, rather than by AWS's bare NotFound.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.ops.registry import CannotUndo, ChangeOps, NoInverse, change_ops
from bot.results import ApiCall, Outcome, Plan
from bot.store import ChangeRecord, DriftLedger, Status, Store
from commands import find

AFTER = frozenset({Status.APPLIED, Status.PARTIAL, Status.UNKNOWN, Status.APPLYING})
"""A later change in these may have changed AWS (UNKNOWN and APPLYING: perhaps)."""

_DELETES = {"DeleteVoiceConnector": "VoiceConnectorId", "DeleteVoiceConnectorGroup": "VoiceConnectorGroupId"}
_RESOURCE_PARAMS = ("VoiceConnectorId", "VoiceConnectorGroupId", "SipRuleId", "ResourceARN")
_VERB = re.compile(r"^(BatchUpdate|Associate|Disassociate|Put|Delete|Update|Create|Untag|Tag)")


def inverse_command(words: str, outcome: Outcome) -> str:
    """`words` names the recorded command (`origination set`); the outcome has its plan and results."""
    inverse = _ops(words).inverse
    if isinstance(inverse, NoInverse):
        raise CannotUndo(inverse.because)
    return inverse(outcome)


def undo_caveats(words: str, outcome: Outcome) -> list[str]:
    """What the inverse will not restore, said before anyone confirms it."""
    return _ops(words).caveats(outcome)


def _ops(words: str) -> ChangeOps:
    command = find(tuple(words.split()))
    if command is None:
        raise CannotUndo(f"`{words}` is no longer a command, so it cannot be undone automatically")
    return change_ops(command)


# What came after ---------------------------------------------------------------------------


async def changes_after(store: Store, undone: ChangeRecord) -> list[ChangeRecord]:
    """Every change sent to AWS after `undone` was (or perhaps sent: UNKNOWN, APPLYING), oldest first."""
    since = _began(undone)
    found = await DriftLedger(store).changes_since(since)
    later = [r for r in found if r.id != undone.id and r.status in AFTER and _began(r) > since]
    return sorted(later, key=_began)


def _began(record: ChangeRecord) -> datetime:
    """When a change reached AWS: confirmed (and approved), else requested (older records)."""
    return record.claimed_at or record.created_at


def reverted(later: Iterable[ChangeRecord], inverse: Plan) -> list[ChangeRecord]:
    """The later changes whose effect the inverse's requests overwrite: they set a setting it sets
    again (the same origination, termination, tag key, group's members, name …) or it deletes their
    resource. Number associations count only in the opposite direction (the inverse disassociating
    a number from where a later change associated it, or the reverse): AWS refuses the rest per
    number, and the preview says so."""
    overwritten = _keys(inverse, undoing=True)
    if not overwritten:
        return []
    return [r for r in later if r.plan is not None and _meet(overwritten, _keys(r.plan, undoing=False))]


def _meet(one: set[tuple[str, str]], other: set[tuple[str, str]]) -> bool:
    """The same setting of the same resource, or a resource one side deletes and the other sets."""
    if one & other:
        return True
    gone = {resource for resource, setting in one | other if setting == "*"}
    return bool(gone & {resource for resource, _ in one} & {resource for resource, _ in other})


def _keys(plan: Plan, *, undoing: bool) -> set[tuple[str, str]]:
    """What a plan's requests set, as (resource ID or number, setting); `*`: the resource goes.

    `undoing`: the plan is an inverse, so an association is keyed by what it reverses (its
    disassociation from T reverses N being put on T)."""
    keys: set[tuple[str, str]] = set()
    fields = {change.field for change in plan.changes}
    for call in plan.calls:
        keys |= _call_keys(call, fields, undoing)
    return keys


def _call_keys(call: ApiCall, fields: set[str], undoing: bool) -> set[tuple[str, str]]:
    params, operation = call.params, call.operation
    numbers = params.get("E164PhoneNumbers")
    if isinstance(numbers, list):
        on = next((str(params[p]) for p in ("VoiceConnectorId", "VoiceConnectorGroupId") if p in params), "")
        puts = operation.startswith("Associate") != undoing
        return {(str(number), f"{'on' if puts else 'off'} {on}") for number in numbers}
    if operation == "UpdatePhoneNumber":
        return {(str(params["PhoneNumberId"]), name) for name in params if name != "PhoneNumberId"}
    if operation == "BatchUpdatePhoneNumber":
        return {
            (str(item["PhoneNumberId"]), name)
            for item in params.get("UpdatePhoneNumberRequestItems", [])
            for name in item
            if name != "PhoneNumberId"
        }
    resource = next((str(params[p]) for p in _RESOURCE_PARAMS if p in params), None)
    if resource is None:
        return set()
    resource = resource.rsplit("/", 1)[-1]  # a tagged connector's ARN ends with its ID
    if operation in _DELETES:
        return {(resource, "*")}
    if operation in ("TagResource", "UntagResource"):
        tagged = [tag["Key"] for tag in params.get("Tags", [])] + list(params.get("TagKeys", []))
        return {(resource, f"tag {key}") for key in tagged}
    if operation.endswith("TerminationCredentials"):
        credentials = params.get("Credentials", [])
        users = params.get("Usernames") or [credential["Username"] for credential in credentials]
        return {(resource, f"SIP user {user}") for user in users}
    if operation in ("UpdateVoiceConnector", "UpdateVoiceConnectorGroup"):
        # One request sends every setting; the plan's changes say which it changed.
        named = {"name", "encryption"}
        changed = {(resource, field if field in named else "members") for field in fields}
        return changed or {(resource, operation)}
    return {(resource, _VERB.sub("", operation))}


# A resource deleted since ------------------------------------------------------------------


def target_gone(undone: ChangeRecord, later: Sequence[ChangeRecord], inverse: str | None) -> str | None:
    """Why the undo cannot act on its resource, when a later change deleted it: who deleted it, and
    the change that recreated it under a new ID, with the undo's command for that ID (`inverse`).
    None while the resource is there as far as the audit log knows."""
    target_id, kind = undone.target_id, undone.target_kind
    if not target_id or kind not in ("connector", "group"):
        return None
    deletion = next((r for r in later if r.status == Status.APPLIED and _deletes(r, target_id)), None)
    if deletion is None:
        return None
    name = deletion.target_name or undone.target_name or target_id
    told = f"{kind} {name} ({target_id}) was deleted after it, by change {_named(deletion)}"
    recreation = next(
        (r for r in later if _began(r) > _began(deletion) and _recreates(r, deletion, kind, name)), None
    )
    if recreation is None or not recreation.target_id:
        return f"{told}, so there is nothing left for its undo to act on."
    new_id = recreation.target_id
    told += (
        f", and recreated with a new ID, {new_id}, by change {_named(recreation)}: this change's undo "
        f"names the old ID, which AWS no longer knows."
    )
    if inverse is None:
        return told
    again = re.sub(rf"(?<![\w-]){re.escape(target_id)}(?![\w-])", new_id, inverse)
    return f"{told} To do the same to the new {kind}, check and run `/voice {again}`."


def _deletes(record: ChangeRecord, resource_id: str) -> bool:
    calls = record.plan.calls if record.plan is not None else []
    return any(
        call.operation in _DELETES and call.params.get(_DELETES[call.operation]) == resource_id
        for call in calls
    )


def _recreates(record: ChangeRecord, deletion: ChangeRecord, kind: str, name: str) -> bool:
    """An applied create of a `kind` named `name`: the delete's undo, or a create typed by hand."""
    words = str((record.command or {}).get("words", ""))
    return (
        record.status == Status.APPLIED
        and record.target_kind == kind
        and words == f"{kind} create"
        and (record.undo_of == deletion.id or record.target_name == name)
    )


def _named(record: ChangeRecord) -> str:
    words = str((record.command or {}).get("words", "")) or "change"
    return f"{record.id} ({words}, by {record.requested_by} at {record.created_at:%Y-%m-%d %H:%M}Z)"
