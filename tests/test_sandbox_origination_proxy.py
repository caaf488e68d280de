"""Origination routes and proxy settings: put/get/delete and the constraints AWS enforces on them."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from bot.sandbox import PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID

ROUTE = {"Host": "sip.example.com", "Port": 5061, "Protocol": "TCP", "Priority": 1, "Weight": 10}


async def bad_request_message(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        await call(VoiceConnectorId=PRIMARY_CONNECTOR_ID, **kwargs)
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    message: str = caught.value.response["Error"]["Message"]
    return message


async def test_origination_is_not_found_until_set(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    assert caught.value.response["Error"]["Code"] == "NotFoundException"


async def test_put_replaces_and_echoes_origination(voice: Any) -> None:
    backup = {"Host": "10.0.0.7", "Protocol": "UDP", "Priority": 2, "Weight": 5}
    await voice.put_voice_connector_origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE, ROUTE]}
    )

    put = await voice.put_voice_connector_origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE, backup], "Disabled": False}
    )
    got = await voice.get_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    expected = {"Routes": [ROUTE, {**backup, "Port": 5060}], "Disabled": False}
    assert put["Origination"] == got["Origination"] == expected


async def test_delete_origination(voice: Any) -> None:
    await voice.put_voice_connector_origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE]}
    )

    response = await voice.delete_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector_origination(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize(
    ("origination", "expected"),
    [
        ({"Routes": [{**ROUTE, "Port": 65536}]}, "'Origination.Routes[0].Port'"),
        ({"Routes": [{**ROUTE, "Protocol": "SCTP"}]}, "'Origination.Routes[0].Protocol'"),
        ({"Routes": [ROUTE, {**ROUTE, "Priority": 101}]}, "'Origination.Routes[1].Priority'"),
        ({"Routes": [{**ROUTE, "Weight": 101}]}, "'Origination.Routes[0].Weight'"),
        (
            {"Routes": [{k: v for k, v in ROUTE.items() if k != "Host"}]},
            "Origination.Routes[0] is missing Host",
        ),
        ({"Routes": [{**ROUTE, "Host": "not a host"}]}, "Origination.Routes[0].Host"),
        ({"Routes": [ROUTE] * 21}, "at most 20"),
        ({}, "Routes, Disabled"),
    ],
)
async def test_origination_constraints(voice: Any, origination: dict[str, Any], expected: str) -> None:
    message = await bad_request_message(voice.put_voice_connector_origination, Origination=origination)

    assert expected in message


async def test_twenty_routes_are_allowed(voice: Any) -> None:
    put = await voice.put_voice_connector_origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Routes": [ROUTE] * 20}
    )

    assert len(put["Origination"]["Routes"]) == 20


async def test_proxy_put_get_delete(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector_proxy(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"

    put = await voice.put_voice_connector_proxy(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID,
        DefaultSessionExpiryMinutes=60,
        PhoneNumberPoolCountries=["US"],
        FallBackPhoneNumber="+14155550123",
    )
    got = await voice.get_voice_connector_proxy(VoiceConnectorId=PRIMARY_CONNECTOR_ID)

    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (
        put["Proxy"]
        == got["Proxy"]
        == {
            "DefaultSessionExpiryMinutes": 60,
            "Disabled": False,
            "FallBackPhoneNumber": "+14155550123",
            "PhoneNumberCountries": ["US"],
        }
    )
    await voice.delete_voice_connector_proxy(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    with pytest.raises(ClientError) as caught:
        await voice.get_voice_connector_proxy(VoiceConnectorId=PRIMARY_CONNECTOR_ID)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"DefaultSessionExpiryMinutes": 0, "PhoneNumberPoolCountries": ["US"]},
            "DefaultSessionExpiryMinutes",
        ),
        (
            {"DefaultSessionExpiryMinutes": 5, "PhoneNumberPoolCountries": ["usa"]},
            "'PhoneNumberPoolCountries[0]'",
        ),
        (
            {"DefaultSessionExpiryMinutes": 5, "PhoneNumberPoolCountries": ["US"] * 101},
            "'PhoneNumberPoolCountries'",
        ),
        (
            {
                "DefaultSessionExpiryMinutes": 5,
                "PhoneNumberPoolCountries": ["US"],
                "FallBackPhoneNumber": "0",
            },
            "'FallBackPhoneNumber'",
        ),
    ],
)
async def test_proxy_constraints(voice: Any, settings: dict[str, Any], expected: str) -> None:
    message = await bad_request_message(voice.put_voice_connector_proxy, **settings)

    assert expected in message


async def test_settings_of_a_connector_in_another_region_are_not_found(voice: Any) -> None:
    with pytest.raises(ClientError) as caught:
        await voice.put_voice_connector_origination(
            VoiceConnectorId=SECONDARY_CONNECTOR_ID, Origination={"Routes": [ROUTE]}
        )

    assert caught.value.response["Error"]["Code"] == "NotFoundException"
