"""Socket Mode: the same Bolt app, fed by envelopes over a WebSocket Slack holds open instead of HTTP.

slack_bolt's AsyncSocketModeHandler dispatches each envelope to the app and sends the ack (with the
app's response as its payload). This handler does what the HTTP server does around each request:
a fresh request ID for every log line of the envelope (work after the ack included: Bolt runs it
in a task that copies the context), and the ack's latency in the metrics, measured to the moment
the ack frame is written. Retries need nothing here: Bolt passes `retry_attempt` on as
X-Slack-Retry-Num, and the app's gate recognises a redelivered envelope by its payload
(bot/slack/gate.py), as it recognises Slack's HTTP retries.

Envelopes come over a connection the app opened with its app-level token, so they carry no
signature; the HTTP server therefore serves no Slack endpoint in this mode (bot/slack/server.py).
"""

import time
from typing import Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app, send_async_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.request import SocketModeRequest

from bot import metrics
from bot.logs import new_request_id

PING_INTERVAL_SECONDS = 10.0  # slack_bolt's default: how often the connection is checked, and re-opened


class SocketModeHandler(AsyncSocketModeHandler):
    """Bolt's aiohttp Socket Mode handler, with request IDs and ack metrics like the HTTP server's."""

    async def handle(self, client: Any, req: SocketModeRequest) -> None:
        new_request_id()
        started = time.time()
        with metrics.timed_ack():
            response = await run_async_bolt_app(self.app, req)
            await send_async_response(client, req, response, started)


def socket_mode_handler(
    app: AsyncApp, app_token: str, *, ping_interval: float = PING_INTERVAL_SECONDS
) -> SocketModeHandler:
    """The handler `serve --socket-mode` runs: apps.connections.open through the app's own Web API
    client (so SLACK_API_URL and its retries apply), then one WebSocket, re-opened when Slack asks or
    when it drops. Must be called on the running event loop."""
    return SocketModeHandler(app, app_token, web_client=app.client, ping_interval=ping_interval)
