"""The interactive console on a terminal: line editing, history kept across sessions, and tab
completion of command words, options and connector/group names (prompt_toolkit).

Loaded only for an interactive session on a terminal: a one-shot (`-c`) or piped input never
imports prompt_toolkit. Ctrl-C discards the line being typed and keeps the session; Ctrl-D leaves.
"""

import asyncio
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory
from prompt_toolkit.shortcuts import CompleteStyle

from bot.console import Console
from bot.voice import VoiceService
from commands import COMMANDS

HISTORY_FILE = Path(".switchboard/console-history")
log = logging.getLogger(__name__)


class ResourceNames:
    """The account's connector and group names, for completion: read when the session starts and
    again after each command (which may have created, renamed or deleted one)."""

    def __init__(self, voice: VoiceService) -> None:
        self._voice = voice
        self.names: frozenset[str] = frozenset()

    async def refresh(self) -> None:
        try:
            connectors = await self._voice.list_reachable(self._voice.list_connectors)
            groups = await self._voice.list_reachable(self._voice.list_groups)
        except Exception as error:  # completion is a convenience: never fail a session over it
            log.info("names for completion not refreshed: %s", error)
            return
        names = {connector.name for found in connectors.found.values() for connector in found}
        names |= {group.name for found in groups.found.values() for group in found}
        self.names = frozenset(names)


class VoiceCompleter(Completer):
    """Completes the word under the cursor: a command's words, then its options, and names."""

    def __init__(self, names: ResourceNames) -> None:
        self._names = names

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        words = text.split()
        if words[:1] == ["/voice"]:
            words = words[1:]
        typing = "" if not words or text.endswith(" ") else words[-1]
        before = words if not typing else words[:-1]
        for candidate in sorted(set(self.candidates([word.lower() for word in before]))):
            if candidate.lower().startswith(typing.lower()) and candidate != typing:
                yield Completion(candidate, start_position=-len(typing))

    def candidates(self, before: list[str]) -> Iterable[str]:
        """The next command word after the words typed so far; once they name a command, its
        options not yet given and the account's names (for its connector or group arguments)."""
        typed = tuple(before)
        following = {
            command.words[len(typed)]
            for command in COMMANDS
            if len(command.words) > len(typed) and command.words[: len(typed)] == typed
        }
        named = [command for command in COMMANDS if typed[: len(command.words)] == command.words]
        if not named:
            return following
        command = max(named, key=lambda command: len(command.words))
        flags = {param.flag for param in command.all_params() if param.flag and param.flag not in typed}
        return following | flags | self._names.names


async def interactive_shell(console: Console, voice: VoiceService) -> None:
    names = ResourceNames(voice)
    HISTORY_FILE.parent.mkdir(parents=True, exist_ok=True)
    # Completion as in bash: only on Tab, a single match inserted, several listed.
    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(HISTORY_FILE)),
        completer=VoiceCompleter(names),
        complete_while_typing=False,
        complete_style=CompleteStyle.READLINE_LIKE,
    )
    refreshing = asyncio.create_task(names.refresh())
    print("Type /voice commands (Tab completes, `help` lists them); Ctrl-C clears the line, Ctrl-D leaves.")
    try:
        while True:
            try:
                line = await session.prompt_async("/voice> ")
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
            if line.strip() in ("exit", "quit"):
                return
            if line.strip():
                await console.run(line)
                await refreshing
                refreshing = asyncio.create_task(names.refresh())
    finally:
        refreshing.cancel()
