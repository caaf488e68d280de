"""A change's reach, said before anyone confirms it: how many numbers route to the connector and
through which groups, which of its routes stop receiving calls, and whether calls leave a group's
first (highest-priority) connector. The plans of origination, termination, connector and group
changes call it; the result rides on the Plan, so the preview, the record and the announcement
all say the same.

AWS calls per preview, whatever the account's size: one ListVoiceConnectorGroups per configured
region (none when the plan has listed them already), one filtered ListPhoneNumbers per affected
target (the connector and each group that lists it, or the one group), one ListVoiceConnectors
per region only when calls move to another member that needs naming, and one
GetVoiceConnectorOrigination per connector that inbound calls move to.
Groups fail over inbound calls only (AWS: "Voice Connector groups only handle inbound PSTN calls"),
so a termination change says that outbound calls do not follow. A connector takes the inbound calls
it is sent only with origination enabled and routes to SIP hosts (Administrator Guide, "Managing
Amazon Chime SDK Voice Connector groups": "You configure both Voice Connectors with origination
settings that point to your SIP host(s)"), so where calls move to one without, the preview says it
cannot take them and what to run first.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.aws_errors import VoiceError
from bot.ops.common import describe
from bot.results import Impact
from bot.voice import VoiceService
from voice_domain.located import Located
from voice_domain.shapes import Origination, VoiceConnectorGroup, VoiceConnectorItem

Effect = Literal["stops", "fewer routes", "outbound"]
"""`stops`: the connector takes no inbound calls (origination off or gone, connector deleted);
`fewer routes`: it still does, on fewer SIP routes; `outbound`: it refuses outbound calls."""


@dataclass(frozen=True)
class ConnectorChange:
    """What a change does to a connector's calls: its effect, the routes that stop, those left."""

    effect: Effect
    routes: int = 0
    left: int = 0


NO_ORIGINATION = "no origination settings"
ROUTE_SYNTAX = "HOST[:PORT]/tcp|udp,priority=N,weight=N"


@dataclass(frozen=True)
class Gap:
    """Why a connector cannot take inbound calls (`lacks`, with the command that fixes it), or,
    with `lacks` None, that its origination could not be read (`unread`: AWS's error code)."""

    connector_id: str
    lacks: str | None
    unread: str | None = None

    @property
    def fix(self) -> str:
        if self.lacks == "origination disabled":
            return f"enable it first with `/voice origination enable {self.connector_id}`"
        return (
            f"give it routes first with `/voice origination set {self.connector_id} --route {ROUTE_SYNTAX}`"
        )

    def short(self) -> str:
        """`cannot take them (no origination settings)`, after a connector's name."""
        if self.lacks is None:
            return f"may not take them: its origination could not be read ({self.unread})"
        return f"cannot take them ({self.lacks})"

    def warning(self, label: str, whose: str) -> str:
        """The preview's loud line: who cannot take `whose` calls, why, and what to run first."""
        if self.lacks is None:
            return (
                f"The origination of {label} could not be read ({self.unread}): check that it can take "
                f"{whose} calls with `/voice origination show {self.connector_id}`."
            )
        return f"{label} has {self.lacks}, so it cannot take {whose} calls: {self.fix}."


def gap_of(connector_id: str, origination: Origination | None) -> Gap | None:
    """What `origination` lacks to take inbound calls; None when it is enabled with routes."""
    if origination is None:
        return Gap(connector_id, NO_ORIGINATION)
    if not origination.routes:
        return Gap(connector_id, "no origination routes")
    if origination.disabled:
        return Gap(connector_id, "origination disabled")
    return None


async def readiness(voice: VoiceService, regions: dict[str, str]) -> dict[str, Gap | None]:
    """Each connector in `regions` (ID → its region) → why it cannot take inbound calls, or None
    when it can: one GetVoiceConnectorOrigination each, at once. A connector whose origination
    cannot be read (its region down, say) gets a Gap that says so rather than failing the preview."""
    ids = list(regions)
    found = await asyncio.gather(
        *(_origination(voice, regions[connector_id], connector_id) for connector_id in ids)
    )
    return dict(zip(ids, found, strict=True))


async def _origination(voice: VoiceService, region: str, connector_id: str) -> Gap | None:
    try:
        return gap_of(connector_id, await voice.get_origination(region, connector_id))
    except VoiceError as error:
        return Gap(connector_id, None, unread=error.code)


def new_firsts(before: list[VoiceConnectorItem], after: list[VoiceConnectorItem]) -> list[str]:
    """The connectors a group change puts first that were not first before (none when it keeps
    the same first members)."""
    was = {item.voice_connector_id for item in _firsts(before)}
    now = [item.voice_connector_id for item in _firsts(after)]
    return [] if set(now) == was else [connector_id for connector_id in now if connector_id not in was]


@dataclass(frozen=True)
class _Membership:
    region: str
    group: VoiceConnectorGroup
    priority: int | None
    numbers: int

    @property
    def label(self) -> str:
        return f"{self.group.name} ({self.group.voice_connector_group_id}, {self.region})"


async def of_connector(
    voice: VoiceService,
    target: Located,
    change: ConnectorChange,
    groups: dict[str, list[VoiceConnectorGroup]] | None = None,
) -> Impact:
    """The numbers reaching `target` directly and through its groups, and what `change` does to
    them. `groups`: every region's groups when the plan has listed them already."""
    unknown: list[str] = []
    if groups is None:
        across = await voice.list_reachable(voice.list_groups)
        groups, unknown = across.found, across.warnings()
    containing = [
        (region, group, item.priority)
        for region, listed in groups.items()
        for group in listed
        for item in group.voice_connector_items
        if item.voice_connector_id == target.id
    ]
    direct, *via = await asyncio.gather(
        _count(voice, "VoiceConnectorId", target.id),
        *(
            _count(voice, "VoiceConnectorGroupId", group.voice_connector_group_id)
            for _, group, _ in containing
        ),
    )
    memberships = [
        _Membership(region, group, priority, count)
        for (region, group, priority), count in zip(containing, via, strict=True)
    ]
    first_in = [member for member in memberships if _is_first(member.group, target.id)]
    fallbacks = [item.voice_connector_id for m in first_in for item in _next(m.group, target.id)]
    needs_names = change.effect != "fewer routes" and bool(fallbacks)
    labels, regions = await _connector_labels(voice) if needs_names else ({}, {})
    gaps: dict[str, Gap | None] = {}
    if change.effect == "stops" and fallbacks:
        gaps = await readiness(voice, {c: regions[c] for c in dict.fromkeys(fallbacks) if c in regions})
    return Impact(
        numbers=direct + sum(member.numbers for member in memberships),
        groups=[member.label for member in memberships],
        summary=_connector_summary(change, direct, memberships),
        first_in_group=[_first_line(target, member, change, labels, gaps) for member in first_in],
        unknown=unknown,
    )


async def of_group(
    voice: VoiceService,
    target: Located,
    before: list[VoiceConnectorItem],
    after: list[VoiceConnectorItem],
    names: dict[str, str],
    gaps: dict[str, Gap | None] | None = None,
) -> Impact | None:
    """When a group's first connector changes (failover, or an update of its members): the
    numbers on the group and who takes their calls now. None when the first stays first.
    `gaps`: what the connectors put first lack to take calls (see `readiness`), said with them."""
    was, now = _firsts(before), _firsts(after)
    if [item.voice_connector_id for item in was] == [item.voice_connector_id for item in now]:
        return None
    numbers = await _count(voice, "VoiceConnectorGroupId", target.id)
    old = " and ".join(_named(item.voice_connector_id, names) for item in was)
    new = " and ".join(_named(item.voice_connector_id, names) for item in now)
    on = f"the {_plural(numbers, 'number')} on this group"
    ids = [item.voice_connector_id for item in now]

    def named(connector_id: str) -> str:
        return _named(connector_id, names)

    unready = _unready(ids, gaps or {}, named)
    if not now:
        lose = "loses its" if numbers == 1 else "lose their"
        summary = f"Impact: {on} {lose} last connector: calls to them fail"
        outcome = f"with no members left, calls to its {_plural(numbers, 'number')} fail"
    else:
        summary = f"Impact: calls to {on} go first to {new} instead of {old}{unready}"
        outcome = f"calls fail over to {new}{_unready(ids, gaps or {}, named, it=True)}"
    rank = _rank(was[0].priority)
    return Impact(
        numbers=numbers,
        groups=[describe(target)],
        summary=summary,
        first_in_group=[f"{old} {rank} in {describe(target)}: {outcome}"],
    )


def _connector_summary(change: ConnectorChange, direct: int, memberships: list[_Membership]) -> str:
    ways = [
        f"{member.numbers} through group {member.label} at priority {member.priority}"
        for member in memberships
    ]
    total = direct + sum(member.numbers for member in memberships)
    if direct:
        ways.append(f"{direct} directly")
    if not memberships:
        reach = f"{_plural(total, 'number')} {_verb(total)} associated with this connector directly"
        if not total:
            reach = "no numbers route to this connector"
    elif len(ways) == 1:
        only = memberships[0]
        reach = (
            f"{_plural(total, 'number')} {_route(total)} to this connector through group {only.label} "
            f"at priority {only.priority}"
        )
    else:
        reach = f"{_plural(total, 'number')} {_route(total)} to this connector: {', '.join(ways)}"
    match change.effect:
        case "stops" if change.routes:
            stop = "stops" if change.routes == 1 else "stop"
            return f"Impact: {reach}; its {_plural(change.routes, 'route')} {stop} receiving calls"
        case "stops":
            return f"Impact: {reach}; it stops receiving calls"
        case "fewer routes":
            left = _plural(change.left, "route")
            stop = "stops" if change.routes == 1 else "stop"
            return f"Impact: {reach}; {change.routes} of its routes {stop} receiving calls ({left} left)"
        case "outbound":
            inbound = f"inbound calls are not affected ({reach})"
            return f"Impact: outbound calls through this connector stop; {inbound}"


def _first_line(
    target: Located,
    member: _Membership,
    change: ConnectorChange,
    labels: dict[str, str],
    gaps: dict[str, Gap | None],
) -> str:
    """`pstn-primary (…) is priority 1 in pstn-failover (…): calls fail over to pstn-secondary (…)`,
    and `but it cannot take them (origination disabled)` when the fallback cannot."""
    head = f"{describe(target)} {_rank(member.priority)} in {member.label}"
    following = [item.voice_connector_id for item in _next(member.group, target.id)]

    def label(connector_id: str) -> str:
        return labels.get(connector_id, f"({connector_id})")

    fallback = " and ".join(label(connector_id) for connector_id in following)
    match change.effect:
        case "fewer routes":
            return f"{head}: the group's calls still go to it first, now on {_plural(change.left, 'route')}"
        case "outbound":
            elsewhere = fallback or "another connector"
            return (
                f"{head}, but groups fail over inbound calls only: outbound calls reach {elsewhere} "
                "only if your SIP hosts send them there"
            )
        case "stops" if fallback:
            return f"{head}: calls fail over to {fallback}{_unready(following, gaps, label, it=True)}"
        case "stops":
            return f"{head} and its only member: calls to its {_plural(member.numbers, 'number')} fail"


def _unready(
    takers: list[str], gaps: dict[str, Gap | None], label: Callable[[str], str], *, it: bool = False
) -> str:
    """`, but pstn-secondary (…) cannot take them (no origination settings)` after the connectors
    calls go to, for those of them that cannot (`it` when it is the one just named); empty when all
    can or are unknown."""
    unready = [gap for taker in takers if (gap := gaps.get(taker)) is not None]
    if not unready:
        return ""
    if it and len(takers) == 1:
        return f", but it {unready[0].short()}"
    return ", but " + "; ".join(f"{label(gap.connector_id)} {gap.short()}" for gap in unready)


def _firsts(items: list[VoiceConnectorItem]) -> list[VoiceConnectorItem]:
    """The members at the best (lowest) priority: where a group sends calls first."""
    best = min((item.priority or 0 for item in items), default=None)
    return sorted(
        (item for item in items if (item.priority or 0) == best), key=lambda item: item.voice_connector_id
    )


def _is_first(group: VoiceConnectorGroup, connector_id: str) -> bool:
    return any(item.voice_connector_id == connector_id for item in _firsts(group.voice_connector_items))


def _next(group: VoiceConnectorGroup, connector_id: str) -> list[VoiceConnectorItem]:
    """The members that take the group's calls when `connector_id` takes none."""
    return _firsts([item for item in group.voice_connector_items if item.voice_connector_id != connector_id])


async def _count(voice: VoiceService, filter_name: str, value: str) -> int:
    return len(await voice.list_phone_numbers(filter_name=filter_name, filter_value=value))


async def _connector_labels(voice: VoiceService) -> tuple[dict[str, str], dict[str, str]]:
    """Connector ID → `name (ID, region)`, and connector ID → region, in every region that answers."""
    across = await voice.list_reachable(voice.list_connectors)
    listed = [(region, connector) for region, found in across.found.items() for connector in found]
    labels = {c.voice_connector_id: f"{c.name} ({c.voice_connector_id}, {region})" for region, c in listed}
    return labels, {connector.voice_connector_id: region for region, connector in listed}


def _named(connector_id: str, names: dict[str, str]) -> str:
    return f"{names.get(connector_id, '(unknown)')} ({connector_id})"


def _rank(priority: int | None) -> str:
    return "is priority 1" if priority == 1 else f"is first (priority {priority})"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _verb(count: int) -> str:
    return "is" if count == 1 else "are"


def _route(count: int) -> str:
    return "routes" if count == 1 else "route"
