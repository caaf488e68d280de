"""Group failover, group and connector updates as people run them (`switchboard console`), and undo of tags.

Failover is what on-call reaches for in an incident, so the example policy lets on-call fail over
and undo it (the undo is a failover back), but not rewrite a group's members.
"""

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.ops import registry
from bot.ops.registry import CannotUndo
from bot.results import ApiCall, Outcome, Plan
from bot.sandbox import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID, RunningSandbox
from commands.connector import ConnectorUntag
from tests.helpers.console_process import run_console
from tests.helpers.sandbox_fixtures import voice_client
from voice_domain.located import Located
from voice_domain.shapes import VoiceConnector

EXAMPLE_POLICY = Path(__file__).parent.parent / "deploy" / "policy.example.yaml"


def oncall_policy(directory: Path) -> dict[str, str]:
    """The example policy's roles and rules, with its on-call role granted to the console's user."""
    example: dict[str, Any] = yaml.safe_load(EXAMPLE_POLICY.read_text())
    policy = {
        "roles": example["roles"],
        "rules": example["rules"],
        "grants": [{"role": "oncall", "users": ["console"]}],
    }
    (directory / "oncall.yaml").write_text(yaml.safe_dump(policy))
    return {"POLICY_FILE": str(directory / "oncall.yaml")}


async def members(sandbox: RunningSandbox) -> list[tuple[str, int]]:
    async with voice_client(sandbox) as voice:
        group = (await voice.get_voice_connector_group(VoiceConnectorGroupId=FAILOVER_GROUP_ID))[
            "VoiceConnectorGroup"
        ]
    return sorted((item["VoiceConnectorId"], item["Priority"]) for item in group["VoiceConnectorItems"])


async def test_oncall_fails_over_and_back_but_may_not_rewrite_members(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    env = dict(os.environ) | oncall_policy(tmp_path)
    code, output = await run_console(
        "/voice group failover pstn-failover",
        "/voice group failover pstn-failover --reason 'primary SBC down'",
        "/voice group update pstn-failover --member pstn-primary:1 --reason tidy",
        cwd=tmp_path,
        env=env,
        policy=False,
    )
    assert "`group.failover` needs --reason TEXT by policy" in output, output
    assert "Applied: Group failover" in output, output
    assert "1 pstn-primary, 2 pstn-secondary → 1 pstn-secondary, 2 pstn-primary" in output
    # Neither member has origination settings (the seed's), so the failover loses no calls: it is
    # not refused, but says that pstn-secondary cannot take them either.
    assert (
        f"[!] pstn-secondary ({SECONDARY_CONNECTOR_ID}, us-west-2) has no origination settings, so it "
        "cannot take group pstn-failover's calls: give it routes first with `/voice origination set "
        f"{SECONDARY_CONNECTOR_ID} --route HOST[:PORT]/tcp|udp,priority=N,weight=N`."
    ) in output, output
    assert "may not `group.update`" in output, output
    assert await members(sandbox) == [(PRIMARY_CONNECTOR_ID, 2), (SECONDARY_CONNECTOR_ID, 1)]

    [change_id] = re.findall(r"Applied: Group failover.*?Change\s+(c\w+)", output, re.S)
    code, output = await run_console(
        f"/voice undo {change_id} --reason recovered", cwd=tmp_path, env=env, policy=False
    )
    assert code == 0 and "Applied: Group failover" in output and f"Undoes        {change_id}" in output, (
        output
    )
    assert await members(sandbox) == [(PRIMARY_CONNECTOR_ID, 1), (SECONDARY_CONNECTOR_ID, 2)]


async def test_failover_refuses_what_it_cannot_do_and_says_why(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    _, output = await run_console(
        "/voice group failover pstn-failover --to pstn-primary",
        "/voice connector create spare",
        "/voice group failover pstn-failover --to spare",
        "/voice group create solo --member spare:1",
        "/voice group failover solo",
        "/voice group update pstn-failover --member pstn-primary:1 --member pstn-secondary:1",
        "/voice group failover pstn-failover",
        cwd=tmp_path,
    )
    assert "pstn-primary (abcdef1ghij2klmno3pqr4) is already first in group pstn-failover" in output, output
    assert "spare (" in output and "is not a member of pstn-failover" in output, output
    assert "has 1 member(s): there is no other member to fail over to" in output, output
    assert "share priority 1, so no single member is first" in output, output
    assert output.count("Applied: Group failover") == 0


async def test_updates_and_renames_refuse_taken_names_and_repeated_members(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    _, output = await run_console(
        "/voice connector rename pstn-primary pstn-secondary",
        "/voice group create other",
        "/voice group rename pstn-failover other",
        f"/voice group update pstn-failover --member pstn-primary:1 --member {PRIMARY_CONNECTOR_ID}:2",
        "/voice group update pstn-failover --member pstn-secondary:1 --member pstn-primary:4",
        "/voice connector untag pstn-primary no-such-key",
        cwd=tmp_path,
    )
    assert "has no tag 'no-such-key' to remove; its tag keys: none" in output, output
    assert "A voice connector named 'pstn-secondary' already exists" in output, output
    assert "A voice connector group named 'other' already exists" in output, output
    assert "is listed more than once" in output, output
    assert "re-prioritised member pstn-primary (abcdef1ghij2klmno3pqr4): priority 1 → priority 4" in output
    assert "re-prioritised member pstn-secondary (bcdefg2hijk3lmnop4qrs5): priority 2 → priority 1" in output
    assert await members(sandbox) == [(PRIMARY_CONNECTOR_ID, 4), (SECONDARY_CONNECTOR_ID, 1)]


def _untag_outcome(before: dict[str, str], removed: list[str]) -> Outcome:
    target = Located(
        kind="connector",
        id=PRIMARY_CONNECTOR_ID,
        name="pstn-primary",
        region="us-east-1",
        resource=VoiceConnector(voice_connector_id=PRIMARY_CONNECTOR_ID),
    )
    call = ApiCall(
        operation="UntagResource", region="us-east-1", params={"ResourceARN": "arn:x", "TagKeys": removed}
    )
    plan = Plan(
        command_text="connector untag",
        summary="",
        permission="connector.tag",
        target=target,
        calls=[call],
        before={"Tags": [{"Key": key, "Value": value} for key, value in before.items()]},
    )
    return Outcome(plan=plan, status="applied")


def test_untag_undo_puts_back_old_values_unless_a_key_cannot_be_typed() -> None:
    inverse = registry.change_ops(ConnectorUntag).inverse
    assert callable(inverse)
    outcome = _untag_outcome({"team": "voice", "site": "Seattle 2"}, ["site"])
    assert inverse(outcome) == f"connector tag {PRIMARY_CONNECTOR_ID} 'site=Seattle 2'"
    with pytest.raises(CannotUndo, match="contains '='"):
        inverse(_untag_outcome({"a=b": "1"}, ["a=b"]))
