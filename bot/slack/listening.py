"""What `build_app` lends the listener modules (edit forms, Home tab): the pieces every Slack request
goes through, so a new listener cannot skip the team check, the once-only check or the policy."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncRespond

from bot.outcomes import Answer
from bot.slack.delivery import Conversation, Delivery
from bot.slack.gate import Gate
from bot.workflow import Request, Workflow


@dataclass(frozen=True)
class Listening:
    workflow: Workflow
    delivery: Delivery
    gate: Gate
    request_of: Callable[[str, str, str, str | None], Awaitable[Request]]
    """A person's request in a channel, with their user groups (user, channel, text, team)."""
    clicked: Callable[[AsyncAck, dict[str, Any], AsyncRespond, str], Awaitable[Request | None]]
    """Ack a click and make its request; None when the team is refused or the click was taken."""
    deliver: Callable[[Answer, Conversation], Awaitable[None]]
    """Show a workflow answer where the conversation is (in the channel when it is public)."""
