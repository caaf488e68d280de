"""CloudTrail's LookupEvents over the JSON 1.1 protocol, answering from the sandbox's Trail.

The wire contract comes from botocore's `cloudtrail` model, as the chime-sdk-voice emulation's does:
POST / with `X-Amz-Target: <targetPrefix>.<Operation>`, a SigV4 scope naming service `cloudtrail`,
the input checked against the model's shapes, errors as `{"__type", "message"}` with status 400.
LookupEvents' own rules (API reference): one lookup attribute at most, MaxResults 1–50 (default
50), a start time not after the end time, events newest first, NextToken valid only for the same
query. An access key not among the context's `trail_readers` (when set) is refused, as IAM refuses
a role without `cloudtrail:LookupEvents`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from botocore.loaders import Loader
from botocore.model import ServiceModel
from botocore.session import Session
from botocore.validate import ParamValidator

from bot.sandbox.auth import SignedRequest, access_key, authenticate
from bot.sandbox.context import SandboxContext
from bot.sandbox.errors import FrontDoorError
from bot.sandbox.records import ACCOUNT_ID
from bot.sandbox.trail import Trail, TrailEvent

SERVICE_NAME = "cloudtrail"
MODEL = ServiceModel(Loader().load_service_model(SERVICE_NAME, "service-2"), service_name=SERVICE_NAME)
TARGET_PREFIX: str = MODEL.metadata["targetPrefix"]
SIGNING_NAME: str = MODEL.metadata.get("signingName", MODEL.metadata["endpointPrefix"])
REGIONS = frozenset(Session().get_available_regions(SERVICE_NAME))
CONTENT_TYPE = f"application/x-amz-json-{MODEL.metadata['jsonVersion']}"
_LOOKUP = MODEL.operation_model("LookupEvents")
_KEYS = frozenset(MODEL.shape_for("LookupAttributeKey").enum)
_PAGE = 50


class CloudTrailError(Exception):
    def __init__(self, shape: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.shape, self.message, self.status = shape, message, status

    def response(self) -> web.Response:
        body = {"__type": self.shape, "message": self.message}
        return web.Response(status=self.status, text=json.dumps(body), content_type=CONTENT_TYPE)


def is_cloudtrail(request: web.Request) -> bool:
    return request.headers.get("X-Amz-Target", "").startswith(f"{TARGET_PREFIX}.")


class CloudTrailEndpoint:
    def __init__(self, context: SandboxContext) -> None:
        self._context = context

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        signed = SignedRequest(
            request.method, request.rel_url.raw_path, request.rel_url.raw_query_string, request.headers, raw
        )
        try:
            try:
                authenticate(signed, self._context.credentials, datetime.now(UTC), SIGNING_NAME, REGIONS)
            except FrontDoorError as error:
                raise CloudTrailError(error.shape, error.message, error.status) from None
            operation = request.headers["X-Amz-Target"].removeprefix(f"{TARGET_PREFIX}.")
            if request.method != "POST" or operation != _LOOKUP.name:
                raise CloudTrailError(
                    "UnknownOperationException", f"{operation} is not implemented by the Switchboard sandbox."
                )
            key = access_key(request.headers)
            readers = self._context.trail_readers
            if readers is not None and key not in readers:
                raise CloudTrailError(
                    "AccessDeniedException",
                    f"User: arn:aws:iam::{ACCOUNT_ID}:user/{key} is not authorized to perform: "
                    "cloudtrail:LookupEvents because no identity-based policy allows the "
                    "cloudtrail:LookupEvents action",
                )
            answer = lookup_events(self._context.trail, _decode(raw))
        except CloudTrailError as error:
            return error.response()
        return web.Response(text=json.dumps(answer), content_type=CONTENT_TYPE)


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        params = json.loads(raw or b"{}")
    except ValueError:
        raise CloudTrailError("SerializationException", "The request body is not valid JSON.") from None
    if not isinstance(params, dict):
        raise CloudTrailError("SerializationException", "The request body is not a JSON object.")
    report = ParamValidator().validate(params, _LOOKUP.input_shape)
    if report.has_errors():
        raise CloudTrailError("SerializationException", report.generate_report())
    return params


def lookup_events(trail: Trail, params: dict[str, Any]) -> dict[str, Any]:
    attributes = params.get("LookupAttributes") or []
    if len(attributes) > 1:
        raise CloudTrailError(
            "InvalidLookupAttributesException", "You can only specify one lookup attribute."
        )
    if any(attribute["AttributeKey"] not in _KEYS for attribute in attributes):
        raise CloudTrailError(
            "InvalidLookupAttributesException", f"AttributeKey must be one of {', '.join(sorted(_KEYS))}."
        )
    if params.get("EventCategory") not in (None, "insight"):
        raise CloudTrailError("InvalidEventCategoryException", "EventCategory must be insight.")
    start, end = params.get("StartTime"), params.get("EndTime")
    if start is not None and end is not None and start > end:
        raise CloudTrailError("InvalidTimeRangeException", "Start time must not be after end time.")
    size = params.get("MaxResults", _PAGE)
    if not 1 <= size <= _PAGE:
        raise CloudTrailError("InvalidMaxResultsException", f"MaxResults must be from 1 to {_PAGE}.")
    if params.get("EventCategory") == "insight":
        return {"Events": []}  # the sandbox has no Insights events
    found = [event for event in trail.events if _matches(event, attributes, start, end)]
    offset = _offset(params, found)
    page = found[offset : offset + size]
    answer: dict[str, Any] = {"Events": [event.wire() for event in page]}
    if offset + size < len(found):
        answer["NextToken"] = _token(params, offset + size)
    return answer


def _matches(
    event: TrailEvent, attributes: list[dict[str, str]], start: float | None, end: float | None
) -> bool:
    moment = event.time.timestamp()
    if (start is not None and moment < start) or (end is not None and moment > end):
        return False
    return all(
        attribute["AttributeValue"] in event.attribute(attribute["AttributeKey"]) for attribute in attributes
    )


def _query(params: dict[str, Any]) -> str:
    return json.dumps(
        {k: params.get(k) for k in ("LookupAttributes", "StartTime", "EndTime")}, sort_keys=True
    )


def _token(params: dict[str, Any], offset: int) -> str:
    return json.dumps({"q": _query(params), "o": offset})


def _offset(params: dict[str, Any], found: list[TrailEvent]) -> int:
    """Where a NextToken resumes; one from another query (or made up) is refused, as AWS refuses it."""
    token = params.get("NextToken")
    if token is None:
        return 0
    try:
        decoded = json.loads(token)
        offset = int(decoded["o"])
        valid = decoded["q"] == _query(params) and 0 <= offset <= len(found)
    except (ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        raise CloudTrailError("InvalidNextTokenException", "Invalid NextToken.")
    return offset
