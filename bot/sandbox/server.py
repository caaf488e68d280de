"""Starting and stopping the sandbox HTTP server on a loopback port."""

from __future__ import annotations

import uuid
from pathlib import Path
from types import TracebackType

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.sandbox.api import ApiEndpoint
from bot.sandbox.cloudtrail import CloudTrailEndpoint, is_cloudtrail
from bot.sandbox.config import SandboxConfig
from bot.sandbox.context import SandboxContext
from bot.sandbox.control import ControlEndpoints
from bot.sandbox.faults import FaultInjector
from bot.sandbox.persistence import load_state
from bot.sandbox.recorder import Recorder
from bot.sandbox.state import SandboxState
from bot.sandbox.trail import Trail

MAX_BODY_BYTES = 16 * 1024 * 1024


@web.middleware
async def _request_id(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every AWS response carries a request ID; botocore surfaces it as ResponseMetadata.RequestId."""
    response = await handler(request)
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


def build_app(context: SandboxContext) -> web.Application:
    app = web.Application(middlewares=[_request_id], client_max_size=MAX_BODY_BYTES)
    ControlEndpoints(context).register(app.router)
    voice, cloudtrail = ApiEndpoint(context), CloudTrailEndpoint(context)

    async def either(request: web.Request) -> web.StreamResponse:
        """CloudTrail's JSON 1.1 requests name their operation in X-Amz-Target; the rest are REST-JSON."""
        return await (cloudtrail if is_cloudtrail(request) else voice).handle(request)

    app.router.add_route("*", "/{path:.*}", either)
    return app


class RunningSandbox:
    """A started sandbox; close it (or use `async with`) to free the port and flush files."""

    def __init__(
        self, config: SandboxConfig, context: SandboxContext, runner: web.AppRunner, url: str
    ) -> None:
        self.config = config
        self.url = url
        self._context = context
        self._runner = runner
        self._closed = False

    @property
    def state(self) -> SandboxState:
        return self._context.state

    @property
    def faults(self) -> FaultInjector:
        return self._context.faults

    @property
    def trail(self) -> Trail:
        return self._context.trail

    @property
    def record_file(self) -> Path | None:
        return self.config.record_file

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._context.faults.release()
        await self._runner.cleanup()
        if self._context.recorder is not None:
            self._context.recorder.close()

    async def __aenter__(self) -> RunningSandbox:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


async def start_sandbox(config: SandboxConfig | None = None) -> RunningSandbox:
    """Load or seed the state, then serve; port 0 picks a free port (see `.url`)."""
    config = config or SandboxConfig()
    context = SandboxContext(
        state=load_state(config.state_file, config.inventory_size, config.quotas),
        faults=FaultInjector(config.faults.model_copy(deep=True)),
        state_file=config.state_file,
        recorder=None if config.record_file is None else Recorder(config.record_file),
        credentials=config.credentials,
        trail_readers=config.cloudtrail_readers,
    )
    runner = web.AppRunner(build_app(context), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, config.host, config.port).start()
    except OSError:
        await runner.cleanup()
        if context.recorder is not None:
            context.recorder.close()
        raise
    host, port = runner.addresses[0][:2]
    authority = f"[{host}]" if ":" in host else host
    return RunningSandbox(config, context, runner, f"http://{authority}:{port}")
