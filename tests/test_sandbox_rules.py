"""AWS rules the sandbox enforces, each driven through botocore as the bot would meet it."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from botocore.exceptions import ClientError

from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RunningSandbox
from bot.sandbox.cli import add_arguments, config_from
from bot.sandbox.inventory import SIP_MEDIA_APPLICATION_NUMBERS
from tests.helpers.sandbox_fixtures import SandboxFactory, signed_headers, voice_client

DIAL_IN = SIP_MEDIA_APPLICATION_NUMBERS[0]


async def error_of(call: Any, **arguments: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        await call(**arguments)
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


# Deletes (API reference DeleteVoiceConnectorGroup / DeleteVoiceConnector)


async def test_a_group_with_members_cannot_be_deleted_until_emptied(voice: Any) -> None:
    code, status, message = await error_of(
        voice.delete_voice_connector_group, VoiceConnectorGroupId=FAILOVER_GROUP_ID
    )
    assert (code, status) == ("ConflictException", 409)
    assert PRIMARY_CONNECTOR_ID in message and SECONDARY_CONNECTOR_ID in message

    emptied = await voice.update_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, Name="pstn-failover", VoiceConnectorItems=[]
    )
    assert emptied["VoiceConnectorGroup"]["VoiceConnectorItems"] == []
    await voice.delete_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID)
    groups = (await voice.list_voice_connector_groups())["VoiceConnectorGroups"]
    assert FAILOVER_GROUP_ID not in [group["VoiceConnectorGroupId"] for group in groups]


async def test_a_group_with_numbers_is_refused_even_once_emptied(voice: Any) -> None:
    await voice.associate_phone_numbers_with_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, E164PhoneNumbers=["+12065550100"]
    )
    await voice.update_voice_connector_group(
        VoiceConnectorGroupId=FAILOVER_GROUP_ID, Name="pstn-failover", VoiceConnectorItems=[]
    )

    code, status, message = await error_of(
        voice.delete_voice_connector_group, VoiceConnectorGroupId=FAILOVER_GROUP_ID
    )

    assert (code, status) == ("ConflictException", 409)
    assert "+12065550100" in message


async def test_a_connector_with_origination_and_proxy_can_be_deleted(voice: Any) -> None:
    """AWS documents only phone numbers as blocking DeleteVoiceConnector, so settings do not."""
    made = (await voice.create_voice_connector(Name="configured", RequireEncryption=True))["VoiceConnector"]
    connector_id = made["VoiceConnectorId"]
    await voice.put_voice_connector_origination(
        VoiceConnectorId=connector_id,
        Origination={"Routes": [{"Host": "192.0.2.1", "Protocol": "UDP", "Priority": 1, "Weight": 1}]},
    )
    await voice.put_voice_connector_proxy(
        VoiceConnectorId=connector_id, DefaultSessionExpiryMinutes=60, PhoneNumberPoolCountries=["US"]
    )

    await voice.delete_voice_connector(VoiceConnectorId=connector_id)

    code, _, _ = await error_of(voice.get_voice_connector, VoiceConnectorId=connector_id)
    assert code == "NotFoundException"


# Origination (model documentation of Origination.Routes: "Minimum value of 1")


@pytest.mark.parametrize("disabled", [None, True, False])
async def test_origination_routes_may_not_be_empty(voice: Any, disabled: bool | None) -> None:
    origination: dict[str, Any] = {"Routes": []}
    if disabled is not None:
        origination["Disabled"] = disabled

    code, status, message = await error_of(
        voice.put_voice_connector_origination, VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination=origination
    )

    assert (code, status) == ("BadRequestException", 400)
    assert "at least 1 route" in message


async def test_origination_may_be_disabled_without_routes(voice: Any) -> None:
    put = await voice.put_voice_connector_origination(
        VoiceConnectorId=PRIMARY_CONNECTOR_ID, Origination={"Disabled": True}
    )

    assert put["Origination"] == {"Routes": [], "Disabled": True}


# IDs in AWS's form; the API reference's sample IDs stay as printed in the seeds


async def test_new_ids_look_like_aws_ids_and_sample_ids_still_work(voice: Any) -> None:
    connector = (await voice.create_voice_connector(Name="shaped", RequireEncryption=True))["VoiceConnector"]
    group = (await voice.create_voice_connector_group(Name="shaped"))["VoiceConnectorGroup"]

    assert re.fullmatch(r"[a-z0-9]{22}", connector["VoiceConnectorId"])
    assert re.fullmatch(r"[a-z0-9]{21}", group["VoiceConnectorGroupId"])
    seeded = await voice.get_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID)
    assert seeded["VoiceConnectorGroup"]["VoiceConnectorGroupId"] == "123a456b-c7d8-90e1-fg23-4h567jkl8901"


# SIP media application numbers (Administrator Guide: Voice Connector numbers only on connectors)


async def test_sip_media_application_numbers_are_listed_with_their_product_type(voice: Any) -> None:
    everything = (await voice.list_phone_numbers(MaxResults=100, ProductType="SipMediaApplicationDialIn"))[
        "PhoneNumbers"
    ]
    one = (await voice.get_phone_number(PhoneNumberId=DIAL_IN))["PhoneNumber"]

    assert [n["PhoneNumberId"] for n in everything] == list(SIP_MEDIA_APPLICATION_NUMBERS)
    assert (one["ProductType"], one["Type"], one["Status"]) == (
        "SipMediaApplicationDialIn",
        "TollFree",
        "Unassigned",
    )


@pytest.mark.parametrize(
    ("operation", "target"),
    [
        ("associate_phone_numbers_with_voice_connector", {"VoiceConnectorId": PRIMARY_CONNECTOR_ID}),
        ("associate_phone_numbers_with_voice_connector_group", {"VoiceConnectorGroupId": FAILOVER_GROUP_ID}),
    ],
)
async def test_sip_media_application_numbers_cannot_go_to_connectors_or_groups(
    voice: Any, operation: str, target: dict[str, str]
) -> None:
    response = await getattr(voice, operation)(
        E164PhoneNumbers=[DIAL_IN, "+12065550100"], ForceAssociate=True, **target
    )

    [error] = response["PhoneNumberErrors"]
    assert (error["PhoneNumberId"], error["ErrorCode"]) == (DIAL_IN, "BadRequest")
    assert "SipMediaApplicationDialIn" in error["ErrorMessage"]
    number = (await voice.get_phone_number(PhoneNumberId=DIAL_IN))["PhoneNumber"]
    assert number["Associations"] == []
    moved = (await voice.get_phone_number(PhoneNumberId="+12065550100"))["PhoneNumber"]
    assert moved["Status"] == "Assigned"


# Quotas (AWS General Reference, "Amazon Chime SDK endpoints and quotas")


async def test_default_quotas_are_three_connectors_and_three_groups_per_region(
    sandbox_factory: SandboxFactory,
) -> None:
    sandbox = await sandbox_factory()
    async with voice_client(sandbox) as east, voice_client(sandbox, "us-west-2") as west:
        # The seeds hold one connector in each region and one group in us-east-1.
        for name in ("second", "third"):
            await east.create_voice_connector(Name=name, RequireEncryption=True)
            await east.create_voice_connector_group(Name=name)
        connector = await error_of(east.create_voice_connector, Name="fourth", RequireEncryption=True)
        group = await error_of(east.create_voice_connector_group, Name="fourth")
        elsewhere = await west.create_voice_connector(Name="west-second", RequireEncryption=True)

    assert connector[:2] == group[:2] == ("ResourceLimitExceededException", 400)
    assert "quota (3)" in connector[2] and "us-east-1" in group[2]
    assert elsewhere["VoiceConnector"]["AwsRegion"] == "us-west-2"


async def test_quotas_are_configurable_and_freed_by_deletes(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory(quotas={"voice_connectors": 1, "voice_connector_groups": 2})
    async with voice_client(sandbox) as voice:
        refused = await error_of(voice.create_voice_connector, Name="over", RequireEncryption=True)
        await voice.create_voice_connector_group(Name="second")
        await voice.update_voice_connector_group(
            VoiceConnectorGroupId=FAILOVER_GROUP_ID, Name="pstn-failover", VoiceConnectorItems=[]
        )
        await voice.delete_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID)
        again = await voice.create_voice_connector_group(Name="replacement")

    assert refused[0] == "ResourceLimitExceededException"
    assert again["VoiceConnectorGroup"]["Name"] == "replacement"


# SigV4 at the front door (AWS General Reference, Signature Version 4)

KEY, SECRET = "AKIDSANDBOXEXAMPLE", "sandbox-secret"


async def raw_call(sandbox: RunningSandbox, headers: dict[str, str]) -> tuple[int, str, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{sandbox.url}/voice-connectors", headers=headers) as reply,
    ):
        return reply.status, reply.headers["x-amzn-ErrorType"], await reply.json()


async def test_known_credentials_sign_every_kind_of_request(sandbox_factory: SandboxFactory) -> None:
    """Paths with percent-encoded labels, query strings and JSON bodies all verify."""
    sandbox = await sandbox_factory(credentials={KEY: SECRET})
    async with voice_client(sandbox, aws_access_key_id=KEY, aws_secret_access_key=SECRET) as voice:
        listed = await voice.list_voice_connectors(MaxResults=5)
        number = await voice.get_phone_number(PhoneNumberId="+12065550100")
        associated = await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, E164PhoneNumbers=["+12065550100"]
        )
        filtered = await voice.list_phone_numbers(
            FilterName="VoiceConnectorId", FilterValue=PRIMARY_CONNECTOR_ID
        )

    assert [c["VoiceConnectorId"] for c in listed["VoiceConnectors"]] == [PRIMARY_CONNECTOR_ID]
    assert number["PhoneNumber"]["PhoneNumberId"] == "+12065550100"
    assert associated["PhoneNumberErrors"] == []
    assert [n["PhoneNumberId"] for n in filtered["PhoneNumbers"]] == ["+12065550100"]


@pytest.mark.parametrize(
    ("key", "secret", "code", "message"),
    [
        (KEY, "not-the-secret", "InvalidSignatureException", "does not match the signature you provided"),
        ("AKIDSOMEONEELSE", SECRET, "UnrecognizedClientException", "security token included in the request"),
    ],
)
async def test_wrong_secrets_and_unknown_keys_are_refused(
    sandbox_factory: SandboxFactory, key: str, secret: str, code: str, message: str
) -> None:
    sandbox = await sandbox_factory(credentials={KEY: SECRET})
    async with voice_client(sandbox, aws_access_key_id=key, aws_secret_access_key=secret) as voice:
        refused = await error_of(voice.list_voice_connectors)

    assert refused[:2] == (code, 403)
    assert message in refused[2]


async def test_without_credentials_any_key_is_accepted(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory()
    async with voice_client(sandbox, aws_access_key_id="AKIDANY", aws_secret_access_key="any") as voice:
        listed = await voice.list_voice_connectors()

    assert listed["VoiceConnectors"]


async def test_the_scope_must_name_a_chime_sdk_voice_region(sandbox_factory: SandboxFactory) -> None:
    sandbox = await sandbox_factory()
    async with voice_client(sandbox, "us-east-2") as voice:
        refused = await error_of(voice.list_voice_connectors)

    assert refused == (
        "InvalidSignatureException",
        403,
        "Credential should be scoped to a valid region, not 'us-east-2'.",
    )


async def test_the_scope_must_name_the_chime_service(sandbox: RunningSandbox) -> None:
    headers = signed_headers("GET", f"{sandbox.url}/voice-connectors", service="execute-api")

    status, error_type, body = await raw_call(sandbox, headers)

    assert (status, error_type) == (403, "InvalidSignatureException")
    assert body == {"message": "Credential should be scoped to correct service: 'chime'."}


@pytest.mark.parametrize(
    ("minutes", "phrase"), [(-20, "Signature expired"), (20, "Signature not yet current")]
)
async def test_x_amz_date_must_be_within_15_minutes(
    sandbox_factory: SandboxFactory, minutes: int, phrase: str
) -> None:
    """Checked with and without known credentials: a correct signature made at the wrong time fails."""
    signed_at = (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y%m%dT%H%M%SZ")
    for credentials in (None, {KEY: SECRET}):
        sandbox = await sandbox_factory(credentials=credentials)
        headers = signed_headers("GET", f"{sandbox.url}/voice-connectors", key=KEY, secret=SECRET)
        headers["Authorization"] = headers["Authorization"].replace(headers["X-Amz-Date"][:8], signed_at[:8])
        headers["X-Amz-Date"] = signed_at

        status, error_type, body = await raw_call(sandbox, headers)

        assert (status, error_type) == (403, "InvalidSignatureException")
        assert body["message"].startswith(f"{phrase}: {signed_at} is ")


async def test_a_malformed_authorization_header_is_incomplete(sandbox: RunningSandbox) -> None:
    headers = signed_headers("GET", f"{sandbox.url}/voice-connectors")
    headers["Authorization"] = headers["Authorization"].split(", Signature=")[0]

    status, error_type, body = await raw_call(sandbox, headers)

    assert (status, error_type) == (403, "IncompleteSignatureException")
    assert body == {"message": "Authorization header requires 'Signature' parameter."}


def test_command_line_sets_credentials_and_quotas() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)

    config = config_from(
        parser.parse_args(["--credentials", f"{KEY}:{SECRET}", "--quota", "voice_connector_groups=5"])
    )

    assert config.credentials == {KEY: SECRET}
    assert (config.quotas.voice_connectors, config.quotas.voice_connector_groups) == (3, 5)
    for wrong in (
        ["--quota", "phone_numbers=9"],
        ["--quota", "voice_connectors=many"],
        ["--credentials", "K"],
    ):
        with pytest.raises(SystemExit):
            parser.parse_args(wrong)
