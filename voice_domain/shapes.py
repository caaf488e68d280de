"""The Chime SDK Voice API's shapes (PascalCase on the wire, snake_case here).

Lenient on purpose where AWS answers: it may add members, so unknown ones are ignored, and
everything the renderers do not need is optional. Strict where the bot sends: a Route or Tag
that validates here is one AWS accepts.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_pascal

from voice_domain.values import Host, Protocol

MAX_ROUTES = 20  # the API reference says 20 in one place and 10 in another; AWS accepts 20


class AwsShape(BaseModel):
    """A model that serialises to the API's PascalCase member names (`model_dump(by_alias=True)`)."""

    # defer_build: a shape's validator is built when first used, not at start-up.
    model_config = ConfigDict(
        frozen=True, alias_generator=to_pascal, populate_by_name=True, extra="ignore", defer_build=True
    )

    def to_api(self) -> dict[str, object]:
        """The API's JSON for this value: only the members that are set, JSON-safe (timestamps as
        ISO 8601 text), so it can go into a request, a plan or the audit log alike."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Route(AwsShape):
    """OriginationRoute: port 0–65535, priority and weight 1–100, TCP or UDP."""

    host: Host
    port: Annotated[int, Field(ge=0, le=65535)] | None = None
    protocol: Protocol | None = None
    priority: Annotated[int, Field(ge=1, le=100)] | None = None
    weight: Annotated[int, Field(ge=1, le=100)] | None = None

    def describe(self) -> str:
        """The route in the command language's own form, so a diff reads like what was typed."""
        text = self.host
        if self.port is not None:
            text += f":{self.port}"
        if self.protocol is not None:
            text += f"/{self.protocol.lower()}"
        if self.priority is not None:
            text += f",priority={self.priority}"
        if self.weight is not None:
            text += f",weight={self.weight}"
        return text


class Tag(AwsShape):
    """Tag: key 1–128 characters, value 0–256."""

    key: Annotated[str, Field(min_length=1, max_length=128)]
    value: Annotated[str, Field(max_length=256)]


class Origination(AwsShape):
    """The Origination settings as the API sends and takes them."""

    routes: list[Route] = Field(default_factory=list, max_length=MAX_ROUTES)
    disabled: bool | None = None


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
