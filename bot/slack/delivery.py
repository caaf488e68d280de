"""Getting Docs to people: privately, in the channel, to the notification channel; with files.

Private answers go through the command's response_url (at most 5 uses, so longer answers continue
with chat.postEphemeral). Channel posts and announcements use the Web API, whose client retries
429s (honouring Retry-After), 5xx and connection errors.
"""

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.render.blockkit import SlackFile, escape, to_messages
from bot.render.doc import Buttons, Doc
from bot.render.terminal import to_text

log = logging.getLogger(__name__)

RESPONSE_URL_USES = 5
PLAIN_CHUNK = 3500  # characters of plain text per fallback message


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
            await self._send_private(conversation, message.text, message.blocks, doc)

    async def _send_private(
        self, conversation: Conversation, text: str, blocks: list[dict[str, object]] | None, doc: Doc
    ) -> None:
        if conversation.uses < RESPONSE_URL_USES:
            conversation.uses += 1
            if await self._respond(
                conversation, text, blocks, response_type="ephemeral", replace_original=False
            ):
                return
        else:
            try:
                await self.client.chat_postEphemeral(
                    channel=conversation.channel_id, user=conversation.user_id, text=text, blocks=blocks
                )
                return
            except SlackApiError as error:
                log.error("chat.postEphemeral failed: %s", error.response.get("error"))
        if blocks is not None:
            await self._plain(conversation, doc)

    async def secret(self, channel_id: str, user_id: str, text: str) -> bool:
        """To one person only, as an ephemeral message (Slack keeps no copy in the channel's
        history). False, logged without the text, when Slack refuses it."""
        try:
            await self.client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
        except SlackApiError as error:
            log.error("could not show a secret privately: %s", error.response.get("error"))
            return False
        return True

    async def public(self, conversation: Conversation, doc: Doc, *, replace_original: bool = False) -> None:
        """The whole channel sees it (a preview, a result). Long lists come as files."""
        messages = to_messages(doc, files_allowed=True)
        for index, message in enumerate(messages):
            conversation.uses += 1
            sent = await self._respond(
                conversation,
                message.text,
                message.blocks,
                response_type="in_channel",
                replace_original=replace_original and index == 0,
            )
            if not sent:
                await self._plain(conversation, doc, public=True)
                return
            for failed in await self._upload(conversation.channel_id, message.files):
                # Never cut silently: if the file cannot be posted here, the rows come as messages.
                await self.private(conversation, Doc(failed.title, (failed.table,)))

    async def _respond(
        self, conversation: Conversation, text: str, blocks: list[dict[str, object]] | None, **options: object
    ) -> bool:
        """Post through response_url; False (logged) when Slack refuses or cannot be reached."""
        try:
            response = await conversation.respond(text=text, blocks=blocks, **options)
        except aiohttp.ClientError as error:
            log.error("response_url post failed: %s", type(error).__name__)
            return False
        if response.status_code != HTTPStatus.OK:
            log.error("response_url post refused (%s): %s", response.status_code, response.body)
            return False
        return True

    async def _plain(self, conversation: Conversation, doc: Doc, *, public: bool = False) -> None:
        """Slack refused the formatted message: say it all again as plain text, so nothing is lost."""
        note = "Slack refused the formatted message, so here it is as plain text"
        if any(isinstance(part, Buttons) for part in doc.parts):
            note += " (its buttons could not be shown: run the command again to get them)"
        body = escape(to_text(doc))
        chunks = [body[start : start + PLAIN_CHUNK] for start in range(0, len(body), PLAIN_CHUNK)]
        for index, chunk in enumerate(chunks):
            text = f"{note}:\n```{chunk}```" if index == 0 else f"```{chunk}```"
            if public:
                conversation.uses += 1
                if await self._respond(
                    conversation, text, None, response_type="in_channel", replace_original=False
                ):
                    continue
            await self._send_private(conversation, text, None, doc)

    async def announce(self, doc: Doc, context: Doc) -> None:
        """A copy for the team's notification channel; failures are logged and never raised."""
        if not self.notify_channel:
            return
        whole = Doc(doc.title, context.parts + doc.parts, doc.level)
        try:
            for message in to_messages(whole):
                try:
                    await self.client.chat_postMessage(
                        channel=self.notify_channel, text=message.text, blocks=message.blocks
                    )
                except SlackApiError as error:
                    if error.response.get("error") != "invalid_blocks":
                        raise
                    text = escape(to_text(whole))[:PLAIN_CHUNK]
                    await self.client.chat_postMessage(channel=self.notify_channel, text=f"```{text}```")
                    return
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
