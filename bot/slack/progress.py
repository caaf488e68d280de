"""One message per bulk change that counts up as batches finish (chat.postMessage, then chat.update).

Updates are spaced (chat.update allows about one a second per message) and the last one is always
sent. If Slack refuses, progress is skipped and logged: the change itself goes on regardless.
"""

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.applying import Progress
from bot.render.blockkit import to_messages
from bot.render.doc import Doc, Notice
from bot.results import Plan
from bot.store import ChangeRecord
from bot.workflow import ProgressFactory

log = logging.getLogger(__name__)

MIN_SECONDS_BETWEEN_UPDATES = 1.0


class ProgressMessage:
    def __init__(self, client: AsyncWebClient, channel: str, record: ChangeRecord, plan: Plan) -> None:
        self._client = client
        self._channel = channel
        self._title = f"Applying change {record.id}: {plan.summary}"
        self._ts: str | None = None
        self._last_update = 0.0
        self._failed = False
        self._shown = 0
        self._lock = asyncio.Lock()  # batches finish concurrently; one post, then updates in order

    async def __call__(self, done: int, total: int) -> None:
        async with self._lock:
            await self._report(done, total)

    async def _report(self, done: int, total: int) -> None:
        if self._failed or done < self._shown:  # a batch that finished earlier reported later
            return
        self._shown = done
        now = asyncio.get_running_loop().time()
        if self._ts is not None and done < total and now - self._last_update < MIN_SECONDS_BETWEEN_UPDATES:
            return
        self._last_update = now
        [message] = to_messages(Doc(self._title, (Notice("info", f"{done:,} of {total:,} numbers sent."),)))
        try:
            if self._ts is None:
                response: Any = await self._client.chat_postMessage(
                    channel=self._channel, text=message.text, blocks=message.blocks
                )
                self._ts = str(response["ts"])
            else:
                await self._client.chat_update(
                    channel=self._channel, ts=self._ts, text=message.text, blocks=message.blocks
                )
        except SlackApiError as error:
            self._failed = True
            log.warning("progress message in %s failed: %s", self._channel, error.response.get("error"))


def progress_in(client: AsyncWebClient, channel: str) -> ProgressFactory:
    """A ProgressFactory for the workflow: a progress message in `channel` for each bulk change."""

    def make(record: ChangeRecord, plan: Plan) -> Progress:
        return ProgressMessage(client, channel, record, plan)

    return make
