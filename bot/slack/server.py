"""The HTTP server: Slack's events endpoint plus the health endpoints an orchestrator probes.

In Socket Mode (`slack_events=False`) Slack's requests arrive over the WebSocket instead, and the
events endpoint is not served at all: without a signing secret (none is needed) Bolt fails every HTTP
request with a 500 and a traceback, and with one it would be a second way in that Slack never uses.
"""

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp

from bot import metrics
from bot.logs import new_request_id
from bot.runtime import Runtime
from bot.slack.requests import to_bolt_request

EVENTS_PATH = "/slack/events"


def build_server(app: AsyncApp, runtime: Runtime, *, slack_events: bool = True) -> web.Application:
    metrics.enable()
    server = web.Application()

    async def events(request: web.Request) -> web.Response:
        # Bolt verifies the signature and timestamp (401 for forged, unsigned or stale requests).
        new_request_id()  # carried by every log line of this request, including work after the ack
        with metrics.timed_ack():
            bolt_response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def metrics_page(_: web.Request) -> web.Response:
        body, content_type = metrics.exposition(await runtime.store.count_pending())
        return web.Response(body=body, headers={"Content-Type": content_type})

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        readiness = await runtime.readiness()
        problems = readiness.problems
        return web.json_response(
            {
                "status": "ready" if not problems else "not ready",
                "problems": problems,
                "checks": readiness.checks,
            },
            status=200 if not problems else 503,
        )

    if slack_events:
        server.router.add_post(EVENTS_PATH, events)
    server.router.add_get("/healthz", healthz)
    server.router.add_get("/readyz", readyz)
    server.router.add_get("/metrics", metrics_page)
    return server
