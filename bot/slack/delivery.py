"""Getting Docs to people: privately, in the channel, to the notification channel; with files.

Private answers go through the command's response_url (at most 5 uses, so longer answers continue
with chat.postEphemeral). Channel posts and announcements use the Web API, whose client retries
429s (honouring Retry-After), 5xx and connection errors.
"""

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.render.blockkit import SlackFile, to_messages
from bot.render.doc import Doc

log = logging.getLogger(__name__)

RESPONSE_URL_USES = 5


@dataclass
class Conversation:
    """Where a request came from: who, which channel, and how to answer it."""

    user_id: str
    channel_id: str
    respond: Any  # Bolt's AsyncRespond bound to the request's response_url
    uses: int = 0


class Delivery:
    def __init__(self, client: AsyncWebClient, notify_channel: str | None) -> None:
        self.client = client
        self.notify_channel = notify_channel

    async def private(self, conversation: Conversation, doc: Doc) -> None:
        """Only the asker sees it. Long answers are split over several messages, not attached."""
        for message in to_messages(doc, files_allowed=False):
            if conversation.uses < RESPONSE_URL_USES:
                conversation.uses += 1
                await conversation.respond(
                    text=message.text,
                    blocks=message.blocks,
                    response_type="ephemeral",
                    replace_original=False,
                )
            else:
                await self.client.chat_postEphemeral(
                    channel=conversation.channel_id,
                    user=conversation.user_id,
                    text=message.text,
                    blocks=message.blocks,
                )

    async def public(self, conversation: Conversation, doc: Doc, *, replace_original: bool = False) -> None:
        """The whole channel sees it (a preview, a result). Long lists come as files."""
        messages = to_messages(doc, files_allowed=True)
        for index, message in enumerate(messages):
            conversation.uses += 1
            await conversation.respond(
                text=message.text,
                blocks=message.blocks,
                response_type="in_channel",
                replace_original=replace_original and index == 0,
            )
            for failed in await self._upload(conversation.channel_id, message.files):
                # Never cut silently: if the file cannot be posted here, the rows come as messages.
                await self.private(conversation, Doc(failed.title, (failed.table,)))

    async def announce(self, doc: Doc, context: Doc) -> None:
        """A copy for the team's notification channel; failures are logged and never raised."""
        if not self.notify_channel:
            return
        try:
            for message in to_messages(Doc(doc.title, context.parts + doc.parts, doc.level)):
                await self.client.chat_postMessage(
                    channel=self.notify_channel, text=message.text, blocks=message.blocks
                )
                for failed in await self._upload(self.notify_channel, message.files):
                    for rows in to_messages(Doc(failed.title, (failed.table,)), files_allowed=False):
                        await self.client.chat_postMessage(
                            channel=self.notify_channel, text=rows.text, blocks=rows.blocks
                        )
        except SlackApiError as error:
            log.error("announcement to %s failed: %s", self.notify_channel, error.response.get("error"))

    async def _upload(self, channel: str, files: list[SlackFile]) -> list[SlackFile]:
        """Upload each file; returns those that could not be posted."""
        failed = []
        for file in files:
            try:
                await self.client.files_upload_v2(
                    channel=channel, content=file.content, filename=file.name, title=file.title
                )
            except SlackApiError as error:
                log.error("upload of %s to %s failed: %s", file.name, channel, error.response.get("error"))
                failed.append(file)
        return failed
