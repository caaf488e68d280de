"""Proxy: show, set, clear; their requests, read-backs, inverses and views."""

from typing import Any

from bot.ops.common import NothingToDo, describe, settings_plan
from bot.ops.registry import CHANGES, EFFECTS, READS, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Notice, Paragraph, Part
from bot.results import ApiCall, FieldChange, Outcome, Plan, ProxyView
from bot.voice import VoiceService
from commands.proxy import END_OF_SUPPORT_DATE, ProxyClear, ProxySet, ProxyShow
from voice_domain.located import Located, Reference
from voice_domain.shapes import Proxy
from voice_domain.values import display_number

_FIELDS = ("session expiry", "countries", "fallback number", "proxy")

# Reads -------------------------------------------------------------------------------------


async def read_show(command: ProxyShow, voice: VoiceService) -> ProxyView:
    target = await voice.locate(Reference("connector", command.connector), partial_ok=True)
    proxy = await voice.get_proxy(target.region, target.id)
    return ProxyView(target=target, proxy=proxy, notice=command.notice)


def view_show(result: ProxyView) -> Doc:
    target = result.target
    proxy = result.proxy
    parts: list[Part] = [Heading(f"Proxy of {target.name}")]
    if proxy is None:
        parts.append(Paragraph(("No proxy settings.",)))
    else:
        parts.append(
            Fields(
                (
                    ("State", "disabled" if proxy.disabled else "enabled"),
                    ("Session expiry", f"{proxy.default_session_expiry_minutes} min"),
                    ("Countries", ", ".join(proxy.phone_number_countries) or "-"),
                    ("Fallback number", display_number(proxy.fall_back_phone_number or "-")),
                )
            )
        )
    if result.notice:
        parts.append(Notice("warning", result.notice))
    return Doc(f"Proxy of {target.name} ({target.id}): {summary_of(proxy)}", tuple(parts))


def summary_of(proxy: Proxy | None) -> str:
    if proxy is None:
        return "not configured"
    state = "disabled" if proxy.disabled else "enabled"
    return f"{state}, {','.join(proxy.phone_number_countries)}, {proxy.default_session_expiry_minutes} min"


# Plans -------------------------------------------------------------------------------------


def put_request(command: ProxySet, connector_id: str) -> dict[str, Any]:
    """Only what the user stated and what the API requires, so the seeds' requests come out exactly."""
    params: dict[str, Any] = {
        "VoiceConnectorId": connector_id,
        "DefaultSessionExpiryMinutes": command.expiry,
        "PhoneNumberPoolCountries": list(command.countries),
    }
    if command.fallback is not None:
        params["FallBackPhoneNumber"] = command.fallback
    if command.disabled:
        params["Disabled"] = True
    return params


async def plan_set(command: ProxySet, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await voice.get_proxy(target.region, target.id)
    after = Proxy(
        default_session_expiry_minutes=command.expiry,
        phone_number_countries=list(command.countries),
        fall_back_phone_number=command.fallback,
        disabled=command.disabled,
    )
    call = ApiCall(
        operation="PutVoiceConnectorProxy", region=target.region, params=put_request(command, target.id)
    )
    plan = settings_plan(command, target, call, _changes(current, after), _before(current), "proxy settings")
    return _deprecated(command, target, plan)


async def plan_clear(command: ProxyClear, voice: VoiceService, located: list[Located]) -> Plan:
    target = located[0]
    current = await voice.get_proxy(target.region, target.id)
    if current is None:
        raise NothingToDo(f"{describe(target)} has no proxy settings to clear.")
    call = ApiCall(
        operation="DeleteVoiceConnectorProxy", region=target.region, params={"VoiceConnectorId": target.id}
    )
    plan = settings_plan(command, target, call, _changes(current, None), _before(current), "proxy settings")
    return _deprecated(command, target, plan)


def _deprecated(command: ProxySet | ProxyClear, target: Located, plan: Plan) -> Plan:
    """The headline says it as well as the warning, so the preview, its outcome and the team's
    announcement all show that AWS ended proxy sessions."""
    summary = f"{command.command_name().capitalize()}, deprecated by AWS since {END_OF_SUPPORT_DATE}: "
    return plan.model_copy(update={"summary": summary + describe(target)})


def _before(current: Proxy | None) -> dict[str, object] | None:
    return current.to_api() if current else None


def _changes(current: Proxy | None, after: Proxy | None) -> list[FieldChange]:
    return [FieldChange(field=f, before=_text(current, f), after=_text(after, f)) for f in _FIELDS]


def _text(proxy: Proxy | None, field: str) -> str | None:
    if proxy is None:
        return None
    value = {
        "session expiry": f"{proxy.default_session_expiry_minutes} min",
        "countries": ",".join(proxy.phone_number_countries),
        "fallback number": display_number(proxy.fall_back_phone_number or "(none)"),
        "proxy": "disabled" if proxy.disabled else "enabled",
    }[field]
    return value


# Read-backs --------------------------------------------------------------------------------


async def put_seen(call: ApiCall, voice: VoiceService) -> bool:
    proxy = await voice.get_proxy(call.region, call.params["VoiceConnectorId"])
    params = call.params
    return (
        proxy is not None
        and proxy.default_session_expiry_minutes == params["DefaultSessionExpiryMinutes"]
        and proxy.phone_number_countries == params["PhoneNumberPoolCountries"]
        and proxy.fall_back_phone_number == params.get("FallBackPhoneNumber")
        and bool(proxy.disabled) == bool(params.get("Disabled", False))
    )


async def delete_seen(call: ApiCall, voice: VoiceService) -> bool:
    return await voice.get_proxy(call.region, call.params["VoiceConnectorId"]) is None


# Undo --------------------------------------------------------------------------------------


def restore(outcome: Outcome) -> str:
    """Put back the settings the plan read before: `set` them again, or `clear` if there were none."""
    plan = outcome.plan
    target = plan.target.id if plan.target else None
    if plan.before is None:
        return f"proxy clear {target}"
    before = Proxy.model_validate(plan.before)
    text = (
        f"proxy set {target} --expiry {before.default_session_expiry_minutes} "
        f"--countries {','.join(before.phone_number_countries)}"
    )
    if before.fall_back_phone_number:
        text += f" --fallback {before.fall_back_phone_number}"
    return text + (" --disabled" if before.disabled else "")


READS[ProxyShow] = ReadOps(read_show, view_show)
CHANGES[ProxySet] = ChangeOps(plan_set, sends=frozenset({"PutVoiceConnectorProxy"}), inverse=restore)
CHANGES[ProxyClear] = ChangeOps(plan_clear, sends=frozenset({"DeleteVoiceConnectorProxy"}), inverse=restore)
EFFECTS["PutVoiceConnectorProxy"] = Shows(put_seen)
EFFECTS["DeleteVoiceConnectorProxy"] = Shows(delete_seen)
