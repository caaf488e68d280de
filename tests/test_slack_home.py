"""The Home tab: opening it (app_home_opened) publishes the routing map, only what the viewer may read,
within Block Kit's 100 blocks."""

import pytest

from bot.sandbox.seed import PRIMARY_CONNECTOR_ID
from bot.slack.actions import APPLY_ACTION
from bot.store import DriftLedger
from tests.helpers.bot_harness import BotHarness, HarnessFactory
from tests.helpers.messages import button_value, text_of
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client

pytestmark = pytest.mark.both_transports


async def open_home(bot: BotHarness, user: str) -> str:
    """The text of the Home tab published to `user` when they open it."""
    published = len(bot.standin.calls("views.publish"))
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home", "event_ts": "1.2"}
    assert await bot.event(event) == 200
    await bot.standin.wait_for("views.publish", published + 1)
    return text_of(bot.standin.home(user))


async def test_home_shows_the_routing_map_each_viewer_may_read(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        await voice.put_voice_connector_origination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID,
            Origination={
                "Routes": [
                    {"Host": "10.24.34.1", "Port": 5060, "Protocol": "UDP", "Priority": 1, "Weight": 5}
                ],
                "Disabled": True,
            },
        )
        await voice.put_voice_connector_termination(
            VoiceConnectorId=PRIMARY_CONNECTOR_ID, Termination={"CallingRegions": ["US"], "CpsLimit": 3}
        )
    drift = await DriftLedger(bot.runtime.store).record_drift(
        key="home-test", resource="connector:us-west-2:pstn-secondary", kind="connector", region="us-west-2"
    )
    assert drift is not None
    posted = await bot.command("proxy set pstn-primary --expiry 60 --countries US")
    await posted.wait()
    change_id = button_value(bot.standin.stored_message(posted.response_name), APPLY_ACTION)

    alice = await open_home(bot, "U0ALICE")  # admin: everything, the last changes too
    assert "pstn-failover" in alice and "`pstn-primary` (priority 1) → `pstn-secondary` (priority 2)" in alice
    assert "Origination disabled: `10.24.34.1:5060/udp,priority=1,weight=5`" in alice
    assert "Termination enabled, 3 call(s)/s, no SIP OPTIONS received" in alice
    assert "Origination: not configured" in alice  # pstn-secondary
    assert "0 number(s)" in alice
    assert "Unacknowledged drift (1)" in alice and drift.id in alice
    assert change_id in alice and "proxy set pstn-primary" in alice

    dave = await open_home(bot, "U0DAVE")  # a reader: the map, but not every channel's changes
    assert "pstn-failover" in dave and drift.id in dave and "10.24.34.1" in dave
    assert change_id not in dave


async def test_home_of_someone_who_may_read_nothing_says_so(bot_factory: HarnessFactory) -> None:
    bot = await bot_factory("roles:\n  admin: ['*']\ngrants:\n  - role: admin\n    users: [U0ALICE]\n")
    erin = await open_home(bot, "U0ERIN")
    assert "lets you read nothing" in erin
    assert "pstn-primary" not in erin and "pstn-failover" not in erin


async def test_a_large_account_is_summarised_within_the_home_views_block_limit(bot: BotHarness) -> None:
    async with voice_client(bot.sandbox) as voice:
        for index in range(20):
            await voice.create_voice_connector(Name=f"trunk-{index:02}", RequireEncryption=True)
        for index in range(24):
            await voice.create_voice_connector_group(Name=f"group-{index:02}")
    alice = await open_home(bot, "U0ALICE")
    # 22 connectors (15 detailed) and 25 groups (20 shown); the stand-in refuses a view over 100 blocks.
    assert "…and 7 more: `/voice connectors`" in alice and "…and 5 more: `/voice groups`" in alice
    [published] = bot.standin.calls("views.publish")
    assert published.response["ok"] is True and len(published.args["view"]["blocks"]) <= 100


async def test_opening_home_again_reads_aws_once_a_minute_for_those_who_read_the_same(
    bot: BotHarness,
) -> None:
    """Each open would otherwise cost a dozen Chime API calls: a reader clicking Home repeatedly,
    or everyone opening it at once, could spend the rate limit a change needs mid-incident."""
    await open_home(bot, "U0DAVE")
    after_first = len(recorded_requests(bot.sandbox))
    await open_home(bot, "U0DAVE")
    await open_home(bot, "U0CAROL")  # outside C0OPS her grants are a reader's, as Dave's
    assert len(recorded_requests(bot.sandbox)) == after_first
    await open_home(bot, "U0ALICE")  # an admin reads more: her map is read on its own
    assert len(recorded_requests(bot.sandbox)) > after_first
