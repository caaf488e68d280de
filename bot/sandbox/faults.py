"""Fault injection, so callers' retry, timeout and idempotency handling meet the failures AWS produces.

Knobs: a token-bucket rate limit (429), a seeded random error rate (500), added latency, and a
one-shot script of faults consumed by the next matching request, for deterministic tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.sandbox.errors import ApiError
from bot.sandbox.model import SERVICE_MODEL

FaultKind = Literal["throttle", "error", "unavailable", "lost_response", "hang"]
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


class ScriptedFault(BaseModel):
    """One queued fault; `operation` is a model operation name or "*" for whatever comes next."""

    model_config = ConfigDict(extra="forbid")

    operation: str = ANY_OPERATION
    fault: FaultKind
    seconds: float | None = Field(default=None, ge=0)

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

    def matches(self, operation: str) -> bool:
        return self.operation in (ANY_OPERATION, operation)

    def error(self) -> ApiError:
        """The error this fault answers with (hang has none: it delays a normal answer)."""
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
        self._bucket = None if settings.throttle_rps is None else _TokenBucket(settings.throttle_rps)

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

    def choose(self, operation: str) -> ScriptedFault | None:
        """The scripted fault for this request, else throttling, else a random error, else None."""
        script = self._settings.script
        for index, fault in enumerate(script):
            if fault.matches(operation):
                return script.pop(index)
        if self._bucket is not None and not self._bucket.take():
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
