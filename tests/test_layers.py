"""Import rules: each layer depends only on the layers beneath it, and production never loads
what it does not use (Slack outside `serve`, the emulator outside the sandbox).

The rules are checked on the syntax tree of every module, imports inside functions included, and
the start-up cost they protect is checked by importing the entry point in a fresh interpreter.
"""

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def imports(path: Path) -> Iterator[tuple[str, ast.AST, bool]]:
    """(module imported, its node, whether at module level) for every import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node, id(node) in top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node, id(node) in top


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_command_language_imports_nothing_from_the_bot() -> None:
    found = [
        f"{relative(p)}: {name}"
        for p in modules("commands")
        for name, _, _ in imports(p)
        if under(name, "bot")
    ]
    assert not found


def test_the_domain_imports_neither_the_bot_nor_the_language() -> None:
    found = [
        f"{relative(p)}: {name}"
        for p in modules("voice_domain")
        for name, _, _ in imports(p)
        if under(name, "bot") or under(name, "commands")
    ]
    assert not found


def test_only_the_slack_package_imports_slack_bolt() -> None:
    """slack_sdk's Block Kit models may stay in the Block Kit renderer; Bolt is the Slack surface's."""
    found = [
        f"{relative(p)}: {name}"
        for p in modules("bot")
        for name, _, _ in imports(p)
        if under(name, "slack_bolt") and not relative(p).startswith("bot/slack/")
    ]
    assert not found


def test_only_the_sandbox_and_the_backend_selector_import_the_sandbox_and_the_selector_lazily() -> None:
    """`bot/__main__.py` may import `bot.sandbox.cli`, the `sandbox` subcommand's arguments, which
    loads nothing of the emulator (checked below)."""
    found = []
    for path in [*modules("bot"), *modules("commands"), *modules("voice_domain")]:
        where = relative(path)
        if where.startswith("bot/sandbox/"):
            continue
        for name, node, at_top in imports(path):
            if not (under(name, "bot.sandbox") or (name == "bot" and _names(node) & {"sandbox"})):
                continue
            if where == "bot/backend.py" and not at_top:
                continue
            if where == "bot/__main__.py" and name == "bot.sandbox" and _names(node) == {"cli"}:
                continue
            found.append(f"{where}:{getattr(node, 'lineno', '?')}: {name}")
    assert not found


def _names(node: ast.AST) -> set[str]:
    return {alias.name for alias in node.names} if isinstance(node, ast.ImportFrom) else set()


def test_the_entry_point_loads_no_heavy_dependency_until_a_subcommand_runs() -> None:
    """What `switchboard --help` pays for: the argument parsers only."""
    heavy = ("bot.sandbox.server", "slack_bolt", "slack_sdk", "sqlalchemy", "aiobotocore", "pydantic")
    probe = (
        "import sys, bot.__main__; "
        f"print(' '.join(m for m in sys.modules if m.split('.')[0] in {heavy!r} or m in {heavy!r}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert loaded.stdout.split() == []


def test_the_console_loads_neither_slack_nor_the_emulator() -> None:
    """`switchboard console` against AWS or an endpoint: no Slack SDK, no sandbox server."""
    probe = (
        "import sys, bot.console, bot.runtime; "
        "print(' '.join(m for m in sys.modules if m.startswith(('slack_', 'bot.slack', 'bot.sandbox.'))))"
    )
    command = [sys.executable, "-c", probe]
    loaded = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.split() == []
