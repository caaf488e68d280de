"""Phone numbers as a whole story (GetPhoneNumber) and phone number orders, with the values the
bot sends about them: calling names, product types, order IDs (each as botocore's model has it)."""

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from voice_domain.shapes import AwsShape, PhoneNumber

# PhoneNumberProductType in the model.
ProductType = Literal["VoiceConnector", "SipMediaApplicationDialIn"]
_CALLING_NAME = re.compile(r"[a-zA-Z0-9 ]{2,15}")
_GUID = re.compile(r"[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}")


def check_calling_name(value: str) -> str:
    """CallingName: `^$|^[a-zA-Z0-9 ]{2,15}$` (empty clears it)."""
    if value and not _CALLING_NAME.fullmatch(value):
        raise ValueError("a calling name is 2–15 letters, digits or spaces (quote it if it has spaces)")
    return value


def check_order_id(value: str) -> str:
    """GuidString: the form every PhoneNumberOrderId takes."""
    if not _GUID.fullmatch(value):
        raise ValueError("an order ID is a GUID such as 6f1c2a52-55b4-4f55-9d1e-0b5e3c1a0100")
    return value


CallingName = Annotated[str, AfterValidator(check_calling_name)]
OrderId = Annotated[str, AfterValidator(check_order_id)]


class PhoneNumberDetail(PhoneNumber):
    """GetPhoneNumber's answer: the listing fields plus the number's calling name and history."""

    type: str | None = None
    calling_name: str | None = None
    calling_name_status: str | None = None
    order_id: str | None = None
    created_timestamp: datetime | None = None
    updated_timestamp: datetime | None = None


class OrderedPhoneNumber(AwsShape):
    e164_phone_number: str | None = Field(default=None, alias="E164PhoneNumber")
    status: str | None = None


class PhoneNumberOrder(AwsShape):
    phone_number_order_id: str
    product_type: str | None = None
    status: str | None = None
    order_type: str | None = None
    ordered_phone_numbers: list[OrderedPhoneNumber] = Field(default_factory=list)
    created_timestamp: datetime | None = None
    updated_timestamp: datetime | None = None
