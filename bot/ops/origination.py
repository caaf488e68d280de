"""Origination: show, set, enable, disable, clear; their requests, read-backs, inverses and views."""

import shlex

from bot.ops.common import NothingToDo, describe, settings_plan
from bot.ops.emergency import warn_of_emergency_calling
from bot.ops.registry import CHANGES, EFFECTS, READS, CannotUndo, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Paragraph, Part, Table
from bot.results import ApiCall, FieldChange, OriginationView, Outcome, Plan
from bot.voice import VoiceService
from commands.origination import (
    OriginationClear,
    OriginationDisable,
    OriginationEnable,
    OriginationSet,
    OriginationShow,
    OriginationToggle,
)
from voice_domain.located import Located, Reference
from voice_domain.shapes import Origination

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


def _put(
    command: OriginationSet | OriginationToggle,
    target: Located,
    current: Origination | None,
    after: Origination,
) -> Plan:
    """The one PutVoiceConnectorOrigination that makes the connector's origination `after`."""
    call = ApiCall(
        operation="PutVoiceConnectorOrigination", region=target.region, params=put_request(target.id, after)
    )
    return _plan(command, target, call, current, after)


async def plan_set(command: OriginationSet, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    return _put(command, target, current, Origination(routes=command.routes, disabled=command.disabled))


async def plan_toggle(command: OriginationToggle, voice: VoiceService, located: list[Located]) -> Plan:
    """Enable or disable, keeping the routes as AWS has them now."""
    target = located[0]
    current = await voice.get_origination(target.region, target.id)
    if current is None or not current.routes:
        raise NothingToDo(
            f"{describe(target)} has no origination routes: use `/voice origination set` first."
        )
    return _put(command, target, current, Origination(routes=current.routes, disabled=command.disable))


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
    return _plan(command, target, call, current, None)


def _plan(
    command: OriginationSet | OriginationToggle | OriginationClear,
    target: Located,
    call: ApiCall,
    current: Origination | None,
    after: Origination | None,
) -> Plan:
    changes = [
        FieldChange(field="routes", before=routes_text(current), after=routes_text(after)),
        FieldChange(field="origination", before=_enabled(current), after=_enabled(after)),
    ]
    before = current.to_api() if current else None
    return settings_plan(command, target, call, changes, before, "origination settings")


def routes_text(origination: Origination | None) -> str | None:
    if origination is None:
        return None
    return "; ".join(route.describe() for route in origination.routes) or "(none)"


def _enabled(origination: Origination | None) -> str | None:
    if origination is None:
        return None
    return "disabled" if origination.disabled else "enabled"


# Read-backs --------------------------------------------------------------------------------


async def put_seen(call: ApiCall, voice: VoiceService) -> bool:
    current = await voice.get_origination(call.region, call.params["VoiceConnectorId"])
    wanted = Origination.model_validate(call.params["Origination"])
    return current is not None and _same(current, wanted)


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    return await voice.get_origination(call.region, call.params["VoiceConnectorId"]) is None


def _same(current: Origination, wanted: Origination) -> bool:
    """Equal as AWS stores them: an omitted port is 5060 (API reference, OriginationRoute: Port
    "Defaults to 5060")."""

    def key(origination: Origination) -> tuple[object, ...]:
        routes = sorted(
            route.model_copy(update={"port": 5060 if route.port is None else route.port}).describe()
            for route in origination.routes
        )
        return (tuple(routes), bool(origination.disabled))

    return key(current) == key(wanted)


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
CHANGES[OriginationEnable] = ChangeOps(
    plan_toggle, sends=frozenset({"PutVoiceConnectorOrigination"}), inverse=restore
)
CHANGES[OriginationDisable] = ChangeOps(
    plan_toggle, sends=frozenset({"PutVoiceConnectorOrigination"}), inverse=restore
)
CHANGES[OriginationSet] = ChangeOps(
    plan_set, sends=frozenset({"PutVoiceConnectorOrigination"}), inverse=restore
)
CHANGES[OriginationClear] = ChangeOps(
    plan_clear, sends=frozenset({"DeleteVoiceConnectorOrigination"}), inverse=restore
)
EFFECTS["PutVoiceConnectorOrigination"] = Shows(put_seen)
EFFECTS["DeleteVoiceConnectorOrigination"] = Shows(delete_seen)
# Last, so every origination change registered above warns when emergency calling depends on it.
warn_of_emergency_calling("origination")
