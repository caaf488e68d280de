"""Buying numbers: searching what is for sale, ordering, and following orders.

AWS provisions ordered numbers asynchronously; the sandbox completes every order still Processing
(and every pending calling-name update) when the account's numbers are next read, so a client sees
Processing in CreatePhoneNumberOrder's answer and the outcome at its next look, deterministically.
"""

from __future__ import annotations

import uuid
from typing import Any

from bot.sandbox import wire
from bot.sandbox.errors import bad_request, not_found
from bot.sandbox.handlers import Params, handles, with_token
from bot.sandbox.inventory import PLACES, TOLL_FREE_PREFIXES, for_sale, number_type
from bot.sandbox.pagination import decode_token, take_page
from bot.sandbox.records import OrderedNumber, PhoneNumberOrderRecord, PhoneNumberRecord, now
from bot.sandbox.state import SandboxState, e164

_US = "+1"


def settle(state: SandboxState) -> None:
    """Finish what AWS finishes in the background: orders and calling-name updates."""
    for order in state.orders.values():
        if order.status == "Processing":
            _provision(state, order)
    for record in state.touched():
        if record.calling_name_status == "UpdateInProgress":
            record.calling_name_status = "UpdateSucceeded"


def _provision(state: SandboxState, order: PhoneNumberOrderRecord) -> None:
    """Each number still for sale is acquired; one that was sold meanwhile fails."""
    moment = now()
    for ordered in order.numbers:
        if state.owns(ordered.e164) or ordered.e164 not in for_sale(state.inventory_size):
            ordered.status = "Failed"
            continue
        ordered.status = "Acquired"
        state.save_record(
            PhoneNumberRecord(
                e164=ordered.e164,
                order_id=order.id,
                product_type=order.product_type,
                created=moment,
                updated=moment,
            )
        )
    acquired = sum(ordered.status == "Acquired" for ordered in order.numbers)
    order.status = "Successful" if acquired == len(order.numbers) else "Partial" if acquired else "Failed"
    order.updated = moment


def available(state: SandboxState) -> list[str]:
    """Numbers for sale now: not in the account, nor in an order being processed."""
    reserved = {n.e164 for o in state.orders.values() if o.status == "Processing" for n in o.numbers}
    return [n for n in for_sale(state.inventory_size) if not state.owns(n) and n not in reserved]


def _matches(number: str, params: Params) -> bool:
    code = number[2:5]
    place = PLACES.get(code)
    checks = (
        ("AreaCode", code),
        ("TollFreePrefix", code),
        ("State", place[1] if place else None),
        ("City", place[0] if place else None),
        ("PhoneNumberType", number_type(number)),
    )
    return all(params.get(member) in (None, value) for member, value in checks)


@handles("SearchAvailablePhoneNumbers")
def search(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """API reference SearchAvailablePhoneNumbers (chime namespace page): "For US numbers, provide at
    least one of the following search filters: AreaCode, City, State, or TollFreePrefix. If you
    provide City, you must also provide State. Numbers outside the US only support the
    PhoneNumberType filter, which you must use." MaxResults 1–500 is the model's range (checked
    before any handler). The sandbox sells US numbers only, so other countries find none."""
    settle(state)
    us_filters = [params.get(m) for m in ("AreaCode", "City", "State", "TollFreePrefix")]
    if params.get("Country", "US") != "US":
        if any(value is not None for value in us_filters) or params.get("PhoneNumberType") is None:
            raise bad_request("Outside the US, search with PhoneNumberType alone.")
        return {"E164PhoneNumbers": []}
    if all(value is None for value in us_filters):
        raise bad_request("Give at least one of AreaCode, City, State or TollFreePrefix for US numbers.")
    if params.get("City") is not None and params.get("State") is None:
        raise bad_request("City needs State.")
    if params.get("TollFreePrefix") is not None and params["TollFreePrefix"] not in TOLL_FREE_PREFIXES:
        raise bad_request("TollFreePrefix must be one of " + ", ".join(TOLL_FREE_PREFIXES) + ".")
    after = decode_token("SearchAvailablePhoneNumbers", params.get("NextToken"))
    found = (n for n in available(state) if (after is None or n > after) and _matches(n, params))
    page, token = take_page(
        found, lambda number: number, "SearchAvailablePhoneNumbers", params.get("MaxResults")
    )
    return with_token({"E164PhoneNumbers": page}, token)


@handles("CreatePhoneNumberOrder")
def create_order(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    """API reference CreatePhoneNumberOrder: "For numbers outside the U.S., you must use the Amazon
    Chime SDK SIP media application dial-in product type". E164PhoneNumbers is required by the
    model, so an empty list orders nothing and is refused; a number listed twice is refused as
    BatchUpdatePhoneNumber refuses duplicates. Numbers that are not for sale fail in the order
    (OrderedPhoneNumberStatus Failed), as AWS reports them."""
    numbers = [e164(number) for number in params["E164PhoneNumbers"]]
    if not numbers:
        raise bad_request("E164PhoneNumbers must list at least one number to order.")
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise bad_request(f"E164PhoneNumbers lists {', '.join(repeated)} more than once.")
    foreign = [n for n in numbers if not n.startswith(_US)]
    if foreign and params["ProductType"] != "SipMediaApplicationDialIn":
        raise bad_request(
            f"Numbers outside the US ({', '.join(foreign)}) must use product type SipMediaApplicationDialIn."
        )
    moment = now()
    order = PhoneNumberOrderRecord(
        id=str(uuid.uuid4()),
        product_type=params["ProductType"],
        numbers=[OrderedNumber(e164=number) for number in numbers],
        name=params.get("Name"),
        created=moment,
        updated=moment,
    )
    state.orders[order.id] = order
    return {"PhoneNumberOrder": wire.phone_number_order(order)}


@handles("GetPhoneNumberOrder")
def get_order(state: SandboxState, region: str, params: Params) -> dict[str, Any]:
    settle(state)
    order = state.orders.get(params["PhoneNumberOrderId"])
    if order is None:
        raise not_found(f"Phone number order {params['PhoneNumberOrderId']} does not exist.")
    return {"PhoneNumberOrder": wire.phone_number_order(order)}
