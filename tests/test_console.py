"""The console as a person uses it: `switchboard console` in a subprocess."""

import os
from pathlib import Path

from bot.sandbox import RunningSandbox
from tests.console_process import run_console
from tests.sandbox_fixtures import recorded_requests


async def test_numbers_from_a_local_file(sandbox: RunningSandbox, tmp_path: Path) -> None:
    (tmp_path / "numbers.txt").write_text("+12065550170\n206-555-0171\n")
    code, output = await run_console(
        "/voice numbers associate pstn-failover --file numbers.txt", cwd=tmp_path
    )
    assert code == 0, output
    [sent] = [r for r in recorded_requests(sandbox) if str(r["operation"]).startswith("Associate")]
    assert sent["body"]["E164PhoneNumbers"] == ["+12065550170", "+12065550171"]


async def test_without_a_terminal_or_yes_a_change_is_not_applied(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console(
        "origination set pstn-primary --route 10.0.0.9/udp,priority=1,weight=1", cwd=tmp_path, yes=False
    )
    assert code == 1
    assert "Not confirmed" in output and "Preview" in output
    assert not [r for r in recorded_requests(sandbox) if str(r["operation"]).startswith("Put")]


async def test_with_nothing_configured_the_console_uses_the_embedded_sandbox(tmp_path: Path) -> None:
    """What `make run` does on a fresh machine: no AWS, no endpoint, no policy file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "POLICY_FILE", "DATABASE_URL"))
    }
    env |= {
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    code, output = await run_console(
        "/voice origination set pstn-primary --route 10.24.34.0:1234/tcp,priority=1,weight=5",
        "/voice origination show pstn-primary",
        cwd=tmp_path,
        env=env,
        policy=False,
    )
    assert code == 0, output
    assert "Applied" in output and "10.24.34.0" in output
    assert (tmp_path / ".switchboard" / "sandbox-state.json").exists()
    assert (tmp_path / ".switchboard" / "switchboard.db").exists()
