"""State file across restarts, the request record, and the state/reset control endpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, RunningSandbox
from tests.helpers.sandbox_fixtures import SandboxFactory, recorded_requests, voice_client


async def control(sandbox: RunningSandbox, method: str, path: str) -> Any:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"{sandbox.url}/_sandbox/{path}") as reply,
    ):
        assert reply.status == 200
        return await reply.json()


async def test_state_survives_a_restart(sandbox_factory: SandboxFactory, tmp_path: Path) -> None:
    state_file = tmp_path / "state" / "sandbox.json"
    first = await sandbox_factory(state_file=state_file)
    async with voice_client(first) as client:
        made = (await client.create_voice_connector(Name="kept", RequireEncryption=False))["VoiceConnector"]
        await client.put_voice_connector_origination(
            VoiceConnectorId=made["VoiceConnectorId"],
            Origination={
                "Routes": [{"Host": "sip.example.com", "Protocol": "TCP", "Priority": 1, "Weight": 1}]
            },
        )
        await client.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=made["VoiceConnectorId"], E164PhoneNumbers=["+13125550142"]
        )
        await client.update_voice_connector_group(
            VoiceConnectorGroupId=FAILOVER_GROUP_ID, Name="pstn-failover", VoiceConnectorItems=[]
        )
        await client.delete_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID)
    await first.close()
    assert [p.name for p in state_file.parent.iterdir()] == ["sandbox.json"]

    second = await sandbox_factory(state_file=state_file)
    async with voice_client(second) as client:
        again = (await client.get_voice_connector(VoiceConnectorId=made["VoiceConnectorId"]))[
            "VoiceConnector"
        ]
        origination = await client.get_voice_connector_origination(VoiceConnectorId=made["VoiceConnectorId"])
        number = (await client.get_phone_number(PhoneNumberId="+13125550142"))["PhoneNumber"]
        groups = (await client.list_voice_connector_groups())["VoiceConnectorGroups"]

    assert again == made
    assert origination["Origination"]["Routes"][0]["Host"] == "sip.example.com"
    assert number["Associations"][0]["Value"] == made["VoiceConnectorId"]
    assert groups == []


async def test_state_file_is_written_before_the_response(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    state_file = tmp_path / "sandbox.json"
    sandbox = await sandbox_factory(state_file=state_file)
    assert not state_file.exists()

    async with voice_client(sandbox) as client:
        made = (await client.create_voice_connector(Name="on-disk", RequireEncryption=True))["VoiceConnector"]
        saved = json.loads(state_file.read_text())

    assert made["VoiceConnectorId"] in [c["id"] for c in saved["voice_connectors"]]
    assert saved["inventory_size"] == 300


async def test_record_file_has_one_line_per_api_request(sandbox: RunningSandbox, voice: Any) -> None:
    await voice.list_voice_connectors(MaxResults=5)
    await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=["+12065550100"], ForceAssociate=True
    )
    await voice.get_phone_number(PhoneNumberId="+12065550100")
    await control(sandbox, "GET", "state")

    assert recorded_requests(sandbox) == [
        {
            "operation": "ListVoiceConnectors",
            "method": "GET",
            "path": "/voice-connectors",
            "query": {"max-results": "5"},
            "body": None,
        },
        {
            "operation": "AssociatePhoneNumbersWithVoiceConnector",
            "method": "POST",
            "path": f"/voice-connectors/{PRIMARY_CONNECTOR_ID}",
            "query": {"operation": "associate-phone-numbers"},
            "body": {"E164PhoneNumbers": ["+12065550100"], "ForceAssociate": True},
        },
        {
            "operation": "GetPhoneNumber",
            "method": "GET",
            "path": "/phone-numbers/+12065550100",
            "query": {},
            "body": None,
        },
    ]


async def test_state_endpoint_and_reset(sandbox: RunningSandbox, voice: Any) -> None:
    await voice.create_voice_connector(
        Name="temporary", RequireEncryption=True, Tags=[{"Key": "owner", "Value": "voice-team"}]
    )
    await voice.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=["+14155550100"]
    )

    before = await control(sandbox, "GET", "state")
    after = await control(sandbox, "POST", "reset")

    [temporary] = [c for c in before["voice_connectors"] if c["name"] == "temporary"]
    assert temporary["tags"] == [{"key": "owner", "value": "voice-team"}]
    assert [n["e164"] for n in before["phone_numbers"]] == ["+14155550100"]
    assert [c["name"] for c in after["voice_connectors"]] == ["pstn-primary", "pstn-secondary"]
    assert [g["name"] for g in after["voice_connector_groups"]] == ["pstn-failover"]
    assert after["phone_numbers"] == []
    number = (await voice.get_phone_number(PhoneNumberId="+14155550100"))["PhoneNumber"]
    assert number["Status"] == "Unassigned"
    assert sandbox.state.snapshot().model_dump(mode="json") == after
