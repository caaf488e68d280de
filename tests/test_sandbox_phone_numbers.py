"""The sandbox's rules for buying and updating numbers, each driven through botocore as the bot
meets them: SearchAvailablePhoneNumbers, CreatePhoneNumberOrder, GetPhoneNumberOrder,
UpdatePhoneNumber and BatchUpdatePhoneNumber (API reference and botocore's model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID
from bot.sandbox.inventory import PLACES
from tests.helpers.sandbox_fixtures import SandboxFactory, voice_client
from tests.test_sandbox_rules import error_of

OWNED = "+12065550100"  # in the sandbox account's default inventory
FOR_SALE = "+12125550100"  # area code 212 lies beyond it
SAMPLE_ORDER_ID = "abc12345-de67-89f0-123g-h45i678j9012"  # the API reference's, not a GUID


# SearchAvailablePhoneNumbers


async def test_search_finds_only_numbers_not_in_the_account_and_answers_alike_each_time(voice: Any) -> None:
    owned = await voice.search_available_phone_numbers(AreaCode="206")
    first = await voice.search_available_phone_numbers(AreaCode="212", MaxResults=5)
    again = await voice.search_available_phone_numbers(AreaCode="212", MaxResults=5)

    assert owned["E164PhoneNumbers"] == []
    assert first["E164PhoneNumbers"] == again["E164PhoneNumbers"] == [f"+121255501{n:02d}" for n in range(5)]
    rest = await voice.search_available_phone_numbers(
        AreaCode="212", MaxResults=500, NextToken=first["NextToken"]
    )
    assert rest["E164PhoneNumbers"][0] == "+12125550105" and len(rest["E164PhoneNumbers"]) == 95


async def test_search_by_city_and_state_or_toll_free_prefix(voice: Any) -> None:
    city, state = PLACES["212"]
    in_city = (await voice.search_available_phone_numbers(City=city, State=state, MaxResults=3))[
        "E164PhoneNumbers"
    ]
    toll_free = (await voice.search_available_phone_numbers(TollFreePrefix="844", MaxResults=2))[
        "E164PhoneNumbers"
    ]
    typed = (await voice.search_available_phone_numbers(TollFreePrefix="833", PhoneNumberType="Local"))[
        "E164PhoneNumbers"
    ]

    assert in_city == ["+12125550100", "+12125550101", "+12125550102"]
    assert toll_free == ["+18445550100", "+18445550101"]
    assert typed == []


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        ({}, "at least one of AreaCode, City, State or TollFreePrefix"),
        ({"City": "Seattle"}, "City needs State"),
        ({"Country": "GB"}, "PhoneNumberType alone"),
        ({"Country": "GB", "PhoneNumberType": "Local", "AreaCode": "206"}, "PhoneNumberType alone"),
        ({"AreaCode": "206", "MaxResults": 501}, "less than or equal to 500"),
        ({"TollFreePrefix": "899"}, "8(00|33|44|55|66|77|88)"),
    ],
)
async def test_search_refuses_what_the_reference_and_model_refuse(
    voice: Any, filters: dict[str, Any], says: str
) -> None:
    code, status, message = await error_of(voice.search_available_phone_numbers, **filters)
    assert (code, status) == ("BadRequestException", 400) and says in message


async def test_outside_the_us_a_type_alone_is_a_valid_search(voice: Any) -> None:
    found = await voice.search_available_phone_numbers(Country="GB", PhoneNumberType="Local")
    assert found["E164PhoneNumbers"] == []


# CreatePhoneNumberOrder, GetPhoneNumberOrder


async def test_an_order_is_processing_then_successful_and_its_numbers_join_the_account(voice: Any) -> None:
    made = (await voice.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[FOR_SALE]))[
        "PhoneNumberOrder"
    ]
    assert (made["Status"], made["OrderedPhoneNumbers"]) == (
        "Processing",
        [{"E164PhoneNumber": FOR_SALE, "Status": "Processing"}],
    )

    later = (await voice.get_phone_number_order(PhoneNumberOrderId=made["PhoneNumberOrderId"]))[
        "PhoneNumberOrder"
    ]
    number = (await voice.get_phone_number(PhoneNumberId=FOR_SALE))["PhoneNumber"]
    search = await voice.search_available_phone_numbers(AreaCode="212", MaxResults=1)

    assert later["Status"] == "Successful" and later["OrderedPhoneNumbers"][0]["Status"] == "Acquired"
    assert (number["OrderId"], number["ProductType"], number["Status"]) == (
        made["PhoneNumberOrderId"],
        "VoiceConnector",
        "Unassigned",
    )
    assert search["E164PhoneNumbers"] == ["+12125550101"]


async def test_a_number_not_for_sale_fails_within_its_order(voice: Any) -> None:
    made = (
        await voice.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=[FOR_SALE, OWNED]
        )
    )["PhoneNumberOrder"]
    later = (await voice.get_phone_number_order(PhoneNumberOrderId=made["PhoneNumberOrderId"]))[
        "PhoneNumberOrder"
    ]

    assert later["Status"] == "Partial"
    assert {n["E164PhoneNumber"]: n["Status"] for n in later["OrderedPhoneNumbers"]} == {
        FOR_SALE: "Acquired",
        OWNED: "Failed",
    }


@pytest.mark.parametrize(
    ("numbers", "says"),
    [
        ([], "at least one number"),
        ([FOR_SALE, FOR_SALE], "more than once"),
        (["+442012345678"], "SipMediaApplicationDialIn"),
        (["+0206555"], "regular expression pattern"),
    ],
)
async def test_orders_refuse_what_the_reference_and_model_refuse(
    voice: Any, numbers: list[str], says: str
) -> None:
    code, status, message = await error_of(
        voice.create_phone_number_order, ProductType="VoiceConnector", E164PhoneNumbers=numbers
    )
    assert (code, status) == ("BadRequestException", 400) and says in message


async def test_order_ids_are_guids_so_the_references_sample_id_is_refused(voice: Any) -> None:
    """GetPhoneNumberOrder's sample request names `abc12345-de67-89f0-123g-h45i678j9012`, which
    botocore's GuidString pattern rejects; an unknown GUID is simply not found."""
    malformed = await error_of(voice.get_phone_number_order, PhoneNumberOrderId=SAMPLE_ORDER_ID)
    unknown = await error_of(
        voice.get_phone_number_order, PhoneNumberOrderId="6f1c2a52-55b4-4f55-9d1e-0b5e3c1a0100"
    )

    assert malformed[:2] == ("BadRequestException", 400) and "PhoneNumberOrderId" in malformed[2]
    assert unknown[:2] == ("NotFoundException", 404)


async def test_orders_and_bought_numbers_survive_a_restart(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    first = await sandbox_factory(state_file=state)
    async with voice_client(first) as client:
        made = (
            await client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[FOR_SALE])
        )["PhoneNumberOrder"]
        await client.update_phone_number(PhoneNumberId=OWNED, CallingName="Example Corp")
    await first.close()

    second = await sandbox_factory(state_file=state)
    async with voice_client(second) as client:
        order = await client.get_phone_number_order(PhoneNumberOrderId=made["PhoneNumberOrderId"])
        bought = (await client.get_phone_number(PhoneNumberId=FOR_SALE))["PhoneNumber"]
        named = (await client.get_phone_number(PhoneNumberId=OWNED))["PhoneNumber"]

    assert (
        order["PhoneNumberOrder"]["Status"] == "Successful"
        and bought["OrderId"] == made["PhoneNumberOrderId"]
    )
    assert (named["CallingName"], named["CallingNameStatus"]) == ("Example Corp", "UpdateSucceeded")


# UpdatePhoneNumber, BatchUpdatePhoneNumber


async def test_a_calling_name_is_pending_until_the_number_is_next_read(voice: Any) -> None:
    answer = (await voice.update_phone_number(PhoneNumberId=OWNED, CallingName="Example Corp"))["PhoneNumber"]
    overlapping = await error_of(voice.update_phone_number, PhoneNumberId=OWNED, CallingName="Other Name")
    read = (await voice.get_phone_number(PhoneNumberId=OWNED))["PhoneNumber"]
    await voice.update_phone_number(PhoneNumberId=OWNED, CallingName="Other Name")

    assert (answer["CallingName"], answer["CallingNameStatus"]) == ("Example Corp", "UpdateInProgress")
    assert overlapping[:2] == ("ConflictException", 409)
    assert read["CallingNameStatus"] == "UpdateSucceeded"


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        ({"CallingName": "X"}, ("BadRequestException", "regular expression pattern")),
        ({"CallingName": "Bad!Name"}, ("BadRequestException", "regular expression pattern")),
        ({"CallingName": "Example", "ProductType": "VoiceConnector"}, ("BadRequestException", "at a time")),
        ({}, ("BadRequestException", "at a time")),
        (
            {"PhoneNumberId": "+12065559999", "CallingName": "Example"},
            ("NotFoundException", "not in this account"),
        ),
    ],
)
async def test_updates_refuse_what_the_reference_and_model_refuse(
    voice: Any, update: dict[str, Any], expected: tuple[str, str]
) -> None:
    code, _, message = await error_of(voice.update_phone_number, **({"PhoneNumberId": OWNED} | update))
    assert (code, expected[1] in message) == (expected[0], True), message


async def test_a_number_on_a_connector_or_group_keeps_the_voice_connector_product_type(voice: Any) -> None:
    await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[OWNED]
    )
    refused = await error_of(
        voice.update_phone_number, PhoneNumberId=OWNED, ProductType="SipMediaApplicationDialIn"
    )
    await voice.disassociate_phone_numbers_from_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[OWNED]
    )
    changed = (await voice.update_phone_number(PhoneNumberId=OWNED, ProductType="SipMediaApplicationDialIn"))[
        "PhoneNumber"
    ]
    cannot_join = await voice.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=[OWNED]
    )

    assert refused[:2] == ("BadRequestException", 400) and "disassociate it first" in refused[2]
    assert changed["ProductType"] == "SipMediaApplicationDialIn"
    assert [e["ErrorCode"] for e in cannot_join["PhoneNumberErrors"]] == ["BadRequest"]


async def test_a_batch_reports_each_number_that_failed_and_applies_the_others(voice: Any) -> None:
    await voice.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=["+12065550101"]
    )
    await voice.update_phone_number(PhoneNumberId="+12065550102", CallingName="Pending")
    answer = await voice.batch_update_phone_number(
        UpdatePhoneNumberRequestItems=[
            {"PhoneNumberId": OWNED, "ProductType": "SipMediaApplicationDialIn"},
            {"PhoneNumberId": "+12065550101", "ProductType": "SipMediaApplicationDialIn"},
            {"PhoneNumberId": "+12065550102", "CallingName": "Again"},
            {"PhoneNumberId": "+12065559999", "CallingName": "Nobody"},
        ]
    )
    errors = {e["PhoneNumberId"]: e["ErrorCode"] for e in answer["PhoneNumberErrors"]}
    applied = (await voice.get_phone_number(PhoneNumberId=OWNED))["PhoneNumber"]

    assert errors == {"+12065550101": "BadRequest", "+12065550102": "Conflict", "+12065559999": "NotFound"}
    assert applied["ProductType"] == "SipMediaApplicationDialIn"


@pytest.mark.parametrize(
    ("items", "says"),
    [
        (
            [{"PhoneNumberId": OWNED, "CallingName": "A1"}, {"PhoneNumberId": OWNED, "CallingName": "B2"}],
            "more than once",
        ),
        (
            [{"PhoneNumberId": f"+1206555{n:04d}", "CallingName": "Example"} for n in range(100, 151)],
            "at most 50",
        ),
    ],
)
async def test_a_batch_with_a_repeated_number_or_over_50_is_refused_whole(
    voice: Any, items: list[dict[str, str]], says: str
) -> None:
    code, status, message = await error_of(
        voice.batch_update_phone_number, UpdatePhoneNumberRequestItems=items
    )
    assert (code, status) == ("BadRequestException", 400) and says in message
    assert "CallingName" not in (await voice.get_phone_number(PhoneNumberId=OWNED))["PhoneNumber"]
