"""`/voice help`: every command, grouped by task, on one 80-column screen and in one Slack message.

The overview is checked against the registry, so it holds as commands are added: a command missing
from help, a line too wide for a terminal, or an overview Slack would split, fails here.
"""

from pathlib import Path

from bot.render.blockkit import to_messages
from bot.render.views import help_view
from bot.sandbox import RunningSandbox
from commands import COMMANDS
from commands.base import TASK_TITLES
from tests.helpers.blockkit import block_kit_problems
from tests.helpers.console_process import run_console

TERMINAL_COLUMNS = 80


async def test_the_overview_fits_a_terminal_and_names_every_command_under_its_task(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console("/voice help", cwd=tmp_path)
    assert code == 0, output
    too_wide = [line for line in output.splitlines() if len(line) > TERMINAL_COLUMNS]
    assert too_wide == []
    sections = _sections(output)
    for command in COMMANDS:
        if command.task == "help":
            continue
        listed = sections[TASK_TITLES[command.task]]
        resource, *rest = command.words
        row = next((line for line in listed if line.split()[:1] == [resource]), None)
        assert row is not None, f"{command.command_name()} is not listed under {TASK_TITLES[command.task]}"
        if rest:
            assert " ".join(rest) in row, f"{command.command_name()} missing from {row!r}"


def _sections(output: str) -> dict[str, list[str]]:
    """Task title → its lines, a wrapped value joined back onto its row."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if line in TASK_TITLES.values():
            current = sections.setdefault(line, [])
        elif current is not None and line.startswith("    ") and current:
            current[-1] += " " + line.strip()
        elif current is not None and line.startswith("  "):
            current.append(line.strip())
        else:
            current = None
    return sections


def test_the_overview_is_one_valid_slack_message() -> None:
    (message,) = to_messages(help_view([]))
    payload = {"text": message.text, "blocks": message.blocks}
    assert block_kit_problems(payload) == []
    shown = str(message.blocks)
    for title in ("During an incident", "Setting up routing", "Audit and undo"):
        assert title in shown


async def test_a_resource_lists_its_commands_and_a_typo_gets_the_closest(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output = await run_console("/voice help origination", "/voice help orgination", cwd=tmp_path)
    assert code == 0, output
    for command in COMMANDS:
        if command.words[0] == "origination":
            assert command.command_name() in output
    assert "There is no `/voice orgination`. Did you mean: `origination`" in output


def test_the_readme_command_table_names_every_command() -> None:
    """README's "The command language" table is the reference an operator reads before Slack."""
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    table = readme[readme.index("## The command language") : readme.index("## How it is built")]
    missing = [command.command_name() for command in COMMANDS if command.command_name() not in table]
    assert missing == []
