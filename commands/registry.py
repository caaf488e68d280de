"""Every command class, found in this package's modules, in the order help lists them.

A new command is a class in a module here (a new resource gets a new module); nothing else in
`commands/` needs to know about it. Help lists commands by task, in `TASKS` order, and within a
task in the order their modules and classes are written."""

import importlib
import pkgutil
from collections.abc import Sequence
from types import ModuleType

import commands
from commands.base import TASKS, Command

# Modules that build the language rather than declare commands (parser imports this registry).
_MACHINERY = frozenset({"base", "errors", "lexer", "parser", "registry", "types"})


def _declared_in(module: ModuleType) -> list[type[Command]]:
    """The concrete commands a module declares: classes of its own that name their words."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Command)
        and value.__module__ == module.__name__
        and "words" in vars(value)
    ]


def _discover() -> tuple[type[Command], ...]:
    found = [
        command
        for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda info: info.name)
        if info.name not in _MACHINERY
        for command in _declared_in(importlib.import_module(f"commands.{info.name}"))
    ]
    untasked = [command.__name__ for command in found if "task" not in dir(command)]
    if untasked:
        raise TypeError(f"commands without a help task ({', '.join(TASKS)}): {', '.join(untasked)}")
    return tuple(sorted(found, key=lambda command: TASKS.index(command.task)))


COMMANDS: tuple[type[Command], ...] = _discover()

_BY_WORDS = {command.words: command for command in COMMANDS}


_MOST_WORDS = max(len(words) for words in _BY_WORDS)


def find(words: tuple[str, ...]) -> type[Command] | None:
    return _BY_WORDS.get(words)


def find_prefix(tokens: Sequence[str]) -> tuple[type[Command], int] | None:
    """The command whose words are the longest prefix of `tokens` (any case), and how many words
    that is: `origination route add` is found before any shorter command would be."""
    for length in range(min(_MOST_WORDS, len(tokens)), 0, -1):
        command = _BY_WORDS.get(tuple(token.lower() for token in tokens[:length]))
        if command is not None:
            return command, length
    return None
