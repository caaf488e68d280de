"""Hostile and odd slash-command text through the real server: never a crash, never a ping,
never a change to AWS (nothing here is ever confirmed, so nothing may mutate)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands import COMMANDS
from tests.helpers.blockkit import block_kit_problems, unescaped_mentions
from tests.helpers.bot_harness import BotHarness
from tests.helpers.sandbox_fixtures import recorded_requests

pytestmark = pytest.mark.both_transports

READ_ONLY_PREFIXES = ("Get", "List")
WORDS = [word for command in COMMANDS for word in command.words] + [
    param.flag for command in COMMANDS for param in command.all_params() if param.flag
]
HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0ALICE>",
    "<#C0OPS|ops>",
    "<!subteam^S0ONCALL>",
    "&lt;!channel&gt;",
    "<http://evil.example|click>",
    "<tel:+12065550100|+1 206 555 0100>",
    "pstn-primary",
    "pstn-failover",
    "+12065550100",
    "10.0.0.1:5060/udp,priority=1,weight=1",
    "\u202e\u0000\x1b[31m",
    "`",
    "*",
    "~",
    '"',
    "'",
    "“",
    "\n",
]
TOKENS = st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), st.text(max_size=20))
TEXTS = st.one_of(
    st.lists(TOKENS, max_size=12).map(" ".join),
    st.text(max_size=300),
    st.builds(lambda word, n: " ".join([word] * n), st.sampled_from(HOSTILE), st.integers(100, 600)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
async def test_any_text_is_answered_safely_and_changes_nothing(bot: BotHarness, text: str) -> None:
    posted = await bot.command(text, user="U0ALICE")
    assert posted.status == 200
    messages = [posted.ack] if posted.ack else await posted.wait()
    for message in messages:
        assert block_kit_problems(message) == [], message
        assert unescaped_mentions(message) == [], message
    mutating = [
        record["operation"]
        for record in recorded_requests(bot.sandbox)
        if not str(record["operation"]).startswith(READ_ONLY_PREFIXES)
    ]
    assert mutating == []
