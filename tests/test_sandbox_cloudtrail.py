"""The sandbox's CloudTrail LookupEvents, spoken to by botocore's own cloudtrail client (JSON 1.1,
X-Amz-Target, SigV4 scope `cloudtrail`): every chime-sdk-voice change it applied is an event with
who (the signing access key), from where, when, and the connector or group it touched; reads are
not; LookupEvents' rules and errors are the model's."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from botocore.exceptions import ClientError

from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from tests.helpers.sandbox_fixtures import SandboxFactory, signed_headers, voice_client

TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
ROUTE = {"Host": "10.9.8.7", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10}


def by_resource(ident: str, **more: Any) -> dict[str, Any]:
    return {"LookupAttributes": [{"AttributeKey": "ResourceName", "AttributeValue": ident}], **more}


async def test_each_change_is_an_event_with_who_from_where_and_the_resource(sandbox: RunningSandbox) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    async with voice_client(sandbox, aws_access_key_id="AKIAOUTOFBAND") as voice:
        await voice.get_voice_connector(VoiceConnectorId=PRIMARY_CONNECTOR_ID)  # a read: no event
        await voice.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE]}
        )
        created = await voice.create_voice_connector(Name="made-by-hand", RequireEncryption=True)
        await voice.put_voice_connector_termination_credentials(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID,
            Credentials=[{"Username": "u1", "Password": "NeverLogged99"}],
        )
    async with voice_client(sandbox, service="cloudtrail") as trail:
        answer = await trail.lookup_events(**by_resource(PRIMARY_CONNECTOR_ID, StartTime=started))
        [new] = (await trail.lookup_events(**by_resource(created["VoiceConnector"]["VoiceConnectorId"])))[
            "Events"
        ]
    events = answer["Events"]
    assert [event["EventName"] for event in events] == [
        "PutVoiceConnectorTerminationCredentials",  # newest first
        "PutVoiceConnectorOrigination",
    ]
    origination = events[1]
    assert origination["EventSource"] == "chime.amazonaws.com" and origination["ReadOnly"] == "false"
    assert started <= origination["EventTime"] <= datetime.now(UTC)
    assert origination["Resources"] == [
        {"ResourceType": "AWS::ChimeSDKVoice::VoiceConnector", "ResourceName": PRIMARY_CONNECTOR_ID}
    ]
    record = json.loads(origination["CloudTrailEvent"])
    assert record["userIdentity"]["arn"] == "arn:aws:iam::123456789012:user/AKIAOUTOFBAND"
    assert record["userIdentity"]["accessKeyId"] == "AKIAOUTOFBAND"
    assert record["sourceIPAddress"] == "127.0.0.1"
    assert record["awsRegion"] == "us-east-1" and record["eventName"] == "PutVoiceConnectorOrigination"
    assert "NeverLogged99" not in json.dumps(events, default=str)  # CloudTrail hides passwords too
    assert new["EventName"] == "CreateVoiceConnector"  # a create is found by the ID it made


async def test_lookups_page_and_filter_by_event_name_and_time(sandbox: RunningSandbox) -> None:
    async with voice_client(sandbox) as voice:
        for host in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
            await voice.put_voice_connector_origination(
                VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE | {"Host": host}]}
            )
    async with voice_client(sandbox, service="cloudtrail") as trail:
        named = {"AttributeKey": "EventName", "AttributeValue": "PutVoiceConnectorOrigination"}
        pages = trail.get_paginator("lookup_events").paginate(
            LookupAttributes=[named], PaginationConfig={"PageSize": 2}
        )
        hosts = [
            json.loads(event["CloudTrailEvent"])["requestParameters"]["Origination"]["Routes"][0]["Host"]
            async for page in pages
            for event in page["Events"]
        ]
        assert hosts == ["10.0.0.3", "10.0.0.2", "10.0.0.1"]
        later = datetime.now(UTC) + timedelta(minutes=1)
        assert (await trail.lookup_events(StartTime=later))["Events"] == []


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {
                "LookupAttributes": [
                    {"AttributeKey": "EventName", "AttributeValue": "A"},
                    {"AttributeKey": "ReadOnly", "AttributeValue": "false"},
                ]
            },
            "InvalidLookupAttributesException",
        ),
        ({"MaxResults": 51}, "InvalidMaxResultsException"),
        (
            {"StartTime": datetime(2030, 1, 2, tzinfo=UTC), "EndTime": datetime(2030, 1, 1, tzinfo=UTC)},
            "InvalidTimeRangeException",
        ),
        ({"NextToken": "not-a-token"}, "InvalidNextTokenException"),
        ({"EventCategory": "data"}, "InvalidEventCategoryException"),
    ],
)
async def test_lookup_events_refuses_what_aws_refuses(
    sandbox: RunningSandbox, params: dict[str, Any], error: str
) -> None:
    async with voice_client(sandbox, service="cloudtrail") as trail:
        with pytest.raises(ClientError) as refused:
            await trail.lookup_events(**params)
    assert refused.value.response["Error"]["Code"] == error
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


async def test_a_key_without_lookup_events_is_denied(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory(cloudtrail_readers=["AKIAAUDITOR"])
    async with voice_client(sandbox, service="cloudtrail", aws_access_key_id="AKIABOT") as trail:
        with pytest.raises(ClientError) as refused:
            await trail.lookup_events()
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "cloudtrail:LookupEvents" in refused.value.response["Error"]["Message"]
    async with voice_client(sandbox, service="cloudtrail", aws_access_key_id="AKIAAUDITOR") as trail:
        assert (await trail.lookup_events())["Events"] == []


async def test_the_signature_must_be_scoped_to_cloudtrail(sandbox: RunningSandbox) -> None:
    """A request signed for chime (the voice endpoint's scope) but naming CloudTrail's target."""
    body = b"{}"
    url = f"{sandbox.url}/"
    headers = signed_headers("POST", url, body, service="chime")
    headers |= {"X-Amz-Target": TARGET, "Content-Type": "application/x-amz-json-1.1"}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as response:
        answer = await response.json(content_type=None)
        assert response.status == 403
    assert answer == {
        "__type": "InvalidSignatureException",
        "message": "Credential should be scoped to correct service: 'cloudtrail'.",
    }
