"""Voice connectors: list, show, create, delete, rename, encryption, tags; their requests,
read-backs, inverses and views."""

import asyncio
import shlex
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import field_serializer

from bot.aws_errors import VoiceError
from bot.ops import group as groups
from bot.ops import impact, origination, proxy
from bot.ops.common import (
    NothingToDo,
    Unplannable,
    delete_created,
    describe,
    new_plan,
    no_single_state,
    refuse_taken_name,
)
from bot.ops.registry import CHANGES, EFFECTS, READS, CannotUndo, ChangeOps, Creates, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Paragraph, Part, Table
from bot.results import ApiCall, ConnectorDetail, ConnectorList, FieldChange, Model, Outcome, Plan
from bot.voice import VoiceService
from commands import ChangeCommand
from commands.connector import (
    ConnectorCreate,
    ConnectorDelete,
    ConnectorEncryption,
    ConnectorRename,
    ConnectorShow,
    ConnectorTag,
    ConnectorTags,
    ConnectorUntag,
)
from commands.connector import ConnectorList as ConnectorListCommand
from voice_domain.located import Located, Reference
from voice_domain.shapes import AwsShape, Origination, Proxy, Tag, VoiceConnector
from voice_domain.tags import MAX_TAGS


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


class TagsView(Model):
    target: Located
    tags: dict[str, str]

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


def arn_of(target: Located) -> str:
    """The connector's ARN as AWS lists it: what the tagging operations name it by."""
    connector = target.resource
    assert isinstance(connector, VoiceConnector)
    if not connector.voice_connector_arn:
        raise VoiceError(
            "ListTagsForResource",
            "NoArn",
            f"AWS listed {describe(target)} without its VoiceConnectorArn, which tags are read and set by.",
        )
    return connector.voice_connector_arn


async def list_tags(voice: VoiceService, region: str, arn: str) -> dict[str, str]:
    response = await voice.call(region, "ListTagsForResource", {"ResourceARN": arn})
    return {tag.key: tag.value for tag in map(Tag.model_validate, response.get("Tags") or [])}


async def read_tags(command: ConnectorTags, voice: VoiceService) -> TagsView:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    return TagsView(target=target, tags=await list_tags(voice, target.region, arn_of(target)))


def view_tags(result: TagsView) -> Doc:
    target = result.target
    rows = tuple((key, value) for key, value in sorted(result.tags.items()))
    shown: Part = (
        Table(f"Tags of {target.name}", ("Key", "Value"), rows, "tags.csv")
        if rows
        else Paragraph((f"{target.name} has no tags.",))
    )
    return Doc(f"{len(rows)} tag(s) on voice connector {target.name} ({target.id})", (shown,))


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
        FieldChange(
            field="member of group",
            before=f"{group.name} ({group.voice_connector_group_id}, {region})",
            after=None,
        )
        for region, group in memberships
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
    live = len(current_origination.routes) if current_origination and not current_origination.disabled else 0
    reach = await impact.of_connector(voice, target, impact.ConnectorChange("stops", live), listed_groups)
    return new_plan(
        f"Delete voice connector {describe(target)}",
        calls,
        target=target,
        changes=changes,
        warnings=warnings,
        before=before,
        impact=reach,
    )


def update_request(connector: VoiceConnector, region: str, name: str, require_encryption: bool) -> ApiCall:
    """UpdateVoiceConnector needs both settings on the wire, so the one not changing is sent as read."""
    return ApiCall(
        operation="UpdateVoiceConnector",
        region=region,
        params={
            "VoiceConnectorId": connector.voice_connector_id,
            "Name": name,
            "RequireEncryption": require_encryption,
        },
    )


async def current_connector(voice: VoiceService, target: Located) -> VoiceConnector:
    """The connector as AWS has it now, with both settings UpdateVoiceConnector must send back."""
    response = await voice.call(target.region, "GetVoiceConnector", {"VoiceConnectorId": target.id})
    connector = VoiceConnector.model_validate(response["VoiceConnector"])
    if connector.require_encryption is None:
        raise Unplannable(
            f"AWS did not say whether {describe(target)} requires encryption, and UpdateVoiceConnector "
            "must send it: nothing was changed."
        )
    return connector


def _settings_plan(
    command: ChangeCommand,
    target: Located,
    current: VoiceConnector,
    name: str,
    require_encryption: bool,
    warnings: list[str] | None = None,
) -> Plan:
    changes = [
        FieldChange(field="name", before=current.name, after=name),
        FieldChange(
            field="encryption", before=_encryption(current), after="required" if require_encryption else "off"
        ),
    ]
    return new_plan(
        f"{command.command_name().capitalize()}: {describe(target)}",
        [update_request(current, target.region, name, require_encryption)],
        target=target,
        changes=[change for change in changes if change.before != change.after],
        warnings=warnings or [],
        before=VoiceConnector(
            voice_connector_id=current.voice_connector_id,
            name=current.name,
            require_encryption=current.require_encryption,
        ).to_api(),
    )


async def plan_rename(command: ConnectorRename, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await current_connector(voice, target)
    if current.name == command.name:
        raise NothingToDo(f"{describe(target)} is already named '{command.name}'.")
    await refuse_taken_name("voice connector", command.name, voice, voice.list_connectors)
    return _settings_plan(command, target, current, command.name, bool(current.require_encryption))


async def plan_encryption(command: ConnectorEncryption, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await current_connector(voice, target)
    if current.require_encryption == command.on:
        raise NothingToDo(f"{describe(target)} already has encryption {_encryption(current)}.")
    warning = (
        "The SBCs must use TLS for SIP and SRTP for media: their unencrypted calls will fail."
        if command.on
        else "SIP signalling and media to and from this connector may then travel unencrypted."
    )
    return _settings_plan(command, target, current, current.name, command.on, [warning])


def tags_plan(
    command: ChangeCommand,
    target: Located,
    current: dict[str, str],
    setting: dict[str, str],
    removing: list[str],
) -> Plan:
    """Untag first, then tag: a change that removes some keys and adds others stays within 50."""
    arn = arn_of(target)
    after = {key: value for key, value in current.items() if key not in removing} | setting
    changes = [
        FieldChange(field=f"tag {key}", before=current.get(key), after=after.get(key))
        for key in [*setting, *removing]
        if current.get(key) != after.get(key)
    ]
    if not changes:
        raise NothingToDo(f"the tags of {describe(target)} already are exactly that.")
    if len(after) > MAX_TAGS:
        raise Unplannable(
            f"{describe(target)} would have {len(after)} tags; AWS allows at most {MAX_TAGS} on a resource: "
            "remove some first."
        )
    gone = [key for key in removing if key in current]
    calls = []
    if gone:
        params: dict[str, Any] = {"ResourceARN": arn, "TagKeys": gone}
        calls.append(ApiCall(operation="UntagResource", region=target.region, params=params))
    if setting:
        params = {"ResourceARN": arn, "Tags": [Tag(key=k, value=v).to_api() for k, v in setting.items()]}
        calls.append(ApiCall(operation="TagResource", region=target.region, params=params))
    return new_plan(
        f"{command.command_name().capitalize()}: {describe(target)}",
        calls,
        target=target,
        changes=changes,
        before={"Tags": [Tag(key=k, value=v).to_api() for k, v in current.items()]},
    )


async def plan_tag(command: ConnectorTag, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await list_tags(voice, target.region, arn_of(target))
    return tags_plan(command, target, current, {tag.key: tag.value for tag in command.tags}, command.remove)


async def plan_untag(command: ConnectorUntag, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await list_tags(voice, target.region, arn_of(target))
    return tags_plan(command, target, current, {}, command.keys)


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


async def update_seen(call: ApiCall, voice: VoiceService) -> bool:
    listed = await voice.list_connectors(call.region)
    found = next((c for c in listed if c.voice_connector_id == call.params["VoiceConnectorId"]), None)
    return (
        found is not None
        and found.name == call.params["Name"]
        and found.require_encryption == call.params["RequireEncryption"]
    )


async def tag_seen(call: ApiCall, voice: VoiceService) -> bool:
    tags = await list_tags(voice, call.region, call.params["ResourceARN"])
    return all(tags.get(tag["Key"]) == tag["Value"] for tag in call.params["Tags"])


async def untag_seen(call: ApiCall, voice: VoiceService) -> bool:
    tags = await list_tags(voice, call.region, call.params["ResourceARN"])
    return not set(call.params["TagKeys"]) & tags.keys()


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


def _recorded(words: str, outcome: Outcome) -> VoiceConnector:
    """The connector's name and encryption as the change found them, when it ended in one state."""
    if outcome.status != "applied" or outcome.plan.before is None:
        raise no_single_state(words, outcome)
    return VoiceConnector.model_validate(outcome.plan.before)


def restore_name(outcome: Outcome) -> str:
    before = _recorded("connector rename", outcome)
    return f"connector rename {before.voice_connector_id} {shlex.quote(before.name)}"


def restore_encryption(outcome: Outcome) -> str:
    before = _recorded("connector encryption", outcome)
    return (
        f"connector encryption {before.voice_connector_id} {'--on' if before.require_encryption else '--off'}"
    )


def restore_tags(words: str) -> Callable[[Outcome], str]:
    """Put back the old value of every key the change touched, and remove the keys it added."""

    def inverse(outcome: Outcome) -> str:
        plan = outcome.plan
        if outcome.status != "applied" or plan.before is None or plan.target is None:
            raise no_single_state(words, outcome)
        before = {tag.key: tag.value for tag in map(Tag.model_validate, plan.before["Tags"])}
        touched = [
            key
            for call in plan.calls
            for key in call.params.get("TagKeys", []) + [tag["Key"] for tag in call.params.get("Tags", [])]
        ]
        if any("=" in key for key in touched if key in before):
            raise CannotUndo(
                "A tag key it changed contains '=', which `connector tag KEY=VALUE` cannot express: "
                f"put the old values back ({plan.before['Tags']}) with the AWS CLI's tag-resource."
            )
        put_back = [shlex.quote(f"{key}={before[key]}") for key in touched if key in before]
        added = [shlex.quote(key) for key in touched if key not in before]
        if not put_back:
            return " ".join(["connector", "untag", plan.target.id, *added])
        removals = [f"--remove {key}" for key in added]
        return " ".join(["connector", "tag", plan.target.id, *put_back, *removals])

    return inverse


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
READS[ConnectorTags] = ReadOps(read_tags, view_tags)
CHANGES[ConnectorRename] = ChangeOps(
    plan_rename, sends=frozenset({"UpdateVoiceConnector"}), inverse=restore_name
)
CHANGES[ConnectorEncryption] = ChangeOps(
    plan_encryption,
    sends=frozenset({"UpdateVoiceConnector"}),
    inverse=restore_encryption,
)
CHANGES[ConnectorTag] = ChangeOps(
    plan_tag, sends=frozenset({"TagResource", "UntagResource"}), inverse=restore_tags("connector tag")
)
CHANGES[ConnectorUntag] = ChangeOps(
    plan_untag, sends=frozenset({"UntagResource"}), inverse=restore_tags("connector untag")
)
EFFECTS["UpdateVoiceConnector"] = Shows(update_seen)
EFFECTS["TagResource"] = Shows(tag_seen)
EFFECTS["UntagResource"] = Shows(untag_seen)
