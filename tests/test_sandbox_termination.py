"""Termination, its health and SIP credentials in the sandbox, through botocore: the rules AWS
documents, passwords never returned, and everything gone with the connector."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from bot.sandbox.handlers.termination import password_digest
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client

TERMINATION = {"CpsLimit": 2, "CallingRegions": ["US", "CA"], "CidrAllowedList": ["203.0.113.0/24"]}


async def refused(call: Any, code: str = "BadRequestException", **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        await call(VoiceConnectorId=PRIMARY_CONNECTOR_ID, **kwargs)
    assert caught.value.response["Error"]["Code"] == code, caught.value.response
    message: str = caught.value.response["Error"]["Message"]
    return message


async def test_termination_is_not_found_until_set_then_echoed_with_defaults(voice: Any) -> None:
    await refused(voice.get_voice_connector_termination, "NotFoundException")
    await refused(voice.get_voice_connector_termination_health, "NotFoundException")

    put = await voice.put_voice_connector_termination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Termination={"CallingRegions": ["US"]}
    )
    got = await voice.get_voice_connector_termination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    expected = {"CpsLimit": 1, "CallingRegions": ["US"], "CidrAllowedList": [], "Disabled": False}
    assert put["Termination"] == got["Termination"] == expected
    health = await voice.get_voice_connector_termination_health(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert health["TerminationHealth"] == {}


@pytest.mark.parametrize(
    ("termination", "expected"),
    [
        ({"CpsLimit": 1}, "CallingRegions is required"),
        ({"CallingRegions": []}, "CallingRegions is required"),
        ({"CallingRegions": ["USA"]}, "ISO 3166-1 alpha-2"),
        ({"CallingRegions": ["US", "XX"]}, "CallingRegions[1] is not an ISO 3166-1 alpha-2"),
        ({"CallingRegions": ["US"], "CidrAllowedList": ["203.0.113.7"]}, "CIDR format"),
        ({"CallingRegions": ["US"], "CidrAllowedList": ["203.0.113.0/33"]}, "CIDR format"),
        ({"CallingRegions": ["US"], "CpsLimit": 0}, "greater than or equal to 1"),
        ({"CallingRegions": ["US"], "DefaultPhoneNumber": "+0206555"}, "regular expression pattern"),
    ],
)
async def test_put_termination_refuses_what_the_reference_rules_out(
    sandbox: RunningSandbox, termination: dict[str, Any], expected: str
) -> None:
    # Client-side validation off: botocore would catch CpsLimit's minimum before AWS does.
    async with voice_client(sandbox, parameter_validation=False) as voice:
        message = await refused(voice.put_voice_connector_termination, Termination=termination)
    assert expected in message


async def test_delete_termination_needs_settings_to_delete(voice: Any) -> None:
    await refused(voice.delete_voice_connector_termination, "NotFoundException")
    await voice.put_voice_connector_termination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Termination=TERMINATION
    )

    response = await voice.delete_voice_connector_termination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    await refused(voice.get_voice_connector_termination, "NotFoundException")


async def test_credentials_are_added_or_replaced_by_username_and_never_returned(
    voice: Any, sandbox: RunningSandbox
) -> None:
    users = [
        {"Username": "sbc-east", "Password": "first-secret-1"},
        {"Username": "sbc-west", "Password": "w-2"},
    ]
    await voice.put_voice_connector_termination_credentials(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Credentials=users
    )
    await voice.put_voice_connector_termination_credentials(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID,
        Credentials=[{"Username": "sbc-east", "Password": "second-secret"}],
    )

    listed = await voice.list_voice_connector_termination_credentials(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    listed.pop("ResponseMetadata")
    assert listed == {"Usernames": ["sbc-west", "sbc-east"]}
    [east] = [c for c in _stored(sandbox)["credentials"] if c["username"] == "sbc-east"]
    assert east["password_sha256"] == password_digest(east["salt"], "second-secret")
    assert "second-secret" not in json.dumps(_stored(sandbox))
    assert "second-secret" not in json.dumps(recorded_requests(sandbox)), "the request log masks passwords"


@pytest.mark.parametrize(
    ("credential", "expected"),
    [
        ({"Username": "a:b", "Password": "secret"}, "Username must be an RFC 2617 user name"),
        ({"Username": "née", "Password": "secret"}, "Username must be an RFC 2617 user name"),
        ({"Username": "sbc"}, "Password must be an RFC 2617 password"),
        ({"Username": "sbc", "Password": "pässword"}, "Password must be an RFC 2617 password"),
    ],
)
async def test_put_credentials_refuses_what_is_not_rfc2617_us_ascii(
    voice: Any, credential: dict[str, str], expected: str
) -> None:
    message = await refused(voice.put_voice_connector_termination_credentials, Credentials=[credential])
    assert expected in message
    assert "secret" not in message


async def test_delete_credentials_removes_the_named_users(voice: Any) -> None:
    users = [{"Username": name, "Password": "pw-123456"} for name in ("a", "b", "c")]
    await voice.put_voice_connector_termination_credentials(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Credentials=users
    )

    await voice.delete_voice_connector_termination_credentials(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Usernames=["a", "c"]
    )

    listed = await voice.list_voice_connector_termination_credentials(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert listed["Usernames"] == ["b"]


async def test_termination_and_credentials_go_with_the_connector(voice: Any, sandbox: RunningSandbox) -> None:
    created = await voice.create_voice_connector(
        Name="short-lived", AwsRegion="us-east-1", RequireEncryption=True
    )
    connector_id = created["VoiceConnector"]["VoiceConnectorId"]
    await voice.put_voice_connector_termination(VoiceConnectorId=connector_id, Termination=TERMINATION)
    await voice.put_voice_connector_termination_credentials(
        VoiceConnectorId=connector_id, Credentials=[{"Username": "gone-user", "Password": "pw-123456"}]
    )

    await voice.delete_voice_connector(VoiceConnectorId=connector_id)

    assert "gone-user" not in json.dumps(sandbox.state.snapshot().model_dump(mode="json"))
    with pytest.raises(ClientError) as caught:
        await voice.list_voice_connector_termination_credentials(VoiceConnectorId=connector_id)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def _stored(sandbox: RunningSandbox) -> dict[str, Any]:
    """The primary connector as the sandbox keeps it (and persists it)."""
    snapshot = sandbox.state.snapshot().model_dump(mode="json")
    [primary] = [c for c in snapshot["voice_connectors"] if c["id"] == PRIMARY_CONNECTOR_ID]
    return dict(primary)
