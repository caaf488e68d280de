"""The sandbox's rules for connector logging, streaming and emergency calling, and for SIP rules and
SIP media applications, driven through botocore (or raw signed HTTP where botocore would refuse
the request itself) as the bot would meet them."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from botocore.exceptions import ClientError

from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.sandbox.seed import IVR_BACKUP_ID, IVR_MAIN_ID, MAIN_IVR_RULE_ID
from tests.helpers.sandbox_fixtures import signed_headers, voice_client


async def error_of(call: Any, **arguments: Any) -> tuple[str, str]:
    try:
        await call(**arguments)
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError(f"{call.__name__} was accepted")


# Logging


async def test_logging_is_off_until_set_and_a_put_replaces_both_settings(voice: Any) -> None:
    unset = await voice.get_voice_connector_logging_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert unset["LoggingConfiguration"] == {"EnableSIPLogs": False, "EnableMediaMetricLogs": False}

    await voice.put_voice_connector_logging_configuration(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID,
        LoggingConfiguration={"EnableSIPLogs": True, "EnableMediaMetricLogs": True},
    )
    await voice.put_voice_connector_logging_configuration(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, LoggingConfiguration={"EnableSIPLogs": False}
    )
    got = await voice.get_voice_connector_logging_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert got["LoggingConfiguration"] == {"EnableSIPLogs": False, "EnableMediaMetricLogs": False}


# SIP rules and SIP media applications


async def raw_update_sip_rule(sandbox: RunningSandbox, rule_id: str, body: dict[str, Any]) -> tuple[int, Any]:
    """UpdateSipRule as raw HTTP: botocore itself refuses a request without the required Name."""
    url = f"{sandbox.url}/sip-rules/{rule_id}"
    data = json.dumps(body).encode()
    async with (
        aiohttp.ClientSession() as http,
        http.put(url, data=data, headers=signed_headers("PUT", url, data)) as reply,
    ):
        return reply.status, await reply.json()


async def test_update_sip_rule_needs_the_name_on_the_wire(sandbox: RunningSandbox, voice: Any) -> None:
    status, body = await raw_update_sip_rule(sandbox, MAIN_IVR_RULE_ID, {"Disabled": True})
    assert status == 400 and "Name" in body["Message"], body
    rule = (await voice.get_sip_rule(SipRuleId=MAIN_IVR_RULE_ID))["SipRule"]
    assert rule["Disabled"] is False

    status, body = await raw_update_sip_rule(
        sandbox, MAIN_IVR_RULE_ID, {"Name": "main-ivr-number", "Disabled": True}
    )
    assert status == 202, body
    assert body["SipRule"]["Disabled"] is True
    assert [t["SipMediaApplicationId"] for t in body["SipRule"]["TargetApplications"]] == [
        IVR_MAIN_ID,
        IVR_BACKUP_ID,
    ], "targets left out are kept"


async def test_a_rule_takes_one_existing_application_per_region(voice: Any) -> None:
    same_region = [
        {"SipMediaApplicationId": IVR_MAIN_ID, "Priority": 1, "AwsRegion": "us-east-1"},
        {"SipMediaApplicationId": IVR_MAIN_ID, "Priority": 2, "AwsRegion": "us-east-1"},
    ]
    code, message = await error_of(
        voice.update_sip_rule,
        SipRuleId=MAIN_IVR_RULE_ID,
        Name="main-ivr-number",
        TargetApplications=same_region,
    )
    assert code == "BadRequestException" and "us-east-1" in message

    elsewhere = [{"SipMediaApplicationId": IVR_MAIN_ID, "Priority": 1, "AwsRegion": "us-west-2"}]
    code, message = await error_of(
        voice.update_sip_rule,
        SipRuleId=MAIN_IVR_RULE_ID,
        Name="main-ivr-number",
        TargetApplications=elsewhere,
    )
    assert code == "NotFoundException" and IVR_MAIN_ID in message


async def test_sip_rules_and_applications_are_regional(sandbox: RunningSandbox) -> None:
    async with voice_client(sandbox, "us-west-2") as west:
        code, _ = await error_of(west.get_sip_rule, SipRuleId=MAIN_IVR_RULE_ID)
        assert code == "NotFoundException"
        apps = (await west.list_sip_media_applications())["SipMediaApplications"]
        assert [app["SipMediaApplicationId"] for app in apps] == [IVR_BACKUP_ID]
        assert apps[0]["Endpoints"][0]["LambdaArn"].startswith("arn:aws:lambda:us-west-2:")


async def test_rules_are_listed_by_the_application_they_run(voice: Any) -> None:
    everything = (await voice.list_sip_rules())["SipRules"]
    running_main = (await voice.list_sip_rules(SipMediaApplicationId=IVR_MAIN_ID))["SipRules"]
    running_backup = (await voice.list_sip_rules(SipMediaApplicationId=IVR_BACKUP_ID))["SipRules"]
    assert {rule["Name"] for rule in everything} == {"main-ivr-number", "pstn-primary-inbound"}
    assert {rule["Name"] for rule in running_main} == {"main-ivr-number", "pstn-primary-inbound"}
    assert [rule["Name"] for rule in running_backup] == ["main-ivr-number"]

    first = await voice.list_sip_rules(MaxResults=1)
    second = await voice.list_sip_rules(MaxResults=1, NextToken=first["NextToken"])
    assert [r["SipRuleId"] for r in first["SipRules"] + second["SipRules"]] == [
        r["SipRuleId"] for r in everything
    ]
    assert "NextToken" not in second


# Emergency calling and its dependency on origination (and termination)

ROUTE = {"Host": "10.24.34.7", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 10}
US = {"EmergencyPhoneNumber": "+12065550150", "TestPhoneNumber": "+12065550151", "CallingCountry": "US"}


TERMINATION = {"CallingRegions": ["US"], "Disabled": False}


async def test_emergency_calling_needs_origination_and_termination_enabled_first(voice: Any) -> None:
    put = voice.put_voice_connector_emergency_calling_configuration
    arguments = {"VoiceConnectorId": PRIMARY_CONNECTOR_ID, "EmergencyCallingConfiguration": {"DNIS": [US]}}
    code, message = await error_of(put, **arguments)
    assert code == "BadRequestException" and "Origination and termination must be enabled" in message
    await voice.put_voice_connector_termination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Termination=TERMINATION
    )
    code, message = await error_of(put, **arguments)
    assert code == "BadRequestException" and "Origination must be enabled" in message

    origination = voice.put_voice_connector_origination
    await origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE], "Disabled": True}
    )
    code, message = await error_of(put, **arguments)
    assert code == "BadRequestException", "a disabled origination is not enabled"

    await origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE], "Disabled": False}
    )
    await put(**arguments)
    got = await voice.get_voice_connector_emergency_calling_configuration(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID
    )
    assert got["EmergencyCallingConfiguration"] == {"DNIS": [US]}


async def test_origination_and_termination_cannot_be_turned_off_or_deleted_under_emergency_calling(
    voice: Any,
) -> None:
    await voice.put_voice_connector_origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE], "Disabled": False}
    )
    await voice.put_voice_connector_termination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Termination=TERMINATION
    )
    await voice.put_voice_connector_emergency_calling_configuration(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, EmergencyCallingConfiguration={"DNIS": [US]}
    )
    for call, arguments in (
        (voice.put_voice_connector_origination, {"Origination": {"Routes": [ROUTE], "Disabled": True}}),
        (voice.delete_voice_connector_origination, {}),
        (voice.put_voice_connector_termination, {"Termination": {**TERMINATION, "Disabled": True}}),
        (voice.delete_voice_connector_termination, {}),
    ):
        code, message = await error_of(call, VoiceConnectorId=PRIMARY_CONNECTOR_ID, **arguments)
        assert code == "BadRequestException" and "emergency calling" in message
    # Changing the routes while keeping origination on is allowed.
    moved = {**ROUTE, "Host": "10.24.34.8"}
    await voice.put_voice_connector_origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [moved], "Disabled": False}
    )

    await voice.delete_voice_connector_emergency_calling_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    code, _ = await error_of(
        voice.get_voice_connector_emergency_calling_configuration, VoiceConnectorId=PRIMARY_CONNECTOR_ID
    )
    assert code == "NotFoundException"
    await voice.delete_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)


# Streaming


async def test_streaming_is_not_found_until_set_and_a_put_replaces_it(voice: Any) -> None:
    code, _ = await error_of(
        voice.get_voice_connector_streaming_configuration, VoiceConnectorId=PRIMARY_CONNECTOR_ID
    )
    assert code == "NotFoundException"
    full = {
        "DataRetentionInHours": 24,
        "Disabled": False,
        "StreamingNotificationTargets": [{"NotificationTarget": "EventBridge"}],
        "MediaInsightsConfiguration": {
            "Disabled": False,
            "ConfigurationArn": "arn:aws:chime:us-east-1:1:x/y",
        },
    }
    put = voice.put_voice_connector_streaming_configuration
    assert (await put(VoiceConnectorId=PRIMARY_CONNECTOR_ID, StreamingConfiguration=full))[
        "StreamingConfiguration"
    ] == full
    await put(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID,
        StreamingConfiguration={"DataRetentionInHours": 0, "Disabled": True},
    )
    got = await voice.get_voice_connector_streaming_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert got["StreamingConfiguration"] == {"DataRetentionInHours": 0, "Disabled": True}

    await voice.delete_voice_connector_streaming_configuration(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    code, _ = await error_of(
        voice.get_voice_connector_streaming_configuration, VoiceConnectorId=PRIMARY_CONNECTOR_ID
    )
    assert code == "NotFoundException"


async def test_streaming_takes_at_most_three_notification_targets_of_the_enum(
    sandbox: RunningSandbox,
) -> None:
    """Sent raw: botocore checks neither the list's maximum nor the enum before sending."""
    url = f"{sandbox.url}/voice-connectors/{PRIMARY_CONNECTOR_ID}/streaming-configuration"
    for targets in (["EventBridge", "SNS", "SQS", "SNS"], ["Kafka"]):
        body = {
            "StreamingConfiguration": {
                "DataRetentionInHours": 1,
                "Disabled": False,
                "StreamingNotificationTargets": [{"NotificationTarget": target} for target in targets],
            }
        }
        data = json.dumps(body).encode()
        async with (
            aiohttp.ClientSession() as http,
            http.put(url, data=data, headers=signed_headers("PUT", url, data)) as reply,
        ):
            assert reply.status == 400, await reply.text()
