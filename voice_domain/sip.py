"""SIP rules and SIP media applications as the API sends them (the bot only reads them, and
toggles a rule's Disabled)."""

from datetime import datetime

from pydantic import Field

from voice_domain.shapes import AwsShape


class SipRuleTarget(AwsShape):
    """SipRuleTargetApplication: the SIP media application a rule runs, by priority, per region."""

    sip_media_application_id: str
    priority: int | None = None
    aws_region: str | None = None


class SipRule(AwsShape):
    sip_rule_id: str
    name: str = ""
    disabled: bool | None = None
    trigger_type: str | None = None
    trigger_value: str | None = None
    target_applications: list[SipRuleTarget] = Field(default_factory=list)
    created_timestamp: datetime | None = None
    updated_timestamp: datetime | None = None


class SipMediaApplicationEndpoint(AwsShape):
    lambda_arn: str | None = None


class SipMediaApplication(AwsShape):
    sip_media_application_id: str
    name: str = ""
    aws_region: str | None = None
    endpoints: list[SipMediaApplicationEndpoint] = Field(default_factory=list)
    sip_media_application_arn: str | None = None
    created_timestamp: datetime | None = None
    updated_timestamp: datetime | None = None
