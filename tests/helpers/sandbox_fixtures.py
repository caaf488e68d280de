"""Pytest plugin: a real Chime SDK Voice sandbox on a loopback port per test, botocore pointed at it.

Fixtures: `sandbox` (defaults but roomy quotas, and a record file), `sandbox_factory` (start more,
with config overrides; AWS's default quotas), `voice` (an aiobotocore chime-sdk-voice client for
us-east-1, retries off).
Helpers: `voice_client(sandbox, region)` for other regions, `recorded_requests(sandbox)`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from aiobotocore.session import get_session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from bot.sandbox import RecordedRequest, RunningSandbox, SandboxConfig, read_records, start_sandbox

# Shared so model files are parsed once per run (a new session costs ~40 ms per client); credentials
# are passed explicitly, so nothing read from the environment is cached across tests.
_SESSION = get_session()


class SandboxFactory(Protocol):
    async def __call__(self, **overrides: Any) -> RunningSandbox: ...


def point_botocore_at(monkeypatch: pytest.MonkeyPatch, url: str, home: Path) -> None:
    """Env the way the bot and the AWS CLI read it; shared AWS config files are hidden for isolation."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "aws-config-absent"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "aws-credentials-absent"))
    monkeypatch.setenv("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", url)  # the sandbox emulates LookupEvents too


@pytest.fixture
async def sandbox_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SandboxFactory]:
    """Starts sandboxes (each recording to its own file in tmp_path); the env follows the latest."""
    started: list[RunningSandbox] = []

    async def start(**overrides: Any) -> RunningSandbox:
        settings: dict[str, Any] = {"record_file": tmp_path / f"requests-{len(started)}.jsonl"}
        sandbox = await start_sandbox(SandboxConfig.model_validate(settings | overrides))
        started.append(sandbox)
        point_botocore_at(monkeypatch, sandbox.url, tmp_path)
        return sandbox

    yield start
    for sandbox in reversed(started):
        await sandbox.close()


# AWS's default quotas (3 Voice Connectors and 3 groups per region) hold in every sandbox_factory()
# sandbox. The shared `sandbox` fixture raises them, explicitly, because tests written before the
# quotas create more: test_voice's pagination test makes 130 connectors, and the sandbox listing
# and group tests make up to 21. Tests of the quotas themselves use sandbox_factory().
ROOMY_QUOTAS = {"voice_connectors": 1000, "voice_connector_groups": 1000}


@pytest.fixture
async def sandbox(sandbox_factory: SandboxFactory) -> RunningSandbox:
    return await sandbox_factory(quotas=ROOMY_QUOTAS)


@contextlib.asynccontextmanager
async def voice_client(
    sandbox: RunningSandbox | str,
    region: str = "us-east-1",
    *,
    aws_access_key_id: str = "testing",
    aws_secret_access_key: str = "testing",
    service: str = "chime-sdk-voice",
    **config: Any,
) -> AsyncIterator[Any]:
    """A chime-sdk-voice (or `service`: cloudtrail) client on a sandbox (or its URL); one attempt per
    call unless `retries` is given."""
    options: dict[str, Any] = {"retries": {"mode": "standard", "total_max_attempts": 1}} | config
    async with _SESSION.create_client(
        service,
        region_name=region,
        endpoint_url=sandbox if isinstance(sandbox, str) else sandbox.url,
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        config=Config(**options),
    ) as client:
        yield client


@pytest.fixture
async def voice(sandbox: RunningSandbox) -> AsyncIterator[Any]:
    async with voice_client(sandbox) as client:
        yield client


def recorded_requests(sandbox: RunningSandbox) -> list[RecordedRequest]:
    """What the sandbox has received so far, one entry per API request, oldest first."""
    assert sandbox.record_file is not None, "this sandbox was started without a record file"
    return read_records(sandbox.record_file)


def signed_headers(
    method: str,
    url: str,
    body: bytes = b"",
    *,
    region: str = "us-east-1",
    service: str = "chime",
    key: str = "testing",
    secret: str = "testing",
) -> dict[str, str]:
    """Headers botocore's SigV4Auth adds for this request now, for tests that speak raw HTTP."""
    request = AWSRequest(method=method, url=url, data=body)
    SigV4Auth(Credentials(key, secret), service, region).add_auth(request)
    return dict(request.headers.items())
