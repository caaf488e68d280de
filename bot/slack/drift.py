"""The drift watch on Slack: announcements in NOTIFY_CHANNEL with Acknowledge and Revert buttons,
and snapshot files."""

import logging

from slack_sdk.errors import SlackApiError

from bot.drift.views import DriftActions, drift_view
from bot.outcomes import Exported
from bot.render.blockkit import to_messages
from bot.slack.delivery import Conversation, Delivery
from bot.store import DriftRecord

log = logging.getLogger(__name__)

ACKNOWLEDGE_ACTION = "drift_acknowledge"
REVERT_ACTION = "drift_revert"
DRIFT_ACTIONS = DriftActions(acknowledge=ACKNOWLEDGE_ACTION, revert=REVERT_ACTION)
# What each button runs, as the person clicking it, through the workflow like a typed command.
BUTTON_COMMANDS = {ACKNOWLEDGE_ACTION: "drift ack", REVERT_ACTION: "drift revert"}


class DriftAnnouncer:
    """Posts one message per drifted resource to NOTIFY_CHANNEL (the watcher records it first), and
    updates it when who made the drift is found later."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery

    async def announce(self, record: DriftRecord) -> str | None:
        """Where the first message went (`CHANNEL:TS`): it holds the facts `revise` updates."""
        channel = self.delivery.notify_channel
        if not channel:
            return None
        posted: str | None = None
        for message in to_messages(drift_view(record, DRIFT_ACTIONS), files_allowed=False):
            answer = await self.delivery.client.chat_postMessage(
                channel=channel, text=message.text, blocks=message.blocks
            )
            posted = posted or f"{answer['channel']}:{answer['ts']}"
        return posted

    async def revise(self, record: DriftRecord, posted: str) -> None:
        channel, _, ts = posted.partition(":")
        first = to_messages(drift_view(record, DRIFT_ACTIONS), files_allowed=False)[0]
        await self.delivery.client.chat_update(channel=channel, ts=ts, text=first.text, blocks=first.blocks)


async def upload(delivery: Delivery, conversation: Conversation, exported: Exported) -> bool:
    """Post an exported file in the channel it was asked in when shared, otherwise in the asker's
    direct messages with the bot (conversations.open); False (logged) when Slack refuses."""
    try:
        channel_id = conversation.channel_id
        if not exported.shared:
            opened = await delivery.client.conversations_open(users=conversation.user_id)
            channel_id = str(opened["channel"]["id"])
        await delivery.client.files_upload_v2(
            channel=channel_id,
            content=exported.content,
            filename=exported.file_name,
            title=exported.file_name,
        )
    except SlackApiError as error:
        log.error("upload of %s failed: %s", exported.file_name, error.response.get("error"))
        return False
    return True
