"""The console as a person uses it: `switchboard console` in a subprocess."""

import os
from pathlib import Path

from bot.sandbox import RunningSandbox
from tests.helpers.console_process import run_console
from tests.helpers.sandbox_fixtures import recorded_requests, voice_client
from tests.helpers.terminal import CTRL_C, ENTER, TAB, Terminal


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


def test_interactive_console_prompts_before_applying(tmp_path: Path) -> None:
    """A person at a terminal (a pseudo-terminal here): preview, a [y/N] prompt, then the result."""
    terminal = Terminal("--sandbox", cwd=tmp_path)
    try:
        terminal.until("/voice>")
        terminal.type("origination set pstn-primary --route 10.1.1.1:5060/udp,priority=1,weight=1", ENTER)
        terminal.until("[y/N]")
        terminal.type("y", ENTER)
        terminal.until("Applied: Origination set")
        terminal.until("/voice>")
        terminal.type("origination disable pstn-primary", ENTER)
        terminal.until("[y/N]")
        terminal.type(ENTER)  # the default is no
        terminal.until("cancelled")
        assert terminal.leave() == 0
    finally:
        terminal.close()
    assert terminal.screen.count("Applied:") == 1


def test_the_console_completes_recalls_and_clears_a_line_like_a_shell(tmp_path: Path) -> None:
    """Tab completes command words, options and connector names; Ctrl-C drops the line being typed
    and keeps the session; what was run comes back with the up arrow in the next session."""
    terminal = Terminal("--sandbox", cwd=tmp_path)
    try:
        terminal.until("/voice>")
        terminal.type("connectors", ENTER)  # after a command, the names completion offers are current
        terminal.until("pstn-secondary")
        terminal.until("/voice>")
        terminal.type("connectors --bogus")
        terminal.until("--bogus")
        terminal.type(CTRL_C)
        terminal.until("/voice>")
        # Each completion is awaited on the screen before typing on, as a person would look.
        terminal.type("origi", TAB)
        terminal.until("nation")
        terminal.type(" sh", TAB)
        terminal.until("ow")
        terminal.type(" pstn-pri", TAB)
        terminal.until("mary")
        terminal.type(ENTER)
        terminal.until("Origination of pstn-primary")
        assert terminal.leave() == 0
    finally:
        terminal.close()
    assert "Not run" not in terminal.screen  # the line Ctrl-C dropped was never run

    again = Terminal("--sandbox", cwd=tmp_path)
    try:
        again.until("/voice>")
        again.type("\x1b[A")  # the up arrow
        again.until("origination show pstn-primary")
        again.type(ENTER)
        again.until("Origination of pstn-primary")
        assert again.leave() == 0
    finally:
        again.close()


async def test_a_mixed_association_shows_every_success_and_every_failure(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    async with voice_client(sandbox) as voice:
        await voice.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId="abcdef1ghij2klmno3pqr4", E164PhoneNumbers=["+12065550102"]
        )
    code, output = await run_console(
        "/voice numbers associate pstn-failover +12065550100 +12065550101 +17735550123 +12065550102",
        cwd=tmp_path,
    )
    assert code == 1  # partly applied
    assert "2 of 4 number(s) succeeded; 2 failed" in output
    assert "NotFound (1)" in output and "+17735550123" in output
    assert "PhoneNumberAssociationsExist (1)" in output and "abcdef1ghij2klmno3pqr4" in output
    succeeded = output[output.index("Succeeded (2)") :]
    assert "+12065550100" in succeeded and "+12065550101" in succeeded
