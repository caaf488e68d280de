"""The raw wire contract: what any REST-JSON client sees, checked below botocore's parsing."""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sandbox import PRIMARY_CONNECTOR_ID, RunningSandbox
from tests.helpers.sandbox_fixtures import signed_headers

ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


async def call(
    sandbox: RunningSandbox, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any
) -> tuple[int, dict[str, str], Any]:
    """A raw request, signed by botocore's SigV4 code unless `headers` are given."""
    if "json" in kwargs:
        kwargs["data"] = json.dumps(kwargs.pop("json")).encode()
        kwargs["headers"] = {"Content-Type": "application/json"}
    payload: bytes = kwargs.get("data") or b""
    url = sandbox.url + path
    sent = (headers if headers is not None else signed_headers(method, url, payload)) | kwargs.pop(
        "headers", {}
    )
    async with aiohttp.ClientSession() as http, http.request(method, url, headers=sent, **kwargs) as reply:
        body = await reply.json(content_type=None) if await reply.read() else None
        return reply.status, dict(reply.headers), body


async def test_success_carries_request_id_and_millisecond_timestamps(sandbox: RunningSandbox) -> None:
    status, headers, body = await call(sandbox, "GET", f"/voice-connectors/{PRIMARY_CONNECTOR_ID}")

    assert status == 200
    assert re.fullmatch(r"[0-9a-f-]{36}", headers["x-amzn-RequestId"])
    assert ISO_MS.fullmatch(body["VoiceConnector"]["CreatedTimestamp"])
    assert body["VoiceConnector"]["CreatedTimestamp"] == "2024-01-15T09:30:00.000Z"


async def test_missing_signature_is_forbidden(sandbox: RunningSandbox) -> None:
    status, headers, body = await call(sandbox, "GET", "/voice-connectors", headers={})

    assert status == 403
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert body == {"message": "Missing Authentication Token"}
    assert "x-amzn-RequestId" in headers


async def test_unknown_route_is_an_unknown_operation(sandbox: RunningSandbox) -> None:
    status, headers, body = await call(sandbox, "GET", "/no-such-thing")

    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert body == {"message": "No operation matches GET /no-such-thing."}
    assert "x-amzn-RequestId" in headers


async def test_model_operations_outside_the_sandbox_say_so(sandbox: RunningSandbox) -> None:
    status, _, body = await call(sandbox, "GET", "/voice-profile-domains")

    assert status == 404
    assert body["Message"] == "ListVoiceProfileDomains is not implemented by the Switchboard sandbox."


async def test_query_discriminator_selects_the_operation(sandbox: RunningSandbox) -> None:
    path = f"/voice-connectors/{PRIMARY_CONNECTOR_ID}"
    numbers = {"E164PhoneNumbers": ["+12065550100"]}

    associated = await call(sandbox, "POST", f"{path}?operation=associate-phone-numbers", json=numbers)
    disassociated = await call(sandbox, "POST", f"{path}?operation=disassociate-phone-numbers", json=numbers)
    neither = await call(sandbox, "POST", path, json=numbers)

    assert associated[0] == disassociated[0] == 200
    assert associated[2] == disassociated[2] == {"PhoneNumberErrors": []}
    assert neither[0] == 404


async def test_malformed_json_is_a_bad_request(sandbox: RunningSandbox) -> None:
    status, headers, body = await call(sandbox, "POST", "/voice-connectors", data=b"{nope")

    assert status == 400
    assert headers["x-amzn-ErrorType"] == "BadRequestException"
    assert body["Message"] == "The request body is not valid JSON."


async def test_wrong_json_types_are_named(sandbox: RunningSandbox) -> None:
    status, _, body = await call(
        sandbox, "POST", "/voice-connectors", json={"Name": 7, "RequireEncryption": "yes"}
    )

    assert status == 400
    assert body["Message"].startswith("2 validation errors detected:")
    assert "'Name' failed to satisfy constraint: Member must be a string" in body["Message"]
    assert "'RequireEncryption' failed to satisfy constraint: Member must be a boolean" in body["Message"]


@pytest.mark.parametrize(
    ("shape", "status"),
    [
        ("BadRequestException", 400),
        ("NotFoundException", 404),
        ("ConflictException", 409),
        ("ThrottledClientException", 429),
        ("ServiceFailureException", 500),
        ("ServiceUnavailableException", 503),
    ],
)
async def test_botocore_parses_every_error_shape(
    sandbox: RunningSandbox, voice: Any, shape: str, status: int
) -> None:
    """One real trigger per shape, so the status/header/body trio is checked end to end."""
    triggers = {
        "BadRequestException": lambda: voice.list_voice_connectors(MaxResults=500),
        "NotFoundException": lambda: voice.get_voice_connector(VoiceConnectorId="zzzzzzzzzzzzzzzzzzzzzz"),
        "ConflictException": lambda: voice.delete_voice_connector(VoiceConnectorId=PRIMARY_CONNECTOR_ID),
    }
    faults = {"ThrottledClientException": "throttle", "ServiceFailureException": "error"}
    faults["ServiceUnavailableException"] = "unavailable"
    if shape in faults:
        sandbox.faults.configure({"script": [{"operation": "ListVoiceConnectors", "fault": faults[shape]}]})
        triggers[shape] = voice.list_voice_connectors

    with pytest.raises(ClientError) as caught:
        await triggers[shape]()

    assert caught.value.response["Error"]["Code"] == shape
    assert caught.value.response["Error"]["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert caught.value.response["ResponseMetadata"]["RequestId"]


_ROUTE_MEMBERS = ["Routes", "Disabled", "Host", "Port", "Protocol", "Priority", "Weight"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 70_000)
    | st.sampled_from(["", "TCP", "UDP", "sip.example.com"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_ROUTE_MEMBERS), inner, max_size=5)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(origination=json_values)
async def test_arbitrary_origination_bodies_get_200_or_400_never_500(
    sandbox: RunningSandbox, origination: Any
) -> None:
    status, headers, body = await call(
        sandbox,
        "PUT",
        f"/voice-connectors/{PRIMARY_CONNECTOR_ID}/origination",
        json={"Origination": origination},
    )

    assert status in (200, 400), body
    if status == 400:
        assert headers["x-amzn-ErrorType"] == "BadRequestException"
