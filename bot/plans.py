"""Change commands → Plans: read the current state, work out what will change, build the requests.

A plan is computed again just before applying and its `before` compared with the previewed one,
so a change never lands on a state nobody saw.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.results import ApiCall, FieldChange, NumberMove, Plan
from bot.voice import VoiceService
from commands import ChangeCommand, Resolved
from commands.connector import ConnectorCreate, ConnectorDelete
from commands.group import GroupCreate, GroupDelete
from commands.numbers import NumbersAssociate, NumbersDisassociate
from commands.origination import OriginationClear, OriginationSet, OriginationToggle
from commands.proxy import ProxyClear, ProxySet
from voice_domain.located import Located
from voice_domain.shapes import Origination, PhoneNumber, Proxy, VoiceConnector, VoiceConnectorGroup


class NothingToDo(Exception):
    """The change would not change anything, or cannot apply to the current state: say why."""


class Unplannable(Exception):
    """AWS would refuse the change as it stands, or it would leave names ambiguous: the message
    says exactly why and what has to happen first."""


NEW_GROUP_ID = "(the new group's ID)"
_DISASSOCIATE_FROM_GROUP = "DisassociatePhoneNumbersFromVoiceConnectorGroup"
_ASSOCIATE_WITH_GROUP = "AssociatePhoneNumbersWithVoiceConnectorGroup"


async def make_plan(command: ChangeCommand, voice: VoiceService, command_text: str) -> Plan:
    references = command.references()
    located = await asyncio.gather(*(voice.locate(reference) for reference in references))
    ids = {reference.text: found.id for reference, found in zip(references, located, strict=True)}
    found = list(located)
    match command:
        case ConnectorCreate():
            plan = await _connector_create(command, voice, ids)
        case GroupCreate():
            plan = await _group_create(command, voice, ids, found)
        case ConnectorDelete():
            plan = await _connector_delete(voice, found[0])
        case GroupDelete():
            plan = await _group_delete(voice, found[0])
        case NumbersAssociate() | NumbersDisassociate():
            plan = await _numbers(command, voice, ids, found)
        case OriginationSet() | OriginationToggle() | OriginationClear():
            plan = await _origination(command, voice, ids, found)
        case ProxySet() | ProxyClear():
            plan = await _proxy(command, voice, ids, found)
        case _:
            raise TypeError(f"{type(command).__name__} has no planner")
    return plan.model_copy(update={"command_text": command_text, "permission": command.permission})


def _plan(summary: str, calls: list[ApiCall], **fields: Any) -> Plan:
    return Plan(command_text="", permission="", summary=summary, calls=calls, **fields)


def _describe(target: Located) -> str:
    return f"{target.name} ({target.id}, {target.region})"


def _routes(origination: Origination | None) -> str | None:
    if origination is None:
        return None
    return "; ".join(route.describe() for route in origination.routes) or "(none)"


def _enabled(origination: Origination | None) -> str | None:
    if origination is None:
        return None
    return "disabled" if origination.disabled else "enabled"


async def _refuse_taken_name(
    what: str,
    name: str,
    voice: VoiceService,
    lister: Callable[[str], Awaitable[list[VoiceConnector]]]
    | Callable[[str], Awaitable[list[VoiceConnectorGroup]]],
) -> None:
    """AWS allows two resources with one name, but every lookup by that name would then be refused
    as ambiguous; lookups span all configured regions, so the name must be free in all of them."""
    found = await voice.list_everywhere(lister)
    taken = [(region, r) for region, listed in found.items() for r in listed if r.name == name]
    if taken:
        where = "; ".join(f"{_resource_id(resource)} in {region}" for region, resource in taken)
        raise Unplannable(
            f"A {what} named '{name}' already exists ({where}). Names must stay unique, since commands "
            "find resources by name: choose another name."
        )


def _resource_id(resource: VoiceConnector | VoiceConnectorGroup) -> str:
    if isinstance(resource, VoiceConnector):
        return resource.voice_connector_id
    return resource.voice_connector_group_id


async def _connector_create(command: ConnectorCreate, voice: VoiceService, ids: dict[str, str]) -> Plan:
    region = command.region or voice.settings.voice_default_region
    voice.require_served_region(region)
    await _refuse_taken_name("voice connector", command.name, voice, voice.list_connectors)
    call = ApiCall(
        operation=command.operation, region=region, params=command.api_params(Resolved(ids, region))
    )
    changes = [
        FieldChange(field="name", before=None, after=command.name),
        FieldChange(field="region", before=None, after=region),
        FieldChange(field="encryption", before=None, after="off" if command.no_encryption else "required"),
    ]
    changes += [FieldChange(field=f"tag {tag.key}", before=None, after=tag.value) for tag in command.tags]
    return _plan(f"Create voice connector '{command.name}' in {region}", [call], changes=changes)


async def _group_create(
    command: GroupCreate, voice: VoiceService, ids: dict[str, str], located: list[Located]
) -> Plan:
    """The create, then (when numbers are given) their association with the new group's ID."""
    region = command.region or voice.settings.voice_default_region
    voice.require_served_region(region)
    await _refuse_taken_name("voice connector group", command.name, voice, voice.list_groups)
    params = command.api_params(Resolved(ids, region))
    calls = [ApiCall(operation=command.operation, region=region, params=params)]
    changes = [FieldChange(field="name", before=None, after=command.name)]
    changes += [
        FieldChange(field=f"member priority {member.priority}", before=None, after=_describe(found))
        for member, found in zip(command.members, located, strict=True)
    ]
    moves: list[NumberMove] = []
    warnings: list[str] = []
    if command.numbers:
        records = await voice.phone_numbers_by_e164(command.numbers)
        moves = [_move(number, records.get(number), None, True, False) for number in command.numbers]
        warnings = _number_warnings(moves, associating=True)
        calls += _number_batches(
            _ASSOCIATE_WITH_GROUP, region, NEW_GROUP_ID, command.numbers, voice, created_id=True
        )
        changes.append(FieldChange(field="numbers", before=None, after=f"{len(command.numbers)} number(s)"))
    return _plan(
        f"Create voice connector group '{command.name}' in {region}",
        calls,
        changes=changes,
        moves=moves,
        warnings=warnings,
        also_requires=["numbers.associate"] if command.numbers else [],
    )


async def _connector_delete(voice: VoiceService, target: Located) -> Plan:
    """Take the connector out of every group that lists it, then delete it.

    AWS refuses DeleteVoiceConnector while numbers are associated with the connector (API
    reference: DeleteVoiceConnector) or while a group lists it. Group membership is removed in the
    same previewed change; numbers are not (no bot command puts numbers on a connector back), so
    they must be disassociated first and the refusal names them. Origination and proxy settings go
    with the connector; the plan's `before` keeps them, so the history shows what was lost.
    """
    numbers, groups, origination, proxy = await asyncio.gather(
        voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id),
        voice.list_everywhere(voice.list_groups),
        voice.get_origination(target.region, target.id),
        voice.get_proxy(target.region, target.id),
    )
    if numbers:
        shown = ", ".join(number.number for number in numbers[:10])
        more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
        raise Unplannable(
            f"{_describe(target)} still has {len(numbers)} phone number(s) associated directly "
            f"({shown}{more}); AWS refuses to delete it until they are disassociated from it "
            "(for example with `aws chime-sdk-voice disassociate-phone-numbers-from-voice-connector`)."
        )
    memberships = [
        (region, group)
        for region, listed in groups.items()
        for group in listed
        if any(item.voice_connector_id == target.id for item in group.voice_connector_items)
    ]
    calls = [_group_update(region, group, without=target.id) for region, group in memberships]
    calls.append(
        ApiCall(
            operation="DeleteVoiceConnector", region=target.region, params={"VoiceConnectorId": target.id}
        )
    )
    changes = [FieldChange(field="voice connector", before=_describe(target), after=None)]
    changes += [
        FieldChange(field=f"member of group {group.name}", before=group.voice_connector_group_id, after=None)
        for _, group in memberships
    ]
    if origination is not None:
        changes.append(FieldChange(field="origination routes", before=_routes(origination), after=None))
    warnings = [
        f"Group {group.name} ({group.voice_connector_group_id}) will have no members left: "
        "calls to its numbers will fail."
        for _, group in memberships
        if len(group.voice_connector_items) == 1
    ]
    before = {
        "VoiceConnector": target.resource.to_api(),
        "Region": target.region,
        "Groups": [
            {"VoiceConnectorGroupId": group.voice_connector_group_id, "Name": group.name, "Region": region}
            for region, group in memberships
        ],
        "Origination": origination.to_api() if origination else None,
        "Proxy": proxy.to_api() if proxy else None,
    }
    return _plan(
        f"Delete voice connector {_describe(target)}",
        calls,
        target=target,
        changes=changes,
        warnings=warnings,
        before=before,
    )


def _group_update(region: str, group: VoiceConnectorGroup, *, without: str | None) -> ApiCall:
    """UpdateVoiceConnectorGroup keeping the group's name and every member but `without` (all, if None)."""
    items = [
        {"VoiceConnectorId": item.voice_connector_id, "Priority": item.priority}
        for item in group.voice_connector_items
        if without is not None and item.voice_connector_id != without
    ]
    return ApiCall(
        operation="UpdateVoiceConnectorGroup",
        region=region,
        params={
            "VoiceConnectorGroupId": group.voice_connector_group_id,
            "Name": group.name,
            "VoiceConnectorItems": items,
        },
    )


async def _group_delete(voice: VoiceService, target: Located) -> Plan:
    """Disassociate the group's numbers, empty it, delete it: the sequence AWS requires.

    API reference, DeleteVoiceConnectorGroup: "Any VoiceConnectorItems and phone numbers
    associated with the group must be removed before it can be deleted." The plan's `before`
    keeps members and numbers, so undo can create the group again with both.
    """
    group = target.resource
    assert isinstance(group, VoiceConnectorGroup)
    listed = await voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id)
    numbers = sorted(number.number for number in listed)
    calls = _number_batches(_DISASSOCIATE_FROM_GROUP, target.region, target.id, numbers, voice)
    if group.voice_connector_items:
        calls.append(_group_update(target.region, group, without=None))
    calls.append(
        ApiCall(
            operation="DeleteVoiceConnectorGroup",
            region=target.region,
            params={"VoiceConnectorGroupId": target.id},
        )
    )
    members = [
        f"{item.voice_connector_id} (priority {item.priority})" for item in group.voice_connector_items
    ]
    changes = [
        FieldChange(field="voice connector group", before=_describe(target), after=None),
        FieldChange(field="members", before=", ".join(members) or None, after=None),
        FieldChange(field="numbers", before=f"{len(numbers)} number(s)" if numbers else None, after=None),
    ]
    warnings = (
        [f"{len(numbers)} number(s) on this group will no longer route anywhere until associated again."]
        if numbers
        else []
    )
    return _plan(
        f"Delete voice connector group {_describe(target)}",
        calls,
        target=target,
        changes=[change for change in changes if change.before != change.after],
        moves=[NumberMove(number=number, current=f"VoiceConnectorGroupId {target.id}") for number in numbers],
        warnings=warnings,
        before={"VoiceConnectorGroup": group.to_api(), "Region": target.region, "E164PhoneNumbers": numbers},
        also_requires=["numbers.disassociate"] if numbers else [],
    )


def _number_batches(
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


async def _numbers(
    command: NumbersAssociate | NumbersDisassociate,
    voice: VoiceService,
    ids: dict[str, str],
    located: list[Located],
) -> Plan:
    target = located[0]
    records = await voice.phone_numbers_by_e164(command.numbers)
    associating = isinstance(command, NumbersAssociate)
    force = isinstance(command, NumbersAssociate) and command.force
    moves = [_move(number, records.get(number), target, associating, force) for number in command.numbers]
    warnings = _number_warnings(moves, associating)
    if associating and all(move.note == "already associated with this group" for move in moves):
        raise NothingToDo(f"Every number given is already associated with {_describe(target)}.")
    params = command.api_params(Resolved(ids, target.region))
    numbers = params.pop("E164PhoneNumbers")
    group_id = params.pop("VoiceConnectorGroupId")
    calls = _number_batches(command.operation, target.region, group_id, numbers, voice, extra=params)
    verb = "Associate" if associating else "Disassociate"
    preposition = "with" if associating else "from"
    sources = sorted({move.current for move in moves if move.note == "moves here" and move.current})
    if sources:
        warnings.append(f"Numbers are taken from: {', '.join(sources)}.")
    return _plan(
        f"{verb} {len(command.numbers)} number(s) {preposition} group {_describe(target)}",
        calls,
        target=target,
        moves=moves,
        warnings=warnings,
        before={number: move.current for number, move in zip(command.numbers, moves, strict=True)},
        also_requires=["numbers.disassociate"] if sources else [],
    )


def _move(
    number: str, record: PhoneNumber | None, target: Located | None, associating: bool, force: bool
) -> NumberMove:
    """Where a number is now and what the change does to it; `target` None is a group not yet made."""
    if record is None:
        return NumberMove(number=number, current=None, note="not in this account: AWS will refuse it")
    association = record.associated_with()
    current = f"{association.name} {association.value}" if association else None
    on_target = association is not None and target is not None and association.value == target.id
    if associating and on_target:
        note = "already associated with this group"
    elif associating and association is not None:
        note = "moves here" if force else "associated elsewhere: needs --force"
    elif not associating and not on_target:
        note = "not associated with this group: AWS will refuse it"
    else:
        note = None
    return NumberMove(number=number, current=current, note=note)


def _number_warnings(moves: list[NumberMove], associating: bool) -> list[str]:
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


async def _origination(
    command: OriginationSet | OriginationToggle | OriginationClear,
    voice: VoiceService,
    ids: dict[str, str],
    located: list[Located],
) -> Plan:
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    if isinstance(command, OriginationToggle) and (current is None or not current.routes):
        raise NothingToDo(
            f"{_describe(target)} has no origination routes: use `/voice origination set` first."
        )
    if isinstance(command, OriginationClear) and current is None:
        raise NothingToDo(f"{_describe(target)} has no origination settings to clear.")
    params = command.api_params(Resolved(ids, target.region, current=current))
    after = (
        None if isinstance(command, OriginationClear) else Origination.model_validate(params["Origination"])
    )
    changes = [
        FieldChange(field="routes", before=_routes(current), after=_routes(after)),
        FieldChange(field="origination", before=_enabled(current), after=_enabled(after)),
    ]
    return _settings_plan(command, target, params, changes, current, "origination settings")


def _proxy_text(proxy: Proxy | None, field: str) -> str | None:
    if proxy is None:
        return None
    value = {
        "session expiry": f"{proxy.default_session_expiry_minutes} min",
        "countries": ",".join(proxy.phone_number_countries),
        "fallback number": proxy.fall_back_phone_number or "(none)",
        "proxy": "disabled" if proxy.disabled else "enabled",
    }[field]
    return value


async def _proxy(
    command: ProxySet | ProxyClear, voice: VoiceService, ids: dict[str, str], located: list[Located]
) -> Plan:
    target = located[0]
    current = await voice.get_proxy(target.region, target.id)
    if isinstance(command, ProxyClear) and current is None:
        raise NothingToDo(f"{_describe(target)} has no proxy settings to clear.")
    params = command.api_params(Resolved(ids, target.region, current=current))
    after = (
        Proxy(
            default_session_expiry_minutes=command.expiry,
            phone_number_countries=list(command.countries),
            fall_back_phone_number=command.fallback,
            disabled=command.disabled,
        )
        if isinstance(command, ProxySet)
        else None
    )
    fields = ("session expiry", "countries", "fallback number", "proxy")
    changes = [
        FieldChange(field=f, before=_proxy_text(current, f), after=_proxy_text(after, f)) for f in fields
    ]
    return _settings_plan(command, target, params, changes, current, "proxy settings")


def _settings_plan(
    command: ChangeCommand,
    target: Located,
    params: dict[str, Any],
    changes: list[FieldChange],
    current: Origination | Proxy | None,
    what: str,
) -> Plan:
    """A one-request change of a connector's settings, showing only the fields that change."""
    changes = [change for change in changes if change.before != change.after]
    if not changes:
        raise NothingToDo(f"the {what} of {_describe(target)} already are exactly that.")
    return _plan(
        f"{command.command_name().capitalize()}: {_describe(target)}",
        [ApiCall(operation=command.operation, region=target.region, params=params)],
        target=target,
        changes=changes,
        warnings=[command.notice] if command.notice else [],
        before=current.to_api() if current else None,
    )
