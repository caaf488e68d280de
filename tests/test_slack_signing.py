"""Signed request builders: Slack's published vector, slack_sdk's verifier, and a real Bolt app agree."""

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import Clock, SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.helpers.slack_signing import block_actions_body, signed_headers, slash_command_body
from tests.helpers.slack_standin import RESPONSE_URL, SlackStandIn

pytestmark = pytest.mark.harness  # tests of the signed-request builders (a test tool), not of Switchboard

# Slack's worked example in "Verifying requests from Slack" (api.slack.com/authentication/
# verifying-requests-from-slack); the same vector appears in slack's SDK tests and many verifiers.
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TIMESTAMP = 1531420618
DOC_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

SECRET = "test-signing-secret"


class FrozenClock(Clock):
    """Slack's example is from 2018; the verifier refuses timestamps more than 5 minutes from "now"."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def test_slack_published_example_signs_to_the_published_signature() -> None:
    headers = signed_headers(DOC_BODY, DOC_SECRET, timestamp=DOC_TIMESTAMP)

    assert headers["X-Slack-Signature"] == DOC_SIGNATURE
    assert headers["X-Slack-Request-Timestamp"] == str(DOC_TIMESTAMP)
    verifier = SignatureVerifier(DOC_SECRET, clock=FrozenClock(DOC_TIMESTAMP + 30))
    assert verifier.is_valid_request(DOC_BODY, headers)
    assert verifier.generate_signature(timestamp=str(DOC_TIMESTAMP), body=DOC_BODY) == DOC_SIGNATURE


def test_slash_command_body_reproduces_slacks_example_byte_for_byte() -> None:
    body = slash_command_body(
        "",
        user_id="U2CERLKJA",
        channel_id="G8PSS9T3V",
        response_url="https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN",
        team_id="T1DC2JH3J",
        command="/webhook-collect",
        trigger_id="398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        token="xyzz0WbapA4vBCDEFasx0q6G",
        team_domain="testteamnow",
        channel_name="foobar",
        user_name="roadrunner",
    )

    assert body == DOC_BODY


def test_default_timestamp_is_current_so_a_real_verifier_accepts_it() -> None:
    body = slash_command_body(
        "status", user_id="U1", channel_id="C1", response_url="https://example.invalid/r"
    )
    headers = signed_headers(body, SECRET)

    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier(SECRET).is_valid_request(body + "&x=1", headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_bytes_and_str_bodies_sign_alike() -> None:
    assert signed_headers(DOC_BODY.encode(), DOC_SECRET, DOC_TIMESTAMP) == signed_headers(
        DOC_BODY, DOC_SECRET, DOC_TIMESTAMP
    )


def test_slash_command_text_survives_form_encoding() -> None:
    text = "route +44 20 & <!channel> 100%"
    fields = parse_qs(
        slash_command_body(text, user_id="U1", channel_id="C1", response_url="https://example.invalid/r")
    )

    assert fields["text"] == [text]
    assert fields["command"] == ["/voice"]
    assert fields["team_id"] == ["T0001"]
    trigger_parts = fields["trigger_id"][0].split(".")
    assert len(trigger_parts) == 3 and trigger_parts[0].isdigit() and trigger_parts[1].isdigit()


def _payload(body: str) -> dict[str, Any]:
    fields = parse_qs(body)
    assert list(fields) == ["payload"]
    payload: dict[str, Any] = json.loads(fields["payload"][0])
    return payload


MESSAGE = {
    "type": "message",
    "ts": "1700000000.000100",
    "text": "Route change for +44 20",
    "blocks": [
        {"type": "section", "block_id": "summary", "text": {"type": "mrkdwn", "text": "Apply?"}},
        {
            "type": "actions",
            "block_id": "decide",
            "elements": [
                {
                    "type": "button",
                    "action_id": "approve",
                    "value": "req-1",
                    "text": {"type": "plain_text", "text": "Approve"},
                },
                {
                    "type": "button",
                    "action_id": "reject",
                    "value": "req-1",
                    "text": {"type": "plain_text", "text": "Reject"},
                },
            ],
        },
    ],
}


def test_block_actions_body_clicks_a_button_the_message_has() -> None:
    payload = _payload(
        block_actions_body(
            "reject",
            "req-1",
            user_id="U2",
            channel_id="C9",
            response_url="https://example.invalid/r",
            message=MESSAGE,
        )
    )

    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == "U2"
    assert payload["channel"]["id"] == "C9"
    assert payload["container"] == {
        "type": "message",
        "message_ts": "1700000000.000100",
        "is_ephemeral": False,
        "channel_id": "C9",
    }
    assert payload["message"] == MESSAGE
    [action] = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"]) == ("reject", "decide", "req-1")
    assert action["text"]["text"] == "Reject"


@pytest.mark.parametrize(("action_id", "value"), [("escalate", "req-1"), ("approve", "req-2")])
def test_block_actions_body_refuses_a_button_the_bot_never_rendered(action_id: str, value: str) -> None:
    with pytest.raises(LookupError):
        block_actions_body(action_id, value, user_id="U2", channel_id="C9", response_url="r", message=MESSAGE)


def test_block_actions_body_without_message_is_an_ephemeral_click() -> None:
    payload = _payload(
        block_actions_body("approve", "req-1", user_id="U2", channel_id="C9", response_url="r")
    )

    assert payload["container"]["is_ephemeral"] is True
    assert "message" not in payload


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


@pytest.fixture
async def bolt_url(slack: SlackStandIn) -> AsyncIterator[str]:
    """A real Bolt AsyncApp on aiohttp, talking to the stand-in: the path the bot itself takes."""
    app = AsyncApp(
        signing_secret=SECRET,
        client=AsyncWebClient(token="xoxb-test", base_url=slack.api_url),
    )

    @app.command("/voice")
    async def voice(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"you said {command['text']}")

    @app.action("approve")
    async def approve(ack: Any, respond: Any, body: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"approved {body['actions'][0]['value']} in {body['actions'][0]['block_id']}")

    runner = web.AppRunner(app.web_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}/slack/events"
    await runner.cleanup()


async def _post(url: str, body: str, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as response:
        return response.status


async def test_bolt_accepts_signed_slash_command_and_button_click(slack: SlackStandIn, bolt_url: str) -> None:
    command = slash_command_body(
        "status 42", user_id="U1", channel_id="C1", response_url=slack.response_url("command")
    )
    assert await _post(bolt_url, command, signed_headers(command, SECRET)) == 200
    await slack.wait_for(RESPONSE_URL, 1)

    click = block_actions_body(
        "approve",
        "req-1",
        user_id="U1",
        channel_id="C1",
        response_url=slack.response_url("click"),
        message=MESSAGE,
    )
    assert await _post(bolt_url, click, signed_headers(click, SECRET)) == 200
    await slack.wait_for(RESPONSE_URL, 2)

    assert slack.response_posts("command")[0]["text"] == "you said status 42"
    assert slack.response_posts("click")[0]["text"] == "approved req-1 in decide"


async def test_bolt_rejects_a_bad_signature(slack: SlackStandIn, bolt_url: str) -> None:
    body = slash_command_body("status", user_id="U1", channel_id="C1", response_url=slack.response_url("c"))

    assert await _post(bolt_url, body, signed_headers(body, "wrong-secret")) == 401
    assert await _post(bolt_url, body, signed_headers(body, SECRET, timestamp=DOC_TIMESTAMP)) == 401
    assert slack.calls(RESPONSE_URL) == []
