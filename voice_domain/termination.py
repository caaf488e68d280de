"""Termination (calls from the customer's SIP hosts out through Chime) as the API shapes it.

Termination: CpsLimit ≥ 1, CallingRegions (ISO 3166-1 alpha-2), CidrAllowedList (CIDR),
DefaultPhoneNumber (E.164), Disabled. TerminationHealth: when a SIP OPTIONS ping last arrived and
from where. SIP credentials are usernames here: AWS never returns a password, and the bot keeps none.
"""

import ipaddress
import re
import secrets
import string
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from voice_domain.shapes import AwsShape

DEFAULT_CPS_LIMIT = 1  # Termination.CpsLimit: "Default value of 1" (API reference)
PASSWORD_LENGTH = 32
_PASSWORD_ALPHABET = string.ascii_letters + string.digits
# RFC 2617 user names in US-ASCII: printable, and no ':' (it separates user from password in Basic).
_USERNAME = re.compile(r"[!-9;-~]{1,256}", re.ASCII)


def check_cidr(value: str) -> str:
    """`203.0.113.0/24`: an IPv4 or IPv6 network with its prefix, no host bits set."""
    if "/" not in value:
        raise ValueError(f"'{value}' is not in CIDR notation (ADDRESS/PREFIX, such as 203.0.113.0/24)")
    try:
        return str(ipaddress.ip_network(value, strict=True))
    except ValueError as error:
        raise ValueError(f"'{value}' is not a CIDR block: {error}") from None


def check_username(value: str) -> str:
    """Credential.Username: "RFC2617 compliant user name … in US-ASCII format" (API reference)."""
    if not _USERNAME.fullmatch(value):
        raise ValueError("a SIP user name is 1–256 printable US-ASCII characters without spaces or ':'")
    return value


Cidr = Annotated[str, AfterValidator(check_cidr)]
SipUsername = Annotated[str, AfterValidator(check_username)]


class Termination(AwsShape):
    """None where AWS was not told (a request sends only what is set): CpsLimit then defaults to 1."""

    cps_limit: Annotated[int, Field(ge=1)] | None = None
    default_phone_number: str | None = None
    calling_regions: list[str] | None = None
    cidr_allowed_list: list[str] | None = None
    disabled: bool | None = None

    def settled(self) -> "Termination":
        """As AWS holds it: the defaults filled in, so two ways of saying one state compare equal."""
        return Termination(
            cps_limit=self.cps_limit or DEFAULT_CPS_LIMIT,
            default_phone_number=self.default_phone_number,
            calling_regions=self.calling_regions or [],
            cidr_allowed_list=self.cidr_allowed_list or [],
            disabled=bool(self.disabled),
        )


class TerminationHealth(AwsShape):
    timestamp: datetime | None = None
    source: str | None = None


def new_password() -> str:
    """A SIP password nobody chose: 32 letters and digits (about 190 bits), RFC 2617-safe, and
    free of quotes, spaces and commas, so log redaction of `Password` values masks all of it."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
