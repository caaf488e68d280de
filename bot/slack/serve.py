"""`switchboard serve`: the Slack app and its health endpoints, until SIGTERM or SIGINT.

On a stop signal it stops taking requests, lets changes being applied finish (up to a grace
period), and leaves any still running as APPLYING for the next start-up to reconcile.
"""

import asyncio
import logging
import os
import signal
from functools import partial

from aiohttp import web

from bot import logs
from bot.drift.actors import CloudTrailActors
from bot.drift.watcher import DriftWatcher
from bot.runtime import Runtime, open_runtime
from bot.settings import DriftSettings, SlackSettings
from bot.slack.app import build_app, slack_surfaces, web_client
from bot.slack.delivery import Delivery
from bot.slack.drift import DriftAnnouncer
from bot.slack.server import build_server

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 25.0  # under Kubernetes' default 30 s terminationGracePeriod


RECONCILE_EVERY_SECONDS = 60.0


async def _reconcile_periodically(runtime: Runtime) -> None:
    """Another replica may die mid-apply; whoever is alive settles its change once its lease lapses."""
    while True:
        await asyncio.sleep(RECONCILE_EVERY_SECONDS)
        try:
            await runtime.workflow.settle_abandoned()
        except Exception:  # the store or AWS being briefly down must not stop the sweeps
            log.exception("periodic reconciliation failed")


async def serve(*, host: str, port: int, socket_mode: bool, sandbox: bool) -> int:
    slack = SlackSettings()
    slack.check(socket_mode=socket_mode)
    assert slack.bot_token is not None
    given = [slack.bot_token, slack.signing_secret, slack.app_token]
    logs.configure(
        os.environ.get("LOG_LEVEL", "INFO"),
        [secret.get_secret_value() for secret in given if secret],
        api_url=slack.api_url,
    )
    delivery = Delivery(web_client(slack.bot_token.get_secret_value(), slack.api_url), slack.notify_channel)
    surfaces = partial(slack_surfaces, delivery)
    async with open_runtime(force_sandbox=sandbox, sandbox_fallback=False, surfaces=surfaces) as runtime:
        secret = slack.signing_secret.get_secret_value() if slack.signing_secret else None
        app = build_app(runtime.workflow, delivery, signing_secret=secret)
        await runtime.workflow.settle_abandoned()  # announced in NOTIFY_CHANNEL
        sweeper = asyncio.create_task(_reconcile_periodically(runtime))
        drift = DriftSettings()
        voice = runtime.backend.voice
        watcher = DriftWatcher(voice, runtime.store, drift, DriftAnnouncer(delivery), CloudTrailActors(voice))
        watching = asyncio.create_task(watcher.run()) if drift.enabled else None
        runner = web.AppRunner(build_server(app, runtime, slack_events=not socket_mode))
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1]  # the port given, or the one the OS chose for --port 0
        print(
            f"Switchboard listening on http://{host}:{bound} using {runtime.backend.description}", flush=True
        )
        socket_handler = None
        if socket_mode:
            from bot.slack.socket_mode import socket_mode_handler

            assert slack.app_token is not None
            socket_handler = socket_mode_handler(app, slack.app_token.get_secret_value())
            await socket_handler.connect_async()  # type: ignore[no-untyped-call]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        log.warning("stopping: no new requests; finishing changes being applied")
        if socket_handler is not None:
            await socket_handler.close_async()  # type: ignore[no-untyped-call]
        await site.stop()
        sweeper.cancel()
        if watching is not None:
            watching.cancel()
            await asyncio.gather(watching, return_exceptions=True)  # releases the lease for the next replica
        unfinished = await runtime.workflow.drain(SHUTDOWN_GRACE_SECONDS)
        if unfinished:
            log.error(
                "stopped with changes still applying (reconciled at next start): %s", sorted(unfinished)
            )
        await runner.cleanup()
    return 0
