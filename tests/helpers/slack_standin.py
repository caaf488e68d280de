"""A stand-in Slack server on loopback: the bot's real Web API client and response_url posts talk to it.

Tests point ``AsyncWebClient(base_url=standin.api_url)`` (and the ``response_url`` in signed requests) here,
so the bot's HTTP, retry and error handling run for real. The stand-in records every call in order, checks
every message against Block Kit's limits (answering ``invalid_blocks`` like Slack, while still recording the
attempt), and can be told to answer the next calls with a 429, a 5xx or an ``ok: false`` error.

Behaviours that follow Slack:

- Web API answers are HTTP 200 ``{"ok": ...}`` JSON; a missing ``Authorization: Bearer`` token answers
  ``not_authed``. Methods take a bot token (``xoxb-``) except ``apps.connections.open``, which takes an
  app-level token (``xapp-``); the other kind answers ``not_allowed_token_type`` and any other token
  ``invalid_auth``.
- ``apps.connections.open`` answers ``{"ok": true, "url": ...}`` with a URL from ``socket_mode_urls`` (a
  ``SocketModePeer``'s ``open_url``, tests/helpers/socket_mode_peer.py). With none set the app is not in
  Socket Mode; the stand-in's choice of error for that is ``socket_mode_disabled``.
- Arguments are read from the query string, form bodies and JSON bodies alike, as slack_sdk mixes them;
  JSON-valued form fields (``blocks``, ``attachments``, ``files``, ``metadata``) are decoded.
- ``views.open`` takes a ``trigger_id`` of Slack's shape once (again: ``exchanged_trigger_id``; another
  shape: ``invalid_trigger_id``); ``views.update`` a ``view_id`` it handed out (else ``not_found``) and, when
  given, the view's current ``hash`` (else ``hash_conflict``); ``views.publish`` a ``user_id`` and a ``home``
  view. Every view is checked (tests/helpers/blockkit.py ``view_problems``); a bad one answers
  ``invalid_arguments`` with the problems in ``response_metadata.messages``, still recorded. Modals are kept
  by ID with a new ``hash`` each time, as Slack answers them, so a test submits the view the bot last showed.
- Methods it does not implement answer ``unknown_method`` (and are recorded), so a new bot call shows up.
- A 429 carries ``Retry-After`` in seconds, as slack_sdk's ``RateLimitErrorRetryHandler`` expects.
- ``files_upload_v2``: ``files.getUploadURLExternal`` hands out an upload URL on this server that takes the
  raw bytes and answers ``text/plain`` ``OK - <length>``; ``files.completeUploadExternal`` shares them.
- A response_url takes at most 5 successful posts (Slack: up to five times within 30 minutes; Slack's SDK
  team in slackapi/node-slack-sdk#828: "the total number of times it can be used is 5, and the server is
  authoritative"). That issue asked Slack to document the error past the limit and was closed without it, so
  the choice here is HTTP 404 ``{"ok": false, "error": "used_url"}``; an expired URL
  (``expire_response_url``) answers 404 ``expired_url``. Refused posts (invalid blocks, injected faults)
  do not use the URL up.

Deliberately stricter than Slack: any Block Kit problem (see tests/helpers/blockkit.py) is
``invalid_blocks``, a response_url must have been minted with ``response_url(name)``, and
``chat.update``/``chat.getPermalink`` need a ``ts`` the stand-in handed out.
"""

import asyncio
import contextlib
import json
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from tests.helpers.blockkit import block_kit_problems, view_problems
from tests.helpers.polling import GUARD_SECONDS

RESPONSE_URL = "response_url"
UPLOAD = "upload"
DOWNLOAD = "download"  # url_private_download fetches
RESPONSE_URL_MAX_USES = 5
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update", RESPONSE_URL})
VIEW_METHODS = frozenset({"views.open", "views.update", "views.publish"})
JSON_ARGS = frozenset({"blocks", "attachments", "files", "metadata", "view"})
TRIGGER_ID = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")
BOT_SCOPES = "commands,chat:write,chat:write.public,files:write,usergroups:read,users:read"
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})

JsonBody = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the stand-in received, with what it answered; calls are kept in the order answered."""

    method: str  # Web API method, or RESPONSE_URL / UPLOAD
    args: dict[str, Any]
    headers: Mapping[str, str]
    at: float  # time.monotonic() when answered
    path: str
    status: int
    response: JsonBody
    problems: tuple[str, ...] = ()  # Block Kit problems, for message-posting calls


@dataclass
class UploadedFile:
    """A file the bot uploaded through the files_upload_v2 flow."""

    file_id: str
    filename: str
    length: int  # as declared to files.getUploadURLExternal
    content: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False


@dataclass(frozen=True)
class _Fault:
    status: int
    error: str
    retry_after: int


class SlackStandIn:
    """Slack's Web API and response_urls on 127.0.0.1, random port: ``async with SlackStandIn() as slack``.

    Runs on the event loop that started it; ``wait_for`` must be awaited on that loop too.
    """

    def __init__(self, *, team_id: str = "T0001", team_domain: str = "switchboard-test") -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = "U0BOT"
        self.bot_id = "B0BOT"
        self.usergroups: dict[str, list[str]] = {}
        self.users: dict[str, dict[str, Any]] = {}  # users.info overrides, merged over a generated profile
        self.socket_mode_urls: Callable[[], str] | None = None  # what apps.connections.open hands out
        self._calls: list[Call] = []
        self._changed = asyncio.Condition()
        self._faults: dict[str, deque[_Fault]] = {}
        self._messages: dict[tuple[str, str], JsonBody] = {}
        self._response_channels: dict[str, str] = {}
        self._response_messages: dict[str, list[JsonBody]] = {}
        self._response_urls: dict[str, int] = {}  # name -> successful posts
        self._expired: set[str] = set()
        self._files: dict[str, UploadedFile] = {}
        self._serial = 0
        self._methods: dict[str, Callable[[dict[str, Any]], JsonBody]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.getPermalink": self._get_permalink,
            "usergroups.users.list": self._usergroup_users,
            "conversations.open": self._conversations_open,
            "users.info": self._user_info,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._file_info,
            "apps.connections.open": self._connections_open,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
        }
        self._views: dict[str, JsonBody] = {}  # modals by view ID, as last opened or updated
        self._home: dict[str, JsonBody] = {}  # each user's published Home tab
        self._triggers: set[str] = set()
        self._shared: dict[str, tuple[str, bytes]] = {}  # files people shared, by ID
        self._file_records: dict[str, JsonBody] = {}  # their files.info fields beyond name and size
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._web_api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/download/{file_id}/{name}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        self._base = ""

    async def start(self) -> None:
        """Listen on a free loopback port."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._base = f"http://{host}:{port}"

    async def close(self) -> None:
        await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def url(self) -> str:
        if not self._base:
            raise RuntimeError("SlackStandIn is not started")
        return self._base

    @property
    def api_url(self) -> str:
        """``base_url`` for AsyncWebClient and Bolt; slack_sdk joins method names on, so it ends in /api/."""
        return f"{self.url}/api/"

    def response_url(self, name: str, channel: str | None = None) -> str:
        """Mint a response_url (5 uses) to put in a signed slash command or interactive payload.

        With ``channel``, each accepted ``in_channel`` post is stored as a channel message with a ``ts``
        (as Slack does), so a later click on it carries a real ``ts`` and can be linked to.
        """
        self._response_urls.setdefault(name, 0)
        if channel is not None:
            self._response_channels[name] = channel
        return f"{self.url}/response/{name}"

    def stored_message(self, name: str, index: int = -1) -> dict[str, Any]:
        """The channel message an accepted in_channel response_url post became (with its ``ts``)."""
        return dict(self._response_messages[name][index])

    def expire_response_url(self, name: str) -> None:
        """Make a response_url answer like one past Slack's 30 minutes, without waiting them out."""
        self._expired.add(name)

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` (or RESPONSE_URL / UPLOAD) with a fault.

        Default: HTTP 429 ``ratelimited`` with ``Retry-After: retry_after``. With ``error`` alone: HTTP 200
        ``{"ok": false, "error": error}`` (e.g. ``channel_not_found``). With ``status`` 5xx: that status and
        ``fatal_error`` (or ``error``). Faults queue up in call order.
        """
        code = status if status is not None else (429 if error is None else 200)
        if code == 200 and error is None:
            raise ValueError("an HTTP 200 fault needs an error")
        default = {429: "ratelimited"}.get(code, "fatal_error" if code >= 500 else f"http_{code}")
        self._faults.setdefault(method, deque()).extend([_Fault(code, error or default, retry_after)] * times)

    def calls(self, method: str | None = None) -> list[Call]:
        """Every call so far (or those to ``method``), in arrival order."""
        return [call for call in self._calls if method is None or call.method == method]

    def messages(self) -> list[dict[str, Any]]:
        """Every message payload attempted (posted, ephemeral, updated, response_url), valid or not."""
        return [call.args for call in self._calls if call.method in MESSAGE_METHODS]

    def views(self) -> list[dict[str, Any]]:
        """Every view payload attempted (views.open, views.update, views.publish), valid or not."""
        return [
            call.args["view"] for call in self._calls if call.method in VIEW_METHODS and "view" in call.args
        ]

    def view(self, view_id: str) -> dict[str, Any]:
        """A modal as Slack holds it now (with ``id``, ``hash`` and empty ``state``)."""
        return dict(self._views[view_id])

    def home(self, user_id: str) -> dict[str, Any]:
        """The Home tab last published to ``user_id``."""
        return dict(self._home[user_id])

    def response_posts(self, name: str) -> list[dict[str, Any]]:
        """The bodies posted to one response_url, accepted or not."""
        return [call.args for call in self.calls(RESPONSE_URL) if call.path == f"/response/{name}"]

    def share_file(
        self,
        name: str,
        content: bytes,
        channel: str | None = "C0OPS",
        *,
        listed: bool = True,
        external: bool = False,
        download_url: str | None = None,
    ) -> str:
        """A file a person uploaded and shared in ``channel`` (None: not shared); returns its file ID.

        files.info lists the conversation under ``channels``/``groups``/``ims`` by its ID's first letter
        (unless ``listed`` is False) and always under ``shares.public``/``shares.private``, as Slack does.
        ``external`` makes it a remote file (``is_external``, ``mode: external``, no download URL);
        ``download_url`` overrides ``url_private_download``.
        """
        file_id = f"F{self._next():09d}"
        self._shared[file_id] = (name, content)
        record: JsonBody = {
            "url_private_download": download_url or f"{self.url}/download/{file_id}/{name}",
            "channels": [],
            "groups": [],
            "ims": [],
            "shares": {},
        }
        if channel is not None:
            kind = {"C": "channels", "G": "groups", "D": "ims"}[channel[0]]
            if listed:
                record[kind] = [channel]
            share = {"ts": self._ts(), "channel_name": "shared"}
            record["shares"] = {"public" if kind == "channels" else "private": {channel: [share]}}
        if external:
            del record["url_private_download"]
            record |= {"is_external": True, "mode": "external", "external_type": "gdrive"}
            record["url_private"] = f"https://docs.google.com/spreadsheets/d/{file_id}"
        self._file_records[file_id] = record
        return file_id

    def uploaded_files(self) -> list[UploadedFile]:
        """Files started through files.getUploadURLExternal, in order; ``completed`` once shared."""
        return list(self._files.values())

    # A plain timeout argument keeps call sites short; it only bounds a hung test.
    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = GUARD_SECONDS,  # noqa: ASYNC109
    ) -> list[Call]:
        """Wait until ``count`` calls to ``method`` arrived (the bot posts after its ack); returns them all.

        Woken by each call the stand-in records. The timeout is a deadlock guard for a bot that never
        calls (tests/helpers/polling.py), not a latency assertion: call sites leave it alone.
        """
        await self.wait_until(lambda: len(self.calls(method)) >= count, f"{count} {method} call(s)", timeout)
        return self.calls(method)

    async def wait_until(
        self,
        condition: Callable[[], bool],
        what: str,
        timeout: float = GUARD_SECONDS,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``condition()`` holds after some call; ``what`` names it if it never does."""
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    await self._changed.wait_for(condition)
            except TimeoutError:
                seen = [call.method for call in self._calls]
                raise AssertionError(f"expected {what} within {timeout}s; calls: {seen}") from None

    # -- HTTP handlers ---------------------------------------------------------------------------------------

    async def _web_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        problems = _problems(method, args)
        authorization = request.headers.get("Authorization", "")
        headers: dict[str, str] = {"X-OAuth-Scopes": BOT_SCOPES}
        status = 200
        token = authorization.removeprefix("Bearer ")
        wanted = "xapp-" if method in APP_TOKEN_METHODS else "xoxb-"
        if not authorization.startswith("Bearer "):
            body = _error("not_authed")
        elif not token.startswith(wanted):
            known = token.startswith(("xoxb-", "xapp-"))
            body = _error("not_allowed_token_type" if known else "invalid_auth")
        elif fault := self._take_fault(method):
            status, body = fault.status, _error(fault.error)
            if status == 429:
                headers["Retry-After"] = str(fault.retry_after)
        elif problems:
            body = _refusal(method, args, problems)
        elif handler := self._methods.get(method):
            body = handler(args)
        else:
            body = _error("unknown_method")
        await self._record(request, method, args, status, body, problems)
        return web.json_response(body, status=status, headers=headers)

    async def _response_url(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        args = await _read_json_object(request)
        problems = () if args.get("delete_original") else tuple(block_kit_problems(args))
        status, body = 200, {"ok": True}
        uses = self._response_urls.get(name)
        if uses is None:
            status, body = 404, _error("no_such_url")
        elif name in self._expired:
            status, body = 404, _error("expired_url")
        elif uses >= RESPONSE_URL_MAX_USES:
            status, body = 404, _error("used_url")
        elif fault := self._take_fault(RESPONSE_URL):
            status, body = fault.status, _error(fault.error)
        elif "_raw" in args:
            status, body = 400, _error("invalid_payload")
        elif problems:
            status, body = 400, _refusal(RESPONSE_URL, args, problems)
        else:
            self._response_urls[name] = uses + 1
            channel = self._response_channels.get(name)
            if channel is not None and args.get("response_type") == "in_channel":
                ts = self._ts()
                message = {**args, "ts": ts, "type": "message"}
                self._messages[(channel, ts)] = message
                self._response_messages.setdefault(name, []).append(message)
        await self._record(request, RESPONSE_URL, args, status, body, problems)
        return web.json_response(body, status=status)

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        content = await request.read()
        upload = self._files.get(file_id)
        status, text = 200, f"OK - {len(content)}"
        if upload is None:
            status, text = 404, "file_not_found"
        elif fault := self._take_fault(UPLOAD):
            status, text = fault.status, fault.error
        else:
            upload.content = content
        await self._record(
            request, UPLOAD, {"file_id": file_id, "size": len(content)}, status, {"ok": status == 200}, ()
        )
        return web.Response(status=status, text=text, content_type="text/plain")

    def _file_info(self, args: dict[str, Any]) -> JsonBody:
        file_id = str(args.get("file", ""))
        if file_id not in self._shared:
            return _error("file_not_found")
        name, content = self._shared[file_id]
        return {
            "ok": True,
            "file": {
                "id": file_id,
                "name": name,
                "size": len(content),
                "mimetype": "text/csv" if name.endswith(".csv") else "text/plain",
                **self._file_records.get(file_id, {}),
            },
        }

    async def _download(self, request: web.Request) -> web.Response:
        """url_private_download: only with the bot token, as Slack requires."""
        authorization = request.headers.get("Authorization", "")
        file_id = request.match_info["file_id"]
        shared = self._shared.get(file_id)
        status = 302 if not authorization.startswith("Bearer xoxb-") else 404 if shared is None else 200
        await self._record(request, DOWNLOAD, {"file_id": file_id}, status, {"ok": status == 200}, ())
        if status == 302:
            return web.Response(status=302, headers={"Location": f"{self.url}/signin"})
        if shared is None:
            return web.Response(status=404, text="file_not_found")
        return web.Response(body=shared[1], content_type="application/octet-stream")

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    async def _record(
        self,
        request: web.Request,
        method: str,
        args: dict[str, Any],
        status: int,
        body: JsonBody,
        problems: tuple[str, ...],
    ) -> None:
        headers = CIMultiDictProxy(CIMultiDict(request.headers))
        self._calls.append(
            Call(method, args, headers, time.monotonic(), request.path, status, body, problems)
        )
        async with self._changed:
            self._changed.notify_all()

    # -- Web API methods -------------------------------------------------------------------------------------

    def _next(self) -> int:
        self._serial += 1
        return self._serial

    def _ts(self) -> str:
        return f"{int(time.time())}.{self._next():06d}"

    def _auth_test(self, args: dict[str, Any]) -> JsonBody:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "Switchboard Test",
            "user": "switchboard",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _connections_open(self, args: dict[str, Any]) -> JsonBody:
        if self.socket_mode_urls is None:
            return _error("socket_mode_disabled")
        return {"ok": True, "url": self.socket_mode_urls()}

    def _message(self, args: dict[str, Any], ts: str) -> JsonBody:
        """The message as Slack stores it: bot identity, ts, and a block_id on every block."""
        message: JsonBody = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "team": self.team_id,
            "ts": ts,
            "text": args.get("text", ""),
        }
        if args.get("blocks"):
            message["blocks"] = [
                {**block, "block_id": block.get("block_id") or f"sb{index}"}
                for index, block in enumerate(args["blocks"])
            ]
        for key in ("attachments", "thread_ts", "metadata"):
            if args.get(key):
                message[key] = args[key]
        return message

    def _post_message(self, args: dict[str, Any]) -> JsonBody:
        channel = args.get("channel")
        if not channel:
            return _error("channel_not_found")
        if channel[0] in "UW":  # posting to a user lands in the DM with them
            channel = "D" + channel[1:]
        ts = self._ts()
        message = self._message(args, ts)
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _post_ephemeral(self, args: dict[str, Any]) -> JsonBody:
        if not args.get("channel"):
            return _error("channel_not_found")
        if not args.get("user"):
            return _error("user_not_in_channel")
        return {"ok": True, "message_ts": self._ts()}

    def _update(self, args: dict[str, Any]) -> JsonBody:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        if (channel, ts) not in self._messages:
            return _error("message_not_found")
        message = self._message(args, ts)
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _get_permalink(self, args: dict[str, Any]) -> JsonBody:
        channel, ts = args.get("channel", ""), args.get("message_ts", "")
        if (channel, ts) not in self._messages:
            return _error("message_not_found")
        permalink = f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"ok": True, "channel": channel, "permalink": permalink}

    def _held(self, view: JsonBody, view_id: str) -> JsonBody:
        held = {**view, "id": view_id, "team_id": self.team_id, "hash": f"{self._ts()}.h{self._next()}"}
        held["state"] = {"values": {}}
        return held

    def _views_open(self, args: dict[str, Any]) -> JsonBody:
        trigger = str(args.get("trigger_id") or "")
        if not TRIGGER_ID.match(trigger):
            return _error("invalid_trigger_id")
        if trigger in self._triggers:
            return _error("exchanged_trigger_id")
        self._triggers.add(trigger)
        view_id = f"V{self._next():09d}"
        self._views[view_id] = self._held(args["view"], view_id)
        return {"ok": True, "view": self._views[view_id]}

    def _views_update(self, args: dict[str, Any]) -> JsonBody:
        view_id = str(args.get("view_id") or "")
        if view_id not in self._views:
            return _error("not_found")
        if args.get("hash") and args["hash"] != self._views[view_id]["hash"]:
            return _error("hash_conflict")
        self._views[view_id] = self._held(args["view"], view_id)
        return {"ok": True, "view": self._views[view_id]}

    def _views_publish(self, args: dict[str, Any]) -> JsonBody:
        user_id = str(args.get("user_id") or "")
        if not user_id:
            return _error("invalid_arguments")
        if args["view"].get("type") != "home":
            return _error(
                "invalid_arguments", response_metadata={"messages": ["a published view is a home view"]}
            )
        self._home[user_id] = self._held(args["view"], f"V{self._next():09d}")
        return {"ok": True, "view": self._home[user_id]}

    def _conversations_open(self, args: dict[str, Any]) -> JsonBody:
        """A direct message with one person (`users`: one ID): its channel ID is D + the user's."""
        users = str(args.get("users") or "").split(",")
        if len(users) != 1 or not users[0].startswith(("U", "W")):
            return _error("user_not_found")
        return {"ok": True, "channel": {"id": "D" + users[0][1:]}}

    def _usergroup_users(self, args: dict[str, Any]) -> JsonBody:
        users = self.usergroups.get(args.get("usergroup", ""))
        if users is None:
            return _error("no_such_subteam")
        return {"ok": True, "users": list(users)}

    def _user_info(self, args: dict[str, Any]) -> JsonBody:
        user_id = args.get("user")
        if not user_id:
            return _error("user_not_found")
        name = user_id.lower()
        user: JsonBody = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": f"User {user_id}",
            "tz": "Etc/UTC",
            "is_admin": False,
            "is_bot": False,
            "profile": {
                "real_name": f"User {user_id}",
                "display_name": name,
                "email": f"{name}@example.com",
            },
        }
        user.update(self.users.get(user_id, {}))
        return {"ok": True, "user": user}

    def _get_upload_url(self, args: dict[str, Any]) -> JsonBody:
        filename, length = args.get("filename"), str(args.get("length", ""))
        if not filename or not length.isdigit():
            return _error("invalid_arguments")
        file_id = f"F{self._next():09d}"
        self._files[file_id] = UploadedFile(file_id=file_id, filename=filename, length=int(length))
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: dict[str, Any]) -> JsonBody:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            return _error("invalid_arguments")
        pairs = []
        for entry in entries:
            upload = self._files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
            if upload is None or upload.content is None:
                return _error("file_not_found")
            pairs.append((entry, upload, upload.content))
        shared = []
        for entry, upload, content in pairs:
            upload.title = entry.get("title") or upload.filename
            upload.channel_id = args.get("channel_id")
            upload.thread_ts = args.get("thread_ts")
            upload.initial_comment = args.get("initial_comment")
            upload.completed = True
            shared.append(
                {
                    "id": upload.file_id,
                    "name": upload.filename,
                    "title": upload.title,
                    "user": self.bot_user_id,
                    "size": len(content),
                    "mimetype": "application/octet-stream",
                    "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{upload.file_id}",
                    "channels": [upload.channel_id] if upload.channel_id else [],
                }
            )
        return {"ok": True, "files": shared}


def _error(error: str, **extra: Any) -> JsonBody:
    return {"ok": False, "error": error, **extra}


def _problems(method: str, args: dict[str, Any]) -> tuple[str, ...]:
    """Block Kit problems of a message or a view sent to ``method``; () for other methods."""
    if method in MESSAGE_METHODS:
        return tuple(block_kit_problems(args))
    if method in VIEW_METHODS:
        view = args.get("view")
        return tuple(view_problems(view)) if isinstance(view, dict) else ("view: a view object is required",)
    return ()


def _refusal(method: str, args: dict[str, Any], problems: tuple[str, ...]) -> JsonBody:
    """What Slack answers a payload failing the Block Kit check: for a view invalid_arguments, for a message
    no_text if empty, else invalid_blocks."""
    if method in VIEW_METHODS:
        return _error("invalid_arguments", response_metadata={"messages": list(problems)})
    if not any(args.get(key) for key in ("text", "blocks", "attachments")):
        return _error("no_text")
    return _error("invalid_blocks", errors=list(problems))


async def _read_json_object(request: web.Request) -> dict[str, Any]:
    """A response_url body; anything but a JSON object comes back as ``{"_raw": text}``."""
    text = await request.text()
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        body = None
    return body if isinstance(body, dict) else {"_raw": text}


async def _read_args(request: web.Request) -> dict[str, Any]:
    """Query string, then form or JSON body, as slack_sdk sends them; JSON-valued form fields decoded."""
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            args.update(body)
    elif request.can_read_body:
        args.update((key, value) for key, value in (await request.post()).items() if isinstance(value, str))
    for key in JSON_ARGS & args.keys():
        if isinstance(args[key], str):
            with contextlib.suppress(
                json.JSONDecodeError
            ):  # left as a string, the Block Kit check reports it
                args[key] = json.loads(args[key])
    return args
