"""Validated field types shared by the commands.

Each constraint mirrors botocore's `chime-sdk-voice` model (botocore itself only checks minimums,
so anything looser here would reach AWS and come back as a BadRequestException mid-change).
Validators raise ValueError with a message written for the person who typed the value.
"""

import ipaddress
import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_pascal

# VoiceConnectorAwsRegion in the model.
Region = Literal[
    "us-east-1",
    "us-west-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "ap-northeast-2",
    "ap-northeast-1",
    "ap-southeast-1",
    "ap-southeast-2",
]
REGIONS: tuple[str, ...] = get_args(Region)

_NAME = re.compile(r"[a-zA-Z0-9 _.-]{1,256}")
_E164 = re.compile(r"\+[1-9]\d{1,14}")
_HOSTNAME_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_NUMBER_PUNCTUATION = re.compile(r"[\s().\-/]")


def check_name(value: str) -> str:
    """VoiceConnectorName / VoiceConnectorGroupName: `[a-zA-Z0-9 _.-]`, 1–256 characters."""
    if not _NAME.fullmatch(value):
        raise ValueError(
            "a name is 1–256 characters of letters, digits, space, '_', '.' or '-' "
            "(quote it if it has spaces)"
        )
    return value


def normalise_e164(value: object) -> str:
    """`+1 (206) 555-0100`, `206-555-0100`, `tel:+12065550100` → `+12065550100`.

    Ten digits with no country code are taken as North American (+1), as a US on-call engineer
    would type them; anything else must carry its country code.
    """
    if not isinstance(value, str):
        raise ValueError("a phone number is text such as +12065550100")
    text = _NUMBER_PUNCTUATION.sub("", value.strip().removeprefix("tel:"))
    if not text.startswith("+"):
        if len(text) == 10 and text.isdigit():
            text = "+1" + text
        elif len(text) == 11 and text.startswith("1") and text.isdigit():
            text = "+" + text
        else:
            raise ValueError("a phone number needs its country code in E.164 form, such as +12065550100")
    if not _E164.fullmatch(text):
        raise ValueError("a phone number is + and 2–15 digits in E.164 form, such as +12065550100")
    return text


def check_host(value: str) -> str:
    """A SIP host: an IPv4 address or a DNS name (what Chime accepts for origination routes)."""
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        pass
    labels = value.rstrip(".").split(".")
    if len(value) > 253 or not all(_HOSTNAME_LABEL.fullmatch(label) for label in labels):
        raise ValueError("a host is an IPv4 address or a DNS name such as sip.example.com")
    if labels[-1].isdigit():
        raise ValueError("that looks like an IP address but is not a valid IPv4 address")
    return value


def upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def unique(numbers: list[str]) -> list[str]:
    """A number typed twice is one number: it is sent and reported once."""
    return list(dict.fromkeys(numbers))


Name = Annotated[str, AfterValidator(check_name)]
E164Number = Annotated[str, BeforeValidator(normalise_e164)]
UniqueNumbers = Annotated[list[E164Number], AfterValidator(unique)]
CountryCode = Annotated[str, BeforeValidator(upper), Field(pattern=r"^[A-Z]{2}$")]
Host = Annotated[str, AfterValidator(check_host)]
Protocol = Annotated[Literal["TCP", "UDP"], BeforeValidator(upper)]


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


class Member(AwsShape):
    """A group member as typed: a connector reference and its priority (1–99, 1 is tried first)."""

    connector: Name
    priority: Annotated[int, Field(ge=1, le=99)] = 1
