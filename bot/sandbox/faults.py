"""Fault injection, so callers' retry, timeout and idempotency handling meet the failures AWS produces.

Knobs: a token-bucket rate limit per region (429), a seeded random error rate (500), added latency, a
one-shot script of faults consumed by the next matching request (optionally only for requests
signed for one region), and `down_regions`, whose every request fails, for deterministic tests.

Not every failure is the service's own JSON error: a load balancer in front of it answers 502
with an HTML page or 504 with nothing at all, and an identity AWS does not recognise is refused
with a 403 shape the service model does not list. Those are `RawAnswer`s, sent as they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Mapping
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.sandbox.errors import ApiError
from bot.sandbox.model import SERVICE_MODEL

FaultKind = Literal[
    "throttle",
    "error",
    "unavailable",
    "lost_response",
    "hang",
    "bad_gateway",
    "gateway_timeout",
    "server_error_html",
    "signature_rejected",
]
GatewayAnswer = Literal["bad_gateway", "gateway_timeout", "server_error_html"]
ANY_OPERATION = "*"

_ERRORS: dict[str, tuple[str, str]] = {
    "throttle": ("ThrottledClientException", "Rate exceeded."),
    "error": ("ServiceFailureException", "The service encountered an internal error (injected fault)."),
    "unavailable": ("ServiceUnavailableException", "The service is unavailable (injected fault)."),
    "lost_response": (
        "ServiceFailureException",
        "The service encountered an internal error after applying the request (injected lost response).",
    ),
}


class RawAnswer(Exception):
    """An answer that is not the service's modeled JSON error: sent with exactly this status,
    content type and body, and an `x-amzn-ErrorType` header only when `error_type` is set."""

    def __init__(self, status: int, body: str, content_type: str, error_type: str | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.content_type = content_type
        self.error_type = error_type

    def response(self) -> web.Response:
        headers = {"x-amzn-ErrorType": self.error_type} if self.error_type else {}
        return web.Response(
            status=self.status, text=self.body, content_type=self.content_type, headers=headers
        )


# What a load balancer answers when the service behind it fails or is slow: no AWS error at all.
_GATEWAY_ANSWERS: dict[str, tuple[int, str, str]] = {
    "bad_gateway": (
        502,
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>Bad Gateway</body>\r\n</html>\r\n",
        "text/html",
    ),
    "gateway_timeout": (504, "", "text/plain"),
    "server_error_html": (
        500,
        "<html><body><b>Http/1.1 Internal Server Error</b></body></html>",
        "text/html",
    ),
}


_GATEWAY_KINDS: dict[str, GatewayAnswer] = {
    "bad_gateway": "bad_gateway",
    "gateway_timeout": "gateway_timeout",
    "server_error_html": "server_error_html",
}


def gateway_answer(kind: GatewayAnswer) -> RawAnswer:
    """A load balancer's own error page (or empty body) for `kind`."""
    status, body, content_type = _GATEWAY_ANSWERS[kind]
    return RawAnswer(status, body, content_type)


def signature_rejected() -> RawAnswer:
    """What AWS answers when it does not recognise the access key (the sandbox never checks keys)."""
    return RawAnswer(
        403,
        '{"message":"The security token included in the request is invalid."}',
        "application/json",
        error_type="UnrecognizedClientException",
    )


class ScriptedFault(BaseModel):
    """One queued fault; `operation` is a model operation name or "*" for whatever comes next.

    `region`, when set, limits the fault to requests signed for that region. `gateway`, when set,
    delivers an error fault (including `lost_response`) as a load balancer's answer instead of
    the service's JSON error, so a lost response can also look like an empty 504.
    """

    model_config = ConfigDict(extra="forbid")

    operation: str = ANY_OPERATION
    fault: FaultKind
    seconds: float | None = Field(default=None, ge=0)
    region: str | None = None
    gateway: GatewayAnswer | None = None

    @field_validator("operation")
    @classmethod
    def _known_operation(cls, operation: str) -> str:
        if operation != ANY_OPERATION and operation not in SERVICE_MODEL.operation_names:
            raise ValueError(f"{operation!r} is not a chime-sdk-voice operation")
        return operation

    @model_validator(mode="after")
    def _hang_needs_seconds(self) -> ScriptedFault:
        if self.fault == "hang" and self.seconds is None:
            raise ValueError("a hang fault needs seconds")
        return self

    def matches(self, operation: str, region: str | None = None) -> bool:
        in_region = self.region is None or region is None or self.region == region
        return self.operation in (ANY_OPERATION, operation) and in_region

    def error(self) -> ApiError | RawAnswer:
        """The error this fault answers with (hang has none: it delays a normal answer)."""
        if self.fault == "signature_rejected":
            return signature_rejected()
        gateway = self.gateway or _GATEWAY_KINDS.get(self.fault)
        if gateway is not None:
            return gateway_answer(gateway)
        shape, message = _ERRORS[self.fault]
        return ApiError(shape, message)


class FaultSettings(BaseModel):
    """All knobs; the defaults inject nothing."""

    model_config = ConfigDict(extra="forbid")

    throttle_rps: float | None = Field(default=None, gt=0)
    error_rate: float = Field(default=0.0, ge=0, le=1)
    latency_ms: float = Field(default=0.0, ge=0)
    seed: int = 0
    script: list[ScriptedFault] = Field(default_factory=list)
    # Regions that are "down": every request signed for one of them fails until the list changes.
    down_regions: list[str] = Field(default_factory=list)
    down_answer: GatewayAnswer = "bad_gateway"


class _TokenBucket:
    """Allows bursts up to one second's worth of requests (at least one), refilled continuously."""

    def __init__(self, rate: float) -> None:
        self._rate = rate
        self._capacity = max(1.0, rate)
        self._tokens = self._capacity
        self._last = time.monotonic()

    def take(self) -> bool:
        current = time.monotonic()
        self._tokens = min(self._capacity, self._tokens + (current - self._last) * self._rate)
        self._last = current
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class FaultInjector:
    """Decides, per API request, which fault (if any) it meets."""

    def __init__(self, settings: FaultSettings) -> None:
        self._released = asyncio.Event()
        self._apply(settings)

    def _apply(self, settings: FaultSettings) -> None:
        self._settings = settings
        self._random = random.Random(settings.seed)
        self._buckets: dict[str | None, _TokenBucket] = {}  # one per region, as AWS throttles

    @property
    def settings(self) -> FaultSettings:
        return self._settings.model_copy(deep=True)

    def configure(self, changes: Mapping[str, Any]) -> FaultSettings:
        """Replace the given knobs (a given script replaces the queue); reseeds and refills the bucket."""
        self._apply(FaultSettings.model_validate(self._settings.model_dump() | dict(changes)))
        return self.settings

    def push(self, *faults: ScriptedFault) -> None:
        """Queue faults behind any already scripted."""
        self._settings.script.extend(faults)

    def choose(self, operation: str, region: str | None = None) -> ScriptedFault | None:
        """A down region's failure, else the scripted fault for this request, else throttling,
        else a random error, else None. `region` is the one the request was signed for."""
        if region is not None and region in self._settings.down_regions:
            down = self._settings.down_answer
            return ScriptedFault(operation=operation, fault=down, region=region)
        script = self._settings.script
        for index, fault in enumerate(script):
            if fault.matches(operation, region):
                return script.pop(index)
        if self._settings.throttle_rps is not None:
            bucket = self._buckets.setdefault(region, _TokenBucket(self._settings.throttle_rps))
            if not bucket.take():
                return ScriptedFault(operation=operation, fault="throttle")
        if self._settings.error_rate and self._random.random() < self._settings.error_rate:
            return ScriptedFault(operation=operation, fault="error")
        return None

    async def delay(self) -> None:
        """The configured latency, added to every API request."""
        await self.pause(self._settings.latency_ms / 1000)

    async def pause(self, seconds: float) -> None:
        """Sleep that ends early when the sandbox closes, so shutdown never waits on a hang."""
        if seconds > 0 and not self._released.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), seconds)

    def release(self) -> None:
        self._released.set()
