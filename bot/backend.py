"""Which Chime SDK Voice the bot talks to: an endpoint override, real AWS, or the embedded sandbox.

The embedded sandbox is the default when nothing else is configured (or `--sandbox` is given), so
`make run` works on a fresh machine and can never touch a real account by accident.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiobotocore.session import get_session

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
) -> AsyncIterator[Backend]:
    """`sandbox_fallback=False` (the Slack server) refuses to start without AWS rather than pretend."""
    session = get_session()
    unconfigured = settings.endpoint_url is None and await session.get_credentials() is None
    if unconfigured and not (force_sandbox or sandbox_fallback):
        raise ConfigurationError(
            "no AWS credentials and no AWS_ENDPOINT_URL_CHIME_SDK_VOICE: give the bot an IAM role or "
            "credentials, or pass --sandbox to use the embedded sandbox"
        )
    use_sandbox = force_sandbox or unconfigured
    if not use_sandbox:
        where = settings.endpoint_url or f"AWS ({', '.join(settings.voice_regions)})"
        async with VoiceService(settings, session=session) as voice:
            yield Backend(voice, f"Chime SDK Voice at {where}", sandboxed=False)
        return
    # Imported here, not at the top: production never pays for loading the emulator.
    from bot.sandbox import SandboxConfig, start_sandbox

    state_file.parent.mkdir(parents=True, exist_ok=True)
    async with await start_sandbox(SandboxConfig(state_file=state_file)) as sandbox:
        session.set_credentials("sandbox", "sandbox")
        sandboxed = settings.model_copy(update={"endpoint_url": sandbox.url})
        async with VoiceService(sandboxed, session=session) as voice:
            yield Backend(voice, f"embedded sandbox at {sandbox.url} (state in {state_file})", sandboxed=True)
