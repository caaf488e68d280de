"""Emergency calling: show, set, clear; their requests, read-backs, inverses and views, and the
refusal of an origination or termination change that AWS refuses while emergency calling depends
on it.

AWS documents the dependency both ways: emergency calling can only be configured while origination
and termination are enabled (API reference PutVoiceConnectorEmergencyCallingConfiguration, Amazon
Chime namespace; Administrator Guide, "Setting up third-party emergency routing numbers"), and
while it is configured, origination and termination cannot be deleted or turned off (API reference
DeleteVoiceConnectorOrigination, DeleteVoiceConnectorTermination; PutVoiceConnectorOrigination,
Amazon Chime namespace).
"""

import asyncio
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Literal

from bot.ops.common import NothingToDo, Unplannable, describe, settings_plan
from bot.ops.impact import ROUTE_SYNTAX
from bot.ops.registry import CHANGES, EFFECTS, READS, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Heading, Paragraph, Part, Table
from bot.results import ApiCall, FieldChange, Model, Outcome, Plan
from bot.voice import VoiceService
from commands.emergency import EmergencyClear, EmergencySet, EmergencyShow
from voice_domain.emergency import EmergencyCalling, Switch
from voice_domain.located import Located, Reference

Setting = Literal["origination", "termination"]
PlanMaker = Callable[[Any, VoiceService, list[Located]], Awaitable[Plan]]


class EmergencyView(Model):
    target: Located
    emergency: EmergencyCalling | None

    @property
    def warnings(self) -> list[str]:
        return self.target.warnings


async def current_emergency(voice: VoiceService, region: str, connector_id: str) -> EmergencyCalling | None:
    """The configuration, or None when there is none (AWS's 404, or a configuration without entries)."""
    found = await voice.get_setting(
        region,
        "GetVoiceConnectorEmergencyCallingConfiguration",
        connector_id,
        "EmergencyCallingConfiguration",
        EmergencyCalling,
    )
    return found if found is not None and found.dnis else None


_CITED: dict[Setting, str] = {
    "origination": "DeleteVoiceConnectorOrigination, PutVoiceConnectorOrigination",
    "termination": "DeleteVoiceConnectorTermination",
}


def clear_first(target: Located, emergency: EmergencyCalling, setting: Setting) -> str:
    """Why AWS refuses to turn off or delete `setting` while emergency calling is configured, and
    the command that has to run first, with its cost."""
    countries = ", ".join(entry.calling_country for entry in emergency.dnis)
    return (
        f"{describe(target)} has emergency calling configured ({countries}), and AWS refuses to turn "
        f"off or delete {setting} until it is deleted (API reference {_CITED[setting]}). Clear it "
        f"first with `/voice emergency clear {target.id}`, which stops emergency calls being routed "
        "to your emergency provider through this connector: arrange another route before you do."
    )


async def refuse_while_emergency_calling(voice: VoiceService, target: Located, setting: Setting) -> None:
    """A change that deletes or turns off `setting` (origination or termination) is refused at
    preview while emergency calling is configured: AWS would refuse it when applied."""
    emergency = await current_emergency(voice, target.region, target.id)
    if emergency is not None:
        raise Unplannable(clear_first(target, emergency, setting))


def refuse_under_emergency_calling(setting: Setting) -> None:
    """Make every registered change that sends `setting`'s Put or Delete refuse, at preview, to
    turn the setting off while emergency calling is configured. Called once by the setting's ops
    module, after it registers its commands, so every command that turns the setting off (set
    --disabled, disable, clear, and any added later) is covered without each plan having to
    remember."""
    operations = {f"PutVoiceConnector{setting.title()}", f"DeleteVoiceConnector{setting.title()}"}
    for command, ops in list(CHANGES.items()):
        if ops.sends & operations:
            CHANGES[command] = replace(ops, plan=_guarded(setting, ops.plan))


def _guarded(setting: Setting, plan: PlanMaker) -> PlanMaker:
    async def planned(command: Any, voice: VoiceService, located: list[Located]) -> Plan:
        made = await plan(command, voice, located)
        if made.target is not None and any(_turns_off(call, setting) for call in made.calls):
            await refuse_while_emergency_calling(voice, made.target, setting)
        return made

    return planned


def _turns_off(call: ApiCall, setting: Setting) -> bool:
    """A Delete of the setting, or a Put that disables it (what AWS refuses under emergency calling)."""
    if call.operation.startswith("Delete"):
        return True
    return bool(call.params.get(setting.title(), {}).get("Disabled"))


# Reads -------------------------------------------------------------------------------------


async def read_show(command: EmergencyShow, voice: VoiceService) -> EmergencyView:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    return EmergencyView(target=target, emergency=await current_emergency(voice, target.region, target.id))


def view_show(result: EmergencyView) -> Doc:
    target, emergency = result.target, result.emergency
    parts: list[Part] = [Heading(f"Emergency calling of {target.name}")]
    if emergency is None:
        parts.append(Paragraph(("No emergency calling configuration: no emergency routing numbers.",)))
    else:
        rows = tuple(
            (entry.calling_country, entry.emergency_phone_number, entry.test_phone_number or "-")
            for entry in emergency.dnis
        )
        parts.append(
            Table("Emergency routing numbers", ("Country", "Emergency", "Test"), rows, "emergency.csv")
        )
    summary = "not configured" if emergency is None else f"{len(emergency.dnis)} calling country(ies)"
    return Doc(f"Emergency calling of {target.name} ({target.id}, {target.region}): {summary}", tuple(parts))


# Plans -------------------------------------------------------------------------------------


async def _prerequisites(voice: VoiceService, target: Located) -> list[str]:
    """The commands that would enable origination and termination where they are not, which AWS
    requires first (none when both are enabled)."""
    region, connector_id = target.region, target.id
    origination, termination = await asyncio.gather(
        voice.get_setting(region, "GetVoiceConnectorOrigination", connector_id, "Origination", Switch),
        voice.get_setting(region, "GetVoiceConnectorTermination", connector_id, "Termination", Switch),
    )
    commands = []
    if origination is None:
        commands.append(f"`/voice origination set {connector_id} --route {ROUTE_SYNTAX}`")
    elif origination.disabled:
        commands.append(f"`/voice origination enable {connector_id}`")
    if termination is None:
        commands.append(f"`/voice termination set {connector_id} --calling-regions COUNTRY[,COUNTRY]`")
    elif termination.disabled:
        commands.append(f"`/voice termination set {connector_id} --enabled`")
    return commands


async def plan_set(command: EmergencySet, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await current_emergency(voice, target.region, target.id)
    after = EmergencyCalling(dnis=command.dnis)
    call = ApiCall(
        operation="PutVoiceConnectorEmergencyCallingConfiguration",
        region=target.region,
        params={"VoiceConnectorId": target.id, "EmergencyCallingConfiguration": after.to_api()},
    )
    plan = settings_plan(
        command, target, call, _changes(current, after), _before(current), "emergency settings"
    )
    missing = await _prerequisites(voice, target)
    if missing:
        raise Unplannable(
            f"AWS refuses emergency calling on {describe(target)} until its origination and termination "
            "are both enabled (API reference PutVoiceConnectorEmergencyCallingConfiguration). "
            f"First run {' and '.join(missing)}."
        )
    return plan


async def plan_clear(command: EmergencyClear, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await current_emergency(voice, target.region, target.id)
    if current is None:
        raise NothingToDo(f"{describe(target)} has no emergency calling configuration to clear.")
    call = ApiCall(
        operation="DeleteVoiceConnectorEmergencyCallingConfiguration",
        region=target.region,
        params={"VoiceConnectorId": target.id},
    )
    plan = settings_plan(
        command, target, call, _changes(current, None), _before(current), "emergency settings"
    )
    plan.warnings.append(
        f"Emergency calls through {describe(target)} will no longer be routed to your emergency provider."
    )
    return plan


def _before(current: EmergencyCalling | None) -> dict[str, object] | None:
    return current.to_api() if current else None


def _changes(current: EmergencyCalling | None, after: EmergencyCalling | None) -> list[FieldChange]:
    return [
        FieldChange(
            field="emergency routing (EMERGENCY:TEST:COUNTRY)", before=_text(current), after=_text(after)
        )
    ]


def _text(emergency: EmergencyCalling | None) -> str | None:
    return None if emergency is None else "; ".join(entry.describe() for entry in emergency.dnis)


# Read-backs and undo -----------------------------------------------------------------------


async def put_seen(call: ApiCall, voice: VoiceService) -> bool:
    wanted = EmergencyCalling.model_validate(call.params["EmergencyCallingConfiguration"])
    current = await current_emergency(voice, call.region, call.params["VoiceConnectorId"])
    return current is not None and _text(current) == _text(wanted)


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    return await current_emergency(voice, call.region, call.params["VoiceConnectorId"]) is None


def restore(outcome: Outcome) -> str:
    plan = outcome.plan
    return restore_command(plan.target.id if plan.target else None, plan.before)


def restore_command(target: str | None, emergency: dict[str, Any] | None) -> str:
    """Put back the entries of `emergency` (the API's shape): `set` them again, or `clear` if there
    were none. Undo and drift revert."""
    if emergency is None:
        return f"emergency clear {target}"
    before = EmergencyCalling.model_validate(emergency)
    return f"emergency set {target} " + " ".join(
        f"--dnis {shlex.quote(entry.describe())}" for entry in before.dnis
    )


READS[EmergencyShow] = ReadOps(read_show, view_show)
CHANGES[EmergencySet] = ChangeOps(
    plan_set, sends=frozenset({"PutVoiceConnectorEmergencyCallingConfiguration"}), inverse=restore
)
CHANGES[EmergencyClear] = ChangeOps(
    plan_clear, sends=frozenset({"DeleteVoiceConnectorEmergencyCallingConfiguration"}), inverse=restore
)
EFFECTS["PutVoiceConnectorEmergencyCallingConfiguration"] = Shows(put_seen)
EFFECTS["DeleteVoiceConnectorEmergencyCallingConfiguration"] = Shows(delete_seen)
