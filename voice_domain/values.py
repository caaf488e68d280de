"""Validated values of the Chime SDK Voice API: regions, names, E.164 numbers, SIP hosts.

Each constraint mirrors botocore's `chime-sdk-voice` model (botocore itself only checks minimums,
so anything looser would reach AWS and come back as a BadRequestException mid-change).
Validators raise ValueError with a message written for the person who typed the value.
"""

import ipaddress
import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, ValidationInfo

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
_TYPED_NUMBER = re.compile(r"\+?[\d\s().\-/]+")
_HOSTNAME_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def check_name(value: str) -> str:
    """VoiceConnectorName / VoiceConnectorGroupName: `[a-zA-Z0-9 _.-]`, 1–256 characters."""
    if not _NAME.fullmatch(value):
        raise ValueError(
            "a name is 1–256 characters of letters, digits, space, '_', '.' or '-' "
            "(quote it if it has spaces)"
        )
    return value


DEFAULT_COUNTRY = "US"
"""Where a number typed without its country code is taken to be (VOICE_DEFAULT_COUNTRY)."""

_PARSE_PROBLEMS = {
    0: "its country code is not one that exists",
    1: "it is not a phone number",
    2: "it is too short after the international prefix",
    3: "it is too short to be a phone number",
    4: "it is too long to be a phone number",
}
_LENGTH_PROBLEMS = {
    "INVALID_COUNTRY_CODE": "its country code is not one that exists",
    "TOO_SHORT": "it has too few digits",
    "TOO_LONG": "it has too many digits",
    "INVALID_LENGTH": "it has the wrong number of digits",
    "IS_POSSIBLE_LOCAL_ONLY": "it is a local number: give its area code",
}


def parse_number(value: object, default_country: str = DEFAULT_COUNTRY) -> str:
    """`+1 (206) 555-0100`, `(206) 555-0100`, `tel:+12065550100` → `+12065550100`, by libphonenumber.

    A number without `+` is read as `default_country` would dial it. A number that cannot exist
    (wrong length, no such country code or area code) is refused here, so a typo is named as one
    rather than sent to AWS and reported as a number the account does not hold.
    """
    # Imported here: the console's one-shot start-up does not pay for it unless a number is typed.
    import phonenumbers

    if not isinstance(value, str):
        raise ValueError("a phone number is text such as +12065550100")
    text = value.strip().removeprefix("tel:")
    if not _TYPED_NUMBER.fullmatch(text):
        # libphonenumber would read past letters (`x5` as an extension, `FLOWERS` as digits).
        raise ValueError("malformed: a phone number is digits, with an optional + and ( ) - . / or spaces")
    try:
        parsed = phonenumbers.parse(text, default_country)
    except phonenumbers.NumberParseException as error:
        raise ValueError(_PARSE_PROBLEMS.get(error.error_type, str(error))) from None
    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        reason = phonenumbers.ValidationResult.to_string(possible)
        raise ValueError(_malformed(_LENGTH_PROBLEMS.get(reason, reason), default_country, text))
    if not phonenumbers.is_valid_number(parsed):
        problem = f"no such number can be assigned in country code +{parsed.country_code}"
        raise ValueError(_malformed(problem, default_country, text))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


NumberProgress = Literal["whole", "partial", "never"]


def number_progress(value: str, default_country: str = DEFAULT_COUNTRY) -> NumberProgress:
    """How far typed text is from one phone number, so numbers typed with spaces can be re-joined:
    `whole` when `parse_number` accepts it, `partial` while more digits could still make it one
    (`+1 206`), `never` once no digits added after it can (too long, letters, no such country code).
    """
    import phonenumbers

    text = value.strip().removeprefix("tel:")
    if not _TYPED_NUMBER.fullmatch(text):
        return "never"
    try:
        parsed = phonenumbers.parse(text, default_country)
    except phonenumbers.NumberParseException as error:
        # Too few digits to read yet (`+1`, `(`) is the one parse failure more digits can cure.
        return "partial" if error.error_type == phonenumbers.NumberParseException.NOT_A_NUMBER else "never"
    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible in (
        phonenumbers.ValidationResult.TOO_LONG,
        phonenumbers.ValidationResult.INVALID_COUNTRY_CODE,
    ):
        return "never"
    if possible == phonenumbers.ValidationResult.IS_POSSIBLE and phonenumbers.is_valid_number(parsed):
        return "whole"
    return "partial"


def _malformed(problem: str, default_country: str, text: str) -> str:
    """The problem, and how a number without `+` was read, since that is often the surprise."""
    if text.startswith("+"):
        return f"malformed: {problem}"
    return f"malformed: {problem} (read as a {default_country} number; write +COUNTRYCODE for others)"


def check_country(code: str) -> str:
    """A country libphonenumber knows numbers of, as its two-letter ISO code (VOICE_DEFAULT_COUNTRY)."""
    import phonenumbers

    if code.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"{code!r} is not a two-letter country code that has phone numbers (such as US, GB)")
    return code.upper()


def readable_number(e164: str) -> str:
    """`+12065550100` → `+1 206-555-0100`, grouped as the number's country writes it; what is not a
    number (an ID, `?`) is returned as it is."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def display_number(e164: str) -> str:
    """`+12065550100` → `+1 206-555-0100 (+12065550100)`: readable, and the form AWS and commands take.

    Tables put the two in columns of their own instead, so their CSV files work as `--file` input.
    """
    readable = readable_number(e164)
    return e164 if readable == e164 else f"{readable} ({e164})"


def _number_in_context(value: object, info: ValidationInfo) -> str:
    """A typed number, read with the default country the parser was given (US without one)."""
    context = info.context if isinstance(info.context, dict) else {}
    return parse_number(value, context.get("default_country", DEFAULT_COUNTRY))


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
E164Number = Annotated[str, BeforeValidator(_number_in_context)]
Host = Annotated[str, AfterValidator(check_host)]
Protocol = Annotated[Literal["TCP", "UDP"], BeforeValidator(upper)]
