"""SIP rules and SIP media applications: list and show; a rule's disable and enable with their
request, read-back, inverse and views.

Both are regional and found by ID or unique name across the configured regions, like connectors.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import Field

from bot.aws_errors import VoiceError
from bot.ops.common import NothingToDo, new_plan
from bot.ops.registry import CHANGES, EFFECTS, READS, ChangeOps, ReadOps, Shows
from bot.render.doc import Doc, Fields, Heading, Paragraph, Part, Table
from bot.results import ApiCall, FieldChange, Model, Outcome, Plan
from bot.voice import VoiceService
from commands.sip import (
    SipAppList,
    SipAppShow,
    SipRuleDisable,
    SipRuleEnable,
    SipRuleList,
    SipRuleShow,
    SipRuleToggle,
)
from voice_domain.located import Located
from voice_domain.sip import SipMediaApplication, SipRule

Found = TypeVar("Found", SipRule, SipMediaApplication)


class SipRuleListView(Model):
    by_region: dict[str, list[SipRule]]
    app_names: dict[str, str]
    warnings: list[str] = Field(default_factory=list)


class SipRuleView(Model):
    rule: SipRule
    region: str
    app_names: dict[str, str]
    warnings: list[str] = Field(default_factory=list)


class SipAppListView(Model):
    by_region: dict[str, list[SipMediaApplication]]
    warnings: list[str] = Field(default_factory=list)


class SipAppView(Model):
    app: SipMediaApplication
    region: str
    rules: list[SipRule]
    warnings: list[str] = Field(default_factory=list)


async def list_rules(voice: VoiceService, region: str, app_id: str | None = None) -> list[SipRule]:
    params = {} if app_id is None else {"SipMediaApplicationId": app_id}
    items = await voice.pages(region, "ListSipRules", "SipRules", params)
    return [SipRule.model_validate(item) for item in items]


async def list_apps(voice: VoiceService, region: str) -> list[SipMediaApplication]:
    items = await voice.pages(region, "ListSipMediaApplications", "SipMediaApplications")
    return [SipMediaApplication.model_validate(item) for item in items]


def _id(item: SipRule | SipMediaApplication) -> str:
    return item.sip_rule_id if isinstance(item, SipRule) else item.sip_media_application_id


def _pick(what: str, text: str, found: dict[str, list[Found]], silent: Sequence[str]) -> tuple[str, Found]:
    """The item whose ID is `text`, or the one named `text`; a name shared by two is refused, and a
    name found while a region did not answer is not proven unique (the caller decides to accept)."""
    matches = [(region, item) for region, items in found.items() for item in items if _id(item) == text]
    matches = matches or [
        (region, item) for region, items in found.items() for item in items if item.name == text
    ]
    operation = "Locate" + "".join(part.title() for part in what.split())
    if len(matches) > 1:
        listed = "; ".join(f"{_id(item)} in {region}" for region, item in matches)
        raise VoiceError(
            operation, "AmbiguousName", f"{len(matches)} {what}s are named '{text}' ({listed}): use the ID."
        )
    if not matches:
        elsewhere = f"; {', '.join(silent)} did not answer, so it may be there" if silent else ""
        raise VoiceError(
            operation,
            "NotFoundException",
            f"No {what} has the ID or name '{text}' in {', '.join(found)}{elsewhere}.",
        )
    return matches[0]


async def _app_names(voice: VoiceService) -> dict[str, str]:
    across = await voice.list_reachable(lambda region: list_apps(voice, region))
    return {app.sip_media_application_id: app.name for apps in across.found.values() for app in apps}


# Reads -------------------------------------------------------------------------------------


async def read_rules(command: SipRuleList, voice: VoiceService) -> SipRuleListView:
    regions = [command.region] if command.region else None
    across = await voice.list_reachable(lambda region: list_rules(voice, region), regions)
    return SipRuleListView(
        by_region=across.found, app_names=await _app_names(voice), warnings=across.warnings()
    )


def view_rules(result: SipRuleListView) -> Doc:
    rows = tuple(
        (rule.name, rule.sip_rule_id, region, _state(rule), _trigger(rule), _targets(rule, result.app_names))
        for region, rules in result.by_region.items()
        for rule in rules
    )
    header = ("Name", "ID", "Region", "State", "Trigger", "Targets")
    return Doc(
        f"{len(rows)} SIP rule(s) in {', '.join(result.by_region)}",
        (Table("SIP rules", header, rows, "sip-rules.csv"),),
    )


async def read_rule(command: SipRuleShow, voice: VoiceService) -> SipRuleView:
    across = await voice.list_reachable(lambda region: list_rules(voice, region))
    region, rule = _pick("SIP rule", command.rule, across.found, list(across.unanswered))
    return SipRuleView(
        rule=rule, region=region, app_names=await _app_names(voice), warnings=across.warnings()
    )


def view_rule(result: SipRuleView) -> Doc:
    rule = result.rule
    parts: list[Part] = [
        Heading(f"SIP rule {rule.name}"),
        Fields(
            (
                ("ID", rule.sip_rule_id),
                ("Region", result.region),
                ("State", _state(rule)),
                ("Trigger", _trigger(rule)),
                ("Updated", rule.updated_timestamp.isoformat() if rule.updated_timestamp else "-"),
            )
        ),
        Table(
            "Target SIP media applications",
            ("Priority", "Application", "ID", "Region"),
            tuple(
                (
                    "" if target.priority is None else str(target.priority),
                    result.app_names.get(target.sip_media_application_id, "?"),
                    target.sip_media_application_id,
                    target.aws_region or "",
                )
                for target in sorted(rule.target_applications, key=lambda target: target.priority or 0)
            ),
            "sip-rule-targets.csv",
        ),
    ]
    return Doc(f"SIP rule {rule.name} ({rule.sip_rule_id}, {result.region}): {_state(rule)}", tuple(parts))


async def read_apps(command: SipAppList, voice: VoiceService) -> SipAppListView:
    regions = [command.region] if command.region else None
    across = await voice.list_reachable(lambda region: list_apps(voice, region), regions)
    return SipAppListView(by_region=across.found, warnings=across.warnings())


def view_apps(result: SipAppListView) -> Doc:
    rows = tuple(
        (app.name, app.sip_media_application_id, region, _lambda(app))
        for region, apps in result.by_region.items()
        for app in apps
    )
    return Doc(
        f"{len(rows)} SIP media application(s) in {', '.join(result.by_region)}",
        (
            Table(
                "SIP media applications",
                ("Name", "ID", "Region", "Lambda"),
                rows,
                "sip-media-applications.csv",
            ),
        ),
    )


async def read_app(command: SipAppShow, voice: VoiceService) -> SipAppView:
    across = await voice.list_reachable(lambda region: list_apps(voice, region))
    region, app = _pick("SIP media application", command.app, across.found, list(across.unanswered))
    rules = await voice.list_reachable(lambda region: list_rules(voice, region, app.sip_media_application_id))
    return SipAppView(
        app=app,
        region=region,
        rules=[rule for found in rules.found.values() for rule in found],
        warnings=across.warnings() + rules.warnings(),
    )


def view_app(result: SipAppView) -> Doc:
    app = result.app
    parts: list[Part] = [
        Heading(f"SIP media application {app.name}"),
        Fields((("ID", app.sip_media_application_id), ("Region", result.region), ("Lambda", _lambda(app)))),
    ]
    if result.rules:
        rows = tuple((rule.name, rule.sip_rule_id, _state(rule), _trigger(rule)) for rule in result.rules)
        parts.append(
            Table("SIP rules that run it", ("Name", "ID", "State", "Trigger"), rows, "sip-rules.csv")
        )
    else:
        parts.append(Paragraph(("No SIP rule runs it.",)))
    return Doc(
        f"SIP media application {app.name} ({app.sip_media_application_id}, {result.region})", tuple(parts)
    )


def _state(rule: SipRule) -> str:
    return "disabled" if rule.disabled else "enabled"


def _trigger(rule: SipRule) -> str:
    kind = {"ToPhoneNumber": "calls to", "RequestUriHostname": "request URI host"}.get(
        rule.trigger_type or "", rule.trigger_type or "?"
    )
    return f"{kind} {rule.trigger_value or '?'}"


def _targets(rule: SipRule, names: dict[str, str]) -> str:
    ordered = sorted(rule.target_applications, key=lambda target: target.priority or 0)
    return ", ".join(names.get(t.sip_media_application_id, t.sip_media_application_id) for t in ordered)


def _lambda(app: SipMediaApplication) -> str:
    return ", ".join(endpoint.lambda_arn or "?" for endpoint in app.endpoints) or "-"


# Plans -------------------------------------------------------------------------------------


def _update_request(rule: SipRule, disabled: bool) -> dict[str, Any]:
    """UpdateSipRule requires Name: the rule is sent back as read, with only Disabled changed."""
    params: dict[str, Any] = {"SipRuleId": rule.sip_rule_id, "Name": rule.name, "Disabled": disabled}
    if rule.target_applications:
        params["TargetApplications"] = [target.to_api() for target in rule.target_applications]
    return params


async def plan_toggle(command: SipRuleToggle, voice: VoiceService, located: list[Located]) -> Plan:
    """Every region must answer: a rule found by name could have a namesake in a silent one."""
    found = await voice.list_everywhere(lambda region: list_rules(voice, region))
    region, rule = _pick("SIP rule", command.rule, found, [])
    described = f"{rule.name} ({rule.sip_rule_id}, {region})"
    wanted = "disabled" if command.disable else "enabled"
    if _state(rule) == wanted:
        raise NothingToDo(f"SIP rule {described} is already {wanted}.")
    effect = (
        f"{_trigger(rule).capitalize()} will no longer run the rule's SIP media applications."
        if command.disable
        else f"{_trigger(rule).capitalize()} will run the rule's SIP media applications again."
    )
    return new_plan(
        f"{command.command_name().capitalize()}: {described}",
        [ApiCall(operation="UpdateSipRule", region=region, params=_update_request(rule, command.disable))],
        changes=[FieldChange(field="SIP rule", before=_state(rule), after=wanted)],
        warnings=[effect],
        before=rule.model_dump(
            mode="json", by_alias=True, exclude={"created_timestamp", "updated_timestamp"}
        ),
    )


# Read-backs and undo -----------------------------------------------------------------------


async def update_seen(call: ApiCall, voice: VoiceService) -> bool:
    try:
        response = await voice.call(call.region, "GetSipRule", {"SipRuleId": call.params["SipRuleId"]})
    except VoiceError as error:
        if error.code == "NotFoundException":
            return False
        raise
    rule = SipRule.model_validate(response.get("SipRule") or {"SipRuleId": call.params["SipRuleId"]})
    return rule.name == call.params["Name"] and bool(rule.disabled) == bool(call.params["Disabled"])


def toggle_back(outcome: Outcome) -> str:
    """The opposite toggle of the same rule, by ID (its name may change)."""
    params = outcome.plan.calls[0].params
    return f"sip-rule {'enable' if params['Disabled'] else 'disable'} {params['SipRuleId']}"


READS[SipRuleList] = ReadOps(read_rules, view_rules)
READS[SipRuleShow] = ReadOps(read_rule, view_rule)
READS[SipAppList] = ReadOps(read_apps, view_apps)
READS[SipAppShow] = ReadOps(read_app, view_app)
for _toggle in (SipRuleDisable, SipRuleEnable):
    CHANGES[_toggle] = ChangeOps(plan_toggle, sends=frozenset({"UpdateSipRule"}), inverse=toggle_back)
EFFECTS["UpdateSipRule"] = Shows(update_seen)
