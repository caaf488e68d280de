"""Change commands → Plans: read the current state, work out what will change, build the requests.

A plan is computed again just before applying and its `before` compared with the previewed one,
so a change never lands on a state nobody saw.
"""

import asyncio
from typing import Any

from bot.models import Origination, PhoneNumber, Proxy
from bot.results import ApiCall, FieldChange, NumberMove, Plan
from bot.voice import Located, VoiceService
from commands import ChangeCommand, Resolved
from commands.connector import ConnectorCreate, ConnectorDelete
from commands.group import GroupCreate, GroupDelete
from commands.numbers import NumbersAssociate, NumbersDisassociate
from commands.origination import OriginationClear, OriginationSet, OriginationToggle
from commands.proxy import ProxyClear, ProxySet


class NothingToDo(Exception):
    """The change would not change anything, or cannot apply to the current state: say why."""


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
        case ConnectorDelete() | GroupDelete():
            plan = await _delete(command, ids, found)
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


async def _connector_create(command: ConnectorCreate, voice: VoiceService, ids: dict[str, str]) -> Plan:
    region = command.region or voice.settings.voice_default_region
    existing = [c for c in await voice.list_connectors(region) if c.name == command.name]
    warnings = (
        [f"A connector named '{command.name}' already exists in {region}; names will no longer be unique."]
        if existing
        else []
    )
    call = ApiCall(
        operation=command.operation, region=region, params=command.api_params(Resolved(ids, region))
    )
    changes = [
        FieldChange(field="name", before=None, after=command.name),
        FieldChange(field="region", before=None, after=region),
        FieldChange(field="encryption", before=None, after="off" if command.no_encryption else "required"),
    ]
    changes += [FieldChange(field=f"tag {tag.key}", before=None, after=tag.value) for tag in command.tags]
    return _plan(
        f"Create voice connector '{command.name}' in {region}", [call], changes=changes, warnings=warnings
    )


async def _group_create(
    command: GroupCreate, voice: VoiceService, ids: dict[str, str], located: list[Located]
) -> Plan:
    region = command.region or voice.settings.voice_default_region
    call = ApiCall(
        operation=command.operation, region=region, params=command.api_params(Resolved(ids, region))
    )
    changes = [FieldChange(field="name", before=None, after=command.name)]
    changes += [
        FieldChange(field=f"member priority {member.priority}", before=None, after=_describe(found))
        for member, found in zip(command.members, located, strict=True)
    ]
    return _plan(f"Create voice connector group '{command.name}' in {region}", [call], changes=changes)


async def _delete(
    command: ConnectorDelete | GroupDelete, ids: dict[str, str], located: list[Located]
) -> Plan:
    target = located[0]
    call = ApiCall(
        operation=command.operation,
        region=target.region,
        params=command.api_params(Resolved(ids, target.region)),
    )
    what = "voice connector" if target.kind == "connector" else "voice connector group"
    return _plan(
        f"Delete {what} {_describe(target)}",
        [call],
        target=target,
        changes=[FieldChange(field=what, before=_describe(target), after=None)],
        before=target.resource.to_api(),
    )


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
    size = voice.settings.batch_size
    calls = [
        ApiCall(
            operation=command.operation,
            region=target.region,
            params={**params, "E164PhoneNumbers": params["E164PhoneNumbers"][start : start + size]},
        )
        for start in range(0, len(command.numbers), size)
    ]
    verb = "Associate" if associating else "Disassociate"
    preposition = "with" if associating else "from"
    return _plan(
        f"{verb} {len(command.numbers)} number(s) {preposition} group {_describe(target)}",
        calls,
        target=target,
        moves=moves,
        warnings=warnings,
        before={number: move.current for number, move in zip(command.numbers, moves, strict=True)},
    )


def _move(
    number: str, record: PhoneNumber | None, target: Located, associating: bool, force: bool
) -> NumberMove:
    if record is None:
        return NumberMove(number=number, current=None, note="not in this account: AWS will refuse it")
    association = record.associated_with()
    current = f"{association.name} {association.value}" if association else None
    on_target = association is not None and association.value == target.id
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
