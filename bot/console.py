"""The console surface: `/voice` commands typed in a terminal, the same pipeline as Slack.

Changes are previewed and need a yes (a prompt, or `--yes` for scripts), as in Slack.
"""

import asyncio
import sys
from collections.abc import Callable

from bot.engine import Engine, parse_text
from bot.render import views
from bot.render.doc import Doc
from bot.render.terminal import to_text
from commands import ChangeCommand

Confirm = Callable[[str], bool]


class Console:
    def __init__(self, engine: Engine, *, confirm: Confirm, write: Callable[[str], None] = print) -> None:
        self.engine = engine
        self.confirm = confirm
        self.write = write

    def show(self, doc: Doc) -> None:
        self.write(to_text(doc))

    async def run(self, text: str) -> bool:
        """Run one command line; returns False when it failed, so scripts can stop on errors."""
        parsed = parse_text(text)
        if parsed.command is None:
            assert parsed.problem is not None
            self.show(parsed.problem)
            return False
        command = parsed.command
        if not isinstance(command, ChangeCommand):
            doc = await self.engine.read(command)
            self.show(doc)
            return doc.level != "error"
        planned = await self.engine.plan(command, text)
        if planned.plan is None:
            assert planned.problem is not None
            self.show(planned.problem)
            return planned.problem.level != "error"
        self.show(views.plan_view(planned.plan, dry_run=command.dry_run))
        if command.dry_run:
            return True
        if not self.confirm("Apply this change?"):
            self.write("Not applied.")
            return False
        outcome = await self.engine.apply(planned.plan)
        self.show(views.outcome_view(outcome))
        return outcome.status == "applied"


def prompt_confirm(question: str) -> bool:
    """Ask on the terminal; without one (a pipe, CI), refuse rather than guess."""
    if not sys.stdin.isatty():
        print("Not confirmed: no terminal to ask on. Pass --yes to apply without asking.")
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


async def interactive(console: Console) -> None:
    loop = asyncio.get_running_loop()
    print("Switchboard console: type /voice commands (`help` lists them), Ctrl-D to leave.")
    while True:
        try:
            line = await loop.run_in_executor(None, input, "/voice> ")
        except EOFError:
            print()
            return
        if line.strip() in ("exit", "quit"):
            return
        if line.strip():
            await console.run(line)
