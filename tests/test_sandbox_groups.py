"""Voice Connector groups: cross-region membership, item limits, regional visibility, delete rules."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RunningSandbox
from tests.helpers.sandbox_fixtures import voice_client


async def new_connector(client: Any, name: str = "member") -> str:
    created = await client.create_voice_connector(Name=name, RequireEncryption=True)
    connector_id: str = created["VoiceConnector"]["VoiceConnectorId"]
    return connector_id


async def test_fixture_group_spans_both_fixture_connectors(voice: Any) -> None:
    group = (await voice.get_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID))[
        "VoiceConnectorGroup"
    ]

    assert group["Name"] == "pstn-failover"
    assert group["VoiceConnectorItems"] == [
        {"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "Priority": 1},
        {"VoiceConnectorId": SECONDARY_CONNECTOR_ID, "Priority": 2},
    ]


async def test_create_get_list_update_delete(voice: Any) -> None:
    member = await new_connector(voice)

    created = (
        await voice.create_voice_connector_group(
            Name="branch-failover",
            VoiceConnectorItems=[{"VoiceConnectorId": member, "Priority": 5}],
            CallDistributionType="PriorityWeightedDistribution",
        )
    )["VoiceConnectorGroup"]
    group_id = created["VoiceConnectorGroupId"]
    assert re.fullmatch(r"[a-z0-9]{21}", group_id)
    assert created["VoiceConnectorGroupArn"] == f"arn:aws:chime:us-east-1:123456789012:vcg/{group_id}"
    assert (await voice.get_voice_connector_group(VoiceConnectorGroupId=group_id))[
        "VoiceConnectorGroup"
    ] == created

    listed = (await voice.list_voice_connector_groups())["VoiceConnectorGroups"]
    assert [g["VoiceConnectorGroupId"] for g in listed] == [FAILOVER_GROUP_ID, group_id]

    updated = await voice.update_voice_connector_group(
        VoiceConnectorGroupId=group_id,
        Name="renamed",
        VoiceConnectorItems=[
            {"VoiceConnectorId": member, "Priority": 2},
            {"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "Priority": 1},
        ],
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert updated["VoiceConnectorGroup"]["Name"] == "renamed"
    assert len(updated["VoiceConnectorGroup"]["VoiceConnectorItems"]) == 2
    assert updated["VoiceConnectorGroup"]["CallDistributionType"] == "PriorityWeightedDistribution"

    await voice.update_voice_connector_group(
        VoiceConnectorGroupId=group_id, Name="renamed", VoiceConnectorItems=[]
    )
    await voice.delete_voice_connector_group(VoiceConnectorGroupId=group_id)
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector_group(VoiceConnectorGroupId=group_id)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


async def test_group_pagination(voice: Any) -> None:
    made = [(await voice.create_voice_connector_group(Name=f"g{n}"))["VoiceConnectorGroup"] for n in range(4)]

    seen: list[str] = []
    token: dict[str, str] = {}
    pages = 0
    while True:
        page = await voice.list_voice_connector_groups(MaxResults=2, **token)
        pages += 1
        seen += [g["VoiceConnectorGroupId"] for g in page["VoiceConnectorGroups"]]
        if "NextToken" not in page:
            break
        token = {"NextToken": page["NextToken"]}

    assert pages == 3
    assert seen == [FAILOVER_GROUP_ID] + [g["VoiceConnectorGroupId"] for g in made]


async def test_members_may_come_from_other_regions_but_groups_are_regional(
    sandbox: RunningSandbox, voice: Any
) -> None:
    async with voice_client(sandbox, "eu-west-1") as eu:
        eu_connector = await new_connector(eu)
        eu_group = (await eu.create_voice_connector_group(Name="eu-group"))["VoiceConnectorGroup"]

    east_group = await voice.create_voice_connector_group(
        Name="cross-region", VoiceConnectorItems=[{"VoiceConnectorId": eu_connector, "Priority": 1}]
    )

    assert east_group["VoiceConnectorGroup"]["VoiceConnectorItems"][0]["VoiceConnectorId"] == eu_connector
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector_group(VoiceConnectorGroupId=eu_group["VoiceConnectorGroupId"])
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


async def test_at_most_three_items(voice: Any) -> None:
    members = [await new_connector(voice, f"m{n}") for n in range(4)]

    with pytest.raises(ClientError) as caught:
        await voice.create_voice_connector_group(
            Name="too-big",
            VoiceConnectorItems=[{"VoiceConnectorId": m, "Priority": n + 1} for n, m in enumerate(members)],
        )

    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert "at most 3" in caught.value.response["Error"]["Message"]


async def test_unknown_member_is_not_found(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.create_voice_connector_group(
            Name="ghost", VoiceConnectorItems=[{"VoiceConnectorId": "zzzzzzzzzzzzzzzzzzzzzz", "Priority": 1}]
        )

    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    assert "zzzzzzzzzzzzzzzzzzzzzz" in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "Priority": 100}, "'VoiceConnectorItems[0].Priority'"),
        ({"VoiceConnectorId": PRIMARY_CONNECTOR_ID}, "VoiceConnectorItems[0].Priority is required"),
        ({"VoiceConnectorId": "Not-An-Id", "Priority": 1}, "'VoiceConnectorItems[0].VoiceConnectorId'"),
    ],
)
async def test_item_constraints(voice: Any, item: dict[str, Any], message: str) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.create_voice_connector_group(Name="bad-item", VoiceConnectorItems=[item])

    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert message in caught.value.response["Error"]["Message"]


async def test_update_of_an_unknown_group_is_not_found(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.update_voice_connector_group(
            VoiceConnectorGroupId=str(uuid.uuid4()), Name="nobody", VoiceConnectorItems=[]
        )

    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    assert re.search(
        r"group [0-9a-f-]{36} does not exist in us-east-1", caught.value.response["Error"]["Message"]
    )


async def test_removing_a_connector_from_its_group_allows_deleting_it(voice: Any) -> None:
    await voice.update_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID,
        Name="pstn-failover",
        VoiceConnectorItems=[{"VoiceConnectorId": SECONDARY_CONNECTOR_ID, "Priority": 1}],
    )

    await voice.delete_voice_connector(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    listed = (await voice.list_voice_connectors())["VoiceConnectors"]
    assert PRIMARY_CONNECTOR_ID not in [c["VoiceConnectorId"] for c in listed]
