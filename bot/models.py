"""Typed views of what the Chime SDK Voice API returns (PascalCase on the wire, snake_case here).

Lenient on purpose: AWS may add members, so unknown ones are ignored, and everything the
renderers do not need is optional.
"""

from datetime import datetime

from pydantic import Field

from commands.origination import Origination
from commands.types import AwsShape

__all__ = [
    "Association",
    "Origination",
    "PhoneNumber",
    "PhoneNumberError",
    "Proxy",
    "VoiceConnector",
    "VoiceConnectorGroup",
    "VoiceConnectorItem",
]


class VoiceConnector(AwsShape):
    voice_connector_id: str
    name: str = ""
    aws_region: str | None = None
    outbound_host_name: str | None = None
    require_encryption: bool | None = None
    voice_connector_arn: str | None = None
    created_timestamp: datetime | None = None
    updated_timestamp: datetime | None = None


class VoiceConnectorItem(AwsShape):
    voice_connector_id: str
    priority: int | None = None


class VoiceConnectorGroup(AwsShape):
    voice_connector_group_id: str
    name: str = ""
    voice_connector_items: list[VoiceConnectorItem] = Field(default_factory=list)
    voice_connector_group_arn: str | None = None
    created_timestamp: datetime | None = None
    updated_timestamp: datetime | None = None


class Proxy(AwsShape):
    default_session_expiry_minutes: int | None = None
    disabled: bool | None = None
    fall_back_phone_number: str | None = None
    phone_number_countries: list[str] = Field(default_factory=list)


class Association(AwsShape):
    name: str | None = None
    value: str | None = None
    associated_timestamp: datetime | None = None


class PhoneNumber(AwsShape):
    phone_number_id: str
    e164_phone_number: str | None = Field(default=None, alias="E164PhoneNumber")
    status: str | None = None
    product_type: str | None = None
    country: str | None = None
    associations: list[Association] = Field(default_factory=list)

    @property
    def number(self) -> str:
        return self.e164_phone_number or self.phone_number_id

    def associated_with(self) -> Association | None:
        """The connector or group this number routes to (a number has at most one)."""
        for association in self.associations:
            if association.name in ("VoiceConnectorId", "VoiceConnectorGroupId"):
                return association
        return None


class PhoneNumberError(AwsShape):
    phone_number_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
