"""Where the service layer gets its per-region Chime SDK Voice clients: two transports, one botocore.

`serve` answers many people at once on one event loop, so it uses aiobotocore: non-blocking HTTP
over aiohttp. The console serves one person, so it uses botocore itself with each call on a worker
thread; it then starts without loading aiohttp and aiobotocore, which cost more than half of what
the AWS CLI takes to run a whole command (see `make bench`). Both run botocore's own serialiser,
signer, endpoint rules, retry configuration and response parser, so the requests on the wire and
the errors raised (ClientError, BotoCoreError) are the same; only the socket handling differs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any, Literal, Protocol

from bot.settings import AwsSettings

if TYPE_CHECKING:
    from aiobotocore.session import AioSession
    from botocore.session import Session

SERVICE = "chime-sdk-voice"
Transport = Literal["async", "threads"]


class Clients(Protocol):
    """Per-region clients whose snake_case operation methods are awaited (`await c.list_x(**p)`)."""

    async def client(self, region: str, service: str = SERVICE) -> Any: ...

    async def has_credentials(self) -> bool: ...

    async def credential_source(self) -> str: ...

    def use_credentials(self, access_key: str, secret_key: str) -> None: ...

    async def close(self) -> None: ...


def client_options(settings: AwsSettings) -> dict[str, Any]:
    """One retry and timeout configuration for both transports: the service layer retries itself."""
    return {
        "connect_timeout": settings.connect_timeout,
        "read_timeout": settings.read_timeout,
        "retries": {"mode": "standard", "total_max_attempts": 1},
        "max_pool_connections": max(10, settings.max_concurrency * 2),
    }


def describe_credentials(credentials: Any, profile: str | None) -> str:
    """Which credentials a session uses, safe to print: where botocore found them, the profile, and
    the access key's last four characters (enough to tell two keys apart, useless to anyone else)."""
    if credentials is None:
        return "no credentials"
    key = getattr(credentials, "access_key", None) or ""
    method = getattr(credentials, "method", None) or "unknown source"
    named = f", profile {profile}" if profile else ""
    return f"credentials from {method}{named}, key …{key[-4:]}"


def endpoint_of(settings: AwsSettings, service: str) -> str | None:
    """An endpoint override for `service` (chime-sdk-voice, or cloudtrail for the drift watch's
    "who changed it"); None lets botocore resolve AWS's endpoint for the region."""
    return settings.endpoint_url if service == SERVICE else settings.cloudtrail_endpoint_url


def open_clients(settings: AwsSettings, transport: Transport) -> Clients:
    return AsyncClients(settings) if transport == "async" else ThreadedClients(settings)


class AsyncClients:
    """aiobotocore clients, opened once per region and closed with the service."""

    def __init__(self, settings: AwsSettings) -> None:
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session

        self._settings = settings
        self._session: AioSession = get_session()
        self._config = AioConfig(**client_options(settings))
        self._stack = AsyncExitStack()
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = asyncio.Lock()

    async def client(self, region: str, service: str = SERVICE) -> Any:
        async with self._lock:
            if (service, region) not in self._clients:
                self._clients[service, region] = await self._stack.enter_async_context(
                    self._session.create_client(
                        service,
                        region_name=region,
                        endpoint_url=endpoint_of(self._settings, service),
                        config=self._config,
                    )
                )
            return self._clients[service, region]

    async def has_credentials(self) -> bool:
        return await self._session.get_credentials() is not None

    async def credential_source(self) -> str:
        return describe_credentials(await self._session.get_credentials(), self._session.profile)

    def use_credentials(self, access_key: str, secret_key: str) -> None:
        self._session.set_credentials(access_key, secret_key)

    async def close(self) -> None:
        await self._stack.aclose()
        self._clients.clear()


class ThreadedClients:
    """botocore clients (thread-safe, per botocore's documentation), each call on a worker thread."""

    def __init__(self, settings: AwsSettings) -> None:
        from botocore.config import Config
        from botocore.session import get_session

        self._settings = settings
        self._session: Session = get_session()
        self._config = Config(**client_options(settings))
        self._clients: dict[tuple[str, str], _OnThreads] = {}
        self._lock = asyncio.Lock()

    async def client(self, region: str, service: str = SERVICE) -> Any:
        async with self._lock:
            if (service, region) not in self._clients:
                made = await asyncio.to_thread(
                    self._session.create_client,
                    service,
                    region_name=region,
                    endpoint_url=endpoint_of(self._settings, service),
                    config=self._config,
                )
                self._clients[service, region] = _OnThreads(made)
            return self._clients[service, region]

    async def has_credentials(self) -> bool:
        # Resolving may ask the instance metadata service: blocking I/O, so off the event loop.
        return await asyncio.to_thread(self._session.get_credentials) is not None

    async def credential_source(self) -> str:
        credentials = await asyncio.to_thread(self._session.get_credentials)
        return describe_credentials(credentials, self._session.profile)

    def use_credentials(self, access_key: str, secret_key: str) -> None:
        self._session.set_credentials(access_key, secret_key)

    async def close(self) -> None:
        for threaded in self._clients.values():
            threaded.close()
        self._clients.clear()


class _OnThreads:
    """A botocore client whose operation methods are awaitable: each call runs on a worker thread."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self._client, name)

        async def call(**params: Any) -> Any:
            return await asyncio.to_thread(method, **params)

        return call

    def close(self) -> None:
        self._client.close()
