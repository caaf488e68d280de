"""Slack's side of Socket Mode on loopback: the WebSocket the bot opens with its app-level token.

The protocol, as Slack documents it ("Using Socket Mode", docs.slack.dev/apis/events-api/using-socket-mode):

- The app calls ``apps.connections.open`` with its app-level token (``xapp-``); the Slack stand-in answers
  ``{"ok": true, "url": ...}`` with a URL minted here (``ws://`` on loopback where Slack's is ``wss://``).
  Each URL carries a one-time ticket: a second connection with the same ticket is refused (HTTP 401).
- On connecting, the peer sends ``hello`` (``num_connections``, ``connection_info.app_id``, ``debug_info``
  with ``approximate_connection_time``).
- Slash commands arrive as ``slash_commands`` envelopes and button clicks as ``interactive`` ones:
  ``{"envelope_id", "type", "payload", "accepts_response_payload"}``, the payload exactly what Slack would
  POST over HTTP (the form fields of a command as a JSON object; the ``block_actions`` JSON of a click).
- The app acknowledges each envelope with ``{"envelope_id": ...}``, with ``"payload"`` for a response (a
  command's immediate answer). A payload on an envelope that does not accept one is ignored, as Slack
  ignores it; it is recorded (``Ack.ignored_payload``) so a test can see it.
- ``disconnect`` messages (``reason``: ``warning``, ``refresh_requested``, ``link_disabled``) ask the app
  to reconnect through a fresh ``apps.connections.open``. The peer keeps serving the old connection until
  the app closes it, as Slack does for a while after ``refresh_requested``.
- Envelopes not acknowledged are delivered again, with ``retry_attempt`` (1, 2, …) and ``retry_reason``.

Deliberately harsher or more explicit than Slack, so that what Slack might do is tested deterministically:

- Slack retries events it considers unanswered after a timeout; a test never waits out a clock, so here a
  redelivery happens on an event instead: an envelope whose connection closed before it was acknowledged
  goes out again on the newest open connection, or after the next one's ``hello`` (``retry_reason``
  ``"connection_lost"``); ``redeliver`` sends any envelope again at once (``"timeout"`` by default),
  acknowledged or not, as Slack would after losing an ack.
- Slack documents ``retry_attempt`` for Events API envelopes; the peer redelivers commands and clicks too,
  the worst case for taking each request exactly once.
- An envelope sent while no connection is open waits for the next one (Slack would retry it later).
- ``drop`` cuts connections without a WebSocket close frame, like a network failure; ``lose_next_ack``
  makes the next ack vanish on the wire, the connection then being cut (an ack lost to a dying socket).

Each connection is recorded (``connections``): when it said hello, whether it is open, and every frame
sent on it. Waits are woken by what happens (``wait_until``), bounded only by the deadlock guard.
"""

import asyncio
import itertools
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import WSMsgType, web

from tests.helpers.polling import GUARD_SECONDS

APP_ID = "A0SWITCH"
SLASH_COMMANDS = "slash_commands"
INTERACTIVE = "interactive"
EVENTS_API = "events_api"
DISCONNECT_REASONS = frozenset({"warning", "refresh_requested", "link_disabled"})
APPROXIMATE_CONNECTION_SECONDS = 18_060  # what Slack reports: a refresh every few hours


@dataclass(frozen=True)
class Ack:
    """One acknowledgement the app sent."""

    envelope_id: str
    payload: dict[str, Any] | None  # the response, None for a bare ack
    connection: int
    ignored_payload: bool  # a payload on an envelope that accepts none: Slack drops it


@dataclass
class Envelope:
    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    deliveries: list[tuple[int, int]] = field(default_factory=list)  # (connection, retry_attempt)
    acks: list[Ack] = field(default_factory=list)

    @property
    def acked(self) -> bool:
        return bool(self.acks)

    @property
    def response(self) -> dict[str, Any] | None:
        """The payload Slack would act on: the first ack's, unless the envelope accepts none."""
        first = self.acks[0] if self.acks else None
        return None if first is None or first.ignored_payload else first.payload


@dataclass
class Connection:
    number: int
    ticket: str
    socket: web.WebSocketResponse
    request: web.Request
    sent: list[dict[str, Any]] = field(default_factory=list)
    closed_by: str | None = None  # "app", "peer" (close frame) or "drop" (cut, no close frame)

    @property
    def open(self) -> bool:
        return self.closed_by is None and not self.socket.closed


class SocketModePeer:
    """``async with SocketModePeer() as peer``; ``open_url`` serves the stand-in's apps.connections.open."""

    def __init__(self, *, app_id: str = APP_ID) -> None:
        self.app_id = app_id
        self.connections: list[Connection] = []
        self.envelopes: dict[str, Envelope] = {}
        self.stray_frames: list[str] = []  # frames that were not a well-formed ack of a known envelope
        self.tickets_issued = 0
        self._tickets: set[str] = set()
        self._numbers = itertools.count(1)
        self._waiting: list[str] = []  # envelopes to send once a connection is open, oldest first
        self._lose_acks = 0
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._runner = web.AppRunner(app, access_log=None)
        self._base = ""

    async def start(self) -> None:
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self._base = f"ws://{host}:{port}"

    async def close(self) -> None:
        for connection in self.connections:
            if connection.open:
                connection.closed_by = "peer"
                await connection.socket.close()
        await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- what the stand-in's apps.connections.open calls -------------------------------------------------

    def open_url(self) -> str:
        """A fresh WebSocket URL with a one-time ticket, as apps.connections.open returns."""
        if not self._base:
            raise RuntimeError("SocketModePeer is not started")
        ticket = secrets.token_hex(8)
        self._tickets.add(ticket)
        self.tickets_issued += 1
        return f"{self._base}/link/?ticket={ticket}"

    # -- delivering -----------------------------------------------------------------------------------------

    async def send_command(self, payload: dict[str, Any]) -> Envelope:
        return await self.send(SLASH_COMMANDS, payload, accepts_response_payload=True)

    async def send_interactive(self, payload: dict[str, Any]) -> Envelope:
        return await self.send(INTERACTIVE, payload, accepts_response_payload=True)

    async def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool) -> Envelope:
        """A new envelope, to the newest open connection (or the next one to open)."""
        envelope = Envelope(str(uuid.uuid4()), kind, payload, accepts_response_payload)
        self.envelopes[envelope.envelope_id] = envelope
        await self._deliver(envelope, retry_attempt=0, reason=None)
        return envelope

    async def redeliver(self, envelope: Envelope, reason: str = "timeout") -> None:
        """Send an envelope again with the next retry_attempt, as Slack does when it saw no ack."""
        await self._deliver(envelope, retry_attempt=len(envelope.deliveries), reason=reason)

    async def wait_for_ack(self, envelope: Envelope, timeout: float = GUARD_SECONDS) -> Ack:  # noqa: ASYNC109
        await self.wait_until(lambda: envelope.acked, f"an ack of envelope {envelope.envelope_id}", timeout)
        return envelope.acks[0]

    # -- connection events ----------------------------------------------------------------------------------

    def open_connections(self) -> list[Connection]:
        return [connection for connection in self.connections if connection.open]

    def greeted(self) -> list[Connection]:
        """Connections that were sent hello, oldest first."""
        return [c for c in self.connections if c.sent and c.sent[0].get("type") == "hello"]

    async def disconnect(self, reason: str = "refresh_requested") -> list[Connection]:
        """Tell every open connection to reconnect; returns them (open until the app closes them)."""
        if reason not in DISCONNECT_REASONS:
            raise ValueError(f"Slack sends no disconnect reason {reason!r}")
        told = self.open_connections()
        for connection in told:
            await self._send(connection, {"type": "disconnect", "reason": reason, "debug_info": _debug()})
        return told

    async def drop(self) -> list[Connection]:
        """Cut every open connection without a close frame (a network failure)."""
        dropped = self.open_connections()
        for connection in dropped:
            await self._cut(connection)
        return dropped

    def lose_next_ack(self, count: int = 1) -> None:
        """The next `count` acks vanish on the wire and cut their connection, unrecorded."""
        self._lose_acks += count

    async def wait_until(
        self,
        condition: Callable[[], bool],
        what: str,
        timeout: float = GUARD_SECONDS,  # noqa: ASYNC109
    ) -> None:
        """Wait until `condition()` holds after something happened here; the timeout is a deadlock guard."""
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    await self._changed.wait_for(condition)
            except TimeoutError:
                raise AssertionError(f"expected {what} within {timeout}s; peer: {self.summary()}") from None

    async def wait_for_connection(self, after: int = 0) -> Connection:
        """Wait until a connection numbered above `after` has been greeted and is open."""
        await self.wait_until(
            lambda: any(c.number > after and c.open for c in self.greeted()), f"a connection after #{after}"
        )
        return next(c for c in reversed(self.greeted()) if c.number > after and c.open)

    def summary(self) -> str:
        connections = [(c.number, c.closed_by or ("open" if c.open else "closed")) for c in self.connections]
        pending = [e.envelope_id[:8] for e in self.envelopes.values() if not e.acked]
        return f"connections {connections}, unacked {pending}, stray {self.stray_frames[-3:]}"

    # -- the WebSocket ---------------------------------------------------------------------------------------

    async def _link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.json_response({"ok": False, "error": "invalid_ticket"}, status=401)
        self._tickets.discard(ticket)  # one connection per ticket
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        connection = Connection(next(self._numbers), ticket, socket, request)
        self.connections.append(connection)
        greeting = {
            "type": "hello",
            "num_connections": len(self.open_connections()),
            "connection_info": {"app_id": self.app_id},
            "debug_info": _debug() | {"approximate_connection_time": APPROXIMATE_CONNECTION_SECONDS},
        }
        await self._send(connection, greeting)
        await self._flush()
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    await self._on_frame(connection, message.data)
        finally:
            if connection.closed_by is None:
                connection.closed_by = "app"
            await self._lost(connection)
        return socket

    async def _on_frame(self, connection: Connection, data: str) -> None:
        try:
            frame = json.loads(data)
        except json.JSONDecodeError:
            frame = None
        envelope = self.envelopes.get(frame.get("envelope_id", "")) if isinstance(frame, dict) else None
        if envelope is None or not isinstance(frame, dict) or set(frame) - {"envelope_id", "payload"}:
            self.stray_frames.append(data)
            await self._notify()
            return
        if self._lose_acks:
            self._lose_acks -= 1
            await self._cut(connection)
            return
        payload = frame.get("payload")
        if payload is not None and not isinstance(payload, dict):
            self.stray_frames.append(data)
        else:
            ignored = payload is not None and not envelope.accepts_response_payload
            envelope.acks.append(Ack(envelope.envelope_id, payload, connection.number, ignored))
        await self._notify()

    async def _cut(self, connection: Connection) -> None:
        connection.closed_by = "drop"
        transport = connection.request.transport
        if transport is not None:
            transport.abort()
        await self._notify()

    async def _deliver(self, envelope: Envelope, *, retry_attempt: int, reason: str | None) -> None:
        target = self._newest()
        if target is None:
            if envelope.envelope_id not in self._waiting:
                self._waiting.append(envelope.envelope_id)
            return
        frame: dict[str, Any] = {
            "envelope_id": envelope.envelope_id,
            "type": envelope.type,
            "payload": envelope.payload,
            "accepts_response_payload": envelope.accepts_response_payload,
        }
        if retry_attempt:
            frame |= {"retry_attempt": retry_attempt, "retry_reason": reason or "timeout"}
        envelope.deliveries.append((target.number, retry_attempt))
        await self._send(target, frame)

    async def _flush(self) -> None:
        """After a hello: every envelope that waited for a connection, oldest first."""
        waiting, self._waiting = self._waiting, []
        for envelope_id in waiting:
            envelope = self.envelopes[envelope_id]
            await self._deliver(envelope, retry_attempt=len(envelope.deliveries), reason="connection_lost")

    async def _lost(self, connection: Connection) -> None:
        """A connection closed: what it carried and nobody acknowledged goes out again (or waits)."""
        for envelope in list(self.envelopes.values()):
            last = envelope.deliveries[-1][0] if envelope.deliveries else None
            if not envelope.acked and last == connection.number:
                attempt = len(envelope.deliveries)
                await self._deliver(envelope, retry_attempt=attempt, reason="connection_lost")
        await self._notify()

    def _newest(self) -> Connection | None:
        greeted = [connection for connection in self.greeted() if connection.open]
        return greeted[-1] if greeted else None

    async def _send(self, connection: Connection, frame: dict[str, Any]) -> None:
        connection.sent.append(frame)
        try:
            await connection.socket.send_str(json.dumps(frame))
        except ConnectionError:  # cut meanwhile: an unacked envelope goes out again on the next hello
            if connection.closed_by is None:
                connection.closed_by = "drop"
        await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()


def _debug() -> dict[str, Any]:
    return {"host": "applink-standin", "started": time.strftime("%Y-%m-%d %H:%M:%S"), "build_number": 1}
