"""The console surface: `/voice` commands typed in a terminal, through the same workflow as Slack.

A change is previewed, then confirmed at a prompt (or by `--yes`, where the policy allows the
person to apply it alone) instead of with a button.
"""

import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot.applying import Progress
from bot.outcomes import Answer, Applied, Exported, awaiting
from bot.render.doc import Doc
from bot.render.outcome_views import answer_view, secrets_text
from bot.render.terminal import to_text
from bot.results import Plan
from bot.store import ChangeRecord
from bot.surfaces import FileUnavailable
from bot.workflow import Request, Workflow

Confirm = Callable[[str], bool]


class Console:
    def __init__(
        self, workflow: Workflow, *, user_id: str, confirm: Confirm, write: Callable[[str], None] = print
    ) -> None:
        self.workflow = workflow
        self.user_id = user_id
        self.confirm = confirm
        self.write = write

    def show(self, answer: Answer) -> Doc:
        """Print an answer (a preview without buttons: the prompt confirms); returns what was shown."""
        doc = answer_view(answer, print_follow_ups=True)
        if isinstance(answer, Exported):  # the file alone on stdout, so it can be redirected
            print(to_text(doc), file=sys.stderr)
            self.write(answer.content.rstrip("\n"))
            return doc
        self.write(to_text(doc))
        return doc

    def _progress(self, record: ChangeRecord, plan: Plan) -> Progress:
        async def report(done: int, total: int) -> None:
            self.write(f"  {done:,} of {total:,} numbers sent")

        return report

    async def run(self, text: str) -> bool:
        """Run one command line; False when it failed or was not applied, so scripts can stop."""
        request = Request(user_id=self.user_id, channel_id="console", text=text, surface="console")
        answer = await self.workflow.handle(request)
        shown = self.show(answer)
        change_id = awaiting(answer)
        if change_id is None:
            return shown.level not in ("error", "warning")
        if not self.confirm(f"Apply change {change_id}?"):
            self.show(await self.workflow.cancel(change_id, request))
            return False
        result = await self.workflow.confirm(change_id, replace(request, text=""), self._progress)
        shown = self.show(result)
        if isinstance(result, Applied) and result.secrets:
            self.write(secrets_text(result.secrets))  # this terminal is the requester's own
        return shown.level == "success"


def prompt_confirm(question: str) -> bool:
    """Ask on the terminal; without one (a pipe, CI), refuse rather than guess."""
    if not sys.stdin.isatty():
        print("Not confirmed: no terminal to ask on. Pass --yes to apply without asking.")
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


async def interactive(console: Console) -> None:
    loop = asyncio.get_running_loop()
    print("Type /voice commands (`help` lists them); Ctrl-D to leave.")
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


class LocalFiles:
    """`--file` in the console: a path on this machine."""

    async def read(self, reference: str, channel_id: str | None = None) -> tuple[str, bytes]:
        try:
            return await asyncio.to_thread(_read, reference)
        except OSError as error:
            raise FileUnavailable(f"{reference}: {error.strerror}") from error


def _read(reference: str) -> tuple[str, bytes]:
    path = Path(reference).expanduser()
    return path.name, path.read_bytes()
