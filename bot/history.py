"""`/voice history`: who changed what. One change in full, or a list filtered in the store's
query, each within the channels the asker may read, with people named as their surface names them.

The workflow has already checked `history.read` (and `history.read.all` for `--all-channels`);
reading one change requested elsewhere needs `history.read.all` too, checked here.
"""

from typing import Any

from bot.outcomes import Answer, ChangeShown, Denied, HistoryListed
from bot.policy import Policy, Subject
from bot.results import Outcome
from bot.store import ChangeRecord, Store, now
from bot.surfaces import People
from commands.audit import HISTORY_EVERYWHERE, History, since_delta
from voice_domain.shapes import VoiceConnector


async def answer(
    command: History, asker: Subject, store: Store, policy: Policy, people: People | None
) -> Answer:
    change_id = command.change_id()
    record = await store.get(change_id) if change_id else None
    if record is not None:
        return await _shown(record, command, asker, policy, people)
    channel = None if command.all_channels else asker.channel_id
    records = await store.history(
        command.resource,
        command.limit,
        channel_id=channel,
        incident=command.incident,
        user=command.user,
        number=command.number,
        since=now() - since_delta(command.since) if command.since else None,
    )
    involved = [person for record in records for person in _people_of(record)]
    names = await people.names([*involved, *filter(None, [command.user])]) if people else {}
    return HistoryListed(tuple(records), _filters(command), command.all_channels, command.share, names)


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
