"""Workflow answers → Docs: what each ending of a request or a click says, on every surface.

A preview gets Apply/Cancel buttons only where the surface has them: it passes its action IDs.
A bulk result's follow-ups (`bot.follow_ups`) are buttons where the surface has them, printed
commands where it asks for them (the console), and left out otherwise (announcements).
"""

from collections.abc import Callable
from dataclasses import dataclass

from bot.follow_ups import follow_ups
from bot.outcomes import (
    AlreadySettled,
    Answer,
    Applied,
    Cancelled,
    CannotApproveOwn,
    ChangeShown,
    Denied,
    DryRun,
    Expired,
    Exported,
    HistoryListed,
    InternalError,
    NeedsOptions,
    NotAllowedToApprove,
    NotAllowedToCancel,
    NotApplied,
    NotFound,
    NotRun,
    OnlyRequester,
    Proposed,
    ReadAnswered,
    Reconciled,
    Revealed,
    StoreDown,
    UndoImpossible,
    Undoing,
    WrongPlace,
)
from bot.render import history_views, views
from bot.render.doc import Bold, Button, Buttons, Code, Doc, Fields, Level, Notice, Paragraph, Part
from bot.store import ChangeRecord, Status


@dataclass(frozen=True)
class PreviewActions:
    """The action IDs a surface's Apply and Cancel buttons send back."""

    apply: str
    cancel: str
    follow_up: str | None = None
    """A bulk result's follow-up buttons; the value is `CHANGE_ID:KIND` (`bot.follow_ups`)."""


def answer_view(
    answer: Answer, actions: PreviewActions | None = None, *, print_follow_ups: bool = False
) -> Doc:
    match answer:
        case ReadAnswered(doc=doc) | NotRun(problem=doc) | Exported(doc=doc):
            return doc
        case HistoryListed():
            return history_views.history_list_view(answer)
        case ChangeShown():
            return history_views.change_view(answer)
        case Denied(permission, explanation):
            return views.denied_view(permission, explanation)
        case NeedsOptions(error):
            return views.usage_error_view(error)
        case DryRun(plan):
            return views.plan_view(plan, dry_run=True)
        case Proposed():
            return _preview(answer, actions)
        case Undoing(inner, caveats):
            return _with_caveats(answer_view(inner, actions), caveats, history_views.reverted_parts(answer))
        case NotFound(change_id, applied):
            return _notice("warning", f"No {'applied ' if applied else ''}change has the ID {change_id}.")
        case UndoImpossible(change_id, reason):
            return _notice("warning", f"Cannot undo {change_id}: {reason}")
        case Expired(change_id):
            return _notice("warning", f"Change {change_id}'s preview expired: run the command again.")
        case WrongPlace(change_id, workspace=True):
            return _notice(
                "warning",
                f"Change {change_id} belongs to another Slack workspace: it cannot be applied from here.",
            )
        case WrongPlace(change_id):
            return _notice(
                "warning",
                f"Change {change_id} was requested in another channel: apply, approve or cancel it there.",
            )
        case AlreadySettled(record):
            return _notice("info", _already(record) if record else "That change is gone.")
        case CannotApproveOwn():
            return _notice("warning", "This change needs a second person: you cannot approve your own.")
        case NotAllowedToApprove(explanation):
            return _notice("error", f"You cannot approve this change. {explanation}")
        case OnlyRequester(change_id, requested_by):
            return _notice("warning", f"Only {requested_by}, who asked for change {change_id}, can apply it.")
        case NotAllowedToCancel(change_id, requested_by):
            return _notice("warning", f"Only {requested_by} (or an approver) can cancel {change_id}.")
        case NotApplied(change_id, why, then):
            parts = (Notice("warning", f"Change {change_id} was not applied: {why}."),)
            followed = answer_view(then, actions).parts if then is not None else ()
            return Doc(f"Not applied: {why}", parts + followed)
        case Applied():
            return _applied(answer).plus(*_follow_ups(answer, actions, print_follow_ups))
        case Cancelled(change_id, by):
            return Doc(f"Cancelled change {change_id}", (Notice("info", f"{by} cancelled {change_id}."),))
        case Reconciled():
            return _reconciled(answer)
        case StoreDown():
            text = (
                "Switchboard cannot reach its audit store, so it did not run this: nothing was changed. "
                "Try again shortly; operators: check DATABASE_URL and /readyz."
            )
            return Doc("Not run: the audit store is unavailable", (Notice("error", text),), level="error")
        case InternalError(reference):
            text = (
                f"Switchboard hit an internal error (error ID {reference}); it is logged for the operators. "
                "Check `/voice history` before trying again: a change may or may not have been made."
            )
            return Doc("Internal error", (Notice("error", text),), level="error")


def _preview(proposed: Proposed, actions: PreviewActions | None) -> Doc:
    record = proposed.record
    who = (
        f"Needs approval by someone other than {record.requested_by}."
        if record.needs_approval
        else f"Only {record.requested_by} can apply it."
    )
    doc = views.plan_view(proposed.plan).plus(
        Fields(_record_fields(record)),
        Notice("info", f"{who} The preview expires in {proposed.expires_in_minutes} min."),
    )
    if actions is None:
        return doc
    apply = Button(
        "Approve and apply" if record.needs_approval else "Apply", actions.apply, record.id, "primary"
    )
    return doc.plus(Buttons((apply, Button("Cancel", actions.cancel, record.id, "danger"))))


def _with_caveats(doc: Doc, caveats: tuple[str, ...], reverts: tuple[Part, ...] = ()) -> Doc:
    """What undoing cannot restore, then the later changes it reverts too, said before the buttons."""
    parts = doc.parts
    at = len(parts) - 1 if parts and isinstance(parts[-1], Buttons) else len(parts)
    notices = tuple(Notice("warning", caveat) for caveat in caveats)
    return Doc(doc.title, parts[:at] + notices + reverts + parts[at:], doc.level)


def _applied(applied: Applied) -> Doc:
    doc = views.outcome_view(applied.outcome).plus(Fields(_record_fields(applied.record)))
    if applied.recorded:
        return doc
    return doc.plus(
        Notice(
            "warning",
            "The audit store could not record this result: the change stays APPLYING there "
            "and is read back and settled when the store is reachable again.",
        )
    )


def _follow_ups(applied: Applied, actions: PreviewActions | None, printed: bool) -> tuple[Part, ...]:
    offered = follow_ups(applied.outcome, applied.record)
    if not offered:
        return ()
    if actions is not None and actions.follow_up is not None:
        record_id, action = applied.record.id, actions.follow_up
        return (Buttons(tuple(Button(f.label, action, f"{record_id}:{f.kind}") for f in offered)),)
    if printed:
        return tuple(Paragraph((Bold(f"{f.label}: "), Code(f"/voice {f.command}"))) for f in offered)
    return ()


def _reconciled(reconciled: Reconciled) -> Doc:
    status = Status.APPLIED if reconciled.in_effect else Status.UNKNOWN
    level: Level = "success" if reconciled.in_effect else "warning"
    return Doc(
        f"Reconciled change {reconciled.record.id}: {status.value}",
        (
            Notice(level, reconciled.note),
            *views.plan_view(reconciled.plan).parts[:2],
            Fields(_record_fields(reconciled.record)),
        ),
        level=level,
    )


def _already(record: ChangeRecord) -> str:
    by = f" by {record.applied_by}" if record.applied_by else ""
    return f"Change {record.id} is already {record.status.lower()}{by}."


def _notice(level: Level, text: str) -> Doc:
    return Doc(text, (Notice(level, text),), level=level)


def _record_fields(record: ChangeRecord) -> tuple[tuple[str, str], ...]:
    fields = [("Change", record.id), ("Requested by", record.requested_by)]
    if record.approver:
        fields.append(("Approved by", record.approver))
    if record.reason:
        fields.append(("Reason", record.reason))
    if record.incident:
        fields.append(("Incident", record.incident))
    if record.undo_of:
        fields.append(("Undoes", record.undo_of))
    return tuple(fields)


def secrets_text(secrets: tuple[Revealed, ...], shown: Callable[[str], str] = str) -> str:
    """The words that show secrets to the one person who may see them, once. Each value follows
    `Password:` so a library's debug line that carries this text is masked by the log redactor.
    `shown` makes what the secret is for (a SIP user name someone typed) safe where it is read:
    Slack's `escape` there; the console prints it as it is."""
    return "\n".join(
        f"{shown(secret.what)} (shown once and not stored: copy it now)\nPassword: `{secret.value}`"
        for secret in secrets
    )
