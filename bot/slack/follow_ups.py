"""A bulk result's follow-up buttons (move with --force, retry the failed): a click runs the
prepared command as the person who clicked, through the workflow like a typed command."""

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.outcomes import Answer
from bot.slack.actions import FOLLOW_UP_ACTION
from bot.slack.delivery import Conversation
from bot.workflow import Request, Workflow

Clicked = Callable[[AsyncAck, dict[str, Any], AsyncRespond, str], Awaitable[Request | None]]
Deliver = Callable[[Answer, Conversation], Awaitable[None]]


def register(app: AsyncApp, workflow: Workflow, clicked: Clicked, deliver: Deliver) -> None:
    """`clicked` acks and vets the click (workspace, replays); `deliver` shows the answer."""

    @app.action(FOLLOW_UP_ACTION)
    async def follow_up(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        request = await clicked(ack, body, respond, "")
        if request is None:
            return
        change_id, _, kind = str(((body.get("actions") or [{}])[0]).get("value") or "").partition(":")
        answer = await workflow.follow_up(change_id, kind, request)
        await deliver(answer, Conversation(request.user_id, str(request.channel_id), respond))
