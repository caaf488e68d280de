"""Voice connector groups: list, show, create, delete, update, failover, rename; their requests,
read-backs, inverses and views."""

import asyncio
import shlex
from datetime import datetime, timedelta
from typing import Any

from bot.ops import impact, numbers
from bot.ops.common import (
    NothingToDo,
    Unplannable,
    delete_created,
    describe,
    ids_of,
    new_plan,
    no_single_state,
    refuse_taken_name,
)
from bot.ops.registry import CHANGES, EFFECTS, READS, ChangeOps, Creates, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Table
from bot.results import (
    ApiCall,
    FieldChange,
    GroupDetail,
    GroupList,
    GroupMember,
    NumberMove,
    Outcome,
    Plan,
)
from bot.voice import VoiceService
from commands import ChangeCommand
from commands.group import GroupCreate, GroupDelete, GroupFailover, GroupRename, GroupShow, GroupUpdate
from commands.group import GroupList as GroupListCommand
from voice_domain.located import Located, Reference
from voice_domain.shapes import AwsShape, VoiceConnectorGroup, VoiceConnectorItem

NEW_GROUP_ID = "(the new group's ID)"
CREATED_SKEW = timedelta(seconds=30)
"""How much earlier than the change's start a create may be timestamped (clock skew) and still be it."""


class GroupDeleted(AwsShape):
    """A group delete's `before`: the group, its region and its numbers, so undo can recreate it."""

    voice_connector_group: VoiceConnectorGroup
    region: str
    e164_phone_numbers: list[str]


# Reads -------------------------------------------------------------------------------------


async def read_list(command: GroupListCommand, voice: VoiceService) -> GroupList:
    regions = [command.region] if command.region else None
    across = await voice.list_reachable(voice.list_groups, regions)
    return GroupList(by_region=across.found, warnings=across.warnings())


def view_list(result: GroupList) -> Doc:
    rows = tuple(
        (group.name, group.voice_connector_group_id, region, str(len(group.voice_connector_items)))
        for region, groups in result.by_region.items()
        for group in groups
    )
    return Doc(
        f"{len(rows)} voice connector group(s) in {', '.join(result.by_region)}",
        (
            Table(
                "Voice connector groups",
                ("Name", "ID", "Region", "Members"),
                rows,
                "voice-connector-groups.csv",
            ),
        ),
    )


async def read_show(command: GroupShow, voice: VoiceService) -> GroupDetail:
    target = await voice.locate(Reference("group", command.group), partial_ok=True)
    connectors, listed = await asyncio.gather(
        voice.list_reachable(voice.list_connectors),
        voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id),
    )
    known = {
        connector.voice_connector_id: (connector.name, region)
        for region, found in connectors.found.items()
        for connector in found
    }
    group = target.resource
    assert isinstance(group, VoiceConnectorGroup)
    members = [
        GroupMember(
            connector_id=item.voice_connector_id,
            priority=item.priority,
            name=known.get(item.voice_connector_id, (None, None))[0],
            region=known.get(item.voice_connector_id, (None, None))[1],
        )
        for item in sorted(group.voice_connector_items, key=lambda item: item.priority or 0)
    ]
    # Members in a region that did not answer show without a name; the warnings say why.
    warnings = list(dict.fromkeys([*target.warnings, *connectors.warnings()]))
    return GroupDetail(
        group=group, region=target.region, members=members, number_count=len(listed), warnings=warnings
    )


def view_show(result: GroupDetail) -> Doc:
    group: VoiceConnectorGroup = result.group
    members = tuple(
        (
            "" if member.priority is None else str(member.priority),
            member.name or "(unknown)",
            member.connector_id,
            member.region or "?",
        )
        for member in result.members
    )
    return Doc(
        f"Voice connector group {group.name} ({group.voice_connector_group_id})",
        (
            Heading(f"Voice connector group {group.name}"),
            Fields(
                (
                    ("ID", group.voice_connector_group_id),
                    ("Region", result.region),
                    ("Numbers associated", str(result.number_count)),
                )
            ),
            Table(
                "Members (priority 1 is tried first)",
                ("Priority", "Name", "ID", "Region"),
                members,
                "members.csv",
            ),
        ),
    )


# Plans -------------------------------------------------------------------------------------


def create_request(command: GroupCreate, ids: dict[str, str]) -> dict[str, Any]:
    """Only what the user stated and what the API requires, so the seeds' requests come out exactly."""
    params: dict[str, Any] = {"Name": command.name}
    if command.members:
        params["VoiceConnectorItems"] = [
            {"VoiceConnectorId": ids[member.connector], "Priority": member.priority}
            for member in command.members
        ]
    return params


async def plan_create(command: GroupCreate, voice: VoiceService, located: list[Located]) -> Plan:
    """The create, then (when numbers are given) their association with the new group's ID."""
    region = command.region or voice.settings.voice_default_region
    voice.require_served_region(region)
    await refuse_taken_name("voice connector group", command.name, voice, voice.list_groups)
    params = create_request(command, ids_of(command, located))
    calls = [ApiCall(operation="CreateVoiceConnectorGroup", region=region, params=params)]
    changes = [FieldChange(field="name", before=None, after=command.name)]
    changes += [
        FieldChange(field=f"member priority {member.priority}", before=None, after=describe(found))
        for member, found in zip(command.members, located, strict=True)
    ]
    moves: list[NumberMove] = []
    warnings: list[str] = []
    if command.numbers:
        moves = await numbers.moves_of(command.numbers, voice, None, associating=True, force=False)
        warnings = numbers.number_warnings(moves, associating=True)
        calls += numbers.batches(
            numbers.ASSOCIATE, region, NEW_GROUP_ID, command.numbers, voice, created_id=True
        )
        changes.append(FieldChange(field="numbers", before=None, after=f"{len(command.numbers)} number(s)"))
    return new_plan(
        f"Create voice connector group '{command.name}' in {region}",
        calls,
        changes=changes,
        moves=moves,
        warnings=warnings,
        also_requires=["numbers.associate"] if command.numbers else [],
    )


def update_request(region: str, group_id: str, name: str, items: list[VoiceConnectorItem]) -> ApiCall:
    """UpdateVoiceConnectorGroup sets the whole group: its name and every member with its priority."""
    return ApiCall(
        operation="UpdateVoiceConnectorGroup",
        region=region,
        params={
            "VoiceConnectorGroupId": group_id,
            "Name": name,
            "VoiceConnectorItems": [
                {"VoiceConnectorId": item.voice_connector_id, "Priority": item.priority} for item in items
            ],
        },
    )


def update_without(region: str, group: VoiceConnectorGroup, *, without: str | None) -> ApiCall:
    """UpdateVoiceConnectorGroup keeping the group's name and every member but `without` (all, if None)."""
    kept = [
        item
        for item in group.voice_connector_items
        if without is not None and item.voice_connector_id != without
    ]
    return update_request(region, group.voice_connector_group_id, group.name, kept)


async def plan_delete(command: GroupDelete, voice: VoiceService, located: list[Located]) -> Plan:
    """Disassociate the group's numbers, empty it, delete it: the sequence AWS requires.

    API reference, DeleteVoiceConnectorGroup: "Any VoiceConnectorItems and phone numbers
    associated with the group must be removed before it can be deleted." The plan's `before`
    keeps members and numbers, so undo can create the group again with both.
    """
    target = located[0]
    group = target.resource
    assert isinstance(group, VoiceConnectorGroup)
    listed = await voice.list_phone_numbers(filter_name="VoiceConnectorGroupId", filter_value=target.id)
    on_group = sorted(number.number for number in listed)
    calls = numbers.batches(numbers.DISASSOCIATE, target.region, target.id, on_group, voice)
    if group.voice_connector_items:
        calls.append(update_without(target.region, group, without=None))
    calls.append(
        ApiCall(
            operation="DeleteVoiceConnectorGroup",
            region=target.region,
            params={"VoiceConnectorGroupId": target.id},
        )
    )
    names = (await connector_index(voice))[0] if group.voice_connector_items else {}
    members = [
        f"{_label(item.voice_connector_id, names)} (priority {item.priority})"
        for item in sorted(group.voice_connector_items, key=lambda item: item.priority or 0)
    ]
    changes = [
        FieldChange(field="voice connector group", before=describe(target), after=None),
        FieldChange(field="members", before=", ".join(members) or None, after=None),
        FieldChange(field="numbers", before=f"{len(on_group)} number(s)" if on_group else None, after=None),
    ]
    warnings = (
        [f"{len(on_group)} number(s) on this group will no longer route anywhere until associated again."]
        if on_group
        else []
    )
    return new_plan(
        f"Delete voice connector group {describe(target)}",
        calls,
        target=target,
        changes=[change for change in changes if change.before != change.after],
        moves=[
            NumberMove(
                number=number, current=f"VoiceConnectorGroupId {target.id}", shown=f"group {target.name}"
            )
            for number in on_group
        ],
        warnings=warnings,
        before=GroupDeleted(
            voice_connector_group=group, region=target.region, e164_phone_numbers=on_group
        ).to_api(),
        also_requires=["numbers.disassociate"] if on_group else [],
    )


async def connector_index(voice: VoiceService) -> tuple[dict[str, str], dict[str, str]]:
    """Connector ID → name, and connector ID → region, in every region that answers: to name
    members nobody typed, and to read the origination of those a change puts first."""
    across = await voice.list_reachable(voice.list_connectors)
    listed = [(region, c) for region, found in across.found.items() for c in found]
    return (
        {connector.voice_connector_id: connector.name for _, connector in listed},
        {connector.voice_connector_id: region for region, connector in listed},
    )


def group_state(group: VoiceConnectorGroup) -> dict[str, object]:
    """A group change's `before`: the name and members undo puts back, and staleness compares."""
    return VoiceConnectorGroup(
        voice_connector_group_id=group.voice_connector_group_id,
        name=group.name,
        voice_connector_items=group.voice_connector_items,
    ).to_api()


def _located_group(target: Located) -> VoiceConnectorGroup:
    group = target.resource
    assert isinstance(group, VoiceConnectorGroup)
    return group


def _group_plan(
    command: ChangeCommand,
    target: Located,
    name: str,
    items: list[VoiceConnectorItem],
    changes: list[FieldChange],
    warnings: list[str] | None = None,
) -> Plan:
    """One UpdateVoiceConnectorGroup that leaves the group with exactly this name and these members."""
    return new_plan(
        f"{command.command_name().capitalize()}: {describe(target)}",
        [update_request(target.region, target.id, name, items)],
        target=target,
        changes=changes,
        warnings=warnings or [],
        before=group_state(_located_group(target)),
    )


def _priority(priority: int | None) -> str | None:
    return None if priority is None else f"priority {priority}"


async def plan_update(command: GroupUpdate, voice: VoiceService, located: list[Located]) -> Plan:
    """Members added, removed and re-prioritised, each named; AWS refuses a connector listed twice."""
    target, connectors = located[0], located[1:]
    group = _located_group(target)
    wanted = [
        VoiceConnectorItem(voice_connector_id=found.id, priority=member.priority)
        for member, found in zip(command.members, connectors, strict=True)
    ]
    typed = [found.id for found in connectors]
    repeated = sorted({describe(found) for found in connectors if typed.count(found.id) > 1})
    if repeated:
        raise Unplannable(f"{'; '.join(repeated)} is listed more than once: a group lists a connector once.")
    names, regions = await connector_index(voice)
    names |= {found.id: found.name for found in connectors}
    regions |= {found.id: found.region for found in connectors}
    now = {item.voice_connector_id: item.priority for item in group.voice_connector_items}
    then = {item.voice_connector_id: item.priority for item in wanted}
    changes = [
        FieldChange(
            field=f"{_kind(connector_id, now, then)} member {_label(connector_id, names)}",
            before=_priority(now.get(connector_id)),
            after=_priority(then.get(connector_id)),
        )
        for connector_id in dict.fromkeys([*now, *then])
        if now.get(connector_id) != then.get(connector_id)
    ]
    if not changes:
        raise NothingToDo(f"{describe(target)} already has exactly those members and priorities.")
    warnings = (
        [f"Group {group.name} will have no members: calls to its numbers will fail until members are added."]
        if not wanted
        else []
    )
    plan = _group_plan(command, target, group.name, wanted, changes, warnings)
    return await _with_impact(plan, voice, target, wanted, names, regions)


def _kind(connector_id: str, now: dict[str, int | None], then: dict[str, int | None]) -> str:
    if connector_id not in now:
        return "added"
    return "removed" if connector_id not in then else "re-prioritised"


def _order(items: list[VoiceConnectorItem], names: dict[str, str]) -> str:
    ranked = sorted(items, key=lambda item: item.priority or 0)
    return ", ".join(
        f"{item.priority} {names.get(item.voice_connector_id, item.voice_connector_id)}" for item in ranked
    )


async def plan_failover(command: GroupFailover, voice: VoiceService, located: list[Located]) -> Plan:
    """Swap the priorities of the first member and the chosen one; every other member keeps its own."""
    target = located[0]
    group = _located_group(target)
    names, regions = await connector_index(voice)
    ranked = sorted(group.voice_connector_items, key=lambda item: item.priority or 0)
    first = _single_first(target, ranked, names)
    chosen = _failover_to(target, ranked, located[1] if command.to else None, names)
    if chosen.voice_connector_id == first.voice_connector_id:
        raise NothingToDo(
            f"{_label(chosen.voice_connector_id, names)} is already first in group {group.name}."
        )
    pair = [first.voice_connector_id, chosen.voice_connector_id]
    gaps = await impact.readiness(voice, {c: regions[c] for c in pair if c in regions})
    _refuse_a_dead_end(target, first, chosen, gaps, names, regions)
    swap = {first.voice_connector_id: chosen.priority, chosen.voice_connector_id: first.priority}
    items = [
        item.model_copy(update={"priority": swap.get(item.voice_connector_id, item.priority)})
        for item in group.voice_connector_items
    ]
    changes = [
        FieldChange(
            field="order (priority, member)", before=_order(ranked, names), after=_order(items, names)
        )
    ]
    plan = _group_plan(command, target, group.name, items, changes)
    return await _with_impact(plan, voice, target, items, names, regions, gaps)


def _refuse_a_dead_end(
    target: Located,
    first: VoiceConnectorItem,
    chosen: VoiceConnectorItem,
    gaps: dict[str, impact.Gap | None],
    names: dict[str, str],
    regions: dict[str, str],
) -> None:
    """Failing over from a member that takes calls to one with no origination settings at all
    sends the group's calls where no SIP host is configured to answer them: refused, naming the
    command to run first. A member with origination disabled or without routes (one command from
    taking calls), or a failover whose current first takes no calls either, is warned of instead;
    `group update` still sets any order, with the same warning."""
    gap = gaps.get(chosen.voice_connector_id)
    if gap is None or gap.lacks != impact.NO_ORIGINATION:
        return
    if first.voice_connector_id not in gaps or gaps[first.voice_connector_id] is not None:
        return
    to, now = (
        _placed(chosen.voice_connector_id, names, regions),
        _placed(first.voice_connector_id, names, regions),
    )
    raise Unplannable(
        f"{to} has no origination settings, so it cannot take the calls of {describe(target)}, which "
        f"{now} takes now: failing over would leave them no SIP host to reach. Give it routes first "
        f"with `/voice origination set {chosen.voice_connector_id} --route {impact.ROUTE_SYNTAX}`, "
        "then fail over."
    )


async def _with_impact(
    plan: Plan,
    voice: VoiceService,
    target: Located,
    after: list[VoiceConnectorItem],
    names: dict[str, str],
    regions: dict[str, str],
    known: dict[str, impact.Gap | None] | None = None,
) -> Plan:
    """A change of who is first in the group says how many numbers' calls move, and to whom; and,
    loudly, when a connector it puts first cannot take them (see impact.readiness)."""
    group = _located_group(target)
    before = group.voice_connector_items
    arriving = impact.new_firsts(before, after)
    gaps = dict(known or {})
    unread = {c: regions[c] for c in arriving if c in regions and c not in gaps}
    if unread:
        gaps |= await impact.readiness(voice, unread)
    warnings = [
        gap.warning(_placed(c, names, regions), f"group {group.name}'s")
        for c in arriving
        if (gap := gaps.get(c)) is not None
    ]
    reach = await impact.of_group(voice, target, before, after, names, gaps)
    return plan.model_copy(update={"impact": reach, "warnings": [*plan.warnings, *warnings]})


def _label(connector_id: str, names: dict[str, str]) -> str:
    return f"{names.get(connector_id, '(unknown)')} ({connector_id})"


def _placed(connector_id: str, names: dict[str, str], regions: dict[str, str]) -> str:
    """`name (ID, region)`, as `describe` words a located connector."""
    return f"{names.get(connector_id, '(unknown)')} ({connector_id}, {regions.get(connector_id, '?')})"


def _tied(one: VoiceConnectorItem, other: VoiceConnectorItem, names: dict[str, str]) -> str:
    return (
        f"{_label(one.voice_connector_id, names)} and {_label(other.voice_connector_id, names)} "
        f"share priority {one.priority}"
    )


def _single_first(
    target: Located, ranked: list[VoiceConnectorItem], names: dict[str, str]
) -> VoiceConnectorItem:
    if len(ranked) < 2:
        raise Unplannable(
            f"{describe(target)} has {len(ranked)} member(s): there is no other member to fail over to "
            "(add one with `group update`)."
        )
    if ranked[0].priority == ranked[1].priority:
        raise Unplannable(
            f"{_tied(ranked[0], ranked[1], names)}, so no single member is first: "
            "set the priorities you want with `group update`."
        )
    return ranked[0]


def _failover_to(
    target: Located, ranked: list[VoiceConnectorItem], to: Located | None, names: dict[str, str]
) -> VoiceConnectorItem:
    """The member named by --to, or else the one second in priority order (when only one is)."""
    if to is not None:
        chosen = next((item for item in ranked if item.voice_connector_id == to.id), None)
        if chosen is None:
            members = ", ".join(_label(item.voice_connector_id, names) for item in ranked)
            raise Unplannable(
                f"{describe(to)} is not a member of {describe(target)}; its members are {members}."
            )
        return chosen
    if len(ranked) > 2 and ranked[1].priority == ranked[2].priority:
        raise Unplannable(
            f"{_tied(ranked[1], ranked[2], names)} in second place: say which to put first with --to."
        )
    return ranked[1]


async def plan_rename(command: GroupRename, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    group = _located_group(target)
    if command.name == group.name:
        raise NothingToDo(f"{describe(target)} is already named '{command.name}'.")
    await refuse_taken_name("voice connector group", command.name, voice, voice.list_groups)
    changes = [FieldChange(field="name", before=group.name, after=command.name)]
    return _group_plan(command, target, command.name, group.voice_connector_items, changes)


# Read-backs --------------------------------------------------------------------------------


async def find(voice: VoiceService, region: str, group_id: str) -> VoiceConnectorGroup | None:
    return next((g for g in await voice.list_groups(region) if g.voice_connector_group_id == group_id), None)


async def find_created(call: ApiCall, voice: VoiceService, since: datetime) -> str | None:
    """The group this create made: same name, created since the change began."""
    for group in await voice.list_groups(call.region):
        created = group.created_timestamp
        if group.name == call.params["Name"] and created is not None and created >= since - CREATED_SKEW:
            return group.voice_connector_group_id
    return None


def made(response: dict[str, Any]) -> VoiceConnectorGroup:
    return VoiceConnectorGroup.model_validate(response["VoiceConnectorGroup"])


async def update_seen(call: ApiCall, voice: VoiceService) -> bool:
    """Every sender (update, failover, rename, and the deletes that empty groups) sets the whole
    group, so the group must have exactly the name and the members with priorities that were sent."""
    group = await find(voice, call.region, call.params["VoiceConnectorGroupId"])
    if group is None:
        return False
    wanted = {(item["VoiceConnectorId"], item.get("Priority")) for item in call.params["VoiceConnectorItems"]}
    members = {(item.voice_connector_id, item.priority) for item in group.voice_connector_items}
    return group.name == call.params["Name"] and members == wanted


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    return await find(voice, call.region, call.params["VoiceConnectorGroupId"]) is None


# Undo --------------------------------------------------------------------------------------


def recreate(outcome: Outcome) -> str:
    """`group create` with the deleted group's name, region, members and numbers."""
    if outcome.status != "applied":
        raise no_single_state("group delete", outcome)
    deleted = GroupDeleted.model_validate(outcome.plan.before)
    group = deleted.voice_connector_group
    words = ["group", "create", shlex.quote(group.name), "--region", deleted.region]
    for item in group.voice_connector_items:
        words += ["--member", f"{item.voice_connector_id}:{item.priority or 1}"]
    for number in deleted.e164_phone_numbers:
        words += ["--number", number]
    return " ".join(words)


def recreate_caveats(outcome: Outcome) -> list[str]:
    return ["A deleted group cannot come back as it was: undoing creates a new one with a new ID."]


def _recorded(words: str, outcome: Outcome) -> VoiceConnectorGroup:
    """The group as the change found it (name and members), when the change ended in one state."""
    if outcome.status != "applied" or outcome.plan.before is None:
        raise no_single_state(words, outcome)
    return VoiceConnectorGroup.model_validate(outcome.plan.before)


def restore_members(outcome: Outcome) -> str:
    """`group update` with the members and priorities the group had."""
    before = _recorded("group update", outcome)
    members = [
        f"--member {item.voice_connector_id}:{item.priority or 1}" for item in before.voice_connector_items
    ]
    return " ".join(["group", "update", before.voice_connector_group_id, *members])


def fail_back(outcome: Outcome) -> str:
    """A failover swapped two priorities; failing over to the old first swaps them back, and needs
    only the permission on-call used for the failover itself."""
    before = _recorded("group failover", outcome)
    first = min(before.voice_connector_items, key=lambda item: item.priority or 0)
    return f"group failover {before.voice_connector_group_id} --to {first.voice_connector_id}"


def restore_name(outcome: Outcome) -> str:
    before = _recorded("group rename", outcome)
    return f"group rename {before.voice_connector_group_id} {shlex.quote(before.name)}"


READS[GroupListCommand] = ReadOps(read_list, view_list)
READS[GroupShow] = ReadOps(read_show, view_show)
CHANGES[GroupCreate] = ChangeOps(
    plan_create,
    sends=frozenset({"CreateVoiceConnectorGroup", "AssociatePhoneNumbersWithVoiceConnectorGroup"}),
    inverse=delete_created("group"),
)
CHANGES[GroupDelete] = ChangeOps(
    plan_delete,
    sends=frozenset(
        {
            "DisassociatePhoneNumbersFromVoiceConnectorGroup",
            "UpdateVoiceConnectorGroup",
            "DeleteVoiceConnectorGroup",
        }
    ),
    inverse=recreate,
    caveats=recreate_caveats,
)
CHANGES[GroupUpdate] = ChangeOps(
    plan_update, sends=frozenset({"UpdateVoiceConnectorGroup"}), inverse=restore_members
)
CHANGES[GroupFailover] = ChangeOps(
    plan_failover, sends=frozenset({"UpdateVoiceConnectorGroup"}), inverse=fail_back
)
CHANGES[GroupRename] = ChangeOps(
    plan_rename, sends=frozenset({"UpdateVoiceConnectorGroup"}), inverse=restore_name
)
EFFECTS["CreateVoiceConnectorGroup"] = Creates(made=made, find=find_created)
EFFECTS["UpdateVoiceConnectorGroup"] = Shows(update_seen)
EFFECTS["DeleteVoiceConnectorGroup"] = Shows(delete_seen, removes=True)
