"""Origination: show, set, enable, disable, clear, and route edits (add, remove, change, drain);
their requests, read-backs, inverses and views."""

import shlex
from collections.abc import Awaitable, Callable

from bot.ops import impact
from bot.ops.common import NothingToDo, Unplannable, describe, settings_plan
from bot.ops.emergency import clear_first, current_emergency, refuse_under_emergency_calling
from bot.ops.registry import CHANGES, EFFECTS, READS, CannotUndo, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Paragraph, Part, Table
from bot.results import ApiCall, FieldChange, OriginationView, Outcome, Plan
from bot.voice import VoiceService
from commands import ChangeCommand
from commands.origination import (
    OriginationClear,
    OriginationDisable,
    OriginationDrain,
    OriginationEnable,
    OriginationRouteAdd,
    OriginationRouteChange,
    OriginationRouteRemove,
    OriginationSet,
    OriginationShow,
    OriginationToggle,
)
from voice_domain.located import Located, Reference
from voice_domain.origination import RouteAddress, port_of, same_host, same_route
from voice_domain.shapes import MAX_ROUTES, Origination, Route

# Reads -------------------------------------------------------------------------------------


async def read_show(command: OriginationShow, voice: VoiceService) -> OriginationView:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    return OriginationView(target=target, origination=await voice.get_origination(target.region, target.id))


def view_show(result: OriginationView) -> Doc:
    target = result.target
    summary = summary_of(result.origination)
    title = f"Origination of {target.name} ({target.id}, {target.region}): {summary}"
    parts: list[Part] = [Heading(f"Origination of {target.name}")]
    if result.origination is None:
        parts.append(Paragraph(("No origination settings: calls are not sent to any SIP host.",)))
    else:
        parts.append(Fields((("Connector", target.id), ("State", summary_of(result.origination)))))
        parts.append(routes_table(result.origination))
    return Doc(title, tuple(parts))


def summary_of(origination: Origination | None) -> str:
    if origination is None:
        return "not configured"
    state = "disabled" if origination.disabled else "enabled"
    return f"{state}, {len(origination.routes)} route(s)"


def routes_table(origination: Origination) -> Table:
    rows = tuple(
        (
            route.host,
            "" if route.port is None else str(route.port),
            route.protocol or "",
            "" if route.priority is None else str(route.priority),
            "" if route.weight is None else str(route.weight),
        )
        for route in sorted(origination.routes, key=lambda route: (route.priority or 0, route.host))
    )
    return Table("Origination routes", ("Host", "Port", "Protocol", "Priority", "Weight"), rows, "routes.csv")


# Plans -------------------------------------------------------------------------------------


def put_request(connector_id: str, origination: Origination) -> dict[str, object]:
    return {"VoiceConnectorId": connector_id, "Origination": origination.to_api()}


async def _put(
    command: ChangeCommand,
    voice: VoiceService,
    target: Located,
    current: Origination | None,
    after: Origination,
) -> Plan:
    """The one PutVoiceConnectorOrigination that makes the connector's origination `after`."""
    call = ApiCall(
        operation="PutVoiceConnectorOrigination", region=target.region, params=put_request(target.id, after)
    )
    return await _plan(command, voice, target, call, current, after)


async def plan_set(command: OriginationSet, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    return await _put(
        command, voice, target, current, Origination(routes=command.routes, disabled=command.disabled)
    )


async def plan_toggle(command: OriginationToggle, voice: VoiceService, located: list[Located]) -> Plan:
    """Enable or disable, keeping the routes as AWS has them now."""
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    if current is None or not current.routes:
        raise NothingToDo(
            f"{describe(target)} has no origination routes: use `/voice origination set` first."
        )
    return await _put(
        command, voice, target, current, Origination(routes=current.routes, disabled=command.disable)
    )


async def plan_clear(command: OriginationClear, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    if current is None:
        raise NothingToDo(f"{describe(target)} has no origination settings to clear.")
    call = ApiCall(
        operation="DeleteVoiceConnectorOrigination",
        region=target.region,
        params={"VoiceConnectorId": target.id},
    )
    return await _plan(command, voice, target, call, current, None)


async def _plan(
    command: ChangeCommand,
    voice: VoiceService,
    target: Located,
    call: ApiCall,
    current: Origination | None,
    after: Origination | None,
) -> Plan:
    changes = [
        *route_changes(_routes(current), _routes(after)),
        FieldChange(field="origination", before=_enabled(current), after=_enabled(after)),
    ]
    before = current.to_api() if current else None
    plan = settings_plan(command, target, call, changes, before, "origination settings")
    change = _calls_lost(current, after, changes)
    if change is None:
        return plan
    return plan.model_copy(update={"impact": await impact.of_connector(voice, target, change)})


def _calls_lost(
    current: Origination | None, after: Origination | None, changes: list[FieldChange]
) -> impact.ConnectorChange | None:
    """What the change takes from calls now arriving: all of them (disabled, cleared), or the
    routes it removes. None when origination takes no calls now, or keeps every route."""
    if current is None or current.disabled or not current.routes:
        return None
    if after is None or after.disabled or not after.routes:
        return impact.ConnectorChange("stops", routes=len(current.routes))
    removed = sum(1 for change in changes if change.field == "route removed")
    return impact.ConnectorChange("fewer routes", routes=removed, left=len(after.routes)) if removed else None


def _routes(origination: Origination | None) -> list[Route]:
    return origination.routes if origination else []


def routes_text(origination: Origination | None) -> str | None:
    if origination is None:
        return None
    return "; ".join(route.describe() for route in origination.routes) or "(none)"


def _enabled(origination: Origination | None) -> str | None:
    if origination is None:
        return None
    return "disabled" if origination.disabled else "enabled"


# Route edits: one route's change, sent as the whole list read now -------------------------
# PutVoiceConnectorOrigination replaces every route, so each edit sends the list read when it was
# planned with one route added, removed or changed. Applying plans it again and refuses when that
# list (the plan's `before`) has changed meanwhile, so nobody else's edit is overwritten.


async def plan_route_add(command: OriginationRouteAdd, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    routes = _routes(current)
    address = RouteAddress.of(command.route)
    if any(address.matches(route) for route in routes):
        raise Unplannable(
            f"{describe(target)} already has a route to {address}: change it with "
            f"`/voice origination route change {target.id} {address} …`."
        )
    if len(routes) >= MAX_ROUTES:
        raise Unplannable(f"{describe(target)} already has {len(routes)} routes, the most AWS allows.")
    return await _edit(command, voice, target, current, [*routes, command.route])


async def plan_route_remove(
    command: OriginationRouteRemove, voice: VoiceService, located: list[Located]
) -> Plan:
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    index = _the_route(target, current, command.address)
    return await _edit(
        command, voice, target, current, _routes(current)[:index] + _routes(current)[index + 1 :]
    )


async def plan_route_change(
    command: OriginationRouteChange, voice: VoiceService, located: list[Located]
) -> Plan:
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    routes = list(_routes(current))
    index = _the_route(target, current, command.address)
    changed = Route.model_validate({**routes[index].model_dump(), **command.updates()})
    address = RouteAddress.of(changed)
    if any(address.matches(route) for place, route in enumerate(routes) if place != index):
        raise Unplannable(f"{describe(target)} already has another route to {address}.")
    routes[index] = changed
    return await _edit(command, voice, target, current, routes)


async def plan_drain(command: OriginationDrain, voice: VoiceService, located: list[Located]) -> Plan:
    """Chime has no per-route switch, so draining a host removes its routes; undo puts them back."""
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    routes = _routes(current)
    kept = [route for route in routes if not same_host(route, command.host)]
    if len(kept) == len(routes):
        raise NothingToDo(
            f"{describe(target)} has no route to {command.host}; its hosts: {_hosts(routes) or 'none'}."
        )
    return await _edit(command, voice, target, current, kept)


def _the_route(target: Located, current: Origination | None, address: RouteAddress) -> int:
    """The index of the one route `address` names, or why it names none or several."""
    routes = _routes(current)
    found = [index for index, route in enumerate(routes) if address.matches(route)]
    if not found:
        listed = "; ".join(route.describe() for route in routes) or "none"
        raise NothingToDo(f"{describe(target)} has no route to {address}; its routes: {listed}.")
    if len(found) > 1:
        ports = ", ".join(str(RouteAddress.of(routes[index])) for index in found)
        raise Unplannable(
            f"{address} names {len(found)} routes of {describe(target)} ({ports}): give HOST:PORT."
        )
    return found[0]


async def _edit(
    command: ChangeCommand,
    voice: VoiceService,
    target: Located,
    current: Origination | None,
    routes: list[Route],
) -> Plan:
    """The PUT of `routes` with origination left enabled or disabled as it is, warning when the
    routes tried first are gone."""
    if not routes:
        refused = f"That would leave {describe(target)} without any route, which AWS does not allow."
        emergency = await current_emergency(voice, target.region, target.id)
        if emergency is not None:
            # Disabling is what stops its calls, and AWS refuses that under emergency calling too.
            raise Unplannable(
                f"{refused} To stop its calls you would disable its origination instead, but "
                + clear_first(target, emergency, "origination")
                + f" Then `/voice origination disable {target.id}` stops its calls (its routes are kept)."
            )
        raise Unplannable(
            f"{refused} To stop sending it calls, use `/voice origination disable {target.id}` "
            "(its routes are kept)."
        )
    after = Origination(routes=routes, disabled=bool(current and current.disabled))
    plan = await _put(command, voice, target, current, after)
    return plan.model_copy(
        update={"warnings": [*plan.warnings, *_first_tried_warnings(_routes(current), routes)]}
    )


def _first_tried_warnings(before: list[Route], after: list[Route]) -> list[str]:
    """Calls go to the best (lowest) priority first: say so when no route is left at it."""
    best = min((route.priority for route in before if route.priority is not None), default=None)
    if best is None or any(route.priority == best for route in after):
        return []
    now = min(route.priority or 0 for route in after)
    hosts = _hosts([route for route in after if route.priority == now])
    return [
        f"No route is left at priority {best}, which was tried first: calls will go first to "
        f"priority {now} ({hosts})."
    ]


def _hosts(routes: list[Route]) -> str:
    return ", ".join(dict.fromkeys(route.host for route in routes))


# The route diff every origination preview shows ----------------------------------------


def route_changes(before: list[Route], after: list[Route]) -> list[FieldChange]:
    """Routes removed, changed (field by field) and added, rather than one list replacing another.

    A route that is in both lists, as AWS stores it, is unchanged and not shown. The others pair up
    as one route changed when they share host and port, or else when a host has exactly one such
    route on each side (its port changed); what is left was removed or added.
    """
    removed = list(before)
    added: list[Route] = []
    for route in after:
        twin = next((old for old in removed if same_route(old, route)), None)
        if twin is None:
            added.append(route)
        else:
            removed.remove(twin)
    changed: list[FieldChange] = []
    for key in (_address_key, _host_key):
        for new in list(added):
            olds = [old for old in removed if key(old) == key(new)]
            if len(olds) == 1 and [other for other in added if key(other) == key(new)] == [new]:
                removed.remove(olds[0])
                added.remove(new)
                changed += _field_changes(olds[0], new)
    return (
        [FieldChange(field="route removed", before=route.describe(), after=None) for route in removed]
        + changed
        + [FieldChange(field="route added", before=None, after=route.describe()) for route in added]
    )


def _address_key(route: Route) -> object:
    return (route.host.rstrip(".").casefold(), port_of(route))


def _host_key(route: Route) -> object:
    return route.host.rstrip(".").casefold()


def _field_changes(old: Route, new: Route) -> list[FieldChange]:
    """`route sbc1.example.com:5060 weight: 10 → 1`, one line per field that differs."""
    label = f"route {RouteAddress.of(old)}"
    values = {
        "port": (port_of(old), port_of(new)),
        "protocol": (old.protocol, new.protocol),
        "priority": (old.priority, new.priority),
        "weight": (old.weight, new.weight),
    }
    return [
        FieldChange(field=f"{label} {name}", before=_text(was), after=_text(now))
        for name, (was, now) in values.items()
        if was != now
    ]


def _text(value: object) -> str | None:
    return None if value is None else str(value).lower()


# Read-backs --------------------------------------------------------------------------------


async def put_seen(call: ApiCall, voice: VoiceService) -> bool:
    current = await voice.get_origination(call.region, call.params["VoiceConnectorId"])
    wanted = Origination.model_validate(call.params["Origination"])
    return current is not None and _same(current, wanted)


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    return await voice.get_origination(call.region, call.params["VoiceConnectorId"]) is None


def _same(current: Origination, wanted: Origination) -> bool:
    """Equal as AWS stores them (an omitted port is 5060), in any order."""
    return bool(current.disabled) == bool(wanted.disabled) and not route_changes(
        current.routes, wanted.routes
    )


# Undo --------------------------------------------------------------------------------------


def restore(outcome: Outcome) -> str:
    """Put back the settings the plan read before: `set` them again, or `clear` if there were none."""
    plan = outcome.plan
    target = plan.target.id if plan.target else None
    if plan.before is None:
        return f"origination clear {target}"
    before = Origination.model_validate(plan.before)
    if not before.routes:
        raise CannotUndo("the previous origination had no routes; clear it with `/voice origination clear`")
    routes = " ".join(f"--route {shlex.quote(route.describe())}" for route in before.routes)
    return f"origination set {target} {routes}" + (" --disabled" if before.disabled else "")


READS[OriginationShow] = ReadOps(read_show, view_show)
_PUTS: tuple[tuple[type[ChangeCommand], Callable[..., Awaitable[Plan]]], ...] = (
    (OriginationEnable, plan_toggle),
    (OriginationDisable, plan_toggle),
    (OriginationSet, plan_set),
    (OriginationRouteAdd, plan_route_add),
    (OriginationRouteRemove, plan_route_remove),
    (OriginationRouteChange, plan_route_change),
    (OriginationDrain, plan_drain),
)
for command, planner in _PUTS:
    CHANGES[command] = ChangeOps(planner, sends=frozenset({"PutVoiceConnectorOrigination"}), inverse=restore)
CHANGES[OriginationClear] = ChangeOps(
    plan_clear, sends=frozenset({"DeleteVoiceConnectorOrigination"}), inverse=restore
)
EFFECTS["PutVoiceConnectorOrigination"] = Shows(put_seen)
EFFECTS["DeleteVoiceConnectorOrigination"] = Shows(delete_seen)
# Last, so every origination change registered above that would turn origination off is refused
# while emergency calling depends on it.
refuse_under_emergency_calling("origination")
