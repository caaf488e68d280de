"""VoiceService: the only door to Chime SDK Voice (aiobotocore `chime-sdk-voice`).

One aiobotocore session, one long-lived client per region (opened on first use, closed at
shutdown). Retries are ours, not botocore's: botocore's standard mode does not retry the 429
`ThrottledClientException`, and its legacy mode would blindly resend a create whose outcome is
unknown. Here reads and idempotent writes are retried with capped, jittered exponential backoff;
a create is resent only when the request certainly had no effect (throttled, or never connected),
and otherwise reconciled by name before anything is reported.
"""

import asyncio
import difflib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Literal, Self, TypeVar

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel

from bot import metrics
from bot.aws_clients import Clients, open_clients
from bot.aws_errors import THROTTLED, VoiceError, explain
from bot.settings import AwsSettings
from bot.throttle import ThrottleGate
from voice_domain.located import Located, Reference
from voice_domain.shapes import (
    Origination,
    PhoneNumber,
    Proxy,
    VoiceConnector,
    VoiceConnectorGroup,
)

log = logging.getLogger(__name__)

_PAGE_SIZE = 100
_CLOCK_SKEW = timedelta(seconds=30)
_CREATES = frozenset({"CreateVoiceConnector", "CreateVoiceConnectorGroup"})
# Chime SDK Voice names its side-effect-free operations with these verbs; everything else changes state.
_READ_VERBS = ("Get", "List", "Search", "Validate")


def mutates(operation: str) -> bool:
    """Whether an operation can change anything, so whether "it may have been applied" means anything."""
    return not operation.startswith(_READ_VERBS)


T = TypeVar("T")
S = TypeVar("S", bound=BaseModel)


@dataclass(frozen=True)
class Across(Generic[T]):
    """A listing from every region that answered, and the failure of each one that did not."""

    found: dict[str, list[T]]
    unanswered: dict[str, VoiceError]

    def warnings(self) -> list[str]:
        return [region_warning(region, error) for region, error in self.unanswered.items()]


def region_warning(region: str, error: VoiceError) -> str:
    """One line naming the silent region and why, so nobody reads a partial list as the whole."""
    return f"{region} did not answer: {error.code}: {error.message}".rstrip(": ")


CredentialState = Literal["accepted", "refused", "denied", "absent", "unverified"]


@dataclass(frozen=True)
class CredentialCheck:
    """Whether AWS accepted the bot's credentials the last time it was asked, and what it said.

    `unverified` (AWS did not answer) is not a readiness problem: an AWS outage would otherwise
    take every replica out of service at once, and Slack users would get nothing at all.
    """

    state: CredentialState
    detail: str

    @property
    def problem(self) -> str | None:
        """The readiness problem this is, if any, named so an operator knows what to fix."""
        if self.state == "absent":
            return "no AWS credentials"
        if self.state == "refused":
            return f"AWS credentials refused: {self.detail}"
        if self.state == "denied":
            return f"AWS credentials accepted but not allowed to list voice connectors: {self.detail}"
        return None


class VoiceService:
    """Typed, retried, region-aware calls to Chime SDK Voice."""

    def __init__(
        self,
        settings: AwsSettings,
        *,
        clients: Clients | None = None,
        retry_base_delay: float = 0.25,
        credential_check_ttl: float = 60.0,
    ) -> None:
        """`clients`: the transport (see bot/aws_clients.py); aiobotocore unless given."""
        self.settings = settings
        self.clients = clients or open_clients(settings, "async")
        self._retry_base_delay = retry_base_delay
        self._gates: dict[str, ThrottleGate] = {}
        self._credential_check_ttl = credential_check_ttl
        self._credential_check: tuple[float, CredentialCheck] | None = None
        self._credential_lock = asyncio.Lock()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.clients.close()

    async def has_credentials(self) -> bool:
        return await self.clients.has_credentials()

    async def check_credentials(self) -> CredentialCheck:
        """Whether AWS accepts the credentials, not only whether some resolve: a revoked or mistyped
        key is "present" yet fails every command. One cheap signed call, remembered for
        `credential_check_ttl` seconds so frequent readiness probes cost AWS (and its throttle)
        almost nothing; concurrent probes share one call."""
        async with self._credential_lock:
            now = asyncio.get_running_loop().time()
            if (
                self._credential_check is not None
                and now - self._credential_check[0] < self._credential_check_ttl
            ):
                return self._credential_check[1]
            check = await self._probe_credentials()
            self._credential_check = (asyncio.get_running_loop().time(), check)
            return check

    async def _probe_credentials(self) -> CredentialCheck:
        """ListVoiceConnectors with MaxResults=1 in the home region, once: no retries, since a
        readiness probe must answer quickly and the next probe is the retry."""
        if not await self.has_credentials():
            return CredentialCheck("absent", "no AWS credentials resolve")
        client = await self._client(self.home_region)
        try:
            await client.list_voice_connectors(MaxResults=1)
        except (ClientError, BotoCoreError) as raised:
            return _credential_verdict(explain("ListVoiceConnectors", raised))
        return CredentialCheck("accepted", f"ListVoiceConnectors in {self.home_region} succeeded")

    @property
    def regions(self) -> list[str]:
        return list(self.settings.voice_regions)

    @property
    def home_region(self) -> str:
        """Where account-wide calls (phone numbers) go."""
        return self.settings.voice_default_region

    async def _client(self, region: str) -> Any:
        return await self.clients.client(region)

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
        uncertain: VoiceError | None = None  # an earlier attempt AWS may have acted on
        while True:
            await gate.wait()
            try:
                with metrics.timed_aws_call(operation):
                    response = await method(**params)
                gate.succeeded()
                response.pop("ResponseMetadata", None)
                return response
            except (ClientError, BotoCoreError) as raised:
                error = explain(operation, raised)
                metrics.count_aws_error(operation, error.code)
            uncertain = uncertain or (error if error.maybe_applied else None)
            if error.code in THROTTLED:
                first_throttled = first_throttled or loop.time()
                if loop.time() - first_throttled > self.settings.max_throttle_seconds:
                    raise settled(error, uncertain)
                gate.throttled()
                continue
            failures += 1
            may_retry = error.retryable and (idempotent or error.code == "ConnectionFailed")
            if not may_retry or failures >= self.settings.max_attempts:
                raise settled(error, uncertain)
            log.warning("retrying %s in %s after %s (failure %d)", operation, region, error.code, failures)
            await asyncio.sleep(random.uniform(0, min(10.0, self._retry_base_delay * 2**failures)))

    async def pages(
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
        items = await self.pages(region, "ListVoiceConnectors", "VoiceConnectors")
        return [VoiceConnector.model_validate(item) for item in items]

    async def list_groups(self, region: str) -> list[VoiceConnectorGroup]:
        items = await self.pages(region, "ListVoiceConnectorGroups", "VoiceConnectorGroups")
        return [VoiceConnectorGroup.model_validate(item) for item in items]

    async def list_everywhere(
        self, lister: Callable[[str], Awaitable[list[Any]]], regions: Sequence[str] | None = None
    ) -> dict[str, list[Any]]:
        """Run a per-region listing in every region at once; any region's failure fails it all.

        What a change is planned on uses this: a connector must not be deleted while a group in a
        silent region may still list it, nor a name taken while a silent region may hold it.
        """
        chosen = list(regions or self.regions)
        results = await asyncio.gather(*(lister(region) for region in chosen))
        return dict(zip(chosen, results, strict=True))

    async def list_reachable(
        self, lister: Callable[[str], Awaitable[list[T]]], regions: Sequence[str] | None = None
    ) -> Across[T]:
        """Run a per-region listing in every region at once, keeping what the answering regions
        said: one region's outage should not blind the bot to the others. Fails only when no
        region answered (with the first region's error, so e.g. missing credentials are named)."""
        chosen = list(regions or self.regions)
        answers = await asyncio.gather(*(_answer(lister, region) for region in chosen))
        found = {
            region: answer for region, answer in zip(chosen, answers, strict=True) if isinstance(answer, list)
        }
        unanswered = {
            region: answer
            for region, answer in zip(chosen, answers, strict=True)
            if isinstance(answer, VoiceError)
        }
        if not found:
            first = next(iter(unanswered.values()))
            regions_tried = ", ".join(unanswered)
            raise replace(first, message=f"{first.message} (no configured region answered: {regions_tried})")
        for region, error in unanswered.items():
            log.warning("listing in %s failed (%s); answering with the other regions", region, error.code)
        return Across(found, unanswered)

    async def get_setting(
        self, region: str, operation: str, connector_id: str, key: str, shape: type[S]
    ) -> S | None:
        """One of a connector's settings (origination, proxy, termination …) read with its Get
        operation, or None when it was never set (AWS answers 404)."""
        try:
            response = await self.call(region, operation, {"VoiceConnectorId": connector_id})
        except VoiceError as error:
            if error.code == "NotFoundException":
                return None
            raise
        return shape.model_validate(response.get(key) or {})

    async def get_origination(self, region: str, connector_id: str) -> Origination | None:
        return await self.get_setting(
            region, "GetVoiceConnectorOrigination", connector_id, "Origination", Origination
        )

    async def get_proxy(self, region: str, connector_id: str) -> Proxy | None:
        return await self.get_setting(region, "GetVoiceConnectorProxy", connector_id, "Proxy", Proxy)

    async def list_phone_numbers(
        self, *, filter_name: str | None = None, filter_value: str | None = None, status: str | None = None
    ) -> list[PhoneNumber]:
        params: dict[str, Any] = {}
        if filter_name and filter_value:
            params.update(FilterName=filter_name, FilterValue=filter_value)
        if status:
            params["Status"] = status
        items = await self.pages(self.home_region, "ListPhoneNumbers", "PhoneNumbers", params)
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

    async def locate(self, reference: Reference, *, partial_ok: bool = False) -> Located:
        """Find a connector or group by ID or exact name across the configured regions, concurrently.

        A name used by more than one resource is refused rather than guessed. When a region did
        not answer, a name cannot be proven unique: by default (for changes) the name is refused;
        with `partial_ok` (for reads) the match is returned with a warning saying so. An ID match
        is certain either way.
        """
        lister = self.list_connectors if reference.kind == "connector" else self.list_groups
        across: Across[Any] = await self.list_reachable(lister)
        by_id: list[Located] = []
        by_name: list[Located] = []
        names: set[str] = set()
        for region, resources in across.found.items():
            for resource in resources:
                located = _located(reference.kind, region, resource)
                names.add(located.name)
                if located.id == reference.text:
                    by_id.append(located)
                elif located.name == reference.text:
                    by_name.append(located)
        matches = by_id or by_name
        what = "voice connector" if reference.kind == "connector" else "voice connector group"
        operation = f"Locate{reference.kind.title()}"
        if len(matches) > 1:
            listed = "; ".join(f"{match.id} in {match.region}" for match in matches)
            raise VoiceError(
                operation,
                "AmbiguousName",
                f"{len(matches)} {what}s are named '{reference.text}' ({listed}): use the ID instead.",
            )
        if by_id or (matches and not across.unanswered):
            return matches[0]
        if not matches and not across.unanswered:
            close = difflib.get_close_matches(reference.text, sorted(names), n=1, cutoff=0.75)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise VoiceError(
                operation,
                "NotFoundException",
                f"No {what} has the ID or name '{reference.text}' in {', '.join(self.regions)}.{hint}",
            )
        silent = ", ".join(across.unanswered)
        if not matches:
            raise VoiceError(
                operation,
                "RegionDidNotAnswer",
                f"No {what} has the ID or name '{reference.text}' in {', '.join(across.found)}; "
                f"{'; '.join(across.warnings())}, so it may be there.",
            )
        if not partial_ok:
            match = matches[0]
            raise VoiceError(
                operation,
                "RegionDidNotAnswer",
                f"Found {what} '{reference.text}' ({match.id} in {match.region}), but "
                f"{'; '.join(across.warnings())}, and another {what} of that name could be there. "
                f"Not planning a change against an ambiguous name: use the ID {match.id}, "
                f"or try again when {silent} answers.",
            )
        ambiguity = (
            f"A {what} named '{reference.text}' could also exist in {silent}, "
            "so this may not be the only one of that name."
        )
        return matches[0].model_copy(update={"warnings": [*across.warnings(), ambiguity]})

    def require_served_region(self, region: str) -> None:
        """Refuse a create outside VOICE_REGIONS: every lookup searches only those regions, so the
        new resource would be orphaned (invisible to `/voice connectors`, name lookups and undo)."""
        if region not in self.regions:
            raise VoiceError(
                "PlanCreate",
                "RegionNotServed",
                f"{region} is not one of the regions this bot searches ({', '.join(self.regions)}): "
                "a resource created there could not be found again. Choose one of those regions.",
            )

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
        try:
            listed = await lister(region)
        except VoiceError as unread:
            raise VoiceError(
                original.operation,
                "OutcomeUnknown",
                f"{original.message} The bot could not check whether '{name}' was created "
                f"({unread.code}: {unread.message}): list the region's resources before trying again.",
                status=original.status,
                request_id=original.request_id,
                maybe_applied=True,
            ) from unread
        candidates = [
            resource
            for resource in listed
            if resource.name == name
            and resource.created_timestamp is not None
            and resource.created_timestamp >= started - _CLOCK_SKEW
        ]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates and original.may_still_land:
            raise VoiceError(
                original.operation,
                original.code,
                f"{original.message} Nothing named '{name}' has appeared yet, but AWS may still be "
                "working on the request: list the region's resources in a minute before trying again.",
                status=original.status,
                request_id=original.request_id,
                maybe_applied=True,
            )
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
        if operation in _CREATES:
            self.require_served_region(region)  # the preview should have refused already; never orphan
        if operation == "CreateVoiceConnector":
            connector, reconciled = await self.create_connector(region, params)
            return {"VoiceConnector": connector.to_api(), "Reconciled": reconciled}
        if operation == "CreateVoiceConnectorGroup":
            group, reconciled = await self.create_group(region, params)
            return {"VoiceConnectorGroup": group.to_api(), "Reconciled": reconciled}
        return dict(await self.call(region, operation, params))


def _credential_verdict(error: VoiceError) -> CredentialCheck:
    """What a failed probe says about the credentials (only some failures are about them)."""
    detail = f"{error.code}: {error.message}".rstrip(": ")
    if error.credentials_refused:
        return CredentialCheck("refused", detail)
    if error.code in ("AccessDeniedException", "ForbiddenException"):
        return CredentialCheck("denied", detail)
    if error.code == "NoCredentials":
        return CredentialCheck("absent", detail)
    return CredentialCheck("unverified", f"AWS did not answer the check: {detail}")


def settled(error: VoiceError, uncertain: VoiceError | None) -> VoiceError:
    """The error to report after the last attempt. A read applies nothing, whatever failed. A
    change stays "maybe applied" if any attempt may have been: a delete resent after a 504 answers
    NotFound precisely because the first one worked, and must not read as "nothing happened"."""
    if not mutates(error.operation):
        return replace(error, maybe_applied=False)
    if uncertain is None or error.maybe_applied:
        return error
    return replace(
        error,
        maybe_applied=True,
        message=f"{error.message} (An earlier attempt failed with {uncertain.code} after AWS may have "
        "acted, so this answer may be about a change already made.)",
    )


async def _answer(lister: Callable[[str], Awaitable[list[T]]], region: str) -> list[T] | VoiceError:
    """A region's listing, or why it has none (so one region's failure cannot sink the others)."""
    try:
        return await lister(region)
    except VoiceError as error:
        return error


def _located(kind: Literal["connector", "group"], region: str, resource: Any) -> Located:
    if isinstance(resource, VoiceConnector):
        return Located(
            kind=kind, id=resource.voice_connector_id, name=resource.name, region=region, resource=resource
        )
    return Located(
        kind=kind, id=resource.voice_connector_group_id, name=resource.name, region=region, resource=resource
    )
