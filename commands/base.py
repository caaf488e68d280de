"""What every command declares, and the common options of reads and changes.

A command class is its own documentation: its words, parameters, usage, examples and
permission drive the parser, the help text and the policy check, so they cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from voice_domain.located import Reference


@dataclass(frozen=True)
class Param:
    """One positional argument (`flag` None) or option of a command.

    `convert` turns the token into what the model validates (a route spec into a dict, say) and
    raises ValueError with a readable reason; `group` re-joins a repeated positional's tokens
    (phone numbers typed with spaces, given the default country) before conversion.
    """

    field: str
    metavar: str
    help: str
    flag: str | None = None
    repeat: bool = False
    switch: bool = False
    required: bool = True
    split_commas: bool = False
    convert: Callable[[str], object] | None = None
    group: Callable[[list[str], str], list[str]] | None = None

    def form(self) -> str:
        """How the parameter appears in a usage line."""
        if self.flag is None:
            text = f"{self.metavar}..." if self.repeat else self.metavar
            return text if self.required else f"[{text}]"
        text = self.flag if self.switch else f"{self.flag} {self.metavar}"
        if self.repeat:
            text += "..."
        return text if self.required else f"[{text}]"


Task = Literal["incident", "onboarding", "audit", "help"]
# What help groups commands by: what the person typing is doing. Order is help's order.
TASKS: tuple[Task, ...] = ("incident", "onboarding", "audit", "help")
TASK_TITLES: dict[Task, str] = {
    "incident": "During an incident",
    "onboarding": "Setting up routing",
    "audit": "Audit and undo",
    "help": "Help",
}


class Command(BaseModel):
    """A parsed `/voice` command: frozen and validated, so what was checked is what runs."""

    # defer_build: a command's validator is built when first used, not at start-up.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    words: ClassVar[tuple[str, ...]]
    summary: ClassVar[str]
    params: ClassVar[tuple[Param, ...]] = ()
    common_params: ClassVar[tuple[Param, ...]] = ()
    examples: ClassVar[tuple[str, ...]] = ()
    permission: ClassVar[str]
    task: ClassVar[Task]
    """Which of help's groups lists it: `incident` for what on-call reaches for (reads, toggles,
    failover), `onboarding` for building routing, `audit` for history and undo."""
    option_permissions: ClassVar[tuple[str, ...]] = ()
    """Permissions that some of its options need on top of `permission` (policy names them too)."""
    changes: ClassVar[bool] = False
    notice: ClassVar[str | None] = None
    at_once: ClassVar[bool] = False
    """It takes effect when typed, with no preview whose Apply would judge the policy again (drift
    ack): the bot reads the person's user groups afresh for it rather than from its cache."""

    @classmethod
    def all_params(cls) -> tuple[Param, ...]:
        return cls.params + cls.common_params

    @classmethod
    def usage(cls) -> str:
        return " ".join(["/voice", *cls.words, *(param.form() for param in cls.all_params())])

    @classmethod
    def command_name(cls) -> str:
        return " ".join(cls.words)

    def references(self) -> list[Reference]:
        """The connectors and groups this command names; the bot resolves them before running."""
        return []


class ReadCommand(Command):
    """A command that only reads. Its answer is private to the asker unless `--share` is given."""

    share: bool = False
    common_params = (
        Param(
            "share", "", "post the answer in the channel for everyone", "--share", switch=True, required=False
        ),
    )


IncidentId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:#/-]+$")]


class ChangeCommand(Command):
    """A command that changes AWS state: planned, previewed, confirmed, applied once, recorded."""

    changes = True
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    incident: IncidentId | None = None
    dry_run: bool = False
    common_params = (
        Param("reason", "TEXT", "why (recorded in the audit log)", "--reason", required=False),
        Param("incident", "ID", "incident ID (recorded and announced)", "--incident", required=False),
        Param(
            "dry_run", "", "show the preview only; change nothing", "--dry-run", switch=True, required=False
        ),
    )
