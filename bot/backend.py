"""Which Chime SDK Voice the bot talks to: an endpoint override, real AWS, or the embedded sandbox.

The embedded sandbox is the default when nothing else is configured (or `--sandbox` is given), so
`make run` works on a fresh machine and can never touch a real account by accident.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.aws_clients import Transport, open_clients
from bot.settings import AwsSettings, ConfigurationError
from bot.voice import VoiceService

SANDBOX_STATE = Path(".switchboard/sandbox-state.json")


@dataclass(frozen=True)
class Backend:
    voice: VoiceService
    description: str
    sandboxed: bool


@asynccontextmanager
async def open_backend(
    settings: AwsSettings,
    *,
    force_sandbox: bool = False,
    sandbox_fallback: bool = True,
    state_file: Path = SANDBOX_STATE,
    transport: Transport = "async",
) -> AsyncIterator[Backend]:
    """`sandbox_fallback=False` (the Slack server) refuses to start without AWS rather than pretend.
    `transport`: "threads" for the one-person console (see bot/aws_clients.py)."""
    clients = open_clients(settings, transport)
    unconfigured = settings.endpoint_url is None and not await clients.has_credentials()
    if unconfigured and not (force_sandbox or sandbox_fallback):
        raise ConfigurationError(
            "no AWS credentials and no AWS_ENDPOINT_URL_CHIME_SDK_VOICE: give the bot an IAM role or "
            "credentials, or pass --sandbox to use the embedded sandbox"
        )
    use_sandbox = force_sandbox or unconfigured
    if not use_sandbox:
        where = settings.endpoint_url or f"AWS ({', '.join(settings.voice_regions)})"
        who = await clients.credential_source()
        async with VoiceService(settings, clients=clients) as voice:
            yield Backend(voice, f"Chime SDK Voice at {where} with {who}", sandboxed=False)
        return
    # Imported here, not at the top: production never pays for loading the emulator.
    from bot.sandbox import SandboxConfig, start_sandbox

    state_file.parent.mkdir(parents=True, exist_ok=True)
    async with await start_sandbox(SandboxConfig(state_file=state_file)) as sandbox:
        sandboxed = settings.model_copy(
            update={"endpoint_url": sandbox.url, "cloudtrail_endpoint_url": sandbox.url}
        )
        clients = open_clients(sandboxed, transport)
        clients.use_credentials("sandbox", "sandbox")
        async with VoiceService(sandboxed, clients=clients) as voice:
            yield Backend(
                voice,
                f"the embedded sandbox at {sandbox.url}, a local emulator: nothing reaches AWS "
                f"(state in {state_file})",
                sandboxed=True,
            )
