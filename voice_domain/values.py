"""Validated values of the Chime SDK Voice API: regions, names, E.164 numbers, SIP hosts.

Each constraint mirrors botocore's `chime-sdk-voice` model (botocore itself only checks minimums,
so anything looser would reach AWS and come back as a BadRequestException mid-change).
Validators raise ValueError with a message written for the person who typed the value.
"""

import ipaddress
import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BeforeValidator

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


Name = Annotated[str, AfterValidator(check_name)]
E164Number = Annotated[str, BeforeValidator(normalise_e164)]
Host = Annotated[str, AfterValidator(check_host)]
Protocol = Annotated[Literal["TCP", "UDP"], BeforeValidator(upper)]
