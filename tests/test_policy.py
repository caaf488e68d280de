"""Policy files fail loudly, naming the line; `switchboard policy check` answers like the bot."""

import re
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.policy import PERMISSIONS, READ_ONLY, SANDBOX, Policy, PolicyError, Subject, load_policy

GOOD = """\
roles:
  reader: ["*.read", "help"]
  oncall: ["*.read", "origination.*", "numbers.associate"]
grants:
  - role: reader
    everyone: true
  - role: oncall
    usergroups: [S0ONCALL]
    channels: [C0OPS]
  - role: oncall
    users: [U0ALICE]
rules:
  approval_required: ["numbers.associate"]
  reason_required: ["origination.*"]
teams: [T0001, E0GRID]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (GOOD + "grants: []\n", r"line 16, column 1: .*duplicate key 'grants' \(first on line 4\)"),
        (
            GOOD.replace("    users: [U0ALICE]\n", "    users: [U0ALICE]\n    users: [U0BOB]\n"),
            r"line 12.*duplicate key 'users' \(first on line 11\)",
        ),
        (
            GOOD.replace('"origination.*"', '"orgination.*"'),
            r"line 3: roles.oncall.1: .*did you mean 'origination.\*'",
        ),
        (
            GOOD.replace('"numbers.associate"]\ngrants', '"numbers.asociate"]\ngrants'),
            r"line 3: .*'numbers.associate'",
        ),
        (
            GOOD.replace(
                'approval_required: ["numbers.associate"]', 'approval_required: ["number.associate"]'
            ),
            r"line 13: rules",
        ),
        (GOOD.replace("[C0OPS]", "['#ops']"), r"line 9: grants.1.channels.0: .*'#ops' is a channel name"),
        (GOOD.replace("[U0ALICE]", "['@alice']"), r"line 11: .*'@alice' is a display name"),
        (GOOD.replace("[U0ALICE]", "[alice]"), r"line 11: .*'alice' is not a Slack user ID"),
        (GOOD.replace("[S0ONCALL]", "[oncall]"), r"line 8: .*'oncall' is not a Slack user group ID"),
        (GOOD.replace("[C0OPS]", "[ops]"), r"line 9: .*'ops' is not a Slack channel ID"),
        (GOOD.replace("T0001", "workspace"), r"line 15: teams.0: .*not a Slack team ID"),
    ],
)
def test_a_policy_that_does_not_say_what_was_meant_stops_start_up(
    tmp_path: Path, text: str, says: str
) -> None:
    with pytest.raises(PolicyError, match=says):
        load_policy(write(tmp_path, text))


def test_the_bot_does_not_start_on_a_bad_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLICY_FILE", str(write(tmp_path, GOOD + "grants: []\n")))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/db.sqlite")
    assert main(["console", "--sandbox", "-c", "/voice help"]) == 2
    assert "duplicate key 'grants'" in capsys.readouterr().err


def test_a_good_policy_loads_with_its_teams(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, GOOD))
    assert policy.teams == ["T0001", "E0GRID"]
    assert policy.admits_team("T0001", home_team=None) and not policy.admits_team("T0OTHER", "T0OTHER")
    assert policy.decide(Subject("U0CAROL", "C0OPS", frozenset({"S0ONCALL"})), "origination.set").allowed


def check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str, text: str = GOOD
) -> tuple[int, str]:
    code = main(["policy", "check", str(write(tmp_path, text)), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_policy_check_says_which_grant_allows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(
        tmp_path,
        capsys,
        "--as",
        "U0CAROL",
        "--channel",
        "C0OPS",
        "--usergroup",
        "S0ONCALL",
        "origination.set",
    )
    assert code == 0
    assert "ALLOWED" in out and "role oncall" in out and "user group S0ONCALL in channel C0OPS" in out
    assert "--reason" in out


def test_policy_check_says_which_roles_would_allow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(tmp_path, capsys, "--as", "U0CAROL", "--channel", "C0ELSE", "origination.set")
    assert code == 1
    assert "DENIED" in out and "oncall (granted to user group S0ONCALL in channel C0OPS)" in out


def test_policy_check_refuses_an_unlisted_team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(tmp_path, capsys, "--as", "U0ALICE", "--channel", "C0OPS", "--team", "T0OTHER", "help")
    assert code == 1 and "T0OTHER" in out and "teams" in out
    code, _ = check(tmp_path, capsys, "--as", "U0ALICE", "--channel", "C0OPS", "--team", "E0GRID", "help")
    assert code == 0


def test_policy_check_exits_2_on_a_bad_policy_or_permission(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(tmp_path, capsys, "--as", "U0A", "--channel", "C0A", "help", text=GOOD + "roles: {}\n")
    assert code == 2 and "duplicate key 'roles'" in out
    code, out = check(tmp_path, capsys, "--as", "U0A", "--channel", "C0A", "origination.sett")
    assert code == 2 and "origination.set" in out


@pytest.mark.parametrize("built_in", [READ_ONLY, SANDBOX], ids=["read-only", "sandbox"])
def test_the_built_in_policies_are_valid_policies(built_in: Policy) -> None:
    """They are constructed without validation (start-up speed): validating them changes nothing."""
    validated = Policy.model_validate(built_in.model_dump())
    assert validated.model_dump() == built_in.model_dump()
    assert validated.grants == built_in.grants and validated.roles == built_in.roles


def test_the_readmes_permission_list_is_every_permission_a_command_checks() -> None:
    """Someone writing a policy from README must find every permission there (a role built from an
    incomplete list is denied `origination.drain` mid-incident) and none that does not exist."""
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    listing = readme[readme.index("- **Permissions**") : readme.index("- **`roles`**")]
    listed = set()
    for written in re.findall(r"`([a-z.]+(?:\|[a-z]+)*)`", listing):
        first, *others = written.split("|")
        resource = first.rsplit(".", 1)[0] if others else first
        listed |= {first, *(f"{resource}.{other}" for other in others)}
    assert listed == set(PERMISSIONS)
