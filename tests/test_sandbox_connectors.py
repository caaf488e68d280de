"""Voice Connector lifecycle over real HTTP with aiobotocore, including region scoping and pagination."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bot.sandbox import PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RunningSandbox
from tests.helpers.sandbox_fixtures import voice_client


async def list_all_connectors(client: Any, page_size: int) -> tuple[list[dict[str, Any]], int]:
    """Follow NextToken to the end; returns the connectors and how many pages it took."""
    connectors: list[dict[str, Any]] = []
    pages = 0
    kwargs: dict[str, Any] = {"MaxResults": page_size}
    while True:
        response = await client.list_voice_connectors(**kwargs)
        pages += 1
        connectors += response["VoiceConnectors"]
        if "NextToken" not in response:
            return connectors, pages
        kwargs["NextToken"] = response["NextToken"]


async def test_fixture_connector_replays_the_api_reference_sample(voice: Any) -> None:
    connector = (await voice.get_voice_connector(VoiceConnectorId=PRIMARY_CONNECTOR_ID))["VoiceConnector"]

    assert connector["Name"] == "pstn-primary"
    assert connector["AwsRegion"] == "us-east-1"
    assert connector["RequireEncryption"] is True
    assert connector["OutboundHostName"] == f"{PRIMARY_CONNECTOR_ID}.voiceconnector.chime.aws"


async def test_create_get_update_delete(voice: Any) -> None:
    response = await voice.create_voice_connector(Name="branch office", RequireEncryption=False)
    created = response["VoiceConnector"]
    connector_id = created["VoiceConnectorId"]

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{22}", connector_id)
    assert created["OutboundHostName"] == f"{connector_id}.voiceconnector.chime.aws"
    assert created["VoiceConnectorArn"] == f"arn:aws:chime:us-east-1:123456789012:vc/{connector_id}"
    assert created["AwsRegion"] == "us-east-1"
    assert (await voice.get_voice_connector(VoiceConnectorId=connector_id))["VoiceConnector"] == created

    updated = (
        await voice.update_voice_connector(
            VoiceConnectorId=connector_id, Name="branch-2", RequireEncryption=True
        )
    )["VoiceConnector"]
    assert (updated["Name"], updated["RequireEncryption"]) == ("branch-2", True)
    assert updated["UpdatedTimestamp"] >= created["UpdatedTimestamp"]
    assert updated["CreatedTimestamp"] == created["CreatedTimestamp"]

    response = await voice.delete_voice_connector(VoiceConnectorId=connector_id)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector(VoiceConnectorId=connector_id)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    assert connector_id in caught.value.response["Error"]["Message"]


async def test_duplicate_names_are_allowed(voice: Any) -> None:
    first = await voice.create_voice_connector(Name="same", RequireEncryption=True)
    second = await voice.create_voice_connector(Name="same", RequireEncryption=True)

    assert first["VoiceConnector"]["VoiceConnectorId"] != second["VoiceConnector"]["VoiceConnectorId"]


async def test_list_pages_through_every_connector_once(voice: Any) -> None:
    made = [
        (await voice.create_voice_connector(Name=f"vc-{n}", RequireEncryption=True))["VoiceConnector"]
        for n in range(7)
    ]

    connectors, pages = await list_all_connectors(voice, page_size=3)

    ids = [c["VoiceConnectorId"] for c in connectors]
    assert pages == 3
    assert ids == [PRIMARY_CONNECTOR_ID] + [c["VoiceConnectorId"] for c in made]


async def test_default_page_size_forces_callers_to_follow_next_token(voice: Any) -> None:
    for n in range(21):
        await voice.create_voice_connector(Name=f"vc-{n}", RequireEncryption=True)

    first = await voice.list_voice_connectors()

    assert len(first["VoiceConnectors"]) == 20
    rest = await voice.list_voice_connectors(NextToken=first["NextToken"])
    assert len(rest["VoiceConnectors"]) == 2
    assert "NextToken" not in rest


async def test_invalid_next_token_is_a_bad_request(voice: Any) -> None:
    for n in range(3):
        await voice.create_voice_connector_group(Name=f"g-{n}")
    groups_token = (await voice.list_voice_connector_groups(MaxResults=1))["NextToken"]

    for token in ("not-a-token", groups_token):
        with pytest.raises(ClientError) as caught:
            await voice.list_voice_connectors(NextToken=token)
        assert caught.value.response["Error"]["Code"] == "BadRequestException"
        assert "NextToken" in caught.value.response["Error"]["Message"]


async def test_max_results_above_the_model_maximum_is_rejected(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.list_voice_connectors(MaxResults=101)

    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert "'MaxResults'" in caught.value.response["Error"]["Message"]


async def test_connectors_are_scoped_to_the_signing_region(sandbox: RunningSandbox, voice: Any) -> None:
    async with voice_client(sandbox, "us-west-2") as west:
        west_made = (await west.create_voice_connector(Name="west", RequireEncryption=True))["VoiceConnector"]
        west_ids = [c["VoiceConnectorId"] for c in (await west.list_voice_connectors())["VoiceConnectors"]]

    east_ids = [c["VoiceConnectorId"] for c in (await voice.list_voice_connectors())["VoiceConnectors"]]
    assert west_made["AwsRegion"] == "us-west-2"
    assert west_ids == [SECONDARY_CONNECTOR_ID, west_made["VoiceConnectorId"]]
    assert east_ids == [PRIMARY_CONNECTOR_ID]
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector(VoiceConnectorId=west_made["VoiceConnectorId"])
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    assert "us-east-1" in caught.value.response["Error"]["Message"]


async def test_aws_region_must_match_the_endpoint_region(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.create_voice_connector(Name="far", RequireEncryption=True, AwsRegion="eu-west-1")

    error = caught.value.response["Error"]
    assert error["Code"] == "BadRequestException"
    assert "eu-west-1" in error["Message"] and "us-east-1" in error["Message"]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"Name": "bad/name", "RequireEncryption": True}, "'Name'"),
        ({"Name": "x" * 257, "RequireEncryption": True}, "'Name'"),
        ({"Name": "ok", "RequireEncryption": True, "NetworkType": "IPV5"}, "'NetworkType'"),
    ],
)
async def test_create_validates_against_the_model(voice: Any, arguments: dict[str, Any], field: str) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.create_voice_connector(**arguments)

    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert field in caught.value.response["Error"]["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


async def test_missing_required_member_is_rejected_server_side(sandbox: RunningSandbox) -> None:
    async with voice_client(sandbox, parameter_validation=False) as unchecked:
        with pytest.raises(ClientError) as caught:
            await unchecked.create_voice_connector(Name="no-encryption-flag")

    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert "'RequireEncryption' failed to satisfy constraint: Member must not be null" in str(caught.value)


async def test_deleting_a_group_member_is_a_conflict(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.delete_voice_connector(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    assert caught.value.response["Error"]["Code"] == "ConflictException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert (await voice.get_voice_connector(VoiceConnectorId=PRIMARY_CONNECTOR_ID))["VoiceConnector"]
