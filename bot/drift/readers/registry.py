"""The reader registry and what readers share: a paced view of Chime SDK Voice (`Scan`).

A snapshot is a flat map: resource key (`kind:region:id`) → that resource's state as JSON. Flat,
so a diff is a comparison of keys, and a new reader adds keys without touching the others.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.aws_errors import VoiceError
from bot.drift.budget import RegionPacer
from bot.voice import VoiceService

State = dict[str, Any]
"""One resource's state as JSON: only what matters to routing, never a credential."""

_IN_FLIGHT = 4  # per reader and region: enough to keep a paced region busy, never a burst


def key(kind: str, region: str, ident: str) -> str:
    return f"{kind}:{region}:{ident}"


def split_key(resource: str) -> tuple[str, str, str]:
    """(kind, region, id); region is empty for account-wide resources (numbers)."""
    kind, region, ident = resource.split(":", 2)
    return kind, region, ident


class Scan:
    """One snapshot's reads: every request paced to the watcher's share of its region's budget and
    sent through VoiceService (so a 429 closes the region's shared throttle gate for everyone);
    listings shared by the readers that need them, so each is read once per snapshot."""

    def __init__(self, voice: VoiceService, pacer: RegionPacer | None = None) -> None:
        """`pacer` None: an interactive read (`/voice snapshot`), sent as fast as any command."""
        self.voice = voice
        self.pacer = pacer
        self._listings: dict[tuple[str, str], asyncio.Task[list[dict[str, Any]]]] = {}

    async def call(self, region: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if self.pacer is not None:
            await self.pacer.take(region)
        return dict(await self.voice.call(region, operation, params))

    async def pages(
        self, region: str, operation: str, item_key: str, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        request: dict[str, Any] = {**(params or {}), "MaxResults": 100}
        while True:
            page = await self.call(region, operation, request)
            items.extend(page.get(item_key, []))
            if not page.get("NextToken"):
                return items
            request = {**request, "NextToken": page["NextToken"]}

    async def connectors(self, region: str) -> list[dict[str, Any]]:
        return await self._listing(region, "ListVoiceConnectors", "VoiceConnectors")

    async def groups(self, region: str) -> list[dict[str, Any]]:
        return await self._listing(region, "ListVoiceConnectorGroups", "VoiceConnectorGroups")

    async def _listing(self, region: str, operation: str, item_key: str) -> list[dict[str, Any]]:
        task = self._listings.get((region, operation))
        if task is None:
            task = asyncio.ensure_future(self.pages(region, operation, item_key))
            self._listings[(region, operation)] = task
        return await asyncio.shield(task)

    async def setting(
        self, region: str, operation: str, connector_id: str, item_key: str
    ) -> dict[str, Any] | None:
        """A per-connector setting, or None when it was never set (AWS answers 404)."""
        try:
            response = await self.call(region, operation, {"VoiceConnectorId": connector_id})
        except VoiceError as error:
            if error.code == "NotFoundException":
                return None
            raise
        return dict(response.get(item_key) or {})

    async def each_connector(
        self, region: str, read: Callable[[dict[str, Any]], Awaitable[State | None]]
    ) -> dict[str, State]:
        """`read` for every connector of the region, a few in flight: connector ID → its state."""
        limit = asyncio.Semaphore(_IN_FLIGHT)

        async def one(connector: dict[str, Any]) -> State | None:
            async with limit:
                return await read(connector)

        connectors = await self.connectors(region)
        states = await asyncio.gather(*(one(connector) for connector in connectors))
        return {
            str(connector["VoiceConnectorId"]): state
            for connector, state in zip(connectors, states, strict=True)
            if state is not None
        }


@dataclass(frozen=True)
class Reader:
    """How the drift watch reads, words and reverts one kind of resource.

    `read(scan, region)` returns that region's resources as resource key → state (a reader that is
    not `regional` is called once, for the home region, and keys its resources with region "").
    `fields` words a state as the diff's label → value, `subjects` names what a Switchboard change
    that made this difference would have sent (IDs, numbers), and `revert` gives the /voice
    command that undoes it, or None when there is none.
    """

    kind: str
    read: Callable[[Scan, str], Awaitable[dict[str, State]]]
    fields: Callable[[State], dict[str, str]]
    subjects: Callable[[str, State | None, State | None], set[str]]
    revert: Callable[[str, State | None, State | None], str | None] = field(
        default=lambda _resource, _before, _after: None
    )
    regional: bool = True
    default: State | None = None
    """The state of a resource a snapshot does not keep (logging: both off), which the diff shows
    instead of nothing, so turning it on reads as a change rather than an appearance."""


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    if reader.kind in READERS:
        raise TypeError(f"two drift readers for {reader.kind!r}")
    READERS[reader.kind] = reader
    return reader


def by_id(resource: str, _before: State | None, _after: State | None) -> set[str]:
    """A resource that Switchboard changes by naming its ID (connectors, groups, their settings)."""
    return {split_key(resource)[2]}


def per_connector_setting(
    kind: str,
    operation: str,
    item_key: str,
    fields: Callable[[State], dict[str, str]],
    revert: Callable[[str, State | None, State | None], str | None] | None = None,
    normal: Callable[[State], State | None] = lambda setting: setting,
    default: State | None = None,
) -> Reader:
    """The reader of a per-connector setting read with `operation` (GetVoiceConnectorOrigination …):
    one Get per connector, a 404 meaning "not set". Its state carries the connector's name.
    `normal` puts a setting in one spelling, or None for the default (`default`), which is not kept."""

    async def read(scan: Scan, region: str) -> dict[str, State]:
        async def one(connector: dict[str, Any]) -> State | None:
            ident = str(connector["VoiceConnectorId"])
            setting = await scan.setting(region, operation, ident, item_key)
            kept = None if setting is None else normal(setting)
            return None if kept is None else {"name": connector.get("Name", ""), **kept}

        found = await scan.each_connector(region, one)
        return {key(kind, region, ident): state for ident, state in found.items()}

    return Reader(
        kind=kind,
        read=read,
        fields=fields,
        subjects=by_id,
        revert=revert or (lambda _resource, _before, _after: None),
        default=default,
    )
