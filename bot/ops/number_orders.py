"""Buying phone numbers: search what AWS has available, order some, follow an order."""

from typing import Any

from pydantic import Field

from bot.ops.common import Unplannable, new_plan
from bot.ops.numbers import when
from bot.ops.registry import CHANGES, EFFECTS, READS, ChangeOps, NoInverse, ReadOps, Shows
from bot.render.doc import Code, Doc, Fields, Heading, Paragraph, Part, Table
from bot.results import ApiCall, Model, NumberMove, Plan
from bot.voice import VoiceService
from commands.numbers import NumbersOrder, NumbersOrderShow, NumbersSearch
from voice_domain.located import Located
from voice_domain.numbers import PhoneNumberOrder
from voice_domain.values import readable_number

ORDER = "CreatePhoneNumberOrder"
_SEARCH_MEMBERS = {
    "area_code": "AreaCode",
    "city": "City",
    "state": "State",
    "toll_free_prefix": "TollFreePrefix",
    "country": "Country",
    "type": "PhoneNumberType",
    "max": "MaxResults",
}


class AvailableNumbers(Model):
    numbers: list[str]
    more: bool
    warnings: list[str] = Field(default_factory=list)


class OrderAnswer(Model):
    order: PhoneNumberOrder
    warnings: list[str] = Field(default_factory=list)


# Reads -------------------------------------------------------------------------------------


def search_request(command: NumbersSearch) -> dict[str, Any]:
    """Only the filters the user gave, so the API reference's sample comes out exactly."""
    values = command.model_dump(include=set(_SEARCH_MEMBERS), exclude_none=True)
    return {_SEARCH_MEMBERS[field]: value for field, value in values.items()}


async def read_search(command: NumbersSearch, voice: VoiceService) -> AvailableNumbers:
    response = await voice.call(voice.home_region, "SearchAvailablePhoneNumbers", search_request(command))
    return AvailableNumbers(
        numbers=response.get("E164PhoneNumbers") or [], more=bool(response.get("NextToken"))
    )


def view_search(result: AvailableNumbers) -> Doc:
    parts: list[Part] = [
        Table(
            "Phone numbers available to order",
            ("Number", "Readable"),
            tuple((number, readable_number(number)) for number in result.numbers),
            "available-numbers.csv",
        )
    ]
    if result.more:
        parts.append(Paragraph(("More are available: narrow the search or raise --max.",)))
    if result.numbers:
        parts.append(
            Paragraph(
                (
                    "Order some with ",
                    Code("/voice numbers order NUMBER... --product-type VoiceConnector"),
                    ".",
                )
            )
        )
    return Doc(f"{len(result.numbers)} phone number(s) available to order", tuple(parts))


async def read_order(command: NumbersOrderShow, voice: VoiceService) -> OrderAnswer:
    response = await voice.call(
        voice.home_region, "GetPhoneNumberOrder", {"PhoneNumberOrderId": command.order_id}
    )
    return OrderAnswer(order=PhoneNumberOrder.model_validate(response["PhoneNumberOrder"]))


def view_order(result: OrderAnswer) -> Doc:
    order = result.order
    numbers = tuple(
        (number := ordered.e164_phone_number or "?", readable_number(number), ordered.status or "?")
        for ordered in order.ordered_phone_numbers
    )
    parts: list[Part] = [
        Heading(f"Phone number order {order.phone_number_order_id}"),
        Fields(
            (
                ("Status", order.status or "?"),
                ("Product type", order.product_type or "-"),
                ("Order type", order.order_type or "-"),
                ("Created", when(order.created_timestamp)),
                ("Updated", when(order.updated_timestamp)),
            )
        ),
        Table("Ordered numbers", ("Number", "Readable", "Status"), numbers, "ordered-numbers.csv"),
    ]
    return Doc(f"Order {order.phone_number_order_id}: {order.status or '?'}", tuple(parts))


# Plan, read-back ---------------------------------------------------------------------------


async def plan_order(command: NumbersOrder, voice: VoiceService, located: list[Located]) -> Plan:
    owned = await voice.phone_numbers_by_e164(command.numbers)
    if owned:
        raise Unplannable(
            f"Already in this account, so not for sale: {', '.join(sorted(owned))}. "
            "Order only numbers `numbers search` lists."
        )
    count = len(command.numbers)
    call = ApiCall(
        operation=ORDER,
        region=voice.home_region,
        params={"ProductType": command.product_type, "E164PhoneNumbers": list(command.numbers)},
    )
    return new_plan(
        f"Order {count} phone number(s) as {command.product_type}",
        [call],
        moves=[NumberMove(number=number, current=None, note="to be bought") for number in command.numbers],
        warnings=[
            f"This buys {count} phone number(s): each one incurs AWS charges from the moment it is "
            "provisioned until it is released with DeletePhoneNumber."
        ],
    )


async def order_seen(call: ApiCall, voice: VoiceService) -> bool:
    """The order is in effect once every number it bought is in the account."""
    numbers: list[str] = call.params["E164PhoneNumbers"]
    return len(await voice.phone_numbers_by_e164(numbers)) == len(numbers)


READS[NumbersSearch] = ReadOps(read_search, view_search)
READS[NumbersOrderShow] = ReadOps(read_order, view_order)
CHANGES[NumbersOrder] = ChangeOps(
    plan_order,
    sends=frozenset({"CreatePhoneNumberOrder"}),
    inverse=NoInverse(
        because="numbers AWS sold cannot be un-ordered: release each one with DeletePhoneNumber (AWS "
        "keeps a released number in its deletion queue for 7 days, then it is gone), which this bot "
        "does not do for you"
    ),
)
EFFECTS[ORDER] = Shows(order_seen)
