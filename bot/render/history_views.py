"""History → Docs: the list of changes (each command shown whole) and one change in full.

People are shown by the names the surface gave (Slack display names), else by their IDs (the
console). Every string here is plain text; the renderers escape it, so a name pings nobody.
"""

from collections.abc import Mapping
from datetime import datetime

from bot.outcomes import ChangeShown, HistoryListed, Undoing
from bot.render import views
from bot.render.doc import (
    Bold,
    Changes,
    Code,
    Doc,
    Entries,
    Entry,
    Fields,
    Heading,
    Level,
    Notice,
    Paragraph,
    Part,
    Table,
)
from bot.results import Outcome
from bot.store import FINAL, ChangeRecord, Status
from commands.audit import CHANGE_ID

_FILTER_WORDS = {
    "resource": "of",
    "incident": "in incident",
    "user": "by",
    "number": "touching",
    "since": "in the last",
}
REVERTS_LISTED = 20  # an undo's preview names this many later changes it reverts, then counts the rest

_LEVELS: dict[Status, Level] = {
    Status.APPLIED: "success",
    Status.PARTIAL: "warning",
    Status.UNKNOWN: "warning",
    Status.FAILED: "error",
    Status.DENIED: "error",
}


def history_list_view(listed: HistoryListed) -> Doc:
    """Newest first, one short block per change: who, when, where, status, then the command in full."""
    names = listed.names
    scope = "".join(
        f" {_FILTER_WORDS[what]} {_who(value, names) if what == 'user' else value}"
        for what, value in listed.filters
    )
    where = " in every channel" if listed.all_channels else " in this channel"
    entries = tuple(_entry(record, names, where=listed.all_channels) for record in listed.records)
    parts: list[Part] = [Entries(f"History{scope}{where} (newest first)", entries)]
    parts += [Notice("warning", note) for note in listed.notes]
    resource = dict(listed.filters).get("resource")
    if not entries and resource and CHANGE_ID.fullmatch(resource):
        parts.append(
            Notice("info", f"No change {resource} is recorded, nor any change of a resource so named.")
        )
    elif entries:
        parts.append(Paragraph((Code("/voice history CHANGE_ID"), " shows one change in full.")))
    return Doc(f"{len(entries)} recorded change(s){scope}{where}", tuple(parts))


def _entry(record: ChangeRecord, names: Mapping[str, str], *, where: bool, hidden: bool = False) -> Entry:
    """ID, when, status, who (and `where` it was requested), then the command whole; a `hidden`
    command (requested in a channel whose history the reader may not read) only by its words."""
    words = str((record.command or {}).get("words", "")) or "change"
    body = (
        f"/voice {words} … (requested in another channel: its command needs history.read.all)"
        if hidden
        else record.command_text
    )
    return Entry(
        (
            Code(record.id),
            f"  {_when(record.created_at)}  {record.status}  {_who(record.requested_by, names)}",
            *((f"  {record.channel_id or record.surface}",) if where else ()),
        ),
        body,
    )


def reverted_parts(undoing: Undoing) -> tuple[Part, ...]:
    """The changes applied since the undone one that its undo overwrites too, said loudly, each with
    its ID, who and the command, so nobody reverts a colleague's later fix without knowing."""
    if not undoing.reverts:
        return ()
    count, undone = len(undoing.reverts), undoing.undone
    some, lost = (
        ("a later change", "that change is") if count == 1 else (f"{count} later changes", "they are")
    )
    warning = (
        f"Undoing {undone} also reverts {some} to the same settings, listed below: the undo puts back "
        f"the state from before {undone}, so {lost} lost too. Apply it only if that is meant; otherwise "
        "make the change by hand."
    )
    entries = tuple(
        _entry(record, undoing.names, where=False, hidden=record.id in undoing.hidden)
        for record in undoing.reverts[:REVERTS_LISTED]
    )
    parts: tuple[Part, ...] = (Notice("error", warning), Entries("Reverted too (oldest first)", entries))
    if count > REVERTS_LISTED:
        more = f"… and {count - REVERTS_LISTED} more since: "
        parts += (Paragraph((more, Code("/voice history RESOURCE --limit 100"), " lists them.")),)
    return parts


def change_view(shown: ChangeShown) -> Doc:
    """Who asked, who approved, why, where, when, what it changed and what AWS answered."""
    record, names = shown.record, shown.names
    title = f"Change {record.id}: {record.status}"
    if record.plan is not None:
        title += f": {record.plan.summary}"
    parts: list[Part] = [
        Heading(title),
        Fields(_facts(record, names)),
        Entries(
            "As typed",
            (
                Entry((Bold("Command"),), record.command_text),
                Entry((Bold("Reason"),), record.reason or "(none given)"),
            ),
        ),
        Fields(_timings(record)),
    ]
    if record.plan is not None:
        parts.append(Paragraph((Bold("What it changes"),)))
        parts += [part for part in views.plan_view(record.plan).parts if not isinstance(part, Heading)]
    if record.result is not None:
        parts += _results(record.result)
    elif record.plan is not None and record.plan.calls:
        parts.append(Notice("info", f"No request was sent to AWS: the change is {record.status.lower()}."))
    if record.error:
        parts.append(Notice(_LEVELS.get(record.status, "info"), record.error))
    return Doc(title, tuple(parts), level=_LEVELS.get(record.status, "info"))


def _facts(record: ChangeRecord, names: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    facts = [("Status", str(record.status)), ("Requested by", _who(record.requested_by, names))]
    if record.approver:
        facts.append(("Approved by", _who(record.approver, names)))
    if record.applied_by and record.applied_by not in (record.requested_by, record.approver):
        verb = "Cancelled by" if record.status == Status.CANCELLED else "Confirmed by"
        facts.append((verb, _who(record.applied_by, names)))
    facts.append(("Incident", record.incident or "(none given)"))
    facts.append(
        ("Channel", record.channel_id or "(none)")
        if record.surface == "slack"
        else ("Surface", record.surface)
    )
    if record.target_name or record.target_id:
        facts.append(
            (
                "Resource",
                f"{record.target_kind or ''} {record.target_name or ''} ({record.target_id})".strip(),
            )
        )
    if record.undo_of:
        facts.append(("Undoes", record.undo_of))
    return tuple(facts)


def _timings(record: ChangeRecord) -> tuple[tuple[str, str], ...]:
    """Requested, approved (or confirmed), settled: each with the time since the request."""
    start = record.created_at
    timings = [("Requested", _when(start))]
    if record.claimed_at is not None:
        timings.append(("Approved" if record.approver else "Confirmed", _when(record.claimed_at, start)))
    if record.settled_at is not None:
        timings.append((f"Settled ({record.status.lower()})", _when(record.settled_at, start)))
    elif record.status in FINAL:  # recorded before settling times were kept
        timings.append(("Last updated", _when(record.updated_at, start)))
    if record.status == Status.PLANNED and record.expires_at is not None:
        timings.append(("Preview expires", _when(record.expires_at, start)))
    return tuple(timings)


def _results(outcome: Outcome) -> list[Part]:
    """Each request the plan held and how AWS answered it, then what the outcome adds (a created
    resource's ID, an order, per-number failures, the error)."""
    answers = _answers(outcome)
    rows = tuple(
        (str(index), call.operation, call.region, answer)
        for index, (call, answer) in enumerate(zip(outcome.plan.calls, answers, strict=True), start=1)
    )
    table = Table("Requests and AWS's answers", ("#", "Request", "Region", "Answer"), rows, "requests.csv")
    told = [part for part in views.outcome_view(outcome).parts if not isinstance(part, Heading | Changes)]
    return [table, *told]


def _answers(outcome: Outcome) -> list[str]:
    """Requests are sent in order until one fails (bulk number batches all at once): a request is
    OK, failed, or never sent; a number batch counts its numbers."""
    succeeded, failed = set(outcome.succeeded_numbers), {e.phone_number_id for e in outcome.number_errors}
    answered = len(outcome.responses)
    answers = []
    for index, call in enumerate(outcome.plan.calls):
        numbers = call.params.get("E164PhoneNumbers")
        numbers = numbers if isinstance(numbers, list) else []
        ok, bad = sum(n in succeeded for n in numbers), sum(n in failed for n in numbers)
        if ok or bad:
            answers.append("OK" if not bad else f"{ok} OK, {bad} failed")
        elif index < answered:
            answers.append("OK")
        elif index == answered and outcome.error is not None:
            answers.append(f"failed: {outcome.error.code}")
        else:
            answers.append("not sent")
    return answers


def _who(user_id: str, names: Mapping[str, str]) -> str:
    return names.get(user_id, user_id)


def _when(moment: datetime, since: datetime | None = None) -> str:
    text = moment.strftime("%Y-%m-%d %H:%M:%SZ")
    if since is None:
        return text
    seconds = max(0, round((moment - since).total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    elapsed = (
        f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"
    )
    return f"{text} (+{elapsed})"
