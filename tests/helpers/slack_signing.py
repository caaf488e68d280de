"""Signed Slack requests, byte-for-byte as Slack sends them, so tests enter the bot by its real front door.

Bolt verifies ``X-Slack-Signature`` (HMAC-SHA256 of ``v0:{timestamp}:{body}``) and rejects stale
timestamps, so tests sign with slack_sdk's own ``SignatureVerifier.generate_signature`` and a current
timestamp. Bodies are form-encoded the way Slack encodes them: slash commands as plain fields, interactive
clicks as ``payload=`` JSON.
"""

import json
import secrets
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
DEFAULT_TEAM_ID = "T0001"
DEFAULT_TEAM_DOMAIN = "switchboard-test"
DEFAULT_APP_ID = "A0SWITCH"
# Slack still sends the deprecated verification token; Bolt ignores it when a signing secret is set.
LEGACY_TOKEN = "legacy-verification-token"


def signed_headers(body: bytes | str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers for a Slack-signed form POST of ``body``; ``timestamp`` defaults to now (Bolt allows 5 min)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    if signature is None:  # slack_sdk returns None only for a None timestamp
        raise ValueError("slack_sdk produced no signature")
    return {
        "Content-Type": FORM_CONTENT_TYPE,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }


def new_trigger_id() -> str:
    """A fresh trigger_id in Slack's ``digits.digits.hex`` shape."""
    return f"{time.time_ns() // 1000 % 10**12}.47445629121.{secrets.token_hex(16)}"


def slash_command_body(
    text: str,
    *,
    user_id: str,
    channel_id: str,
    response_url: str,
    team_id: str = DEFAULT_TEAM_ID,
    command: str = "/voice",
    trigger_id: str | None = None,
    token: str = LEGACY_TOKEN,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    channel_name: str = "ops",
    user_name: str | None = None,
) -> str:
    """A slash command body in Slack's field order and encoding (it reproduces Slack's signing example)."""
    return urlencode(
        {
            "token": token,
            "team_id": team_id,
            "team_domain": team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
    )


def block_actions_body(
    action_id: str,
    value: str,
    *,
    user_id: str,
    channel_id: str,
    response_url: str,
    message: Mapping[str, Any] | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    trigger_id: str | None = None,
) -> str:
    """A button click (``block_actions``) body, form-encoded as ``payload=<json>`` like Slack sends it.

    ``message`` is the message holding the button, as Slack stored it (with ``ts``; the stand-in's
    ``chat.postMessage`` response ``["message"]`` fits). The button is looked up in it by ``action_id`` and
    ``value``, so a test cannot click a button the bot never rendered. Without ``message`` the click comes
    from an ephemeral message, for which Slack sends no message copy and no ``ts``.
    """
    now = f"{time.time():.6f}"
    if message is None:
        block_id, label = "ephemeral", action_id
        container: dict[str, Any] = {"type": "message", "message_ts": now, "is_ephemeral": True}
    else:
        block_id, label = _find_button(message, action_id, value)
        container = {"type": "message", "message_ts": message["ts"], "is_ephemeral": False}
    container["channel_id"] = channel_id
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id},
        "api_app_id": DEFAULT_APP_ID,
        "token": LEGACY_TOKEN,
        "container": container,
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": DEFAULT_TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "ops"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": label, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": now,
            }
        ],
    }
    if message is not None:
        payload["message"] = dict(message)
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def _find_button(message: Mapping[str, Any], action_id: str, value: str) -> tuple[str, str]:
    """The (block_id, label) of the button in ``message``; raises if the bot never rendered it."""
    for block_id, element in _elements(message.get("blocks") or []):
        if (element.get("type"), element.get("action_id"), element.get("value")) == (
            "button",
            action_id,
            value,
        ):
            return block_id, str(element.get("text", {}).get("text", ""))
    raise LookupError(f"no button action_id={action_id!r} value={value!r} in the message")


def _elements(blocks: list[Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for index, block in enumerate(blocks):
        block_id = str(block.get("block_id") or f"block{index}")
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                yield block_id, element
        elif block.get("type") == "section" and isinstance(block.get("accessory"), Mapping):
            yield block_id, block["accessory"]
