"""What the workflow ends in: one type per distinct ending, carrying data, never a message.

The workflow decides; `bot.render.outcome_views` says it (the same Doc on every surface). A
surface reads off an answer whether it is shown in the channel (`is_public`) and which change,
if any, awaits a click or a prompt (`awaiting`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.render.doc import Doc
from bot.results import Outcome, Plan
from bot.store import ChangeRecord
from commands import UsageError


@dataclass(frozen=True)
class ReadAnswered:
    """A read's answer, as its ops module shows it; `public` when the person asked to share it."""

    doc: Doc
    public: bool


@dataclass(frozen=True)
class HistoryListed:
    """Changes newest first; `filters`: (what, value) of each filter asked for; `names`: people's
    names by user ID, where the surface knows them."""

    records: tuple[ChangeRecord, ...]
    filters: tuple[tuple[str, str], ...]
    all_channels: bool
    public: bool
    names: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """What the list may be missing (AWS could not say what a name stands for now)."""


@dataclass(frozen=True)
class ChangeShown:
    """One recorded change in full (`/voice history CHANGE_ID`)."""

    record: ChangeRecord
    public: bool
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Exported:
    """A file the person asked for (`/voice snapshot`): `doc` says what it is; `shared`: posted in
    the channel, otherwise sent to the person alone."""

    doc: Doc
    file_name: str
    content: str
    shared: bool = False


@dataclass(frozen=True)
class NotRun:
    """Input, a `--file` or a plan that stopped before a preview; the layer below explained why."""

    problem: Doc


@dataclass(frozen=True)
class Denied:
    permission: str
    explanation: str


@dataclass(frozen=True)
class NeedsOptions:
    """The policy needs `--reason` or `--incident` for this change."""

    error: UsageError


@dataclass(frozen=True)
class DryRun:
    plan: Plan


@dataclass(frozen=True)
class Proposed:
    """A recorded preview that waits for its requester (or, `needs_approval`, a second person)."""

    record: ChangeRecord
    plan: Plan
    expires_in_minutes: int


@dataclass(frozen=True)
class Undoing:
    """The inverse change's answer, with what undoing cannot restore, and the changes applied since
    that it overwrites too (`bot.undo.reverted`)."""

    answer: "Answer"
    caveats: tuple[str, ...]
    undone: str = ""
    reverts: tuple[ChangeRecord, ...] = ()
    """Oldest first. Those requested in a channel whose history the asker may not read are listed
    without their command (`hidden`, by change ID)."""
    hidden: frozenset[str] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NotFound:
    """No change (`applied`: no applied change) has this ID."""

    change_id: str
    applied: bool = False


@dataclass(frozen=True)
class UndoImpossible:
    change_id: str
    reason: str


@dataclass(frozen=True)
class Expired:
    change_id: str


@dataclass(frozen=True)
class WrongPlace:
    """A click from another channel or (`workspace`) another Slack workspace than the request's."""

    change_id: str
    workspace: bool


@dataclass(frozen=True)
class AlreadySettled:
    """Someone or something got there first; None when the change vanished meanwhile."""

    record: ChangeRecord | None


@dataclass(frozen=True)
class CannotApproveOwn:
    pass


@dataclass(frozen=True)
class NotAllowedToApprove:
    explanation: str


@dataclass(frozen=True)
class OnlyRequester:
    change_id: str
    requested_by: str


@dataclass(frozen=True)
class NotAllowedToCancel:
    change_id: str
    requested_by: str


@dataclass(frozen=True)
class NotApplied:
    """A confirmed change cancelled instead (`why`: the policy changed, or the state did), and
    what followed: a renewed preview, a refusal of it, or the problem that stops one."""

    change_id: str
    why: str
    then: "Answer | None" = None


@dataclass(frozen=True)
class Revealed:
    """A secret made while applying (a SIP password): sent to AWS, then shown once, privately, to
    the requester. It lives only in this answer: never in a plan, the store, a log or an announcement."""

    what: str
    value: str = field(repr=False)


@dataclass(frozen=True)
class Applied:
    """AWS's outcome for the change; `recorded` False when the store could not take it. `secrets`:
    what the requester alone must see once; views never render them, surfaces deliver them privately."""

    record: ChangeRecord
    outcome: Outcome
    recorded: bool = True
    secrets: tuple[Revealed, ...] = ()


@dataclass(frozen=True)
class Cancelled:
    change_id: str
    by: str


@dataclass(frozen=True)
class Reconciled:
    """A change whose applier died mid-apply, settled at start-up by reading the state back."""

    record: ChangeRecord
    plan: Plan
    in_effect: bool
    note: str


@dataclass(frozen=True)
class StoreDown:
    pass


@dataclass(frozen=True)
class InternalError:
    reference: str


Answer = (
    ReadAnswered
    | Exported
    | HistoryListed
    | ChangeShown
    | NotRun
    | Denied
    | NeedsOptions
    | DryRun
    | Proposed
    | Undoing
    | NotFound
    | UndoImpossible
    | Expired
    | WrongPlace
    | AlreadySettled
    | CannotApproveOwn
    | NotAllowedToApprove
    | OnlyRequester
    | NotAllowedToCancel
    | NotApplied
    | Applied
    | Cancelled
    | Reconciled
    | StoreDown
    | InternalError
)


def is_public(answer: Answer) -> bool:
    """Shown in the channel (everything about a change's life), not only to the person."""
    match answer:
        case ReadAnswered(public=public) | HistoryListed(public=public) | ChangeShown(public=public):
            return public
        case Exported(shared=shared):
            return shared
        case Undoing(answer=inner):
            return is_public(inner)
        case Proposed() | NotApplied() | Applied() | Cancelled():
            return True
        case _:
            return False


def awaiting(answer: Answer) -> str | None:
    """The change that now waits for confirmation, if the answer proposed one."""
    match answer:
        case Proposed(record=record):
            return record.id
        case Undoing(answer=inner) | NotApplied(then=inner) if inner is not None:
            return awaiting(inner)
        case _:
            return None
