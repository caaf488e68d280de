"""AWS rules for tags, connector updates and group member updates, driven through botocore.

Tags: TagKey 1–128 and TagValue 0–256 characters, at most 50 tags in a request (botocore's model);
at most 50 on a resource and the `aws:` key prefix reserved (AWS tagging rules); TagResource's
ResourceLimitExceededException and both operations' BadRequest/NotFound errors (model).
UpdateVoiceConnector and UpdateVoiceConnectorGroup: the model's patterns and ranges, and the group
rules of the API reference (at most 3 members, each listed once, each an existing connector).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RunningSandbox
from tests.helpers.sandbox_fixtures import voice_client

PRIMARY_ARN = f"arn:aws:chime:us-east-1:123456789012:vc/{PRIMARY_CONNECTOR_ID}"


async def refused(call: Any, *positional: Any, **arguments: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        await call(*positional, **arguments)
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


async def tags_of(voice: Any, arn: str = PRIMARY_ARN) -> dict[str, str]:
    listed = await voice.list_tags_for_resource(ResourceARN=arn)
    return {tag["Key"]: tag["Value"] for tag in listed["Tags"]}


def numbered(count: int, start: int = 0) -> list[dict[str, str]]:
    return [{"Key": f"k{n}", "Value": str(n)} for n in range(start, start + count)]


# Tags


async def test_a_connector_is_tagged_by_the_arn_it_is_listed_with(voice: Any) -> None:
    [listed] = [
        c
        for c in (await voice.list_voice_connectors())["VoiceConnectors"]
        if c["VoiceConnectorId"] == PRIMARY_CONNECTOR_ID
    ]
    assert listed["VoiceConnectorArn"] == PRIMARY_ARN
    assert await tags_of(voice) == {}

    await voice.tag_resource(ResourceARN=PRIMARY_ARN, Tags=[{"Key": "team", "Value": "voice"}])
    await voice.tag_resource(
        ResourceARN=PRIMARY_ARN, Tags=[{"Key": "team", "Value": "ops"}, {"Key": "e", "Value": ""}]
    )
    assert await tags_of(voice) == {"team": "ops", "e": ""}

    await voice.untag_resource(ResourceARN=PRIMARY_ARN, TagKeys=["team", "never-there"])
    assert await tags_of(voice) == {"e": ""}


@pytest.mark.parametrize("key", ["aws:team", "AWS:team", "Aws:x"])
async def test_the_aws_prefix_is_reserved_for_tag_untag_and_create(voice: Any, key: str) -> None:
    code, status, message = await refused(
        voice.tag_resource, ResourceARN=PRIMARY_ARN, Tags=[{"Key": key, "Value": "1"}]
    )
    assert (code, status) == ("BadRequestException", 400) and key in message
    code, status, _ = await refused(voice.untag_resource, ResourceARN=PRIMARY_ARN, TagKeys=[key])
    assert (code, status) == ("BadRequestException", 400)
    code, status, _ = await refused(
        voice.create_voice_connector,
        Name="reserved",
        RequireEncryption=True,
        Tags=[{"Key": key, "Value": "1"}],
    )
    assert (code, status) == ("BadRequestException", 400)
    assert await tags_of(voice) == {}


@pytest.mark.parametrize(
    ("tag", "member"),
    [({"Key": "k" * 129, "Value": "v"}, "Tags[0].Key"), ({"Key": "k", "Value": "v" * 257}, "Tags[0].Value")],
)
async def test_key_and_value_lengths_are_the_models(voice: Any, tag: dict[str, str], member: str) -> None:
    code, status, message = await refused(voice.tag_resource, ResourceARN=PRIMARY_ARN, Tags=[tag])
    assert (code, status) == ("BadRequestException", 400) and member in message


async def test_a_resource_holds_at_most_fifty_tags(voice: Any) -> None:
    await voice.tag_resource(ResourceARN=PRIMARY_ARN, Tags=numbered(30))
    code, status, message = await refused(
        voice.tag_resource, ResourceARN=PRIMARY_ARN, Tags=numbered(21, start=30)
    )
    assert (code, status) == ("ResourceLimitExceededException", 400) and "51" in message
    assert len(await tags_of(voice)) == 30

    await voice.tag_resource(ResourceARN=PRIMARY_ARN, Tags=numbered(20, start=30))
    await voice.tag_resource(ResourceARN=PRIMARY_ARN, Tags=[{"Key": "k0", "Value": "replaced"}])
    assert len(await tags_of(voice)) == 50


async def test_one_request_holds_at_most_fifty_tags_each_key_once(voice: Any) -> None:
    code, status, message = await refused(voice.tag_resource, ResourceARN=PRIMARY_ARN, Tags=numbered(51))
    assert (code, status) == ("BadRequestException", 400) and "'Tags'" in message
    twice = [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}]
    code, status, message = await refused(voice.tag_resource, ResourceARN=PRIMARY_ARN, Tags=twice)
    assert (code, status) == ("BadRequestException", 400) and "team" in message


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        ("arn:aws:chime:us-east-1:123456789012:vc/zzzzzzzzzzzzzzzzzzzzzz", ("NotFoundException", 404)),
        (f"arn:aws:chime:us-west-2:123456789012:vc/{SECONDARY_CONNECTOR_ID}", ("NotFoundException", 404)),
        (f"arn:aws:chime:us-east-1:210987654321:vc/{PRIMARY_CONNECTOR_ID}", ("NotFoundException", 404)),
        (f"arn:aws:chime:us-east-1:123456789012:vcg/{FAILOVER_GROUP_ID}", ("BadRequestException", 400)),
    ],
)
async def test_tags_name_an_existing_connector_of_the_endpoints_region(
    voice: Any, arn: str, expected: tuple[str, int]
) -> None:
    for call, arguments in (
        (voice.list_tags_for_resource, {}),
        (voice.tag_resource, {"Tags": [{"Key": "k", "Value": "v"}]}),
        (voice.untag_resource, {"TagKeys": ["k"]}),
    ):
        code, status, _ = await refused(call, ResourceARN=arn, **arguments)
        assert (code, status) == expected


async def test_tags_live_and_die_with_their_connector(sandbox: RunningSandbox) -> None:
    async with voice_client(sandbox, "us-west-2") as west:
        made = (
            await west.create_voice_connector(
                Name="tagged", RequireEncryption=True, Tags=[{"Key": "a", "Value": "1"}]
            )
        )["VoiceConnector"]
        assert await tags_of(west, made["VoiceConnectorArn"]) == {"a": "1"}
        await west.delete_voice_connector(VoiceConnectorId=made["VoiceConnectorId"])
        code, _, _ = await refused(west.list_tags_for_resource, ResourceARN=made["VoiceConnectorArn"])
        assert code == "NotFoundException"


# UpdateVoiceConnector


async def test_update_connector_sets_both_name_and_encryption(voice: Any) -> None:
    updated = await voice.update_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Name="renamed", RequireEncryption=False
    )
    assert (updated["VoiceConnector"]["Name"], updated["VoiceConnector"]["RequireEncryption"]) == (
        "renamed",
        False,
    )
    code, status, message = await refused(
        voice.update_voice_connector,
        VoiceConnectorId=PRIMARY_CONNECTOR_ID,
        Name="no/slash",
        RequireEncryption=True,
    )
    assert (code, status) == ("BadRequestException", 400) and "'Name'" in message
    code, status, _ = await refused(
        voice.update_voice_connector,
        VoiceConnectorId="zzzzzzzzzzzzzzzzzzzzzz",
        Name="x",
        RequireEncryption=True,
    )
    assert (code, status) == ("NotFoundException", 404)


# UpdateVoiceConnectorGroup


async def update_group(voice: Any, items: list[dict[str, Any]], name: str = "pstn-failover") -> Any:
    return await voice.update_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, Name=name, VoiceConnectorItems=items
    )


@pytest.mark.parametrize(
    ("items", "expected", "says"),
    [
        ([{"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "Priority": 100}], "BadRequestException", "Priority"),
        (
            [
                {"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "Priority": 1},
                {"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "Priority": 2},
            ],
            "BadRequestException",
            "more than once",
        ),
        ([{"VoiceConnectorId": "zzzzzzzzzzzzzzzzzzzzzz", "Priority": 1}], "NotFoundException", "zzzz"),
    ],
)
async def test_group_update_members_follow_the_create_rules(
    voice: Any, items: list[dict[str, Any]], expected: str, says: str
) -> None:
    code, _, message = await refused(update_group, voice, items)
    assert code == expected and says in message
    group = (await voice.get_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID))[
        "VoiceConnectorGroup"
    ]
    assert len(group["VoiceConnectorItems"]) == 2, "a refused update changed the group"


async def test_group_update_allows_three_members_from_any_region_but_not_four(voice: Any) -> None:
    """CreateVoiceConnectorGroup's reference page: "You can include Amazon Chime Voice Connectors from
    different AWS Regions in your group"; VoiceConnectorItem: "Limit: 3 VoiceConnectorItems"."""
    extra = [
        (await voice.create_voice_connector(Name=f"m{n}", RequireEncryption=True))["VoiceConnector"][
            "VoiceConnectorId"
        ]
        for n in range(2)
    ]
    three = [
        {"VoiceConnectorId": connector_id, "Priority": n + 1}
        for n, connector_id in enumerate([SECONDARY_CONNECTOR_ID, PRIMARY_CONNECTOR_ID, extra[0]])
    ]
    updated = await update_group(voice, three, name="renamed")
    assert updated["VoiceConnectorGroup"]["Name"] == "renamed"
    code, _, message = await refused(
        update_group, voice, [*three, {"VoiceConnectorId": extra[1], "Priority": 4}]
    )
    assert code == "BadRequestException" and "at most 3" in message
