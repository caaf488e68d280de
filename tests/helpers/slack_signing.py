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


def submitted_state(view: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """``view.state.values`` as Slack sends it on submission: every input block with its initial value,
    unless ``answers`` (block_id → text, option value, list of option values, or None) changes it."""
    values: dict[str, Any] = {}
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, block_id = element["type"], block["block_id"]
        options = {option["value"]: option for option in element.get("options") or []}
        if kind in ("static_select", "radio_buttons"):
            initial = element.get("initial_option")
            chosen = options.get(answers[block_id]) if block_id in answers else initial
            state: dict[str, Any] = {"type": kind, "selected_option": chosen}
        elif kind == "checkboxes":
            picked = element.get("initial_options") or []
            if block_id in answers:
                picked = [options[value] for value in answers[block_id] or []]
            state = {"type": kind, "selected_options": picked}
        else:
            state = {
                "type": kind,
                "value": answers[block_id] if block_id in answers else element.get("initial_value"),
            }
        values[block_id] = {element["action_id"]: state}
    return values


def view_submission_body(
    view: Mapping[str, Any],
    answers: Mapping[str, Any],
    *,
    user_id: str,
    team_id: str = DEFAULT_TEAM_ID,
    trigger_id: str | None = None,
) -> str:
    """A modal's submission (``view_submission``), form-encoded as ``payload=<json>`` like Slack sends it.

    ``view`` is the modal as Slack holds it (the stand-in's ``view(view_id)``: with ``id`` and ``hash``); the
    state is its initial values with ``answers`` typed over them (``submitted_state``).
    """
    submitted = {**view, "state": {"values": submitted_state(view, answers)}}
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": DEFAULT_TEAM_DOMAIN},
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id},
        "api_app_id": DEFAULT_APP_ID,
        "token": LEGACY_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def event_body(event: Mapping[str, Any], *, team_id: str = DEFAULT_TEAM_ID) -> str:
    """An Events API delivery (``event_callback``) as the JSON Slack POSTs."""
    return json.dumps(
        {
            "token": LEGACY_TOKEN,
            "team_id": team_id,
            "api_app_id": DEFAULT_APP_ID,
            "event": dict(event),
            "type": "event_callback",
            "event_id": f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": team_id, "user_id": "U0BOT", "is_bot": True, "is_enterprise_install": False}
            ],
            "is_ext_shared_channel": False,
        },
        separators=(",", ":"),
    )
