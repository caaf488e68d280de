"""The routing map at a glance, as one person may see it: groups and their members, each connector's
origination and termination, number counts, drift not yet acknowledged, and the last changes.

Each part is read only when the policy lets the viewer read it (None otherwise), so a view of the
map cannot show more than the commands would. Per-connector settings are read for the first
DETAILED connectors only, which bounds what one glance costs against AWS's request quota, and
`MapCache` shares a map among everyone who may read the same parts for a minute, so opening the
Home tab again and again cannot spend the rate limit that changes need.
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.aws_errors import VoiceError
from bot.ops.termination import get_termination
from bot.policy import Policy, Subject
from bot.store import ChangeRecord, DriftLedger, DriftRecord, Store, now
from bot.voice import VoiceService
from voice_domain.shapes import Origination, PhoneNumber, VoiceConnector, VoiceConnectorGroup
from voice_domain.termination import Termination, TerminationHealth

DETAILED = 15  # connectors whose settings are read; the rest are counted
MAP_PERMISSIONS = (
    "connector.read",
    "group.read",
    "numbers.read",
    "origination.read",
    "termination.read",
    "drift.read",
    "history.read.all",
)
"""The permissions that decide what the map shows: viewers who hold the same of them see the same."""
GROUPS_SHOWN = 20
DRIFT_SHOWN = 5
CHANGES_SHOWN = 5

T = TypeVar("T")


@dataclass(frozen=True)
class Unread:
    """A part AWS did not answer: the map shows the reason instead of pretending it is empty."""

    why: str


@dataclass(frozen=True)
class Hidden:
    """A part the viewer may not read: it is neither read nor shown."""


HIDDEN = Hidden()


@dataclass(frozen=True)
class ConnectorState:
    connector: VoiceConnector
    region: str
    origination: Origination | Unread | Hidden | None
    termination: Termination | Unread | Hidden | None
    health: TerminationHealth | Unread | Hidden | None
    numbers: int | None  # None: not the viewer's to read


@dataclass(frozen=True)
class GroupState:
    group: VoiceConnectorGroup
    region: str
    members: tuple[tuple[str, int | None], ...]  # connector name (or ID when unknown), priority
    numbers: int | None


@dataclass(frozen=True)
class RoutingMap:
    groups: tuple[GroupState, ...] | None
    groups_not_shown: int
    connectors: tuple[ConnectorState, ...] | None
    connectors_not_detailed: int
    drift: tuple[DriftRecord, ...] | None
    drift_total: int
    changes: tuple[ChangeRecord, ...] | None
    warnings: tuple[str, ...]
    read_at: datetime


def readable(policy: Policy, subject: Subject) -> frozenset[str]:
    """Which of MAP_PERMISSIONS the policy in force gives `subject`."""
    return frozenset(
        permission for permission in MAP_PERMISSIONS if policy.decide(subject, permission).allowed
    )


class MapCache:
    """The map as each set of readable parts sees it, kept `ttl` seconds; concurrent opens by
    viewers who read the same parts wait for one read instead of each sending their own."""

    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._maps: dict[frozenset[str], tuple[float, RoutingMap]] = {}
        self._locks: dict[frozenset[str], asyncio.Lock] = {}

    async def read(self, voice: VoiceService, store: Store, parts: frozenset[str]) -> RoutingMap:
        loop = asyncio.get_running_loop()
        async with self._locks.setdefault(parts, asyncio.Lock()):
            kept = self._maps.get(parts)
            if kept is not None and loop.time() - kept[0] < self.ttl:
                return kept[1]
            found = await read_map(voice, store, parts)
            self._maps[parts] = (loop.time(), found)
            return found


async def read_map(voice: VoiceService, store: Store, parts: frozenset[str]) -> RoutingMap:
    """The `parts` (see `readable`) of the map, now; a region or part that does not answer is named."""

    def may(permission: str) -> bool:
        if permission not in MAP_PERMISSIONS:
            raise ValueError(f"{permission} decides a part of the map: add it to MAP_PERMISSIONS")
        return permission in parts

    warnings: list[str] = []
    connectors: list[tuple[str, VoiceConnector]] = []
    groups: list[tuple[str, VoiceConnectorGroup]] = []
    if may("connector.read") or may("group.read"):
        connectors = await _listing(voice, voice.list_connectors, warnings)
    if may("group.read"):
        groups = await _listing(voice, voice.list_groups, warnings)
    numbers: Counter[str] | None = None
    if may("numbers.read"):
        numbers = await _number_counts(voice, warnings)
    names = {connector.voice_connector_id: connector.name for _, connector in connectors}
    group_states = tuple(
        GroupState(
            group,
            region,
            tuple(
                (names.get(item.voice_connector_id, item.voice_connector_id), item.priority)
                for item in sorted(group.voice_connector_items, key=lambda item: item.priority or 0)
            ),
            None if numbers is None else numbers[group.voice_connector_group_id],
        )
        for region, group in sorted(groups, key=lambda pair: pair[1].name)[:GROUPS_SHOWN]
    )
    shown = sorted(connectors, key=lambda pair: pair[1].name)
    detailed = await asyncio.gather(
        *(_connector(voice, region, connector, may, numbers) for region, connector in shown[:DETAILED])
    )
    drift, drift_total = None, 0
    if may("drift.read"):
        unacknowledged = await DriftLedger(store).unacknowledged()
        drift, drift_total = tuple(unacknowledged[:DRIFT_SHOWN]), len(unacknowledged)
    changes = tuple(await store.history(limit=CHANGES_SHOWN)) if may("history.read.all") else None
    return RoutingMap(
        groups=group_states if may("group.read") else None,
        groups_not_shown=max(0, len(groups) - GROUPS_SHOWN),
        connectors=tuple(detailed) if may("connector.read") else None,
        connectors_not_detailed=max(0, len(shown) - DETAILED),
        drift=drift,
        drift_total=drift_total,
        changes=changes,
        warnings=tuple(warnings),
        read_at=now(),
    )


async def _listing(
    voice: VoiceService, lister: Callable[[str], Awaitable[list[T]]], warnings: list[str]
) -> list[tuple[str, T]]:
    try:
        across = await voice.list_reachable(lister)
    except VoiceError as error:
        warnings.append(f"Could not list: {error.message}")
        return []
    warnings.extend(warning for warning in across.warnings() if warning not in warnings)
    return [(region, item) for region, items in across.found.items() for item in items]


async def _number_counts(voice: VoiceService, warnings: list[str]) -> Counter[str] | None:
    """How many numbers route to each connector or group ID (by their association)."""
    try:
        listed: list[PhoneNumber] = await voice.list_phone_numbers()
    except VoiceError as error:
        warnings.append(f"Could not count phone numbers: {error.message}")
        return None
    return Counter(
        association.value
        for number in listed
        for association in number.associations
        if association.value is not None
    )


async def _connector(
    voice: VoiceService,
    region: str,
    connector: VoiceConnector,
    may: Callable[[str], bool],
    numbers: Counter[str] | None,
) -> ConnectorState:
    ident = connector.voice_connector_id

    async def termination_health() -> TerminationHealth | None:
        return await voice.get_setting(
            region, "GetVoiceConnectorTerminationHealth", ident, "TerminationHealth", TerminationHealth
        )

    origination, termination, health = await asyncio.gather(
        _read(may("origination.read"), lambda: voice.get_origination(region, ident)),
        _read(may("termination.read"), lambda: get_termination(voice, region, ident)),
        _read(may("termination.read"), termination_health),
    )
    return ConnectorState(
        connector, region, origination, termination, health, None if numbers is None else numbers[ident]
    )


async def _read(allowed: bool, reading: Callable[[], Awaitable[T]]) -> T | Unread | Hidden:
    """The setting; Unread when AWS did not answer; HIDDEN (and not read) when not the viewer's."""
    if not allowed:
        return HIDDEN
    try:
        return await reading()
    except VoiceError as error:
        return Unread(error.message)
