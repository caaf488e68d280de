"""`/voice history`: who changed what. One change in full, or a list filtered in the store's
query, each within the channels the asker may read, with people named as their surface names them.

The workflow has already checked `history.read` (and `history.read.all` for `--all-channels`);
reading one change requested elsewhere needs `history.read.all` too, checked here.
"""

import asyncio
import logging
from typing import Any, TypeVar

from bot.aws_errors import VoiceError
from bot.outcomes import Answer, ChangeShown, Denied, HistoryListed
from bot.policy import Policy, Subject
from bot.results import Outcome
from bot.store import ChangeRecord, Store, now
from bot.surfaces import People
from bot.voice import VoiceService
from commands.audit import HISTORY_EVERYWHERE, History, since_delta
from voice_domain.shapes import VoiceConnector

log = logging.getLogger(__name__)
T = TypeVar("T")

LOOKUP_SECONDS = 5.0
"""How long `history NAME` waits for AWS to say what is named so now, before answering without it."""

_ID_PARAMS = {"connector": "VoiceConnectorId", "group": "VoiceConnectorGroupId"}
"""How a plan records where a number was: `VoiceConnectorId abc…` (bot/ops/numbers.py `location`)."""


async def answer(
    command: History,
    asker: Subject,
    store: Store,
    policy: Policy,
    people: People | None,
    voice: VoiceService | None = None,
) -> Answer:
    change_id = command.change_id()
    record = await store.get(change_id) if change_id else None
    if record is not None:
        return await _shown(record, command, asker, policy, people)
    records, notes = await _matching(command, asker, store, voice)
    involved = [person for record in records for person in _people_of(record)]
    names = await people.names([*involved, *filter(None, [command.user])]) if people else {}
    return HistoryListed(
        tuple(records), _filters(command), command.all_channels, command.share, names, tuple(notes)
    )


async def _matching(
    command: History, asker: Subject, store: Store, voice: VoiceService | None
) -> tuple[list[ChangeRecord], list[str]]:
    """The changes the filters ask for, newest first, and what may be missing from them. A resource
    is matched by the name or ID typed (what each change's target was called then), and also by the
    ID of whatever has that name now and of every resource those changes targeted: so a connector
    renamed since is found by either name, and a number moved off it with --force (a change
    targeting the group it moved to) counts."""
    channel = None if command.all_channels else asker.channel_id
    since = now() - since_delta(command.since) if command.since else None
    filters: dict[str, Any] = {
        "channel_id": channel,
        "incident": command.incident,
        "user": command.user,
        "since": since,
    }
    found = list(await store.history(command.resource, command.limit, number=command.number, **filters))
    if not command.resource:
        return found, []
    # An ID the log knows finds its changes itself; a name may stand for something renamed since.
    known_id = any(record.target_id == command.resource for record in found)
    targets, notes = (set(), []) if known_id else await _live(command.resource, voice)
    notes = [] if found else notes  # what the log found under that name leads to its IDs
    targets |= {(r.target_kind, r.target_id) for r in found if r.target_kind in _ID_PARAMS and r.target_id}
    for kind, resource_id in sorted(targets):
        if resource_id != command.resource:
            found += await store.history(resource_id, command.limit, number=command.number, **filters)
        # A forced move records where each number was (`VoiceConnectorId abc…`): the resource it left.
        left = await store.history(None, command.limit, number=f"{_ID_PARAMS[kind]} {resource_id}", **filters)
        found += [r for r in left if _forced(r) and _names_number(r, command.number)]
    unique = {record.id: record for record in found}
    newest = sorted(unique.values(), key=lambda record: record.created_at, reverse=True)
    return newest[: command.limit], notes


async def _live(text: str, voice: VoiceService | None) -> tuple[set[tuple[str, str]], list[str]]:
    """(kind, ID) of the connectors and groups named `text` (or with that ID) now, in the regions
    that answer in time; the audit log alone answers when AWS does not (`history` is what people
    read during an outage), and the note says what that may leave out."""
    if voice is None:
        return set(), []
    missing = (
        f"so changes made under another name of what is called {text} now may be missing (its ID finds them)."
    )
    try:
        lookups = asyncio.gather(
            voice.list_reachable(voice.list_connectors), voice.list_reachable(voice.list_groups)
        )
        connectors, groups = await asyncio.wait_for(lookups, LOOKUP_SECONDS)
    except (VoiceError, TimeoutError) as error:
        log.info("history of %r from the audit log alone: %s", text, error or "timed out")
        return set(), [f"AWS did not say in time what {text} names now, {missing}"]
    listed = [("connector", c.voice_connector_id, c.name) for c in _all(connectors.found)]
    listed += [("group", g.voice_connector_group_id, g.name) for g in _all(groups.found)]
    found = {(kind, resource_id) for kind, resource_id, name in listed if text in (resource_id, name)}
    silent = sorted({*connectors.unanswered, *groups.unanswered})
    notes = [f"{', '.join(silent)} did not answer, {missing}"] if silent and not found else []
    return found, notes


def _all(by_region: dict[str, list[T]]) -> list[T]:
    return [resource for listed in by_region.values() for resource in listed]


def _forced(record: ChangeRecord) -> bool:
    return bool(((record.command or {}).get("fields") or {}).get("force"))


def _names_number(record: ChangeRecord, number: str | None) -> bool:
    return number is None or (record.plan is not None and f'"{number}"' in record.plan.model_dump_json())


async def _shown(
    record: ChangeRecord, command: History, asker: Subject, policy: Policy, people: People | None
) -> Answer:
    """A change requested in another channel (or a DM, or the console) is shown only to those who
    may read every channel's history: the same rule as the list's."""
    if record.channel_id != asker.channel_id:
        decision = policy.decide(asker, HISTORY_EVERYWHERE)
        if not decision.allowed:
            why = f"Change {record.id} was requested in another channel. {decision.explain()}"
            return Denied(HISTORY_EVERYWHERE, why)
    names = await people.names(_people_of(record)) if people else {}
    return ChangeShown(record, command.share, names)


def _people_of(record: ChangeRecord) -> list[str]:
    return [person for person in (record.requested_by, record.approver, record.applied_by) if person]


def _filters(command: History) -> tuple[tuple[str, str], ...]:
    given = (
        ("resource", command.resource),
        ("incident", command.incident),
        ("user", command.user),
        ("number", command.number),
        ("since", command.since),
    )
    return tuple((what, value) for what, value in given if value)


def created_target(outcome: Outcome) -> dict[str, Any]:
    """A create's record names what it created, so `history NAME` or `history ID` finds the create."""
    created = outcome.created
    if created is None:
        return {}
    if isinstance(created, VoiceConnector):
        return {
            "target_kind": "connector",
            "target_id": created.voice_connector_id,
            "target_name": created.name,
        }
    return {
        "target_kind": "group",
        "target_id": created.voice_connector_group_id,
        "target_name": created.name,
    }
