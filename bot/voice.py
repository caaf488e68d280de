"""VoiceService: the only door to Chime SDK Voice (aiobotocore `chime-sdk-voice`).

One aiobotocore session, one long-lived client per region (opened on first use, closed at
shutdown). Retries are ours, not botocore's: botocore's standard mode does not retry the 429
`ThrottledClientException`, and its legacy mode would blindly resend a create whose outcome is
unknown. Here reads and idempotent writes are retried with capped, jittered exponential backoff;
a create is resent only when the request certainly had no effect (throttled, or never connected),
and otherwise reconciled by name before anything is reported.
"""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Self

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel

from bot import metrics
from bot.aws_errors import THROTTLED, VoiceError, explain
from bot.models import (
    Origination,
    PhoneNumber,
    Proxy,
    VoiceConnector,
    VoiceConnectorGroup,
)
from bot.settings import AwsSettings
from bot.throttle import ThrottleGate
from commands import Reference

log = logging.getLogger(__name__)

SERVICE = "chime-sdk-voice"
_PAGE_SIZE = 100
_CLOCK_SKEW = timedelta(seconds=30)


class Located(BaseModel):
    """A connector or group and the region it lives in: every later call goes to that region."""

    kind: Literal["connector", "group"]
    id: str
    name: str
    region: str
    resource: VoiceConnector | VoiceConnectorGroup


class VoiceService:
    """Typed, retried, region-aware calls to Chime SDK Voice."""

    def __init__(
        self, settings: AwsSettings, *, session: AioSession | None = None, retry_base_delay: float = 0.25
    ) -> None:
        self.settings = settings
        self._session = session or get_session()
        self._stack = AsyncExitStack()
        self._clients: dict[str, Any] = {}
        self._client_lock = asyncio.Lock()
        self._retry_base_delay = retry_base_delay
        self._gates: dict[str, ThrottleGate] = {}
        self._config = AioConfig(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries={"mode": "standard", "total_max_attempts": 1},
            max_pool_connections=max(10, settings.max_concurrency * 2),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._stack.aclose()
        self._clients.clear()

    async def has_credentials(self) -> bool:
        return await self._session.get_credentials() is not None

    @property
    def regions(self) -> list[str]:
        return list(self.settings.voice_regions)

    @property
    def home_region(self) -> str:
        """Where account-wide calls (phone numbers) go."""
        return self.settings.voice_default_region

    async def _client(self, region: str) -> Any:
        async with self._client_lock:
            if region not in self._clients:
                self._clients[region] = await self._stack.enter_async_context(
                    self._session.create_client(
                        SERVICE,
                        region_name=region,
                        endpoint_url=self.settings.endpoint_url,
                        config=self._config,
                    )
                )
            return self._clients[region]

    async def call(
        self, region: str, operation: str, params: dict[str, Any], *, idempotent: bool = True
    ) -> Any:
        """One API call with our retry policy; raises VoiceError with the AWS code and message.

        429s are retried (for creates too: AWS did nothing) behind the region's shared gate, for up
        to `max_throttle_seconds`; other retryable failures up to `max_attempts` times, and for
        creates (`idempotent=False`) only when the request certainly never reached AWS.
        """
        client = await self._client(region)
        method = getattr(client, xform_name(operation))
        gate = self._gates.setdefault(region, ThrottleGate(self._retry_base_delay))
        loop = asyncio.get_running_loop()
        first_throttled: float | None = None
        failures = 0
        while True:
            await gate.wait()
            try:
                with metrics.AWS_CALLS.labels(operation).time():
                    response = await method(**params)
                gate.succeeded()
                response.pop("ResponseMetadata", None)
                return response
            except (ClientError, BotoCoreError) as raised:
                error = explain(operation, raised)
                metrics.AWS_ERRORS.labels(operation, error.code).inc()
            if error.code in THROTTLED:
                first_throttled = first_throttled or loop.time()
                if loop.time() - first_throttled > self.settings.max_throttle_seconds:
                    raise error
                gate.throttled()
                continue
            failures += 1
            may_retry = error.retryable and (idempotent or error.code == "ConnectionFailed")
            if not may_retry or failures >= self.settings.max_attempts:
                raise error
            log.warning("retrying %s in %s after %s (failure %d)", operation, region, error.code, failures)
            await asyncio.sleep(random.uniform(0, min(10.0, self._retry_base_delay * 2**failures)))

    async def _pages(
        self, region: str, operation: str, key: str, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Follow NextToken to the end (botocore has no paginators for these operations)."""
        items: list[dict[str, Any]] = []
        request: dict[str, Any] = {**(params or {}), "MaxResults": _PAGE_SIZE}
        while True:
            page = await self.call(region, operation, request)
            items.extend(page.get(key, []))
            token = page.get("NextToken")
            if not token:
                return items
            request = {**request, "NextToken": token}

    # Reads ---------------------------------------------------------------------------------

    async def list_connectors(self, region: str) -> list[VoiceConnector]:
        items = await self._pages(region, "ListVoiceConnectors", "VoiceConnectors")
        return [VoiceConnector.model_validate(item) for item in items]

    async def list_groups(self, region: str) -> list[VoiceConnectorGroup]:
        items = await self._pages(region, "ListVoiceConnectorGroups", "VoiceConnectorGroups")
        return [VoiceConnectorGroup.model_validate(item) for item in items]

    async def list_everywhere(
        self, lister: Callable[[str], Awaitable[list[Any]]], regions: Sequence[str] | None = None
    ) -> dict[str, list[Any]]:
        """Run a per-region listing in every region at once."""
        chosen = list(regions or self.regions)
        results = await asyncio.gather(*(lister(region) for region in chosen))
        return dict(zip(chosen, results, strict=True))

    async def get_origination(self, region: str, connector_id: str) -> Origination | None:
        """The connector's origination, or None when it was never set (AWS answers 404)."""
        try:
            response = await self.call(
                region, "GetVoiceConnectorOrigination", {"VoiceConnectorId": connector_id}
            )
        except VoiceError as error:
            if error.code == "NotFoundException":
                return None
            raise
        return Origination.model_validate(response.get("Origination") or {})

    async def get_proxy(self, region: str, connector_id: str) -> Proxy | None:
        """The connector's proxy settings, or None when none are set."""
        try:
            response = await self.call(region, "GetVoiceConnectorProxy", {"VoiceConnectorId": connector_id})
        except VoiceError as error:
            if error.code == "NotFoundException":
                return None
            raise
        return Proxy.model_validate(response.get("Proxy") or {})

    async def list_phone_numbers(
        self, *, filter_name: str | None = None, filter_value: str | None = None, status: str | None = None
    ) -> list[PhoneNumber]:
        params: dict[str, Any] = {}
        if filter_name and filter_value:
            params.update(FilterName=filter_name, FilterValue=filter_value)
        if status:
            params["Status"] = status
        items = await self._pages(self.home_region, "ListPhoneNumbers", "PhoneNumbers", params)
        return [PhoneNumber.model_validate(item) for item in items]

    async def phone_numbers_by_e164(self, numbers: list[str]) -> dict[str, PhoneNumber]:
        """The account's records for the given numbers (missing ones are simply absent).

        One paginated listing rather than a GetPhoneNumber per number: a bulk change of thousands
        of numbers would otherwise cost thousands of calls against a throttled API.
        """
        wanted = set(numbers)
        return {
            number.number: number for number in await self.list_phone_numbers() if number.number in wanted
        }

    async def locate(self, reference: Reference) -> Located:
        """Find a connector or group by ID or exact name across the configured regions, concurrently.

        A name used by more than one resource is refused rather than guessed.
        """
        if reference.kind == "connector":
            found = await self.list_everywhere(self.list_connectors)
        else:
            found = await self.list_everywhere(self.list_groups)
        by_id: list[Located] = []
        by_name: list[Located] = []
        for region, resources in found.items():
            for resource in resources:
                located = _located(reference.kind, region, resource)
                if located.id == reference.text:
                    by_id.append(located)
                elif located.name == reference.text:
                    by_name.append(located)
        matches = by_id or by_name
        what = "voice connector" if reference.kind == "connector" else "voice connector group"
        if not matches:
            raise VoiceError(
                f"Locate{reference.kind.title()}",
                "NotFoundException",
                f"No {what} has the ID or name '{reference.text}' in {', '.join(self.regions)}.",
            )
        if len(matches) > 1:
            listed = "; ".join(f"{match.id} in {match.region}" for match in matches)
            raise VoiceError(
                f"Locate{reference.kind.title()}",
                "AmbiguousName",
                f"{len(matches)} {what}s are named '{reference.text}' ({listed}): use the ID instead.",
            )
        return matches[0]

    # Changes -------------------------------------------------------------------------------

    async def create_connector(self, region: str, params: dict[str, Any]) -> tuple[VoiceConnector, bool]:
        """Create a connector; returns (connector, reconciled) where reconciled means the response
        was lost and the connector was found by name afterwards."""
        created, reconciled = await self._create(
            region, "CreateVoiceConnector", "VoiceConnector", params, self.list_connectors
        )
        return VoiceConnector.model_validate(created), reconciled

    async def create_group(self, region: str, params: dict[str, Any]) -> tuple[VoiceConnectorGroup, bool]:
        """Create a group; the same reconciliation as `create_connector`."""
        created, reconciled = await self._create(
            region, "CreateVoiceConnectorGroup", "VoiceConnectorGroup", params, self.list_groups
        )
        return VoiceConnectorGroup.model_validate(created), reconciled

    async def _create(
        self,
        region: str,
        operation: str,
        key: str,
        params: dict[str, Any],
        lister: Callable[[str], Awaitable[list[Any]]],
    ) -> tuple[Any, bool]:
        """Send a create once; if its outcome is unknown or the answer lacks the resource, find it by name."""
        started = datetime.now(UTC)
        try:
            response = await self.call(region, operation, params, idempotent=False)
        except VoiceError as error:
            if not error.maybe_applied:
                raise
            return await self._created_since(region, params["Name"], started, lister, error), True
        if key in response:
            return response[key], False
        missing = VoiceError(operation, "IncompleteResponse", f"AWS's answer did not include the new {key}.")
        return await self._created_since(region, params["Name"], started, lister, missing), True

    async def _created_since(
        self,
        region: str,
        name: str,
        started: datetime,
        lister: Callable[[str], Awaitable[list[Any]]],
        original: VoiceError,
    ) -> Any:
        """After a create whose response was lost: was exactly one resource of that name made?"""
        log.warning(
            "create of %r in %s has an unknown outcome (%s); reconciling by name", name, region, original.code
        )
        candidates = [
            resource
            for resource in await lister(region)
            if resource.name == name
            and resource.created_timestamp is not None
            and resource.created_timestamp >= started - _CLOCK_SKEW
        ]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise VoiceError(
                original.operation,
                original.code,
                f"{original.message} Nothing named '{name}' was created, so it is safe to try again.",
                status=original.status,
                request_id=original.request_id,
            )
        raise VoiceError(
            original.operation,
            "OutcomeUnknown",
            f"{len(candidates)} resources named '{name}' appeared since the request: "
            "check them and delete the duplicates.",
            maybe_applied=True,
        )

    async def apply(self, operation: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send one change. Creates go through reconciliation; every other change is idempotent
        (a resent Put, associate or delete ends in the same state), so it is retried normally."""
        if operation == "CreateVoiceConnector":
            connector, reconciled = await self.create_connector(region, params)
            return {"VoiceConnector": connector.to_api(), "Reconciled": reconciled}
        if operation == "CreateVoiceConnectorGroup":
            group, reconciled = await self.create_group(region, params)
            return {"VoiceConnectorGroup": group.to_api(), "Reconciled": reconciled}
        return dict(await self.call(region, operation, params))


def _located(kind: Literal["connector", "group"], region: str, resource: Any) -> Located:
    if isinstance(resource, VoiceConnector):
        return Located(
            kind=kind, id=resource.voice_connector_id, name=resource.name, region=region, resource=resource
        )
    return Located(
        kind=kind, id=resource.voice_connector_group_id, name=resource.name, region=region, resource=resource
    )
