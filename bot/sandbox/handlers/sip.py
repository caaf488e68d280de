"""SIP media applications and SIP rules: regional, like connectors; listed, read, and a rule's
name, state and targets updated."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import bad_request, not_found
from bot.sandbox.handlers import Params, handles, with_token
from bot.sandbox.pagination import decode_token, take_page
from bot.sandbox.records import ACCOUNT_ID, SipMediaApplication, SipRule, SipRuleTarget, iso_ms, now
from bot.sandbox.state import SandboxState


def _application(app: SipMediaApplication) -> dict[str, Any]:
    return {
        "SipMediaApplicationId": app.id,
        "AwsRegion": app.region,
        "Name": app.name,
        "Endpoints": [{"LambdaArn": app.lambda_arn}],
        "CreatedTimestamp": iso_ms(app.created),
        "UpdatedTimestamp": iso_ms(app.updated),
        "SipMediaApplicationArn": f"arn:aws:chime:{app.region}:{ACCOUNT_ID}:sma/{app.id}",
    }


def _rule(rule: SipRule) -> dict[str, Any]:
    return {
        "SipRuleId": rule.id,
        "Name": rule.name,
        "Disabled": rule.disabled,
        "TriggerType": rule.trigger_type,
        "TriggerValue": rule.trigger_value,
        "TargetApplications": [
            {
                "SipMediaApplicationId": target.sip_media_application_id,
                "Priority": target.priority,
                "AwsRegion": target.aws_region,
            }
            for target in rule.targets
        ],
        "CreatedTimestamp": iso_ms(rule.created),
        "UpdatedTimestamp": iso_ms(rule.updated),
    }


def _in_region(items: dict[str, Any], region: str) -> list[Any]:
    """A region's items in a stable listing order (by ID, which never changes)."""
    return sorted((item for item in items.values() if item.region == region), key=lambda item: item.id)


def _page(listing: str, items: list[Any], params: Params) -> tuple[list[Any], str | None]:
    after = decode_token(listing, params.get("NextToken"))
    remaining = [item for item in items if after is None or item.id > after]
    return take_page(remaining, lambda item: str(item.id), listing, params.get("MaxResults"))


@handles("ListSipMediaApplications")
def list_applications(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    page, token = _page("ListSipMediaApplications", _in_region(state.sip_media_applications, region), params)
    return with_token({"SipMediaApplications": [_application(app) for app in page]}, token)


@handles("GetSipMediaApplication")
def get_application(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {
        "SipMediaApplication": _application(_find_application(state, region, params["SipMediaApplicationId"]))
    }


@handles("ListSipRules")
def list_rules(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """`sip-media-application` keeps the rules that target that application (model: ListSipRules
    SipMediaApplicationId, "The SIP media application ID")."""
    rules = _in_region(state.sip_rules, region)
    app_id = params.get("SipMediaApplicationId")
    if app_id is not None:
        rules = [rule for rule in rules if any(t.sip_media_application_id == app_id for t in rule.targets)]
    page, token = _page("ListSipRules", rules, params)
    return with_token({"SipRules": [_rule(rule) for rule in page]}, token)


@handles("GetSipRule")
def get_rule(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    return {"SipRule": _rule(_find_rule(state, region, params["SipRuleId"]))}


@handles("UpdateSipRule")
def update_rule(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """Name is required and replaces the rule's name (API reference UpdateSipRule: Name "Required:
    Yes"); Disabled and TargetApplications change only when given (both "Required: No")."""
    rule = _find_rule(state, region, params["SipRuleId"])
    targets = params.get("TargetApplications")
    if targets is not None:
        rule.targets = _targets(state, targets)
    rule.name = params["Name"]
    if params.get("Disabled") is not None:
        rule.disabled = params["Disabled"]
    rule.updated = now()
    return {"SipRule": _rule(rule)}


def _targets(state: SandboxState, targets: list[dict[str, Any]]) -> list[SipRuleTarget]:
    """Each target names an existing SIP media application in the region it gives, one per region
    (model SipRuleTargetApplication: "Only one SIP rule per AWS Region can be provided";
    CreateSipRule TargetApplications: "Only one SIP application per AWS Region can be used")."""
    regions = [target.get("AwsRegion") for target in targets]
    repeated = sorted({region for region in regions if region is not None and regions.count(region) > 1})
    if repeated:
        raise bad_request(f"TargetApplications has more than one application in {', '.join(repeated)}.")
    chosen = []
    for index, target in enumerate(targets):
        missing = [key for key in ("SipMediaApplicationId", "Priority", "AwsRegion") if key not in target]
        if missing:
            raise bad_request(f"TargetApplications[{index}] is missing {', '.join(missing)}.")
        _find_application(state, target["AwsRegion"], target["SipMediaApplicationId"])
        chosen.append(
            SipRuleTarget(
                sip_media_application_id=target["SipMediaApplicationId"],
                priority=target["Priority"],
                aws_region=target["AwsRegion"],
            )
        )
    return chosen


def _find_rule(state: SandboxState, region: str, rule_id: str) -> SipRule:
    rule = state.sip_rules.get(rule_id)
    if rule is None or rule.region != region:
        raise not_found(f"SIP rule {rule_id} does not exist in {region}.")
    return rule


def _find_application(state: SandboxState, region: str, app_id: str) -> SipMediaApplication:
    app = state.sip_media_applications.get(app_id)
    if app is None or app.region != region:
        raise not_found(f"SIP media application {app_id} does not exist in {region}.")
    return app
