"""The fictional phone-number inventory: NANP 555-0100..555-0199 lines, which are never real subscribers."""

from __future__ import annotations

import uuid
from functools import cache

DEFAULT_AREA_CODES = (206, 312, 415)
LINES = range(100, 200)
DEFAULT_INVENTORY_SIZE = len(DEFAULT_AREA_CODES) * len(LINES)
_ORDER_NAMESPACE = uuid.UUID("6f1c2a52-55b4-4f55-9d1e-0b5e3c1a0100")


@cache
def _area_codes() -> tuple[int, ...]:
    """The default codes first, then the other geographic NANP codes: middle digit 0-8, and no
    easily recognisable NXX codes (N11 services, 800-style toll-free, 900 premium)."""
    others = [
        code
        for code in range(200, 1000)
        if code // 10 % 10 != 9 and code // 10 % 10 != code % 10 and code not in DEFAULT_AREA_CODES
    ]
    return DEFAULT_AREA_CODES + tuple(others)


MAX_INVENTORY_SIZE = len(_area_codes()) * len(LINES)


@cache
def inventory_numbers(size: int) -> tuple[str, ...]:
    """The first `size` numbers of the inventory, sorted (the order ListPhoneNumbers pages through)."""
    if not 0 <= size <= MAX_INVENTORY_SIZE:
        raise ValueError(f"inventory size must be between 0 and {MAX_INVENTORY_SIZE}, not {size}")
    numbers = [f"+1{code}5550{line}" for code in _area_codes() for line in LINES][:size]
    return tuple(sorted(numbers))


def order_id(e164: str) -> str:
    """A stable order ID per area code, as if each block of 100 numbers had been ordered together."""
    return str(uuid.uuid5(_ORDER_NAMESPACE, e164[:5]))


VOICE_CONNECTOR = "VoiceConnector"
SIP_MEDIA_APPLICATION_DIAL_IN = "SipMediaApplicationDialIn"
# A few toll-free numbers bought for SIP media applications, always present beside the Voice
# Connector inventory: the end of the fictional 555-01XX lines of 833, a toll-free code that
# _area_codes() never uses, so inventory sizes and the numbers tests pick stay as they were.
SIP_MEDIA_APPLICATION_NUMBERS = ("+18335550197", "+18335550198", "+18335550199")
_SIP_MEDIA_APPLICATION_SET = frozenset(SIP_MEDIA_APPLICATION_NUMBERS)


@cache
def account_numbers(size: int) -> tuple[str, ...]:
    """Every number the account owns: `size` Voice Connector numbers plus the SIP media application
    ones, sorted."""
    return tuple(sorted(inventory_numbers(size) + SIP_MEDIA_APPLICATION_NUMBERS))


def product_type(e164: str) -> str:
    """The number's PhoneNumberProductType (model enum: VoiceConnector, SipMediaApplicationDialIn)."""
    return SIP_MEDIA_APPLICATION_DIAL_IN if e164 in _SIP_MEDIA_APPLICATION_SET else VOICE_CONNECTOR


def number_type(e164: str) -> str:
    """The number's PhoneNumberType (model enum: Local, TollFree)."""
    return "TollFree" if e164[2:5] in TOLL_FREE_PREFIXES else "Local"


# What AWS has for sale: the geographic 555-01XX lines of every area code beyond the account's
# inventory, and the toll-free ones (SearchAvailablePhoneNumbers' TollFreePrefix pattern,
# `^8(00|33|44|55|66|77|88)$`). Those the account owns (its SIP media application numbers, what it
# ordered) are not for sale: handlers/phone_number_orders.py leaves them out.
TOLL_FREE_PREFIXES = ("800", "833", "844", "855", "866", "877", "888")
# A few area codes' places, so City and State searches find something (the rest have none).
PLACES = {
    "206": ("Seattle", "WA"),
    "212": ("New York", "NY"),
    "213": ("Los Angeles", "CA"),
    "303": ("Denver", "CO"),
    "312": ("Chicago", "IL"),
    "415": ("San Francisco", "CA"),
    "503": ("Portland", "OR"),
    "512": ("Austin", "TX"),
    "617": ("Boston", "MA"),
}


@cache
def for_sale(inventory_size: int) -> tuple[str, ...]:
    """Every number not in an account of this inventory size, sorted (orders take from these)."""
    geographic = [f"+1{code}5550{line}" for code in _area_codes() for line in LINES][inventory_size:]
    toll_free = [f"+1{prefix}5550{line}" for prefix in TOLL_FREE_PREFIXES for line in LINES]
    return tuple(sorted(geographic + toll_free))
