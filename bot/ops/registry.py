"""What the bot does for each command, registered against its command class.

Every change command registers its plan, the AWS operations its plans send, and its inverse (or
an explicit reason it has none); every operation registers how crash reconciliation reads it back;
every read command registers its read and its view. `check_complete` fails at import time (and in
tests/test_ops.py) when any of these is missing, so a new command cannot ship half-wired: before,
forgetting one read-back silently turned every crash recovery of that command into UNKNOWN.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.outcomes import Revealed
from bot.render.doc import Doc
from bot.results import ApiCall, Outcome, Plan
from bot.store import Store
from bot.voice import VoiceService
from commands import COMMANDS, ChangeCommand, Command
from commands.audit import History, Undo
from voice_domain.located import Located
from voice_domain.shapes import VoiceConnector, VoiceConnectorGroup

# The workflow answers these from the audit store itself: they never reach AWS.
AUDIT_COMMANDS: tuple[type[Command], ...] = (History, Undo)


class CannotUndo(Exception):
    """This change has no safe automatic inverse; the message says what to do instead."""


@dataclass(frozen=True)
class NoInverse:
    """A change command that cannot be undone automatically, and why (said to whoever asks)."""

    because: str


@dataclass(frozen=True)
class ChangeOps:
    """`plan` gets the command and its references as located, in `references()` order.

    `inverse` returns the undo's command line (without `/voice`) or raises CannotUndo; `caveats`
    says what that inverse will not restore, before anyone confirms it.
    """

    plan: Callable[[Any, VoiceService, list[Located]], Awaitable[Plan]]
    sends: frozenset[str]
    inverse: Callable[[Outcome], str] | NoInverse
    caveats: Callable[[Outcome], list[str]] = field(default=lambda _outcome: [])


class Answer(Protocol):
    """What a read produces: any model its view takes, with the warnings of regions that did not
    answer (shown above the view). A new resource's answer lives in its ops module."""

    @property
    def warnings(self) -> list[str]: ...


@dataclass(frozen=True)
class ReadOps:
    read: Callable[[Any, VoiceService], Awaitable[Answer]]
    view: Callable[[Any], Doc]


@dataclass(frozen=True)
class Shows:
    """An operation whose effect a read-back can see. `removes`: it deletes the plan's resource, so
    the steps that prepared it cannot be seen afterwards. `batched`: a number batch, sent
    concurrently and reported number by number."""

    seen: Callable[[ApiCall, VoiceService], Awaitable[bool]]
    removes: bool = False
    batched: bool = False


@dataclass(frozen=True)
class Creates:
    """A create: applying reads the new resource from the answer; reconciliation finds it by name
    and creation time, since its ID was never recorded."""

    made: Callable[[dict[str, Any]], VoiceConnector | VoiceConnectorGroup]
    find: Callable[[ApiCall, VoiceService, datetime], Awaitable[str | None]]


MakesSecret = Callable[[ApiCall, Plan], tuple[dict[str, Any], list[Revealed]]]
"""Given a planned request (and its plan, which names the resource), the parameters to send with a
secret made now, and that secret."""

SECRETS: dict[str, MakesSecret] = {}
"""Operations whose request carries a secret the plan must not hold (a SIP password): the plan, and
so the audit store, has everything else; applying makes the secret and hands it to the requester."""


@dataclass(frozen=True)
class StoreContext:
    """What a command answered from the shared store needs: the store, AWS, and who asks."""

    store: Store
    voice: VoiceService
    user_id: str


@dataclass(frozen=True)
class Answered:
    """A store command's answer to show; `public` ones go to the channel."""

    doc: Doc
    public: bool = False


@dataclass(frozen=True)
class Proposes:
    """A store command that proposes a change (as undo does): the workflow plans `text` as if the
    person had typed it, so the policy, preview and confirmation are those of any change."""

    text: str


@dataclass(frozen=True)
class Exports:
    """A file to hand over: uploaded on Slack (to the asker alone unless `shared`), printed to
    stdout in the console."""

    doc: Doc
    file_name: str
    content: str
    shared: bool


@dataclass(frozen=True)
class StoreOps:
    """A command the workflow answers from the shared store (the drift watch's), not AWS alone."""

    run: Callable[[Any, StoreContext], Awaitable[Answered | Proposes | Exports]]


CHANGES: dict[type[Command], ChangeOps] = {}
STORE_COMMANDS: dict[type[Command], StoreOps] = {}
READS: dict[type[Command], ReadOps] = {}
EFFECTS: dict[str, Shows | Creates] = {}


def change_ops(command: type[Command]) -> ChangeOps:
    return CHANGES[command]


def read_ops(command: type[Command]) -> ReadOps:
    return READS[command]


def effect(operation: str) -> Shows | Creates:
    return EFFECTS[operation]


def missing() -> list[str]:
    """Everything a command or operation lacks, in words; empty when the registry is complete."""
    problems = []
    for command in COMMANDS:
        name = command.__name__
        if issubclass(command, ChangeCommand):
            ops = CHANGES.get(command)
            if ops is None:
                problems.append(f"{name} has no plan/inverse (register ChangeOps in its bot/ops module)")
                continue
            problems += [
                f"{name} sends {operation}, which has no read-back for crash reconciliation"
                for operation in sorted(ops.sends - EFFECTS.keys())
            ]
        elif command not in AUDIT_COMMANDS and command not in READS and command not in STORE_COMMANDS:
            problems.append(f"{name} has no read/view (register ReadOps in its bot/ops module)")
    return problems


def check_complete() -> None:
    problems = missing()
    if problems:
        raise TypeError("bot/ops is incomplete: " + "; ".join(problems))
