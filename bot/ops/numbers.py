"""Phone numbers: list, associate, disassociate; their batched requests, read-backs, inverses, views."""

from typing import Any

from bot.ops.common import NothingToDo, describe, new_plan
from bot.ops.registry import CHANGES, EFFECTS, READS, CannotUndo, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Table
from bot.results import ApiCall, NumberList, NumberMove, Outcome, Plan
from bot.voice import VoiceService
from commands.numbers import NumbersAssociate, NumbersDisassociate, NumbersList
from voice_domain.located import Located, Reference
from voice_domain.shapes import Association, PhoneNumber

ASSOCIATE = "AssociatePhoneNumbersWithVoiceConnectorGroup"
DISASSOCIATE = "DisassociatePhoneNumbersFromVoiceConnectorGroup"
_ALREADY_HERE = "already associated with this group"

# Reads -------------------------------------------------------------------------------------


async def read_list(command: NumbersList, voice: VoiceService) -> NumberList:
    warnings: list[str] = []
    if command.group is not None:
        target = await voice.locate(Reference("group", command.group), partial_ok=True)
        warnings = target.warnings
        numbers = await voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id)
        scope = f"associated with group {target.name} ({target.id})"
    elif command.connector is not None:
        target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
        warnings = target.warnings
        numbers = await voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id)
        scope = f"associated with connector {target.name} ({target.id})"
    elif command.unassigned:
        numbers = await voice.list_phone_numbers(status="Unassigned")
        scope = "not associated with anything"
    else:
        numbers = await voice.list_phone_numbers()
        scope = "in the account"
    return NumberList(scope=scope, numbers=numbers, warnings=warnings)


def view_list(result: NumberList) -> Doc:
    rows = []
    for number in result.numbers:
        association = number.associated_with()
        where = f"{association.name}={association.value}" if association else "-"
        rows.append((number.number, number.status or "?", where))
    return Doc(
        f"{len(rows)} phone number(s) {result.scope}",
        (
            Table(
                f"Phone numbers {result.scope}",
                ("Number", "Status", "Associated with"),
                tuple(rows),
                "numbers.csv",
            ),
        ),
    )


# Plans -------------------------------------------------------------------------------------


def batches(
    operation: str,
    region: str,
    group_id: str,
    numbers: list[str],
    voice: VoiceService,
    *,
    created_id: bool = False,
    extra: dict[str, Any] | None = None,
) -> list[ApiCall]:
    """One request per VOICE_BATCH_SIZE numbers, the most AWS takes in one call."""
    size = voice.settings.batch_size
    return [
        ApiCall(
            operation=operation,
            region=region,
            params={"VoiceConnectorGroupId": group_id, "E164PhoneNumbers": numbers[start : start + size]}
            | (extra or {}),
            created_id_param="VoiceConnectorGroupId" if created_id else None,
        )
        for start in range(0, len(numbers), size)
    ]


def associate_options(command: NumbersAssociate) -> dict[str, Any]:
    """ForceAssociate only when asked: the request carries what the user stated, nothing more."""
    return {"ForceAssociate": True} if command.force else {}


async def plan_associate(command: NumbersAssociate, voice: VoiceService, located: list[Located]) -> Plan:
    return await _plan(command, voice, located[0], ASSOCIATE, associate_options(command), force=command.force)


async def plan_disassociate(
    command: NumbersDisassociate, voice: VoiceService, located: list[Located]
) -> Plan:
    return await _plan(command, voice, located[0], DISASSOCIATE, {}, force=False)


async def _plan(
    command: NumbersAssociate | NumbersDisassociate,
    voice: VoiceService,
    target: Located,
    operation: str,
    extra: dict[str, Any],
    *,
    force: bool,
) -> Plan:
    records = await voice.phone_numbers_by_e164(command.numbers)
    associating = operation == ASSOCIATE
    moves = [move(number, records.get(number), target, associating, force) for number in command.numbers]
    warnings = number_warnings(moves, associating)
    if associating and all(move.note == _ALREADY_HERE for move in moves):
        raise NothingToDo(f"Every number given is already associated with {describe(target)}.")
    calls = batches(operation, target.region, target.id, list(command.numbers), voice, extra=extra)
    verb = "Associate" if associating else "Disassociate"
    preposition = "with" if associating else "from"
    sources = sorted({move.current for move in moves if move.note == "moves here" and move.current})
    if sources:
        warnings.append(f"Numbers are taken from: {', '.join(sources)}.")
    return new_plan(
        f"{verb} {len(command.numbers)} number(s) {preposition} group {describe(target)}",
        calls,
        target=target,
        moves=moves,
        warnings=warnings,
        before={number: move.current for number, move in zip(command.numbers, moves, strict=True)},
        also_requires=["numbers.disassociate"] if sources else [],
    )


def location(association: Association) -> str:
    """Where a number routes, as plans record it (`VoiceConnectorGroupId 123…`)."""
    return f"{association.name} {association.value}"


def move(
    number: str, record: PhoneNumber | None, target: Located | None, associating: bool, force: bool
) -> NumberMove:
    """Where a number is now and what the change does to it; `target` None is a group not yet made."""
    if record is None:
        return NumberMove(number=number, current=None, note="not in this account: AWS will refuse it")
    association = record.associated_with()
    current = location(association) if association else None
    on_target = association is not None and target is not None and association.value == target.id
    if associating and on_target:
        note = _ALREADY_HERE
    elif associating and association is not None:
        note = "moves here" if force else "associated elsewhere: needs --force"
    elif not associating and not on_target:
        note = "not associated with this group: AWS will refuse it"
    else:
        note = None
    return NumberMove(number=number, current=current, note=note)


def number_warnings(moves: list[NumberMove], associating: bool) -> list[str]:
    warnings = []
    unknown = sum(move.current is None and move.note is not None and "account" in move.note for move in moves)
    if unknown:
        warnings.append(f"{unknown} number(s) are not in this account and will fail.")
    if associating:
        blocked = sum(move.note == "associated elsewhere: needs --force" for move in moves)
        moving = sum(move.note == "moves here" for move in moves)
        if blocked:
            warnings.append(f"{blocked} number(s) are associated elsewhere and will fail without --force.")
        if moving:
            warnings.append(f"{moving} number(s) will be moved away from where they route now.")
    return warnings


# Read-backs --------------------------------------------------------------------------------


async def _on_group(call: ApiCall, voice: VoiceService) -> tuple[set[str], set[str]]:
    """(the call's numbers AWS knows, those of them now on the call's group)."""
    group_id = call.params["VoiceConnectorGroupId"]
    records = await voice.phone_numbers_by_e164(call.params["E164PhoneNumbers"])
    on_group = {
        number
        for number, record in records.items()
        if (association := record.associated_with()) is not None and association.value == group_id
    }
    return set(records), on_group


async def associate_seen(call: ApiCall, voice: VoiceService) -> bool:
    known, on_group = await _on_group(call, voice)
    return on_group == known


async def disassociate_seen(call: ApiCall, voice: VoiceService) -> bool:
    _, on_group = await _on_group(call, voice)
    return not on_group


# Undo --------------------------------------------------------------------------------------


def _was_on_target(outcome: Outcome, number: str) -> bool:
    plan = outcome.plan
    before = (plan.before or {}).get(number)
    on_target = Association(name="VoiceConnectorGroupId", value=plan.target.id) if plan.target else None
    return on_target is not None and before == location(on_target)


def undo_associate(outcome: Outcome) -> str:
    """Disassociate what this change newly associated; numbers that were already there stay."""
    moved = [n for n in outcome.succeeded_numbers if not _was_on_target(outcome, n)]
    if not moved:
        raise CannotUndo("no number was newly associated by that change, so there is nothing to undo")
    target = outcome.plan.target.id if outcome.plan.target else None
    return f"numbers disassociate {target} {' '.join(moved)}"


def associate_caveats(outcome: Outcome) -> list[str]:
    before = outcome.plan.before or {}
    moved = [
        f"{number} (was {before[number]})"
        for number in outcome.succeeded_numbers
        if before.get(number) and not _was_on_target(outcome, number)
    ]
    if not moved:
        return []
    shown = ", ".join(moved[:20]) + (f" and {len(moved) - 20} more" if len(moved) > 20 else "")
    return [
        f"{len(moved)} number(s) were moved here with --force from elsewhere: {shown}. Undoing disassociates "
        "them; it does not move them back."
    ]


def undo_disassociate(outcome: Outcome) -> str:
    if not outcome.succeeded_numbers:
        raise CannotUndo("no number was disassociated by that change")
    target = outcome.plan.target.id if outcome.plan.target else None
    return f"numbers associate {target} {' '.join(outcome.succeeded_numbers)}"


READS[NumbersList] = ReadOps(read_list, view_list)
CHANGES[NumbersAssociate] = ChangeOps(
    plan_associate,
    sends=frozenset({"AssociatePhoneNumbersWithVoiceConnectorGroup"}),
    inverse=undo_associate,
    caveats=associate_caveats,
)
CHANGES[NumbersDisassociate] = ChangeOps(
    plan_disassociate,
    sends=frozenset({"DisassociatePhoneNumbersFromVoiceConnectorGroup"}),
    inverse=undo_disassociate,
)
EFFECTS[ASSOCIATE] = Shows(associate_seen, batched=True)
EFFECTS[DISASSOCIATE] = Shows(disassociate_seen, batched=True)
