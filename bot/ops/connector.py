"""Voice connectors: list, show, create, delete; their requests, read-backs, inverses and views."""

import asyncio
import shlex
from datetime import datetime
from typing import Any

from pydantic import field_serializer

from bot.ops import group as groups
from bot.ops import origination, proxy
from bot.ops.common import (
    Unplannable,
    delete_created,
    describe,
    new_plan,
    no_single_state,
    refuse_taken_name,
)
from bot.ops.registry import CHANGES, EFFECTS, READS, ChangeOps, Creates, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Part, Table
from bot.results import ApiCall, ConnectorDetail, ConnectorList, FieldChange, Outcome, Plan
from bot.voice import VoiceService
from commands.connector import ConnectorCreate, ConnectorDelete, ConnectorShow
from commands.connector import ConnectorList as ConnectorListCommand
from voice_domain.located import Located, Reference
from voice_domain.shapes import AwsShape, Origination, Proxy, VoiceConnector


class GroupMembership(AwsShape):
    voice_connector_group_id: str
    name: str
    region: str


class ConnectorDeleted(AwsShape):
    """A connector delete's `before`: what goes with the connector, for the history and undo's caveats.

    Recorded as plans always have: the connector without unset members, settings never made as null.
    """

    voice_connector: VoiceConnector
    region: str
    groups: list[GroupMembership]
    origination: Origination | None
    proxy: Proxy | None

    @field_serializer("voice_connector", "origination", "proxy")
    def _without_unset_members(self, shape: AwsShape | None) -> dict[str, object] | None:
        return shape.to_api() if shape is not None else None

    def recorded(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)


# Reads -------------------------------------------------------------------------------------


async def read_list(command: ConnectorListCommand, voice: VoiceService) -> ConnectorList:
    regions = [command.region] if command.region else None
    across = await voice.list_reachable(voice.list_connectors, regions)
    return ConnectorList(by_region=across.found, warnings=across.warnings())


def view_list(result: ConnectorList) -> Doc:
    rows = tuple(
        (connector.name, connector.voice_connector_id, region, _encryption(connector))
        for region, connectors in result.by_region.items()
        for connector in connectors
    )
    regions = ", ".join(result.by_region)
    return Doc(
        f"{len(rows)} voice connector(s) in {regions}",
        (Table("Voice connectors", ("Name", "ID", "Region", "Encryption"), rows, "voice-connectors.csv"),),
    )


def _encryption(connector: VoiceConnector) -> str:
    if connector.require_encryption is None:
        return "?"
    return "required" if connector.require_encryption else "off"


async def read_show(command: ConnectorShow, voice: VoiceService) -> ConnectorDetail:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    current_origination, current_proxy, numbers = await asyncio.gather(
        voice.get_origination(target.region, target.id),
        voice.get_proxy(target.region, target.id),
        voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id),
    )
    return ConnectorDetail(
        connector=target.resource,
        region=target.region,
        origination=current_origination,
        proxy=current_proxy,
        number_count=len(numbers),
        warnings=target.warnings,
    )


def view_show(result: ConnectorDetail) -> Doc:
    connector = result.connector
    parts: list[Part] = [
        Heading(f"Voice connector {connector.name}"),
        Fields(
            (
                ("ID", connector.voice_connector_id),
                ("Region", result.region),
                ("Outbound host", connector.outbound_host_name or "?"),
                ("Encryption", _encryption(connector)),
                ("Numbers associated", str(result.number_count)),
                ("Origination", origination.summary_of(result.origination)),
                ("Proxy", proxy.summary_of(result.proxy)),
            )
        ),
    ]
    if result.origination and result.origination.routes:
        parts.append(origination.routes_table(result.origination))
    return Doc(f"Voice connector {connector.name} ({connector.voice_connector_id})", tuple(parts))


# Plans -------------------------------------------------------------------------------------


def create_request(command: ConnectorCreate, region: str) -> dict[str, Any]:
    """Only what the user stated and what the API requires, so the seeds' requests come out exactly."""
    params: dict[str, Any] = {
        "Name": command.name,
        "AwsRegion": region,
        "RequireEncryption": not command.no_encryption,
    }
    if command.tags:
        params["Tags"] = [tag.to_api() for tag in command.tags]
    return params


async def plan_create(command: ConnectorCreate, voice: VoiceService, located: list[Located]) -> Plan:
    region = command.region or voice.settings.voice_default_region
    voice.require_served_region(region)
    await refuse_taken_name("voice connector", command.name, voice, voice.list_connectors)
    call = ApiCall(operation="CreateVoiceConnector", region=region, params=create_request(command, region))
    changes = [
        FieldChange(field="name", before=None, after=command.name),
        FieldChange(field="region", before=None, after=region),
        FieldChange(field="encryption", before=None, after="off" if command.no_encryption else "required"),
    ]
    changes += [FieldChange(field=f"tag {tag.key}", before=None, after=tag.value) for tag in command.tags]
    return new_plan(f"Create voice connector '{command.name}' in {region}", [call], changes=changes)


async def plan_delete(command: ConnectorDelete, voice: VoiceService, located: list[Located]) -> Plan:
    """Take the connector out of every group that lists it, then delete it.

    AWS refuses DeleteVoiceConnector while numbers are associated with the connector (API
    reference: DeleteVoiceConnector) or while a group lists it. Group membership is removed in the
    same previewed change; numbers are not (no bot command puts numbers on a connector back), so
    they must be disassociated first and the refusal names them. Origination and proxy settings go
    with the connector; the plan's `before` keeps them, so the history shows what was lost.
    """
    target = located[0]
    numbers, listed_groups, current_origination, current_proxy = await asyncio.gather(
        voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id),
        voice.list_everywhere(voice.list_groups),
        voice.get_origination(target.region, target.id),
        voice.get_proxy(target.region, target.id),
    )
    if numbers:
        shown = ", ".join(number.number for number in numbers[:10])
        more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
        raise Unplannable(
            f"{describe(target)} still has {len(numbers)} phone number(s) associated directly "
            f"({shown}{more}); AWS refuses to delete it until they are disassociated from it "
            "(for example with `aws chime-sdk-voice disassociate-phone-numbers-from-voice-connector`)."
        )
    memberships = [
        (region, group)
        for region, listed in listed_groups.items()
        for group in listed
        if any(item.voice_connector_id == target.id for item in group.voice_connector_items)
    ]
    calls = [groups.update_without(region, group, without=target.id) for region, group in memberships]
    calls.append(
        ApiCall(
            operation="DeleteVoiceConnector", region=target.region, params={"VoiceConnectorId": target.id}
        )
    )
    changes = [FieldChange(field="voice connector", before=describe(target), after=None)]
    changes += [
        FieldChange(field=f"member of group {group.name}", before=group.voice_connector_group_id, after=None)
        for _, group in memberships
    ]
    if current_origination is not None:
        routes = origination.routes_text(current_origination)
        changes.append(FieldChange(field="origination routes", before=routes, after=None))
    warnings = [
        f"Group {group.name} ({group.voice_connector_group_id}) will have no members left: "
        "calls to its numbers will fail."
        for _, group in memberships
        if len(group.voice_connector_items) == 1
    ]
    connector = target.resource
    assert isinstance(connector, VoiceConnector)
    before = ConnectorDeleted(
        voice_connector=connector,
        region=target.region,
        groups=[
            GroupMembership(
                voice_connector_group_id=group.voice_connector_group_id, name=group.name, region=region
            )
            for region, group in memberships
        ],
        origination=current_origination,
        proxy=current_proxy,
    ).recorded()
    return new_plan(
        f"Delete voice connector {describe(target)}",
        calls,
        target=target,
        changes=changes,
        warnings=warnings,
        before=before,
    )


# Read-backs --------------------------------------------------------------------------------


async def find_created(call: ApiCall, voice: VoiceService, since: datetime) -> str | None:
    """The connector this create made: same name, created since the change began."""
    for connector in await voice.list_connectors(call.region):
        created = connector.created_timestamp
        if (
            connector.name == call.params["Name"]
            and created is not None
            and created >= since - groups.CREATED_SKEW
        ):
            return connector.voice_connector_id
    return None


def made(response: dict[str, Any]) -> VoiceConnector:
    return VoiceConnector.model_validate(response["VoiceConnector"])


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    listed = await voice.list_connectors(call.region)
    return all(c.voice_connector_id != call.params["VoiceConnectorId"] for c in listed)


# Undo --------------------------------------------------------------------------------------


def recreate(outcome: Outcome) -> str:
    """`connector create` with the deleted connector's name, region and encryption."""
    if outcome.status != "applied":
        raise no_single_state("connector delete", outcome)
    deleted = ConnectorDeleted.model_validate(outcome.plan.before)
    connector = deleted.voice_connector
    text = f"connector create {shlex.quote(connector.name)} --region {deleted.region}"
    return text + ("" if connector.require_encryption is not False else " --no-encryption")


def recreate_caveats(outcome: Outcome) -> list[str]:
    """A deleted connector never comes back as it was; say what differs before anyone confirms."""
    deleted = ConnectorDeleted.model_validate(outcome.plan.before)
    caveats = [
        "A deleted connector cannot come back as it was: undoing creates a new one with a new ID and a "
        "new outbound host name, which the SBCs must be given."
    ]
    lost = []
    if deleted.origination is not None:
        routes = deleted.origination.routes
        lost.append(f"origination routes ({'; '.join(route.describe() for route in routes) or 'none'})")
    if deleted.proxy is not None:
        lost.append("proxy settings")
    lost += [f"membership of group {g.name} ({g.voice_connector_group_id})" for g in deleted.groups]
    if lost:
        caveats.append(f"It does not restore the old connector's {', '.join(lost)}: set them on the new one.")
    return caveats


READS[ConnectorListCommand] = ReadOps(read_list, view_list)
READS[ConnectorShow] = ReadOps(read_show, view_show)
CHANGES[ConnectorCreate] = ChangeOps(
    plan_create, sends=frozenset({"CreateVoiceConnector"}), inverse=delete_created("connector")
)
CHANGES[ConnectorDelete] = ChangeOps(
    plan_delete,
    sends=frozenset({"UpdateVoiceConnectorGroup", "DeleteVoiceConnector"}),
    inverse=recreate,
    caveats=recreate_caveats,
)
EFFECTS["CreateVoiceConnector"] = Creates(made=made, find=find_created)
EFFECTS["DeleteVoiceConnector"] = Shows(delete_seen, removes=True)
