"""Phone numbers: list, associate, disassociate (with a group or a connector), show and update one
or more; their batched requests, read-backs, inverses, views."""

import asyncio
import shlex
from collections.abc import Awaitable
from datetime import datetime
from typing import Any, TypeVar

from pydantic import Field

from bot.aws_errors import VoiceError
from bot.ops.common import NothingToDo, Unplannable, describe, new_plan
from bot.ops.registry import CHANGES, EFFECTS, READS, CannotUndo, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Part, Table
from bot.results import ApiCall, FieldChange, Model, NumberList, NumberMove, Outcome, Plan
from bot.voice import VoiceService
from commands.numbers import (
    NumbersAssociate,
    NumbersDisassociate,
    NumberShow,
    NumbersList,
    NumberUpdate,
    split_target,
)
from voice_domain.located import Located, Reference, ResourceKind
from voice_domain.numbers import PhoneNumberDetail
from voice_domain.shapes import Association, PhoneNumber, VoiceConnector, VoiceConnectorGroup
from voice_domain.values import display_number, readable_number

ASSOCIATE = "AssociatePhoneNumbersWithVoiceConnectorGroup"
DISASSOCIATE = "DisassociatePhoneNumbersFromVoiceConnectorGroup"
ASSOCIATE_CONNECTOR = "AssociatePhoneNumbersWithVoiceConnector"
DISASSOCIATE_CONNECTOR = "DisassociatePhoneNumbersFromVoiceConnector"
# (associate, disassociate) per target kind, and the ID parameter (= association name) of each.
OPERATIONS: dict[ResourceKind, tuple[str, str]] = {
    "group": (ASSOCIATE, DISASSOCIATE),
    "connector": (ASSOCIATE_CONNECTOR, DISASSOCIATE_CONNECTOR),
}
ID_PARAM: dict[ResourceKind, str] = {"group": "VoiceConnectorGroupId", "connector": "VoiceConnectorId"}
_KIND_OF_PARAM = {param: kind for kind, param in ID_PARAM.items()}
UPDATE = "UpdatePhoneNumber"
T = TypeVar("T")
BATCH_UPDATE = "BatchUpdatePhoneNumber"


def id_param(operation: str) -> str:
    """The ID parameter of an association operation: the group's or the connector's."""
    return ID_PARAM["group" if operation.endswith("Group") else "connector"]


async def locate_target(text: str, voice: VoiceService) -> Located:
    """The group or connector a number command names. `group:`/`connector:` say which; a bare ID or
    name is looked up as both, and refused when it names one of each."""
    kind, name = split_target(text)
    if kind is not None:
        return await voice.locate(Reference(kind, name))
    found = await asyncio.gather(*(_located_or_none(voice, Reference(k, name)) for k in OPERATIONS))
    matches = [located for located in found if located is not None]
    if len(matches) > 1:
        group, connector = matches
        raise Unplannable(
            f"'{name}' names both group {describe(group)} and connector {describe(connector)}: "
            f"write group:{name} or connector:{name}."
        )
    if not matches:
        raise VoiceError(
            "LocateTarget",
            "NotFoundException",
            f"No voice connector group or voice connector has the ID or name '{name}' in "
            f"{', '.join(voice.regions)}.",
        )
    return matches[0]


async def _located_or_none(voice: VoiceService, reference: Reference) -> Located | None:
    return await _unless_not_found(voice.locate(reference))


async def _unless_not_found(lookup: Awaitable[T]) -> T | None:
    """What a lookup finds, or None when AWS (or the lookup) says there is no such thing."""
    try:
        return await lookup
    except VoiceError as error:
        if error.code == "NotFoundException":
            return None
        raise


# Reads -------------------------------------------------------------------------------------


async def read_list(command: NumbersList, voice: VoiceService) -> NumberList:
    routes, warnings = await _route_names(voice)
    if command.group is not None:
        target = await voice.locate(Reference("group", command.group), partial_ok=True)
        warnings += target.warnings
        numbers = await voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id)
        scope = f"associated with group {target.name} ({target.id})"
    elif command.connector is not None:
        target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
        warnings += target.warnings
        numbers, silent = await _reaching_connector(target.id, voice)
        warnings += silent
        scope = f"reaching connector {target.name} ({target.id}), directly or through its groups"
    elif command.unassigned:
        numbers = await voice.list_phone_numbers(status="Unassigned")
        scope = "not associated with anything"
    else:
        numbers = await voice.list_phone_numbers()
        scope = "in the account"
    return NumberList(scope=scope, numbers=numbers, routes=routes, warnings=warnings)


async def _route_names(voice: VoiceService) -> tuple[dict[str, str], list[str]]:
    """Every connector's and group's ID → `connector NAME` / `group NAME`, from the regions that
    answered (a number routed to a silent region's resource is shown by its ID)."""
    connectors, groups = await asyncio.gather(
        voice.list_reachable(voice.list_connectors), voice.list_reachable(voice.list_groups)
    )
    routes = {
        resource_id(resource): f"{kind} {resource.name}"
        for kind, across in (("connector", connectors), ("group", groups))
        for listed in across.found.values()
        for resource in listed
    }
    return routes, sorted({*connectors.warnings(), *groups.warnings()})


def resource_id(resource: VoiceConnector | VoiceConnectorGroup) -> str:
    if isinstance(resource, VoiceConnector):
        return resource.voice_connector_id
    return resource.voice_connector_group_id


async def _reaching_connector(connector_id: str, voice: VoiceService) -> tuple[list[PhoneNumber], list[str]]:
    """Numbers on the connector itself, then those of every group it is a member of (in the
    regions that answered: the warnings name the others)."""
    groups = await voice.list_reachable(voice.list_groups)
    member_of = [
        group.voice_connector_group_id
        for listed in groups.found.values()
        for group in listed
        if any(item.voice_connector_id == connector_id for item in group.voice_connector_items)
    ]
    listings = await asyncio.gather(
        voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=connector_id),
        *(voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=g) for g in member_of),
    )
    return [number for listing in listings for number in listing], groups.warnings()


def route_of(number: PhoneNumber, routes: dict[str, str]) -> str:
    """Where a number routes, by name and ID (`group pstn-failover (123…)`), or `-`."""
    association = number.associated_with()
    if association is None or association.value is None:
        return "-"
    name = routes.get(association.value)
    if name is None:
        return f"{association.name} {association.value}"
    return f"{name} ({association.value})"


def view_list(result: NumberList) -> Doc:
    rows = tuple(
        (number.number, readable_number(number.number), number.status or "?", route_of(number, result.routes))
        for number in result.numbers
    )
    return Doc(
        f"{len(rows)} phone number(s) {result.scope}",
        (
            Table(
                f"Phone numbers {result.scope}",
                ("Number", "Readable", "Status", "Routes to"),
                rows,
                "numbers.csv",
            ),
        ),
    )


# Plans -------------------------------------------------------------------------------------

_ALREADY_HERE = "already associated with this"


def batches(
    operation: str,
    region: str,
    target_id: str,
    numbers: list[str],
    voice: VoiceService,
    *,
    created_id: bool = False,
    extra: dict[str, Any] | None = None,
) -> list[ApiCall]:
    """One request per VOICE_BATCH_SIZE numbers, the most AWS takes in one call."""
    size = voice.settings.batch_size
    param = id_param(operation)
    return [
        ApiCall(
            operation=operation,
            region=region,
            params={param: target_id, "E164PhoneNumbers": numbers[start : start + size]} | (extra or {}),
            created_id_param=param if created_id else None,
        )
        for start in range(0, len(numbers), size)
    ]


def associate_options(command: NumbersAssociate) -> dict[str, Any]:
    """ForceAssociate only when asked: the request carries what the user stated, nothing more."""
    return {"ForceAssociate": True} if command.force else {}


async def plan_associate(command: NumbersAssociate, voice: VoiceService, located: list[Located]) -> Plan:
    target = await locate_target(command.target, voice)
    return await _plan(command, voice, target, True, associate_options(command), force=command.force)


async def plan_disassociate(
    command: NumbersDisassociate, voice: VoiceService, located: list[Located]
) -> Plan:
    target = await locate_target(command.target, voice)
    return await _plan(command, voice, target, False, {}, force=False)


async def _plan(
    command: NumbersAssociate | NumbersDisassociate,
    voice: VoiceService,
    target: Located,
    associating: bool,
    extra: dict[str, Any],
    *,
    force: bool,
) -> Plan:
    moves = await moves_of(command.numbers, voice, target, associating=associating, force=force)
    warnings = number_warnings(moves, associating)
    if associating and all((move.note or "").startswith(_ALREADY_HERE) for move in moves):
        raise NothingToDo(f"Every number given is already associated with {describe(target)}.")
    if not associating and all(move.note is not None for move in moves):
        raise Unplannable(_none_on_target(moves, target))
    operation = OPERATIONS[target.kind][0 if associating else 1]
    calls = batches(operation, target.region, target.id, list(command.numbers), voice, extra=extra)
    verb = "Associate" if associating else "Disassociate"
    preposition = "with" if associating else "from"
    sources = sorted(
        {move.shown or move.current for move in moves if move.note == "moves here" and move.current}
    )
    if sources:
        warnings.append(f"Numbers are taken from: {', '.join(sources)}.")
    return new_plan(
        f"{verb} {len(command.numbers)} number(s) {preposition} {target.kind} {describe(target)}",
        calls,
        target=target,
        moves=moves,
        warnings=warnings,
        before={number: move.current for number, move in zip(command.numbers, moves, strict=True)},
        also_requires=["numbers.disassociate"] if sources else [],
    )


def _none_on_target(moves: list[NumberMove], target: Located) -> str:
    """A disassociate none of whose numbers is on the target: AWS would refuse every one, so say
    where each is instead (when only some are off it, the preview notes those per number)."""
    more = f" and {len(moves) - 10} more" if len(moves) > 10 else ""
    return (
        f"No number given is associated with {target.kind} {describe(target)}, so "
        f"there is nothing to disassociate: {'; '.join(map(_whereabouts, moves[:10]))}{more}. "
        f"`/voice numbers list --{target.kind} {target.id}` lists the numbers on it."
    )


def _whereabouts(move: NumberMove) -> str:
    if move.shown or move.current:
        return f"{move.number} is on {move.shown or move.current}"
    if move.note and "account" in move.note:
        return f"{move.number} is not in this account"
    return f"{move.number} is not associated with anything"


def location(association: Association) -> str:
    """Where a number routes, as plans record it (`VoiceConnectorGroupId 123…`)."""
    return f"{association.name} {association.value}"


async def moves_of(
    numbers: list[str], voice: VoiceService, target: Located | None, *, associating: bool, force: bool
) -> list[NumberMove]:
    """Where each number is now, by name, and what the change does to it (see `move`)."""
    records = await voice.phone_numbers_by_e164(numbers)
    routed = any(record.associated_with() for record in records.values())
    routes = (await _route_names(voice))[0] if routed else {}
    return [move(number, records.get(number), target, associating, force, routes) for number in numbers]


def move(
    number: str,
    record: PhoneNumber | None,
    target: Located | None,
    associating: bool,
    force: bool,
    routes: dict[str, str],
) -> NumberMove:
    """Where a number is now and what the change does to it; `target` None is a group not yet made.
    `routes` names connectors and groups by ID (see `_route_names`) for the preview."""
    if record is None:
        return NumberMove(number=number, current=None, note="not in this account: AWS will refuse it")
    kind = target.kind if target is not None else "group"
    association = record.associated_with()
    current = location(association) if association else None
    on_target = association is not None and target is not None and association.value == target.id
    if associating and on_target:
        note: str | None = f"{_ALREADY_HERE} {kind}"
    elif associating and association is not None:
        note = "moves here" if force else "associated elsewhere: needs --force"
    elif not associating and not on_target:
        note = f"not associated with this {kind}: AWS will refuse it"
    else:
        note = None
    shown = route_of(record, routes) if association else None
    return NumberMove(number=number, current=current, note=note, shown=shown)


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


async def _on_target(call: ApiCall, voice: VoiceService) -> tuple[set[str], set[str]]:
    """(the call's numbers AWS knows, those of them now on the call's group or connector)."""
    param = id_param(call.operation)
    target_id = call.params[param]
    records = await voice.phone_numbers_by_e164(call.params["E164PhoneNumbers"])
    on_target = {
        number
        for number, record in records.items()
        if (association := record.associated_with()) is not None
        and (association.name, association.value) == (param, target_id)
    }
    return set(records), on_target


async def associate_seen(call: ApiCall, voice: VoiceService) -> bool:
    known, on_target = await _on_target(call, voice)
    return on_target == known


async def disassociate_seen(call: ApiCall, voice: VoiceService) -> bool:
    _, on_target = await _on_target(call, voice)
    return not on_target


# Undo --------------------------------------------------------------------------------------


def _was_on_target(outcome: Outcome, number: str) -> bool:
    plan = outcome.plan
    before = (plan.before or {}).get(number)
    target = plan.target
    on_target = Association(name=ID_PARAM[target.kind], value=target.id) if target else None
    return on_target is not None and before == location(on_target)


def _target_text(outcome: Outcome) -> str:
    """The plan's target as a command names it: kind and ID, which cannot be mistaken for a name."""
    target = outcome.plan.target
    return f"{target.kind}:{target.id}" if target else ""


def undo_associate(outcome: Outcome) -> str:
    """Disassociate what this change newly associated; numbers that were already there stay."""
    moved = [n for n in outcome.succeeded_numbers if not _was_on_target(outcome, n)]
    if not moved:
        raise CannotUndo("no number was newly associated by that change, so there is nothing to undo")
    return f"numbers disassociate {_target_text(outcome)} {' '.join(moved)}"


def associate_caveats(outcome: Outcome) -> list[str]:
    before = outcome.plan.before or {}
    # Where each was, by name as the preview showed it (changes recorded before names were shown
    # have only AWS's form).
    named = {move.number: move.shown for move in outcome.plan.moves if move.shown}
    taken = [
        number
        for number in outcome.succeeded_numbers
        if before.get(number) and not _was_on_target(outcome, number)
    ]
    if not taken:
        return []
    moved = [f"{number} (was {named.get(number) or before[number]})" for number in taken]
    shown = ", ".join(moved[:20]) + (f" and {len(moved) - 20} more" if len(moved) > 20 else "")
    back: dict[str, list[str]] = {}
    for number in taken:
        param, _, ident = str(before[number]).partition(" ")
        back.setdefault(f"{_KIND_OF_PARAM.get(param, 'group')}:{ident}", []).append(number)
    commands = "; ".join(
        f"`/voice numbers associate {where} {' '.join(numbers)} --force`" for where, numbers in back.items()
    )
    return [
        f"{len(moved)} number(s) were moved here with --force from elsewhere: {shown}. Undoing disassociates "
        f"them, leaving them routed nowhere; to move them back instead, run {commands}."
    ]


def undo_disassociate(outcome: Outcome) -> str:
    if not outcome.succeeded_numbers:
        raise CannotUndo("no number was disassociated by that change")
    return f"numbers associate {_target_text(outcome)} {' '.join(outcome.succeeded_numbers)}"


# One number: show, update ------------------------------------------------------------------


class NumberStory(Model):
    """GetPhoneNumber's answer, with the group or connector it routes to found by its ID."""

    number: PhoneNumberDetail
    route: Located | None
    warnings: list[str] = Field(default_factory=list)


async def get_number(number: str, voice: VoiceService) -> PhoneNumberDetail:
    response = await voice.call(voice.home_region, "GetPhoneNumber", {"PhoneNumberId": number})
    return PhoneNumberDetail.model_validate(response["PhoneNumber"])


async def read_show(command: NumberShow, voice: VoiceService) -> NumberStory:
    number = await get_number(command.number, voice)
    association = number.associated_with()
    if association is None or association.value is None:
        return NumberStory(number=number, route=None)
    reference = Reference(_KIND_OF_PARAM[association.name or ""], association.value)
    try:
        route = await voice.locate(reference, partial_ok=True)
    except VoiceError as error:  # the number's own story stands; say why its route has no name
        return NumberStory(number=number, route=None, warnings=[error.message])
    return NumberStory(number=number, route=route, warnings=route.warnings)


def view_show(result: NumberStory) -> Doc:
    number = result.number
    association = number.associated_with()
    if result.route is not None:
        routes = f"{result.route.kind} {describe(result.route)}"
    elif association is not None:
        routes = f"{association.name} {association.value}"
    else:
        routes = "nothing (unassigned)"
    since = association.associated_timestamp if association else None
    parts: list[Part] = [
        Heading(f"Phone number {display_number(number.number)}"),
        Fields(
            (
                ("Routes to", routes),
                ("Associated since", when(since)),
                ("Product type", number.product_type or "-"),
                ("Type", number.type or "-"),
                ("Calling name", number.calling_name or "(none)"),
                ("Calling name status", number.calling_name_status or "-"),
                ("Status", number.status or "-"),
                ("Order ID", number.order_id or "-"),
                ("Created", when(number.created_timestamp)),
                ("Updated", when(number.updated_timestamp)),
            )
        ),
    ]
    return Doc(f"{number.number}: {number.status or '?'}, routes to {routes}", tuple(parts))


def when(moment: datetime | None) -> str:
    """A timestamp as people read it in a record, or `-`."""
    return moment.isoformat(timespec="seconds") if moment else "-"


def _attribute(command: NumberUpdate) -> tuple[str, str]:
    """(API member, value) of the one attribute the command sets."""
    if command.calling_name is not None:
        return "CallingName", command.calling_name
    return "ProductType", str(command.product_type)


async def _details(numbers: list[str], voice: VoiceService) -> dict[str, PhoneNumberDetail]:
    """Each number's record, read with GetPhoneNumber (the listing lacks calling names); numbers
    the account does not hold are left out."""
    found = await asyncio.gather(*(_detail_or_none(number, voice) for number in numbers))
    return {number: detail for number, detail in zip(numbers, found, strict=True) if detail is not None}


async def _detail_or_none(number: str, voice: VoiceService) -> PhoneNumberDetail | None:
    return await _unless_not_found(get_number(number, voice))


def _current(detail: PhoneNumberDetail) -> dict[str, str]:
    return {"CallingName": detail.calling_name or "", "ProductType": detail.product_type or ""}


async def plan_update(command: NumberUpdate, voice: VoiceService, located: list[Located]) -> Plan:
    member, value = _attribute(command)
    details = await _details(command.numbers, voice)
    unknown = [number for number in command.numbers if number not in details]
    if unknown:
        raise Unplannable(f"Not in this account: {', '.join(unknown)}. AWS updates only numbers it holds.")
    changing = [number for number in command.numbers if _current(details[number])[member] != value]
    if not changing:
        raise NothingToDo(f"Every number given already has {member} {value or '(none)'}.")
    label = "calling name" if member == "CallingName" else "product type"
    changes = [
        FieldChange(
            field=f"{number} {label}",
            before=_current(details[number])[member] or "(none)",
            after=value or "(none)",
        )
        for number in changing
    ]
    return new_plan(
        f"Set the {label} of {len(changing)} number(s) to {value or '(none)'}",
        [_update_call(voice.home_region, member, value, changing)],
        changes=changes,
        moves=[
            NumberMove(
                number=number,
                current=_current(details[number])[member] or None,
                shown=_current(details[number])[member] or "(none)",
            )
            for number in changing
        ],
        moves_current=f"{label.capitalize()} now",
        warnings=_update_warnings(member, [details[number] for number in changing]),
        before={number: _current(details[number]) for number in changing},
    )


def _update_call(region: str, member: str, value: str, numbers: list[str]) -> ApiCall:
    """UpdatePhoneNumber for one number, BatchUpdatePhoneNumber (errors per number) for several."""
    if len(numbers) == 1:
        return ApiCall(operation=UPDATE, region=region, params={"PhoneNumberId": numbers[0], member: value})
    items = [{"PhoneNumberId": number, member: value} for number in numbers]
    return ApiCall(operation=BATCH_UPDATE, region=region, params={"UpdatePhoneNumberRequestItems": items})


def _update_warnings(member: str, details: list[PhoneNumberDetail]) -> list[str]:
    if member == "CallingName":
        pending = [d.number for d in details if d.calling_name_status == "UpdateInProgress"]
        warnings = ["A calling name can take up to 72 hours to reach callers (AWS processes it)."]
        if pending:
            warnings.append(
                f"{len(pending)} number(s) have a calling-name update still in progress, which AWS "
                f"refuses to overlap: {', '.join(pending)}."
            )
        return warnings
    routed = [d.number for d in details if d.associated_with() is not None]
    if not routed:
        return []
    return [
        f"{len(routed)} number(s) route to a connector or group, where only VoiceConnector numbers may "
        f"be: disassociate them first or AWS refuses them ({', '.join(routed)})."
    ]


def _update_items(call: ApiCall) -> list[dict[str, str]]:
    if call.operation == UPDATE:
        return [call.params]
    items: list[dict[str, str]] = call.params["UpdatePhoneNumberRequestItems"]
    return items


async def update_seen(call: ApiCall, voice: VoiceService) -> bool:
    items = _update_items(call)
    details = await _details([item["PhoneNumberId"] for item in items], voice)
    return all(
        (detail := details.get(item["PhoneNumberId"])) is not None
        and all(
            _current(detail)[member] == value for member, value in item.items() if member in _current(detail)
        )
        for item in items
    )


def undo_update(outcome: Outcome) -> str:
    """Set back the value each changed number had; one command when they shared it."""
    before = outcome.plan.before or {}
    changed = [number for number in outcome.succeeded_numbers if number in before]
    if not changed:
        raise CannotUndo("no number was changed by that change")
    [member] = [key for key in _update_items(outcome.plan.calls[0])[0] if key != "PhoneNumberId"]
    flag = "--calling-name" if member == "CallingName" else "--product-type"
    by_value: dict[str, list[str]] = {}
    for number in changed:
        by_value.setdefault(before[number][member], []).append(number)
    commands = [
        f"number update {' '.join(numbers)} {flag} {shlex.quote(value)}"
        for value, numbers in by_value.items()
    ]
    if len(commands) > 1:
        raise CannotUndo(
            "the numbers had different values before, which one command cannot restore: run "
            + "; ".join(f"`{command}`" for command in commands)
        )
    return commands[0]


READS[NumbersList] = ReadOps(read_list, view_list)
CHANGES[NumbersAssociate] = ChangeOps(
    plan_associate,
    sends=frozenset(
        {"AssociatePhoneNumbersWithVoiceConnectorGroup", "AssociatePhoneNumbersWithVoiceConnector"}
    ),
    inverse=undo_associate,
    caveats=associate_caveats,
)
CHANGES[NumbersDisassociate] = ChangeOps(
    plan_disassociate,
    sends=frozenset(
        {"DisassociatePhoneNumbersFromVoiceConnectorGroup", "DisassociatePhoneNumbersFromVoiceConnector"}
    ),
    inverse=undo_disassociate,
)
for _associate, _disassociate in OPERATIONS.values():
    EFFECTS[_associate] = Shows(associate_seen, batched=True)
    EFFECTS[_disassociate] = Shows(disassociate_seen, batched=True)
READS[NumberShow] = ReadOps(read_show, view_show)
CHANGES[NumberUpdate] = ChangeOps(
    plan_update, sends=frozenset({"UpdatePhoneNumber", "BatchUpdatePhoneNumber"}), inverse=undo_update
)
EFFECTS[UPDATE] = Shows(update_seen)
EFFECTS[BATCH_UPDATE] = Shows(update_seen)
