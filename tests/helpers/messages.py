"""Reading what the bot posted: the text a person sees, a button's value, a preview, the requests sent."""

from typing import Any

from bot.sandbox import RecordedRequest
from tests.helpers.bot_harness import BotHarness, Posted
from tests.helpers.sandbox_fixtures import recorded_requests


def text_of(message: dict[str, Any]) -> str:
    """All text a person would read in a message (fallback and blocks)."""
    parts = [str(message.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return "\n".join(parts)


def button_value(message: dict[str, Any], action_id: str) -> str:
    for block in message.get("blocks", []):
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {message}")


def sent(bot: BotHarness, operation: str) -> list[RecordedRequest]:
    return [record for record in recorded_requests(bot.sandbox) if record["operation"] == operation]


async def preview_of(bot: BotHarness, posted: Posted) -> dict[str, Any]:
    await posted.wait()
    return bot.standin.stored_message(posted.response_name)
