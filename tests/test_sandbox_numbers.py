"""Phone-number inventory and associations: per-number errors, ForceAssociate, filters, delete conflicts."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID
from bot.sandbox.inventory import SIP_MEDIA_APPLICATION_NUMBERS, inventory_numbers
from tests.helpers.sandbox_fixtures import SandboxFactory, voice_client

FREE = "+12065550100"
UNKNOWN = "+12065559999"


async def list_numbers(client: Any, **filters: Any) -> list[dict[str, Any]]:
    numbers: list[dict[str, Any]] = []
    while True:
        page = await client.list_phone_numbers(MaxResults=100, **filters)
        numbers += page["PhoneNumbers"]
        if "NextToken" not in page:
            return numbers
        filters["NextToken"] = page["NextToken"]


async def new_connector(client: Any) -> str:
    connector_id: str = (await client.create_voice_connector(Name="numbers", RequireEncryption=True))[
        "VoiceConnector"
    ]["VoiceConnectorId"]
    return connector_id


async def test_default_inventory_is_300_fictional_numbers(voice: Any) -> None:
    numbers = await list_numbers(voice, ProductType="VoiceConnector")

    assert len(numbers) == 300
    assert {n["E164PhoneNumber"][:5] for n in numbers} == {"+1206", "+1312", "+1415"}
    assert all(
        n["E164PhoneNumber"][5:9] == "5550" and 100 <= int(n["E164PhoneNumber"][9:]) <= 199 for n in numbers
    )
    first = numbers[0]
    assert first["PhoneNumberId"] == first["E164PhoneNumber"] == FREE
    assert (first["ProductType"], first["Status"], first["Country"]) == ("VoiceConnector", "Unassigned", "US")
    assert first["Capabilities"]["InboundCall"] is True
    assert first["Associations"] == []


async def test_default_page_of_numbers_is_small(voice: Any) -> None:
    page = await voice.list_phone_numbers()

    assert len(page["PhoneNumbers"]) == 20
    assert "NextToken" in page


async def test_inventory_size_is_configurable(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory(inventory_size=2500)
    async with voice_client(sandbox) as client:
        numbers = await list_numbers(client, ProductType="VoiceConnector")
        last = await client.get_phone_number(PhoneNumberId=numbers[-1]["PhoneNumberId"])

    assert len(numbers) == 2500
    assert len({n["E164PhoneNumber"][:5] for n in numbers}) == 25
    assert numbers == sorted(numbers, key=lambda n: n["E164PhoneNumber"])
    assert last["PhoneNumber"]["Status"] == "Unassigned"


async def test_associate_reports_per_number_errors(voice: Any) -> None:
    other = await new_connector(voice)
    await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=other, E164PhoneNumbers=["+13125550100"]
    )

    response = await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE, UNKNOWN, "+13125550100"]
    )

    errors = {e["PhoneNumberId"]: e for e in response["PhoneNumberErrors"]}
    assert set(errors) == {UNKNOWN, "+13125550100"}
    assert errors[UNKNOWN]["ErrorCode"] == "NotFound"
    assert errors["+13125550100"]["ErrorCode"] == "PhoneNumberAssociationsExist"
    assert other in errors["+13125550100"]["ErrorMessage"]
    number = (await voice.get_phone_number(PhoneNumberId=FREE))["PhoneNumber"]
    assert number["Status"] == "Assigned"
    assert [(a["Name"], a["Value"]) for a in number["Associations"]] == [
        ("VoiceConnectorId", PRIMARY_CONNECTOR_ID)
    ]
    kept = (await voice.get_phone_number(PhoneNumberId="+13125550100"))["PhoneNumber"]
    assert kept["Associations"][0]["Value"] == other


async def test_force_associate_moves_and_same_target_is_a_success(voice: Any) -> None:
    other = await new_connector(voice)
    await voice.associate_phone_numbers_with_voice_connector(VoiceConnectorId=other, E164PhoneNumbers=[FREE])

    moved = await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE], ForceAssociate=True
    )
    again = await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE]
    )

    assert moved["PhoneNumberErrors"] == again["PhoneNumberErrors"] == []
    associations = (await voice.get_phone_number(PhoneNumberId=FREE))["PhoneNumber"]["Associations"]
    assert [a["Value"] for a in associations] == [PRIMARY_CONNECTOR_ID]


async def test_group_association_blocks_connector_association_until_forced(voice: Any) -> None:
    await voice.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=[FREE]
    )

    refused = await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE]
    )

    [error] = refused["PhoneNumberErrors"]
    assert error["ErrorCode"] == "PhoneNumberAssociationsExist"
    assert FAILOVER_GROUP_ID in error["ErrorMessage"]
    by_group = await list_numbers(voice, FilterName="VoiceConnectorGroupId", FilterValue=FAILOVER_GROUP_ID)
    assert [n["PhoneNumberId"] for n in by_group] == [FREE]
    assert by_group[0]["Associations"][0]["Name"] == "VoiceConnectorGroupId"


async def test_invalid_e164_rejects_the_whole_request(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE, "555-0100"]
        )

    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert "'E164PhoneNumbers[1]'" in caught.value.response["Error"]["Message"]
    assert (await voice.get_phone_number(PhoneNumberId=FREE))["PhoneNumber"]["Status"] == "Unassigned"


async def test_associating_with_an_unknown_connector_is_not_found(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId="zzzzzzzzzzzzzzzzzzzzzz", E164PhoneNumbers=[FREE]
        )

    assert caught.value.response["Error"]["Code"] == "NotFoundException"


async def test_disassociate_reports_numbers_not_on_that_target(voice: Any) -> None:
    await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE]
    )

    response = await voice.disassociate_phone_numbers_from_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE, "+14155550150", UNKNOWN]
    )

    errors = {e["PhoneNumberId"]: e["ErrorCode"] for e in response["PhoneNumberErrors"]}
    assert errors == {"+14155550150": "NotFound", UNKNOWN: "NotFound"}
    number = (await voice.get_phone_number(PhoneNumberId=FREE))["PhoneNumber"]
    assert (number["Status"], number["Associations"]) == ("Unassigned", [])


async def test_group_disassociation(voice: Any) -> None:
    await voice.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=[FREE]
    )

    response = await voice.disassociate_phone_numbers_from_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=[FREE]
    )

    assert response["PhoneNumberErrors"] == []
    assert (await voice.get_phone_number(PhoneNumberId=FREE))["PhoneNumber"]["Status"] == "Unassigned"


async def test_status_and_product_type_filters(voice: Any) -> None:
    await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[FREE, "+14155550199"]
    )

    assigned = await list_numbers(voice, Status="Assigned")
    unassigned = await list_numbers(voice, Status="Unassigned", ProductType="VoiceConnector")
    dial_in = await list_numbers(voice, ProductType="SipMediaApplicationDialIn")
    on_primary = await list_numbers(voice, FilterName="VoiceConnectorId", FilterValue=PRIMARY_CONNECTOR_ID)

    assert [n["PhoneNumberId"] for n in assigned] == [FREE, "+14155550199"]
    assert len(unassigned) == 298
    assert [n["PhoneNumberId"] for n in dial_in] == list(SIP_MEDIA_APPLICATION_NUMBERS)
    assert [n["PhoneNumberId"] for n in on_primary] == [FREE, "+14155550199"]


async def test_filter_name_needs_a_value(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.list_phone_numbers(FilterName="VoiceConnectorId")

    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert "FilterValue" in caught.value.response["Error"]["Message"]


async def test_get_unknown_number_is_not_found(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.get_phone_number(PhoneNumberId=UNKNOWN)

    assert caught.value.response["Error"]["Code"] == "NotFoundException"


async def test_connector_with_numbers_cannot_be_deleted(voice: Any) -> None:
    connector = await new_connector(voice)
    await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector, E164PhoneNumbers=[FREE]
    )

    with pytest.raises(ClientError) as caught:
        await voice.delete_voice_connector(VoiceConnectorId=connector)

    assert caught.value.response["Error"]["Code"] == "ConflictException"
    assert FREE in caught.value.response["Error"]["Message"]
    await voice.disassociate_phone_numbers_from_voice_connector(
        VoiceConnectorId=connector, E164PhoneNumbers=[FREE]
    )
    await voice.delete_voice_connector(VoiceConnectorId=connector)


async def test_group_with_numbers_cannot_be_deleted(voice: Any) -> None:
    group_id = (await voice.create_voice_connector_group(Name="numbered"))["VoiceConnectorGroup"][
        "VoiceConnectorGroupId"
    ]
    await voice.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=group_id, E164PhoneNumbers=[FREE]
    )

    with pytest.raises(ClientError) as caught:
        await voice.delete_voice_connector_group(VoiceConnectorGroupId=group_id)

    assert caught.value.response["Error"]["Code"] == "ConflictException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


async def test_tens_of_thousands_of_numbers(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory(inventory_size=60_000)
    last = inventory_numbers(60_000)[-1]
    async with voice_client(sandbox) as client:
        first_page = await client.list_phone_numbers(MaxResults=100, Status="Unassigned")
        await client.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=[last]
        )
        on_primary = await list_numbers(
            client, FilterName="VoiceConnectorId", FilterValue=PRIMARY_CONNECTOR_ID
        )

    assert len(first_page["PhoneNumbers"]) == 100
    assert [n["PhoneNumberId"] for n in on_primary] == [last]
    assert on_primary[0]["Status"] == "Assigned"
