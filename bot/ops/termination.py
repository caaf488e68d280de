"""Termination: show, set, clear, health, and SIP credentials; requests, read-backs, inverses, views.

A credential's password never enters a plan (so never the audit store or a preview): applying makes
one (`SECRETS`) and the requester alone sees it, once. AWS never returns passwords, so what the bot
reads back and undoes is user names only.
"""

import shlex
from typing import Any

from bot.ops import impact
from bot.ops.common import NothingToDo, Unplannable, describe, new_plan, settings_plan
from bot.ops.emergency import refuse_under_emergency_calling
from bot.ops.registry import (
    CHANGES,
    EFFECTS,
    READS,
    SECRETS,
    CannotUndo,
    ChangeOps,
    NoInverse,
    ReadOps,
    Shows,
)
from bot.outcomes import Revealed
from bot.render.doc import Doc, Fields, Heading, Notice, Paragraph, Part, Table
from bot.results import ApiCall, FieldChange, Model, Outcome, Plan
from bot.voice import VoiceService
from commands.termination import (
    CredentialsAdd,
    CredentialsList,
    CredentialsRemove,
    TerminationClear,
    TerminationHealth,
    TerminationSet,
    TerminationShow,
)
from voice_domain.located import Located, Reference
from voice_domain.termination import Termination, new_password
from voice_domain.termination import TerminationHealth as Health
from voice_domain.values import display_number

_UNSET = "(none)"
_FIELDS = ("calls per second", "calling regions", "allowed networks", "default number", "termination")


class TerminationView(Model):
    target: Located
    termination: Termination | None

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


class HealthView(Model):
    target: Located
    health: Health | None
    """None: the connector has no termination, so there is nothing to be healthy."""

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


class CredentialsView(Model):
    target: Located
    usernames: list[str]

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


async def get_termination(voice: VoiceService, region: str, connector_id: str) -> Termination | None:
    return await voice.get_setting(
        region, "GetVoiceConnectorTermination", connector_id, "Termination", Termination
    )


async def usernames_of(voice: VoiceService, region: str, connector_id: str) -> list[str]:
    answer = await voice.call(
        region, "ListVoiceConnectorTerminationCredentials", {"VoiceConnectorId": connector_id}
    )
    return list(answer.get("Usernames") or [])


async def _located(voice: VoiceService, connector: str) -> Located:
    return await voice.locate(Reference("connector", connector), partial_ok=True)


# Reads -------------------------------------------------------------------------------------


async def read_show(command: TerminationShow, voice: VoiceService) -> TerminationView:
    target = await _located(voice, command.connector)
    return TerminationView(target=target, termination=await get_termination(voice, target.region, target.id))


def view_show(result: TerminationView) -> Doc:
    target, termination = result.target, result.termination
    parts: list[Part] = [Heading(f"Termination of {target.name}")]
    if termination is None:
        parts.append(Paragraph(("No termination settings: your SIP hosts cannot place calls through it.",)))
    else:
        parts.append(
            Fields(tuple((field.capitalize(), _text(termination, field) or "-") for field in _FIELDS))
        )
    return Doc(f"Termination of {describe(target)}: {summary_of(termination)}", tuple(parts))


def summary_of(termination: Termination | None) -> str:
    if termination is None:
        return "not configured"
    settled = termination.settled()
    state = "disabled" if settled.disabled else "enabled"
    return f"{state}, {settled.cps_limit} cps, {','.join(settled.calling_regions or []) or 'no regions'}"


async def read_health(command: TerminationHealth, voice: VoiceService) -> HealthView:
    target = await _located(voice, command.connector)
    health = await voice.get_setting(
        target.region, "GetVoiceConnectorTerminationHealth", target.id, "TerminationHealth", Health
    )
    return HealthView(target=target, health=health)


def view_health(result: HealthView) -> Doc:
    target, health = result.target, result.health
    title = f"Termination health of {describe(target)}"
    if health is None:
        text = "No termination settings, so no health to report: set them with `/voice termination set`."
        return Doc(f"{title}: not configured", (Heading(title), Paragraph((text,))))
    if health.timestamp is None:
        text = "No SIP OPTIONS ping has been received from your SIP hosts."
        return Doc(f"{title}: no ping received", (Heading(title), Notice("warning", text)), "warning")
    last = health.timestamp.isoformat(timespec="seconds")
    fields = (("Last SIP OPTIONS ping", last), ("From", health.source or "-"))
    return Doc(f"{title}: last ping {last}", (Heading(title), Fields(fields)))


async def read_credentials(command: CredentialsList, voice: VoiceService) -> CredentialsView:
    target = await _located(voice, command.connector)
    return CredentialsView(target=target, usernames=await usernames_of(voice, target.region, target.id))


def view_credentials(result: CredentialsView) -> Doc:
    target = result.target
    title = f"SIP users of {describe(target)}: {len(result.usernames)}"
    if not result.usernames:
        return Doc(
            title, (Heading(f"SIP users of {target.name}"), Paragraph(("No termination credentials.",)))
        )
    rows = tuple((username,) for username in sorted(result.usernames))
    note = Notice("info", "AWS never returns passwords; add a user again to give it a new one.")
    return Doc(
        title,
        (Heading(f"SIP users of {target.name}"), Table("SIP users", ("User name",), rows, "users.csv"), note),
    )


# Plans -------------------------------------------------------------------------------------


def merged(current: Termination | None, command: TerminationSet) -> Termination:
    """The termination after `set`: what the command states, and what AWS has for the rest."""
    base = current or Termination()
    cidrs = [] if command.no_cidrs else command.cidrs
    number = None if command.no_default_number else command.default_number or base.default_phone_number
    disabled = True if command.disabled else False if command.enabled else base.disabled
    return Termination(
        cps_limit=command.cps or base.cps_limit,
        calling_regions=command.calling_regions or base.calling_regions,
        cidr_allowed_list=base.cidr_allowed_list if cidrs is None else cidrs,
        default_phone_number=number,
        disabled=disabled,
    )


async def plan_set(command: TerminationSet, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await get_termination(voice, target.region, target.id)
    after = merged(current, command)
    if not after.calling_regions:
        raise Unplannable(
            f"{describe(target)} has no termination yet: give --calling-regions "
            "(AWS needs at least one country)."
        )
    params = {"VoiceConnectorId": target.id, "Termination": after.to_api()}
    call = ApiCall(operation="PutVoiceConnectorTermination", region=target.region, params=params)
    plan = settings_plan(
        command, target, call, _changes(current, after), _before(current), "termination settings"
    )
    return await _with_impact(plan, voice, target, current, after)


async def plan_clear(command: TerminationClear, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await get_termination(voice, target.region, target.id)
    if current is None:
        raise NothingToDo(f"{describe(target)} has no termination settings to clear.")
    params = {"VoiceConnectorId": target.id}
    call = ApiCall(operation="DeleteVoiceConnectorTermination", region=target.region, params=params)
    plan = settings_plan(
        command, target, call, _changes(current, None), _before(current), "termination settings"
    )
    return await _with_impact(plan, voice, target, current, None)


async def _with_impact(
    plan: Plan, voice: VoiceService, target: Located, current: Termination | None, after: Termination | None
) -> Plan:
    """A change that stops outbound calls now flowing (disabled or cleared) says who it reaches."""
    stops = current is not None and not current.disabled and (after is None or bool(after.disabled))
    if not stops:
        return plan
    reach = await impact.of_connector(voice, target, impact.ConnectorChange("outbound"))
    return plan.model_copy(update={"impact": reach})


def _before(current: Termination | None) -> dict[str, object] | None:
    return current.settled().to_api() if current else None


def _changes(current: Termination | None, after: Termination | None) -> list[FieldChange]:
    """Each setting before → after; one that is unset on both sides (a new termination with no
    default number, say) is not a change."""
    changes = [FieldChange(field=f, before=_text(current, f), after=_text(after, f)) for f in _FIELDS]
    return [change for change in changes if {change.before, change.after} - {None, _UNSET}]


def described(termination: Termination) -> dict[str, str]:
    """Each setting as a preview words it (the drift watch's diff uses the same words)."""
    return {field.capitalize(): _text(termination, field) or "-" for field in _FIELDS}


def _text(termination: Termination | None, field: str) -> str | None:
    if termination is None:
        return None
    settled = termination.settled()
    return {
        "calls per second": str(settled.cps_limit),
        "calling regions": ",".join(settled.calling_regions or []),
        "allowed networks": ", ".join(settled.cidr_allowed_list or []) or _UNSET,
        "default number": display_number(settled.default_phone_number or _UNSET),
        "termination": "disabled" if settled.disabled else "enabled",
    }[field]


async def plan_add(command: CredentialsAdd, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    existed = command.username in await usernames_of(voice, target.region, target.id)
    params = {"VoiceConnectorId": target.id, "Credentials": [{"Username": command.username}]}
    call = ApiCall(operation="PutVoiceConnectorTerminationCredentials", region=target.region, params=params)
    warnings = [command.notice] if command.notice else []
    if existed:
        warnings.append(
            f"{command.username} already exists: its current password stops working when this is applied."
        )
    change = FieldChange(
        field=f"SIP user {command.username}",
        before="present" if existed else None,
        after="new password" if existed else "added, with a new password",
    )
    return new_plan(
        f"Termination credentials add: {command.username} on {describe(target)}",
        [call],
        target=target,
        changes=[change],
        warnings=warnings,
        before={"Username": command.username, "Existed": existed},
    )


async def plan_remove(command: CredentialsRemove, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    present = await usernames_of(voice, target.region, target.id)
    wanted = list(dict.fromkeys(command.usernames))
    unknown = [name for name in wanted if name not in present]
    if unknown:
        users = ", ".join(sorted(present)) or "none"
        raise Unplannable(
            f"{', '.join(unknown)}: not SIP user(s) of {describe(target)} (its users: {users})."
        )
    params = {"VoiceConnectorId": target.id, "Usernames": wanted}
    call = ApiCall(
        operation="DeleteVoiceConnectorTerminationCredentials", region=target.region, params=params
    )
    return new_plan(
        f"Termination credentials remove: {len(wanted)} user(s) from {describe(target)}",
        [call],
        target=target,
        changes=[FieldChange(field=f"SIP user {name}", before="present", after=None) for name in wanted],
        warnings=[_NO_PASSWORD_BACK],
        before={"Usernames": wanted},
    )


_NO_PASSWORD_BACK = (
    "Removed users cannot be restored with their passwords (AWS never returns them): SIP hosts using "
    "them stop authenticating, and undo is not offered."
)


# Secrets -----------------------------------------------------------------------------------


def make_passwords(call: ApiCall, plan: Plan) -> tuple[dict[str, Any], list[Revealed]]:
    """Each credential of the planned request gets a password made now; the plan never had one."""
    connector = describe(plan.target) if plan.target else call.params["VoiceConnectorId"]
    credentials = [{**credential, "Password": new_password()} for credential in call.params["Credentials"]]
    revealed = [
        Revealed(f"SIP password of {credential['Username']} on connector {connector}", credential["Password"])
        for credential in credentials
    ]
    return {**call.params, "Credentials": credentials}, revealed


# Read-backs --------------------------------------------------------------------------------


async def put_seen(call: ApiCall, voice: VoiceService) -> bool:
    current = await get_termination(voice, call.region, call.params["VoiceConnectorId"])
    wanted = Termination.model_validate(call.params["Termination"])
    return current is not None and current.settled() == wanted.settled()


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    return await get_termination(voice, call.region, call.params["VoiceConnectorId"]) is None


async def credentials_put_seen(call: ApiCall, voice: VoiceService) -> bool:
    """The users are there. A new password for an existing user cannot be seen (AWS returns none)."""
    present = await usernames_of(voice, call.region, call.params["VoiceConnectorId"])
    return all(credential["Username"] in present for credential in call.params["Credentials"])


async def credentials_delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    present = await usernames_of(voice, call.region, call.params["VoiceConnectorId"])
    return not set(call.params["Usernames"]) & set(present)


# Undo --------------------------------------------------------------------------------------


def restore(outcome: Outcome) -> str:
    plan = outcome.plan
    return restore_command(plan.target.id if plan.target else None, plan.before)


def restore_command(target: str | None, termination: dict[str, Any] | None) -> str:
    """The command that puts `termination` (the API's shape) back, every setting stated (so nothing
    of the changed one survives the merge), or clears it if there was none. Undo and drift revert."""
    if termination is None:
        return f"termination clear {target}"
    before = Termination.model_validate(termination).settled()
    words = [f"termination set {target}", f"--cps {before.cps_limit}"]
    words.append(f"--calling-regions {','.join(before.calling_regions or [])}")
    words += [f"--cidr {shlex.quote(cidr)}" for cidr in before.cidr_allowed_list or []] or ["--no-cidr"]
    number = before.default_phone_number
    words.append(f"--default-number {number}" if number else "--no-default-number")
    words.append("--disabled" if before.disabled else "--enabled")
    return " ".join(words)


def remove_added(outcome: Outcome) -> str:
    """An added user is removed; a replaced password cannot be put back, so that add has no undo."""
    before = outcome.plan.before or {}
    target = outcome.plan.target.id if outcome.plan.target else None
    if before.get("Existed"):
        raise CannotUndo(
            f"this gave the existing user {before.get('Username')} a new password, and the old one cannot be "
            "restored (AWS never returns passwords): add the user again to make another."
        )
    return f"termination credentials remove {target} {shlex.quote(str(before.get('Username')))}"


READS[TerminationShow] = ReadOps(read_show, view_show)
READS[TerminationHealth] = ReadOps(read_health, view_health)
READS[CredentialsList] = ReadOps(read_credentials, view_credentials)
CHANGES[TerminationSet] = ChangeOps(
    plan_set, sends=frozenset({"PutVoiceConnectorTermination"}), inverse=restore
)
CHANGES[TerminationClear] = ChangeOps(
    plan_clear, sends=frozenset({"DeleteVoiceConnectorTermination"}), inverse=restore
)
CHANGES[CredentialsAdd] = ChangeOps(
    plan_add, sends=frozenset({"PutVoiceConnectorTerminationCredentials"}), inverse=remove_added
)
CHANGES[CredentialsRemove] = ChangeOps(
    plan_remove,
    sends=frozenset({"DeleteVoiceConnectorTerminationCredentials"}),
    inverse=NoInverse(
        because="the removed users' passwords cannot be restored (AWS never returns them): add the users "
        "again with `/voice termination credentials add`, and give their SIP hosts the new passwords."
    ),
)
EFFECTS["PutVoiceConnectorTermination"] = Shows(put_seen)
EFFECTS["DeleteVoiceConnectorTermination"] = Shows(delete_seen)
EFFECTS["PutVoiceConnectorTerminationCredentials"] = Shows(credentials_put_seen)
EFFECTS["DeleteVoiceConnectorTerminationCredentials"] = Shows(credentials_delete_seen)
SECRETS["PutVoiceConnectorTerminationCredentials"] = make_passwords
refuse_under_emergency_calling("termination")
