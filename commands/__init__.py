"""The `/voice` command language: text in, validated pydantic command objects out. No I/O."""

from commands.base import ChangeCommand, Command, Param, ReadCommand
from commands.errors import UsageError
from commands.parser import parse
from commands.registry import COMMANDS, find, find_prefix

__all__ = [
    "COMMANDS",
    "ChangeCommand",
    "Command",
    "Param",
    "ReadCommand",
    "UsageError",
    "find",
    "find_prefix",
    "parse",
]
