"""Stored resources, in the shape persisted to the state file (snake_case; wire.py renders AWS JSON)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

ACCOUNT_ID = "123456789012"


def iso_ms(moment: datetime) -> str:
    """ISO-8601 with milliseconds and Z, the form AWS uses for Iso8601Timestamp members."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now() -> datetime:
    """The current time at the millisecond precision the wire carries, so stored and sent values agree."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


Timestamp = Annotated[datetime, PlainSerializer(iso_ms, return_type=str)]
AssociationKind = Literal["VoiceConnectorId", "VoiceConnectorGroupId"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Tag(Record):
    key: str
    value: str


class OriginationRoute(Record):
    host: str
    port: int
    protocol: str
    priority: int
    weight: int


class Origination(Record):
    routes: list[OriginationRoute] = Field(default_factory=list)
    disabled: bool = False


class Proxy(Record):
    default_session_expiry_minutes: int
    countries: list[str]
    fall_back_phone_number: str | None = None
    disabled: bool = False


class Termination(Record):
    cps_limit: int = 1
    calling_regions: list[str]
    cidr_allowed_list: list[str] = Field(default_factory=list)
    default_phone_number: str | None = None
    disabled: bool = False


class SipCredential(Record):
    """A termination SIP user. Only a salted SHA-256 of the password is kept: AWS never returns it."""

    username: str
    salt: str
    password_sha256: str


class ConnectorLogging(Record):
    sip_logs: bool = False
    media_metric_logs: bool = False


class MediaInsights(Record):
    disabled: bool | None = None
    configuration_arn: str | None = None


class Streaming(Record):
    data_retention_in_hours: int
    disabled: bool
    notification_targets: list[str] | None = None
    media_insights: MediaInsights | None = None


class DnisEntry(Record):
    emergency_phone_number: str
    test_phone_number: str | None = None
    calling_country: str


class VoiceConnector(Record):
    id: str
    serial: int  # creation order across connectors and groups: the immutable listing/pagination key
    region: str
    name: str
    require_encryption: bool
    network_type: str = "IPV4_ONLY"
    integration_type: str | None = None
    tags: list[Tag] = Field(default_factory=list)
    origination: Origination | None = None
    proxy: Proxy | None = None
    termination: Termination | None = None
    credentials: list[SipCredential] = Field(default_factory=list)
    logging: ConnectorLogging = Field(default_factory=ConnectorLogging)
    streaming: Streaming | None = None
    emergency_calling: list[DnisEntry] | None = None
    created: Timestamp
    updated: Timestamp


class GroupItem(Record):
    voice_connector_id: str
    priority: int


class VoiceConnectorGroup(Record):
    id: str
    serial: int
    region: str
    name: str
    items: list[GroupItem] = Field(default_factory=list)
    call_distribution_type: str | None = None
    created: Timestamp
    updated: Timestamp


class Association(Record):
    kind: AssociationKind
    target_id: str
    associated: Timestamp


class PhoneNumberRecord(Record):
    e164: str
    order_id: str
    created: Timestamp
    updated: Timestamp
    association: Association | None = None
    product_type: str | None = None  # None: the inventory's own (state.product_type_of)
    calling_name: str | None = None
    calling_name_status: str = "Unassigned"
    name: str | None = None


class OrderedNumber(Record):
    e164: str
    status: str = "Processing"


class PhoneNumberOrderRecord(Record):
    """A CreatePhoneNumberOrder: Processing until the account's numbers are next read (the
    sandbox's stand-in for AWS provisioning), then Successful, Partial or Failed."""

    id: str
    product_type: str
    status: str = "Processing"
    numbers: list[OrderedNumber]
    name: str | None = None
    created: Timestamp
    updated: Timestamp


class SipRuleTarget(Record):
    sip_media_application_id: str
    priority: int
    aws_region: str


class SipRule(Record):
    id: str
    region: str
    name: str
    disabled: bool
    trigger_type: str
    trigger_value: str
    targets: list[SipRuleTarget]
    created: Timestamp
    updated: Timestamp


class SipMediaApplication(Record):
    id: str
    region: str
    name: str
    lambda_arn: str
    created: Timestamp
    updated: Timestamp


class StateSnapshot(Record):
    """Everything needed to rebuild the state. Inventory numbers never touched by an association are
    implied by inventory_size, which keeps files small when the inventory holds tens of thousands."""

    version: Literal[1] = 1
    inventory_size: int
    inventory_created: Timestamp
    voice_connectors: list[VoiceConnector] = Field(default_factory=list)
    voice_connector_groups: list[VoiceConnectorGroup] = Field(default_factory=list)
    phone_numbers: list[PhoneNumberRecord] = Field(default_factory=list)
    sip_media_applications: list[SipMediaApplication] = Field(default_factory=list)
    sip_rules: list[SipRule] = Field(default_factory=list)
    phone_number_orders: list[PhoneNumberOrderRecord] = Field(default_factory=list)
