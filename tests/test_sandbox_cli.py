"""Out-of-process clients and servers: the AWS CLI v1 against the sandbox, and the sandbox's own CLI."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from botocore.exceptions import ClientError

from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox, read_records
from bot.sandbox.inventory import inventory_numbers
from tests.helpers.polling import GUARD_SECONDS
from tests.helpers.sandbox_fixtures import voice_client

BIN = Path(sys.executable).parent


async def aws(sandbox: RunningSandbox, *arguments: str) -> Any:
    """Run the AWS CLI with the fixture's environment (credentials from env, nothing from ~/.aws)."""
    process = await asyncio.create_subprocess_exec(
        str(BIN / "aws"),
        "chime-sdk-voice",
        *arguments,
        "--endpoint-url",
        sandbox.url,
        "--region",
        "us-east-1",
        "--output",
        "json",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return json.loads(out)


async def test_aws_cli_creates_and_lists(sandbox: RunningSandbox) -> None:
    created = await aws(sandbox, "create-voice-connector", "--name", "from-cli", "--no-require-encryption")
    listed = await aws(sandbox, "list-voice-connectors")

    connector = created["VoiceConnector"]
    assert connector["RequireEncryption"] is False
    assert [c["Name"] for c in listed["VoiceConnectors"]] == ["pstn-primary", "from-cli"]
    assert listed["VoiceConnectors"][1] == connector


async def test_aws_cli_reports_service_errors(sandbox: RunningSandbox) -> None:
    process = await asyncio.create_subprocess_exec(
        str(BIN / "aws"),
        "chime-sdk-voice",
        "delete-voice-connector",
        "--voice-connector-id",
        PRIMARY_CONNECTOR_ID,
        "--endpoint-url",
        sandbox.url,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()

    assert process.returncode != 0
    assert "(ConflictException) when calling the DeleteVoiceConnector operation" in err.decode()


async def switch_random_errors_off(url: str) -> None:
    """The --error-rate flag is checked via GET; the calls after it must not meet random 500s."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}/_sandbox/faults", json={"error_rate": 0}) as reply,
    ):
        assert reply.status == 200


async def test_module_cli_serves_with_flags_until_sigterm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    state_file, record_file = tmp_path / "state.json", tmp_path / "requests.jsonl"
    [beyond_inventory] = set(inventory_numbers(501)) - set(inventory_numbers(500))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox",
        "--port",
        "0",
        "--state",
        str(state_file),
        "--record",
        str(record_file),
        "--inventory",
        "500",
        "--error-rate",
        "0.25",
        "--latency-ms",
        "1",
        "--fault-seed",
        "3",
        "--quota",
        "voice_connectors=2",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), GUARD_SECONDS)).decode()
        url = banner.split()[-1]
        assert url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http, http.get(f"{url}/_sandbox/faults") as reply:
            faults = await reply.json()
        await switch_random_errors_off(url)
        async with voice_client(url) as client:
            await client.create_voice_connector(Name="via-module", RequireEncryption=True)
            with pytest.raises(ClientError) as over_quota:
                await client.create_voice_connector(Name="over-quota", RequireEncryption=True)
            last = await client.get_phone_number(PhoneNumberId=inventory_numbers(500)[-1])
            with pytest.raises(ClientError):
                await client.get_phone_number(PhoneNumberId=beyond_inventory)
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = await process.wait()

    assert returncode == 0
    assert (faults["error_rate"], faults["latency_ms"], faults["seed"]) == (0.25, 1.0, 3)
    assert last["PhoneNumber"]["Status"] == "Unassigned"
    assert "via-module" in state_file.read_text()
    assert over_quota.value.response["Error"]["Code"] == "ResourceLimitExceededException"
    assert [r["operation"] for r in read_records(record_file)] == [
        "CreateVoiceConnector",
        "CreateVoiceConnector",
        "GetPhoneNumber",
        "GetPhoneNumber",
    ]
