"""Voice connectors: list, show, create, delete, rename, encryption, tags; their requests,
read-backs, inverses and views."""

import asyncio
import contextlib
import shlex
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import Field, field_serializer

from bot.aws_errors import VoiceError
from bot.ops import connector_logging, emergency, impact, origination, proxy, streaming, termination
from bot.ops import group as groups
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
from bot.results import ApiCall, ConnectorList, FieldChange, Impact, Model, Outcome, Plan
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
from voice_domain.connector_logging import LoggingConfiguration
from voice_domain.emergency import EmergencyCalling
from voice_domain.located import Located, Reference
from voice_domain.shapes import AwsShape, Origination, Proxy, Tag, VoiceConnector
from voice_domain.streaming import StreamingConfiguration
from voice_domain.tags import MAX_TAGS, RESERVED_PREFIX
from voice_domain.termination import Termination
from voice_domain.values import display_number


class GroupMembership(AwsShape):
    voice_connector_group_id: str
    name: str
    region: str


class ConnectorDeleted(AwsShape):
    """A connector delete's `before`: everything that goes with the connector, for the preview, the
    history and undo's caveats. SIP users are names only: AWS never returns a password.

    Recorded as plans always have: the connector without unset members, settings never made as null.
    `complete` is False in records made before termination, SIP users, logging, streaming, emergency
    calling and tags were kept (their absence there says nothing about the connector).
    """

    voice_connector: VoiceConnector
    region: str
    groups: list[GroupMembership]
    origination: Origination | None
    proxy: Proxy | None
    termination: Termination | None = None
    sip_users: list[str] = Field(default_factory=list)
    logging: LoggingConfiguration | None = None
    streaming: StreamingConfiguration | None = None
    emergency_calling: EmergencyCalling | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    complete: bool = False

    @field_serializer(
        "voice_connector", "origination", "proxy", "termination", "logging", "streaming", "emergency_calling"
    )
    def _without_unset_members(self, shape: AwsShape | None) -> dict[str, object] | None:
        return shape.to_api() if shape is not None else None

    def recorded(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)

    def settings(self) -> list[tuple[str, str]]:
        """(what, as it was) for each setting that goes with the connector, in the order a preview
        lists them; settings never made (or all off) are left out."""
        found: list[tuple[str, str]] = []
        if self.origination is not None:
            routes = origination.routes_text(self.origination) or "(none)"
            found.append(
                ("origination routes", routes + (" (disabled)" if self.origination.disabled else ""))
            )
        if self.termination is not None:
            found.append(("termination", termination_text(self.termination)))
        if self.sip_users:
            found.append(("SIP users", ", ".join(self.sip_users)))
        if self.emergency_calling is not None:
            found.append(("emergency calling", "; ".join(e.describe() for e in self.emergency_calling.dnis)))
        if self.logging is not None and (self.logging.sip_logs or self.logging.media_metrics):
            found.append(("logging", logging_text(self.logging)))
        if self.streaming is not None:
            (_, enabled), *others = streaming.described(self.streaming).items()
            found.append(("streaming", ", ".join([enabled, *(f"{k.lower()} {v}" for k, v in others)])))
        if self.proxy is not None:
            found.append(("proxy", proxy.summary_of(self.proxy)))
        found += [(f"tag {key}", value) for key, value in sorted(self.tags.items())]
        return found


def termination_text(settings: Termination) -> str:
    """Every termination setting, as `termination set` would state it."""
    settled = settings.settled()
    words = [
        "disabled" if settled.disabled else "enabled",
        f"{settled.cps_limit} cps",
        f"calling regions {','.join(settled.calling_regions or []) or 'none'}",
        f"networks {', '.join(settled.cidr_allowed_list or []) or 'none'}",
    ]
    if settled.default_phone_number:
        words.append(f"default number {display_number(settled.default_phone_number)}")
    return ", ".join(words)


def logging_text(settings: LoggingConfiguration) -> str:
    return (
        f"SIP logs {'on' if settings.sip_logs else 'off'}, "
        f"media metric logs {'on' if settings.media_metrics else 'off'}"
    )


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


class ConnectorDetail(Model):
    connector: VoiceConnector
    region: str
    origination: Origination | None
    proxy: Proxy | None
    direct_numbers: int
    reach: Impact
    """Numbers reaching the connector directly and through its groups (`reach.groups`), as
    bot/ops/impact.py counts them for a preview."""
    warnings: list[str] = Field(default_factory=list)


async def read_show(command: ConnectorShow, voice: VoiceService) -> ConnectorDetail:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    # Only the counts are read from the impact: "fewer routes" is the effect that names no other member.
    current_origination, current_proxy, numbers, reach = await asyncio.gather(
        voice.get_origination(target.region, target.id),
        voice.get_proxy(target.region, target.id),
        voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id),
        impact.of_connector(voice, target, impact.ConnectorChange("fewer routes")),
    )
    return ConnectorDetail(
        connector=target.resource,
        region=target.region,
        origination=current_origination,
        proxy=current_proxy,
        direct_numbers=len(numbers),
        reach=reach,
        warnings=[*target.warnings, *reach.unknown],
    )


def numbers_text(direct: int, reach: Impact) -> str:
    """`4: 1 directly, 3 through group edge (ID, region)`: every number whose calls reach it."""
    through = max(reach.numbers - direct, 0)
    ways = [f"{direct} directly"]
    if reach.groups:
        noun = "group" if len(reach.groups) == 1 else "groups"
        ways.append(f"{through} through {noun} {' and '.join(reach.groups)}")
    return f"{direct + through}: {', '.join(ways)}"


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
                ("Numbers", numbers_text(result.direct_numbers, result.reach)),
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
    they must be disassociated first and the refusal names them. Every other setting goes with the
    connector (origination, termination and its SIP users, emergency calling, logging, streaming,
    proxy, tags): the preview lists each, and the plan's `before` keeps them for the history and
    undo's caveats.
    """
    target = located[0]
    numbers, listed_groups, lost = await asyncio.gather(
        voice.list_phone_numbers(filter_name="VoiceConnectorId", filter_value=target.id),
        voice.list_everywhere(voice.list_groups),
        _what_goes_with(voice, target),
    )
    if numbers:
        shown = ", ".join(number.number for number in numbers[:10])
        more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
        raise Unplannable(
            f"{describe(target)} still has {len(numbers)} phone number(s) associated directly "
            f"({shown}{more}); AWS refuses to delete it until they are disassociated from it "
            f"(`/voice numbers disassociate connector:{target.id} NUMBER…`, which the audit log keeps)."
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
    deleted = lost.model_copy(
        update={
            "groups": [
                GroupMembership(
                    voice_connector_group_id=group.voice_connector_group_id, name=group.name, region=region
                )
                for region, group in memberships
            ]
        }
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
    changes += [FieldChange(field=what, before=was, after=None) for what, was in deleted.settings()]
    warnings = [
        f"Group {group.name} ({group.voice_connector_group_id}) will have no members left: "
        "calls to its numbers will fail."
        for _, group in memberships
        if len(group.voice_connector_items) == 1
    ]
    if deleted.sip_users:
        warnings.append(
            f"Its SIP users ({', '.join(deleted.sip_users)}) go with it, and their passwords cannot come "
            "back (AWS never returns them): an undo cannot restore them."
        )
    current_origination = deleted.origination
    live = len(current_origination.routes) if current_origination and not current_origination.disabled else 0
    reach = await impact.of_connector(voice, target, impact.ConnectorChange("stops", live), listed_groups)
    return new_plan(
        f"Delete voice connector {describe(target)}",
        calls,
        target=target,
        changes=changes,
        warnings=warnings,
        before=deleted.recorded(),
        impact=reach,
    )


async def _what_goes_with(voice: VoiceService, target: Located) -> ConnectorDeleted:
    """Every setting of the connector, read concurrently (one Get or List each)."""
    connector = target.resource
    assert isinstance(connector, VoiceConnector)
    region, connector_id = target.region, target.id
    routing, access = await asyncio.gather(
        asyncio.gather(
            voice.get_origination(region, connector_id),
            voice.get_proxy(region, connector_id),
            streaming.current_streaming(voice, region, connector_id),
            emergency.current_emergency(voice, region, connector_id),
        ),
        asyncio.gather(
            termination.get_termination(voice, region, connector_id),
            termination.usernames_of(voice, region, connector_id),
            connector_logging.current_logging(voice, region, connector_id),
            list_tags(voice, region, arn_of(target)),
        ),
    )
    current_origination, current_proxy, current_streaming, current_emergency = routing
    current_termination, users, logging, tags = access
    return ConnectorDeleted(
        voice_connector=connector,
        region=region,
        groups=[],
        origination=current_origination,
        proxy=current_proxy,
        termination=current_termination,
        sip_users=sorted(users),
        logging=logging,
        streaming=current_streaming,
        emergency_calling=current_emergency,
        tags=tags,
        complete=True,
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
    absent = [key for key in removing if key not in current]
    if absent and not changes:
        keys = ", ".join(f"'{key}'" for key in absent)
        held = ", ".join(f"'{key}'" for key in sorted(current)) or "none"
        raise NothingToDo(f"{describe(target)} has no tag {keys} to remove; its tag keys: {held}.")
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
    """`connector create` with the deleted connector's name, region, encryption and tags."""
    if outcome.status != "applied":
        raise no_single_state("connector delete", outcome)
    deleted = ConnectorDeleted.model_validate(outcome.plan.before)
    connector = deleted.voice_connector
    words = ["connector", "create", shlex.quote(connector.name), "--region", deleted.region]
    if connector.require_encryption is False:
        words.append("--no-encryption")
    restorable, _ = _tags_of(deleted)
    words += [f"--tag {shlex.quote(f'{key}={value}')}" for key, value in restorable.items()]
    return " ".join(words)


def _tags_of(deleted: ConnectorDeleted) -> tuple[dict[str, str], list[str]]:
    """(the tags `connector create --tag KEY=VALUE` can put back, the keys it cannot): a key with
    '=' cannot be written that way, and AWS refuses keys with its reserved prefix."""
    restorable = {
        key: value
        for key, value in deleted.tags.items()
        if "=" not in key and not key.lower().startswith(RESERVED_PREFIX)
    }
    return restorable, sorted(deleted.tags.keys() - restorable.keys())


def recreate_caveats(outcome: Outcome) -> list[str]:
    """A deleted connector never comes back as it was: say what differs, what is not restored, and
    the commands that put back what can be put back, before anyone confirms it."""
    deleted = ConnectorDeleted.model_validate(outcome.plan.before)
    name = deleted.voice_connector.name
    restored = (
        "its name, region, encryption setting and tags"
        if _tags_of(deleted)[0]
        else "its name, region and encryption setting"
    )
    caveats = [
        f"A deleted connector cannot come back as it was: undoing creates a new one with {restored}, "
        "but a new ID and a new outbound host name, which the SBCs must be given."
    ]
    lost = [f"{what} ({was})" for what, was in deleted.settings() if not what.startswith("tag ")]
    _, unrestorable_tags = _tags_of(deleted)
    lost += [f"tag {key} ({deleted.tags[key]})" for key in unrestorable_tags]
    lost += [f"membership of group {g.name} ({g.voice_connector_group_id})" for g in deleted.groups]
    if lost:
        caveats.append(f"It does not restore the old connector's {'; '.join(lost)}.")
    if not deleted.complete:
        caveats.append(
            "This delete was recorded before termination, SIP users, logging, streaming, emergency "
            "calling and tags were kept: whatever the old connector had of them is not known here, "
            "and is not restored."
        )
    if deleted.sip_users:
        caveats.append(
            f"SIP users {', '.join(deleted.sip_users)} cannot be restored with their passwords (AWS never "
            f"returns them): add each again with `/voice termination credentials add {name} USER` and give "
            "the SIP hosts the new passwords."
        )
    commands = _restore_commands(deleted)
    if commands:
        caveats.append(
            "Once it is applied, put the settings back on the new connector with: "
            + "; ".join(f"`/voice {command}`" for command in commands)
        )
    return caveats


def _restore_commands(deleted: ConnectorDeleted) -> list[str]:
    """The commands that put the deleted connector's settings back on the new one (found by its
    name, which the new one shares), in an order AWS accepts: emergency calling needs origination
    and termination first. Proxy sessions reached end of support, so no command is offered for them."""
    name = shlex.quote(deleted.voice_connector.name)
    commands = []
    if deleted.origination is not None and deleted.origination.routes:
        routes = " ".join(f"--route {shlex.quote(route.describe())}" for route in deleted.origination.routes)
        disabled = " --disabled" if deleted.origination.disabled else ""
        commands.append(f"origination set {name} {routes}{disabled}")
    if deleted.termination is not None:
        commands.append(termination.restore_command(name, deleted.termination.to_api()))
    if deleted.emergency_calling is not None:
        commands.append(emergency.restore_command(name, deleted.emergency_calling.to_api()))
    if deleted.logging is not None and (deleted.logging.sip_logs or deleted.logging.media_metrics):
        commands.append(connector_logging.restore_command(name, deleted.logging.to_api()))
    if deleted.streaming is not None:
        with contextlib.suppress(CannotUndo):  # call analytics `streaming set` cannot write: listed above
            commands.append(streaming.restore_command(name, deleted.streaming.to_api(), None))
    return commands


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
