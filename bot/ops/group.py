"""Voice connector groups: list, show, create, delete; their requests, read-backs, inverses, views."""

import asyncio
import shlex
from datetime import datetime, timedelta
from typing import Any

from bot.ops import numbers
from bot.ops.common import delete_created, describe, ids_of, new_plan, no_single_state, refuse_taken_name
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
from commands.group import GroupCreate, GroupDelete, GroupShow
from commands.group import GroupList as GroupListCommand
from voice_domain.located import Located, Reference
from voice_domain.shapes import AwsShape, VoiceConnectorGroup

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
        records = await voice.phone_numbers_by_e164(command.numbers)
        moves = [numbers.move(number, records.get(number), None, True, False) for number in command.numbers]
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


def update_without(region: str, group: VoiceConnectorGroup, *, without: str | None) -> ApiCall:
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
    members = [
        f"{item.voice_connector_id} (priority {item.priority})" for item in group.voice_connector_items
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
            NumberMove(number=number, current=f"VoiceConnectorGroupId {target.id}") for number in on_group
        ],
        warnings=warnings,
        before=GroupDeleted(
            voice_connector_group=group, region=target.region, e164_phone_numbers=on_group
        ).to_api(),
        also_requires=["numbers.disassociate"] if on_group else [],
    )


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
    group = await find(voice, call.region, call.params["VoiceConnectorGroupId"])
    wanted = {(item["VoiceConnectorId"], item.get("Priority")) for item in call.params["VoiceConnectorItems"]}
    members = (
        {(item.voice_connector_id, item.priority) for item in group.voice_connector_items} if group else None
    )
    return members == wanted


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
EFFECTS["CreateVoiceConnectorGroup"] = Creates(made=made, find=find_created)
EFFECTS["UpdateVoiceConnectorGroup"] = Shows(update_seen)
EFFECTS["DeleteVoiceConnectorGroup"] = Shows(delete_seen, removes=True)
