"""Fault knobs, set at start, through the control endpoint, and in-process; no timing assertions."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from bot.sandbox import FaultSettings, RunningSandbox, ScriptedFault
from tests.helpers.sandbox_fixtures import SandboxFactory, recorded_requests, voice_client


async def control(sandbox: RunningSandbox, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"{sandbox.url}/_sandbox/{path}", json=payload) as reply,
    ):
        return reply.status, await reply.json()


async def error_code(call: Any, **kwargs: Any) -> str | None:
    """The error code a call fails with, or None when it succeeds."""
    try:
        await call(**kwargs)
    except ClientError as error:
        code: str = error.response["Error"]["Code"]
        return code
    return None


async def test_scripted_faults_hit_only_the_named_operation_once(sandbox: RunningSandbox, voice: Any) -> None:
    status, settings = await control(
        sandbox,
        "POST",
        "faults",
        {
            "script": [
                {"operation": "GetVoiceConnectorGroup", "fault": "throttle"},
                {"operation": "ListVoiceConnectors", "fault": "unavailable"},
            ]
        },
    )
    assert status == 200 and len(settings["script"]) == 2

    outcomes = [
        await error_code(voice.list_voice_connectors),
        await error_code(voice.list_voice_connectors),
        await error_code(voice.list_voice_connector_groups),
        await error_code(
            voice.get_voice_connector_group, VoiceConnectorGroupId="123a456b-c7d8-90e1-fg23-4h567jkl8901"
        ),
    ]

    assert outcomes == ["ServiceUnavailableException", None, None, "ThrottledClientException"]
    assert (await control(sandbox, "GET", "faults"))[1]["script"] == []


async def test_wildcard_error_fault_hits_the_next_request(sandbox: RunningSandbox, voice: Any) -> None:
    sandbox.faults.push(ScriptedFault(fault="error"))

    assert await error_code(voice.list_phone_numbers) == "ServiceFailureException"
    assert await error_code(voice.list_phone_numbers) is None


async def test_lost_response_applies_the_operation_but_answers_500(
    sandbox: RunningSandbox, voice: Any
) -> None:
    sandbox.faults.push(ScriptedFault(operation="CreateVoiceConnector", fault="lost_response"))

    code = await error_code(voice.create_voice_connector, Name="ghost-write", RequireEncryption=True)

    assert code == "ServiceFailureException"
    names = [c["Name"] for c in (await voice.list_voice_connectors())["VoiceConnectors"]]
    assert "ghost-write" in names


async def test_retrying_client_recovers_from_a_single_failure(sandbox: RunningSandbox) -> None:
    sandbox.faults.push(ScriptedFault(operation="ListVoiceConnectors", fault="unavailable"))

    async with voice_client(sandbox, retries={"mode": "standard", "total_max_attempts": 2}) as client:
        response = await client.list_voice_connectors()

    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert [r["operation"] for r in recorded_requests(sandbox)] == ["ListVoiceConnectors"] * 2


async def test_hang_outlasts_the_client_read_timeout(sandbox: RunningSandbox) -> None:
    sandbox.faults.push(ScriptedFault(operation="ListVoiceConnectors", fault="hang", seconds=30))

    async with voice_client(sandbox, read_timeout=0.2) as client:
        with pytest.raises(ReadTimeoutError):
            await client.list_voice_connectors()
    # The sandbox still answers (a client with the default timeout, so a slow machine cannot time it out).
    async with voice_client(sandbox) as client:
        assert (await client.list_voice_connector_groups())["VoiceConnectorGroups"]


async def test_latency_applies_to_every_request(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory(faults=FaultSettings(latency_ms=30_000))

    async with voice_client(sandbox, read_timeout=0.2) as client:
        with pytest.raises(ReadTimeoutError):
            await client.list_phone_numbers()
        with pytest.raises(ReadTimeoutError):
            await client.list_voice_connector_groups()


async def test_throttle_rate_limits_requests(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory(faults=FaultSettings(throttle_rps=0.001))

    async with voice_client(sandbox) as client:
        first = await error_code(client.list_voice_connectors)
        second = await error_code(client.list_voice_connectors)

    assert (first, second) == (None, "ThrottledClientException")


async def test_throttle_can_be_lifted_at_runtime(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory(faults=FaultSettings(throttle_rps=0.001))
    async with voice_client(sandbox) as client:
        await client.list_voice_connectors()
        throttled = await error_code(client.list_voice_connectors)
        await control(sandbox, "POST", "faults", {"throttle_rps": None})
        lifted = await error_code(client.list_voice_connectors)

    assert (throttled, lifted) == ("ThrottledClientException", None)


async def test_error_rate_is_seeded_and_repeatable(sandbox_factory: SandboxFactory) -> None:
    patterns = []
    for _ in range(2):
        sandbox = await sandbox_factory(faults=FaultSettings(error_rate=0.5, seed=7))
        async with voice_client(sandbox) as client:
            patterns.append([await error_code(client.list_voice_connectors) for _ in range(16)])

    assert patterns[0] == patterns[1]
    assert set(patterns[0]) == {None, "ServiceFailureException"}


async def test_full_error_rate_fails_everything(sandbox: RunningSandbox, voice: Any) -> None:
    await control(sandbox, "POST", "faults", {"error_rate": 1.0})

    assert [await error_code(voice.list_phone_numbers) for _ in range(3)] == ["ServiceFailureException"] * 3


@pytest.mark.parametrize(
    "payload",
    [
        {"error_rate": 2},
        {"throttle_rps": 0},
        {"script": [{"operation": "MakeCoffee", "fault": "error"}]},
        {"script": [{"operation": "ListPhoneNumbers", "fault": "hang"}]},
        {"script": [{"fault": "explode"}]},
        {"latency": 5},
        [1, 2],
    ],
)
async def test_control_endpoint_rejects_bad_settings(sandbox: RunningSandbox, payload: Any) -> None:
    status, body = await control(sandbox, "POST", "faults", payload)

    assert status == 400
    assert body["message"]
    assert (await control(sandbox, "GET", "faults"))[1] == FaultSettings().model_dump(mode="json")
