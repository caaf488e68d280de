"""SIP rules and SIP media applications: list and show both; disable or enable a rule."""

from typing import ClassVar

from commands.base import ChangeCommand, Param, ReadCommand
from commands.connector import REGION
from voice_domain.values import Name, Region

RULE = Param("rule", "RULE", "SIP rule ID or unique name")
APP = Param("app", "APP", "SIP media application ID or unique name")


class SipRuleList(ReadCommand):
    words = ("sip-rules",)
    task = "incident"
    summary = (
        "List SIP rules (trigger, state, target SIP media applications) in every configured region, or one."
    )
    params = (REGION,)
    examples = ("/voice sip-rules", "/voice sip-rules --region us-west-2")
    permission = "sip.read"

    region: Region | None = None


class SipRuleShow(ReadCommand):
    words = ("sip-rule", "show")
    task = "incident"
    summary = "Show one SIP rule: its trigger, whether it is enabled, and the applications it runs."
    params = (RULE,)
    examples = ("/voice sip-rule show main-ivr-number",)
    permission = "sip.read"

    rule: Name


class SipRuleToggle(ChangeCommand):
    """Enable or disable a SIP rule, keeping its name and targets as AWS has them."""

    params = (RULE,)
    disable: ClassVar[bool]

    rule: Name


class SipRuleDisable(SipRuleToggle):
    words = ("sip-rule", "disable")
    task = "incident"
    summary = "Stop a SIP rule from triggering its SIP media applications (the rule is kept)."
    examples = ("/voice sip-rule disable main-ivr-number --incident INC-4711",)
    permission = "sip.rule.toggle"
    disable = True


class SipRuleEnable(SipRuleToggle):
    words = ("sip-rule", "enable")
    task = "incident"
    summary = "Let a disabled SIP rule trigger its SIP media applications again."
    examples = ("/voice sip-rule enable main-ivr-number",)
    permission = "sip.rule.toggle"
    disable = False


class SipAppList(ReadCommand):
    words = ("sip-apps",)
    task = "incident"
    summary = "List SIP media applications (region, Lambda endpoint) in every configured region, or one."
    params = (REGION,)
    examples = ("/voice sip-apps",)
    permission = "sip.read"

    region: Region | None = None


class SipAppShow(ReadCommand):
    words = ("sip-app", "show")
    task = "incident"
    summary = "Show one SIP media application and the SIP rules that run it."
    params = (APP,)
    examples = ("/voice sip-app show ivr-main",)
    permission = "sip.read"

    app: Name
