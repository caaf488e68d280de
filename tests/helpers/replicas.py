"""Driving a bot process the way Slack does: propose the origination change, click Apply, count the PUTs."""

import aiohttp

from bot.sandbox import RunningSandbox
from bot.slack.actions import APPLY_ACTION
from tests.helpers.bot_harness import send_signed
from tests.helpers.messages import button_value
from tests.helpers.sandbox_fixtures import recorded_requests
from tests.helpers.slack_signing import block_actions_body, slash_command_body
from tests.helpers.slack_standin import SlackStandIn

ORIGINATION = "origination set abcdef1ghij2klmno3pqr4 --route 10.24.34.0:1234/tcp,priority=1,weight=5"


def puts(sandbox: RunningSandbox) -> int:
    return sum(record["operation"] == "PutVoiceConnectorOrigination" for record in recorded_requests(sandbox))


async def propose(
    http: aiohttp.ClientSession, url: str, standin: SlackStandIn, name: str
) -> dict[str, object]:
    body = slash_command_body(
        ORIGINATION, user_id="U0ALICE", channel_id="C0OPS", response_url=standin.response_url(name, "C0OPS")
    )
    assert (await send_signed(http, url, body))[0] == 200
    await standin.wait_until(lambda: bool(standin.response_posts(name)), "the preview")
    return standin.stored_message(name)


def click_body(standin: SlackStandIn, preview: dict[str, object], name: str) -> str:
    change_id = button_value(preview, APPLY_ACTION)
    return block_actions_body(
        APPLY_ACTION,
        change_id,
        user_id="U0ALICE",
        channel_id="C0OPS",
        response_url=standin.response_url(name, "C0OPS"),
        message=preview,
    )
