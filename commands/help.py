"""`/voice help`: generated from the command declarations, so it cannot fall out of date."""

from typing import ClassVar

from pydantic import Field

from commands.base import Command, Param


class Help(Command):
    words = ("help",)
    task = "help"
    summary = "List the commands, or explain one: `/voice help origination set`."
    params = (Param("topic", "COMMAND", "the command to explain", repeat=True, required=False),)
    examples = ("/voice help", "/voice help numbers associate")
    permission: ClassVar[str] = "help"

    topic: list[str] = Field(default_factory=list)
