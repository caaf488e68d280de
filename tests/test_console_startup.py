"""What a one-shot console read pays for at start-up, checked structurally (speed is in `make bench`).

A read that records nothing loads no SQLAlchemy and opens no database; anything the audit log must
keep (an invalid or denied attempt, a change) still opens, migrates and writes the store.
"""

import ast
import asyncio
import io
import os
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.sandbox import RunningSandbox
from bot.store import Status, Store

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path(".switchboard") / "switchboard.db"
ALLOW_ALL = "roles: {admin: ['*']}\ngrants: [{role: admin, users: [console]}]\n"


async def _console(line: str, cwd: Path, *, policy: bool = True) -> tuple[int, str, set[str]]:
    """`python -X importtime -m bot console -c LINE`: (exit code, output, every module imported)."""
    env = dict(os.environ)
    if policy:
        (cwd / "policy.yaml").write_text(ALLOW_ALL)
        env["POLICY_FILE"] = str(cwd / "policy.yaml")
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-X", "importtime", "-m", "bot", "console", "-c", line),
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    output, errors = (stream.decode() for stream in await process.communicate())
    rows = errors.splitlines()
    imported = {row.rsplit("|", 1)[-1].strip() for row in rows if row.startswith("import time:")}
    return process.returncode or 0, output, imported


def _loaded(imported: set[str], *packages: str) -> set[str]:
    return {name for name in imported if name.split(".")[0] in packages or name in packages}


async def test_a_one_shot_read_loads_no_sqlalchemy_and_opens_no_database(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    code, output, imported = await _console("/voice connectors", tmp_path)
    assert code == 0, output
    assert "pstn-primary" in output
    assert "bot.console" in imported  # the probe sees the console's imports
    assert _loaded(imported, "sqlalchemy", "aiosqlite", "bot.store_sql") == set()
    assert not (tmp_path / DATABASE).exists()


async def test_a_one_shot_read_loads_only_what_one_person_needs(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The console reaches AWS with botocore on threads (no aiohttp or aiobotocore: that is
    `serve`'s transport), records no metrics (nothing scrapes a console) and, with no policy file,
    never loads PyYAML."""
    code, output, imported = await _console("/voice connectors", tmp_path, policy=False)
    assert code == 0, output
    assert "pstn-primary" in output
    assert "botocore.client" in imported
    assert _loaded(imported, "aiohttp", "aiobotocore", "prometheus_client", "yaml") == set()


async def test_what_the_audit_log_keeps_still_opens_the_store(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Lazy, not absent: an invalid attempt is recorded, and a later one-shot reads it back."""
    code, output, imported = await _console("/voice connectors --bogus", tmp_path)
    assert code == 1, output
    assert _loaded(imported, "sqlalchemy", "bot.store_sql")
    assert (tmp_path / DATABASE).exists()
    code, output, _ = await _console("/voice history", tmp_path)
    assert code == 0, output
    assert "INVALID" in output


async def test_a_lazy_store_opens_on_first_use_and_then_runs_its_callbacks_once(tmp_path: Path) -> None:
    """How a one-shot settles abandoned changes: when it first opens the store, not at start."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'lazy.db'}"
    calls: list[int] = []
    unused = Store(url, lazy=True)
    unused.when_opened(lambda: _count(calls))
    await unused.close()
    assert not unused.opened and calls == [] and not (tmp_path / "lazy.db").exists()

    store = Store(url, lazy=True)

    async def settle() -> None:
        calls.append(len(await store.with_status(Status.APPLYING)))  # the store is usable from here

    store.when_opened(settle)
    record = await store.add(status=Status.INVALID, requested_by="u", surface="console", command_text="x")
    assert calls == [0]
    assert (await store.get(record.id)) is not None and calls == [0]
    await store.close()


async def _count(calls: list[int]) -> None:
    calls.append(0)


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module, line, whether at module level) for every absolute import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno, id(node) in top))
    return found


def test_only_the_store_imports_its_sql_half_and_only_when_a_store_is_used() -> None:
    """`bot.store` (which the workflow, the console and every surface import) stays free of
    SQLAlchemy; `bot.store_sql` is imported by `bot.store` alone, inside a function (or for types)."""
    store = ROOT / "bot" / "store.py"
    heavy = ("sqlalchemy", "aiosqlite", "bot.store_sql")
    loaded = [(name, line) for name, line, top in _imports(store) if top and name.startswith(heavy)]
    assert loaded == []
    elsewhere = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in ("bot", "commands", "voice_domain")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != store
        for name, line, _ in _imports(path)
        if name == "bot.store_sql"
    ]
    assert elsewhere == []


def test_the_collector_resumes_when_a_long_running_subcommand_starts_and_never_in_a_one_shot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The executable pauses garbage collection while a subcommand loads (`command_line`): the
    interactive console and `policy check` resume it before their work; a one-shot exits first."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/db.sqlite")
    monkeypatch.delenv("POLICY_FILE", raising=False)
    (tmp_path / "policy.yaml").write_text(ALLOW_ALL)
    seen: list[str] = []

    def started() -> None:
        seen.append(capsys.readouterr().out)

    assert main(["console", "--sandbox", "-c", "/voice help"], started=started) == 0
    assert seen == [] and "/voice commands" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("/voice help\nquit\n"))
    assert main(["console", "--sandbox"], started=started) == 0
    assert seen == [""], "resumed before the session printed anything"
    check = ["policy", "check", str(tmp_path / "policy.yaml"), "--as", "console", "--channel", "C0OPS"]
    assert main([*check, "connector.create"], started=started) == 0
    assert len(seen) == 2
