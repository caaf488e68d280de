"""Results → Docs: one function per kind of result, shared by every surface."""

import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable

from bot.render.doc import (
    Bold,
    Change,
    Changes,
    Code,
    Doc,
    Fields,
    Heading,
    Level,
    Notice,
    Paragraph,
    Part,
    Table,
)
from bot.results import (
    ApiCall,
    ErrorInfo,
    Outcome,
    Plan,
)
from commands import COMMANDS, Command, UsageError, find_prefix
from commands.base import TASK_TITLES, TASKS
from voice_domain.shapes import PhoneNumberError, VoiceConnector, VoiceConnectorGroup
from voice_domain.values import readable_number

_STATUS_TITLES = {"applied": "Applied", "partial": "Partly applied", "failed": "Failed"}
_STATUS_LEVELS: dict[str, Level] = {"applied": "success", "partial": "warning", "failed": "error"}


def help_view(topic: list[str]) -> Doc:
    if not topic:
        return help_overview()
    words = tuple(word.lower() for word in topic)
    found = find_prefix(list(words))
    if found is not None:
        return command_help(found[0])
    family = [command for command in COMMANDS if command.words[0] == words[0]]
    if family:
        return resource_help(words[0], family)
    known = sorted({command.words[0] for command in COMMANDS} | {c.command_name() for c in COMMANDS})
    close = difflib.get_close_matches(" ".join(words), known, n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(f'`{name}`' for name in close)}?" if close else ""
    return Doc(
        f"No command `{' '.join(topic)}`",
        (Notice("warning", f"There is no `/voice {' '.join(topic)}`.{hint}"),),
    )


def help_overview() -> Doc:
    """Every command on one screen, grouped by what the person is doing: fits 80 columns and one
    Slack message, so it stays usable as commands are added (each command's detail is one call away)."""
    parts: list[Part] = [Heading("/voice commands")]
    for task in TASKS:
        listed = [command for command in COMMANDS if command.task == task and task != "help"]
        if listed:
            parts += [Paragraph((Bold(TASK_TITLES[task]),)), Fields(_by_resource(listed))]
    parts += [
        Paragraph(("Every change is previewed, and applied only once confirmed.",)),
        Paragraph((Code("/voice help origination"), " lists a resource's commands;")),
        Paragraph((Code("/voice help origination set"), " gives one's usage and examples.")),
    ]
    return Doc("/voice commands", tuple(parts))


def _by_resource(commands: list[type[Command]]) -> tuple[tuple[str, str], ...]:
    """(resource word, its sub-commands): `origination` → `show · set · enable`; a one-word
    command (`connectors`, `history`) is described by its summary's first sentence instead."""
    grouped: dict[str, list[str]] = {}
    for command in commands:
        rest = " ".join(command.words[1:]) or re.split(r"[.:;,] | \(", command.summary)[0].rstrip(".")
        grouped.setdefault(command.words[0], []).append(rest)
    return tuple((word, " · ".join(rests)) for word, rests in grouped.items())


def resource_help(word: str, family: list[type[Command]]) -> Doc:
    described = tuple((command.command_name(), command.summary) for command in family)
    return Doc(
        f"/voice {word} commands",
        (
            Heading(f"/voice {word} commands"),
            Fields(described),
            Paragraph((Code(f"/voice help {family[0].command_name()}"), " gives one's usage and examples.")),
        ),
    )


def command_help(command: type[Command]) -> Doc:
    parts: list[Part] = [
        Heading(f"/voice {command.command_name()}"),
        Paragraph((command.summary,)),
        Paragraph((Bold("Usage: "), Code(command.usage()))),
    ]
    described = tuple((param.form(), param.help) for param in command.all_params())
    if described:
        parts.append(Table("Parameters", ("Parameter", "Meaning"), described, "parameters.csv"))
    for example in command.examples:
        parts.append(Paragraph((Bold("Example: "), Code(example))))
    if command.notice:
        parts.append(Notice("warning", command.notice))
    return Doc(f"/voice {command.command_name()}: {command.summary}", tuple(parts))


def usage_error_view(error: UsageError) -> Doc:
    parts: list[Part] = [Notice("error", error.problem)]
    if error.usage:
        parts.append(Paragraph((Bold("Usage: "), Code(error.usage))))
    if error.example:
        parts.append(Paragraph((Bold("Example: "), Code(error.example))))
    return Doc(f"Not run: {error.problem}", tuple(parts), level="error")


def error_view(error: ErrorInfo, title: str | None = None) -> Doc:
    parts: list[Part] = [
        Notice("error", f"{error.code}: {error.message}" if error.message else error.code),
        Fields(_error_fields(error)),
    ]
    if error.maybe_applied:
        parts.append(
            Notice("warning", "The change may have been applied before the failure: check the current state.")
        )
    return Doc(title or f"{error.operation} failed: {error.code}", tuple(parts), level="error")


def _error_fields(error: ErrorInfo) -> tuple[tuple[str, str], ...]:
    fields = [("What it means", error.meaning), ("What to do", error.advice), ("Operation", error.operation)]
    if error.request_id:
        fields.append(("AWS request ID", error.request_id))
    return tuple(fields)


def plan_view(plan: Plan, *, dry_run: bool = False) -> Doc:
    """What will happen in one line, then the diff and its reach, then the fine print: read at a
    glance mid-incident. The line is a section, not a header, which Slack cuts at 150 characters."""
    title = f"Preview: {plan.summary}"
    parts: list[Part] = [Paragraph((Bold(title),))]
    if plan.changes:
        parts.append(Changes(tuple(Change(c.field, c.before, c.after) for c in plan.changes)))
    parts.extend(_impact(plan))
    if plan.moves:
        rows = tuple(
            (move.number, readable_number(move.number), move.shown or move.current or "-", move.note or "")
            for move in plan.moves
        )
        header = ("Number", "Readable", plan.moves_current, "Note")
        parts.append(Table("Numbers", header, rows, "numbers.csv"))
    parts.extend(Notice("warning", warning) for warning in plan.warnings)
    parts.extend(_request_steps(plan.calls))
    if dry_run:
        parts.append(Notice("info", "Dry run: nothing was changed."))
    return Doc(title, tuple(parts))


def _impact(plan: Plan) -> list[Part]:
    """Who else the change reaches (bot/ops/impact.py), and where the counts may be short."""
    if plan.impact is None:
        return []
    impact = plan.impact
    lines = [impact.summary, *impact.first_in_group]
    notes = [f"{silent} (groups there are not counted)" for silent in impact.unknown]
    return [
        *(Notice("warning", line) for line in lines),
        *(Notice("info", note) for note in notes),
    ]


def _request_steps(calls: list[ApiCall]) -> list[Part]:
    """The requests in the order they are sent; a run of batches of one operation is one step."""
    runs: list[list[ApiCall]] = []
    for call in calls:
        if runs and (runs[-1][0].operation, runs[-1][0].region) == (call.operation, call.region):
            runs[-1].append(call)
        else:
            runs.append([call])
    numbered = len(runs) > 1
    parts: list[Part] = []
    for index, run in enumerate(runs, start=1):
        first = run[0]
        body = json.dumps(first.params, separators=(", ", ": "))
        if len(body) > 500:
            body = body[:500] + "…"
        step = f"{index}. " if numbered else ""
        if len(run) > 1:
            size = max(len(call.params.get("E164PhoneNumbers", [])) for call in run)
            lead = (
                f"{step}Sends {len(run)} {first.operation} requests to {first.region}, "
                f"up to {size} numbers each; the first: "
            )
        else:
            lead = f"{step}Sends {first.operation} to {first.region}: "
        parts.append(Paragraph((lead, Code(body))))
    return parts


def outcome_view(outcome: Outcome) -> Doc:
    plan = outcome.plan
    level = _STATUS_LEVELS[outcome.status]
    title = f"{_STATUS_TITLES[outcome.status]}: {plan.summary}"
    parts: list[Part] = [Paragraph((Bold(title),))]
    if plan.changes and outcome.status != "failed":
        parts.append(Changes(tuple(Change(c.field, c.before, c.after) for c in plan.changes)))
        parts.extend(_impact(plan))
    if outcome.created is not None:
        parts.append(Fields(_created_fields(outcome.created)))
    parts.extend(_order_fields(outcome))
    if outcome.reconciled:
        parts.append(
            Notice(
                "warning",
                "AWS's answer was lost; the new resource was found by name, so it was created once.",
            )
        )
    if plan.moves:
        parts.extend(_number_outcome(outcome))
    if outcome.error is not None:
        parts.extend(error_view(outcome.error).parts)
    return Doc(title, tuple(parts), level=level)


def _order_fields(outcome: Outcome) -> Iterable[Part]:
    """A phone number order's ID, which `numbers order show` needs and only AWS's answer holds."""
    for response in outcome.responses:
        order = response.get("PhoneNumberOrder") or {}
        if order:
            yield Fields(
                (
                    ("Order ID", str(order.get("PhoneNumberOrderId"))),
                    ("Order status", str(order.get("Status"))),
                )
            )


def _created_fields(created: VoiceConnector | VoiceConnectorGroup) -> tuple[tuple[str, str], ...]:
    if isinstance(created, VoiceConnector):
        return (
            ("ID", created.voice_connector_id),
            ("Region", created.aws_region or "?"),
            ("Outbound host", created.outbound_host_name or "?"),
        )
    return (("ID", created.voice_connector_group_id), ("Members", str(len(created.voice_connector_items))))


def _number_outcome(outcome: Outcome) -> Iterable[Part]:
    total = len(outcome.plan.moves)
    yield Paragraph(
        (
            Bold(f"{len(outcome.succeeded_numbers)} of {total}"),
            " number(s) succeeded; ",
            Bold(str(len(outcome.number_errors))),
            " failed.",
        )
    )
    for code, errors in group_errors(outcome.number_errors).items():
        rows = tuple(
            (number := error.phone_number_id or "?", readable_number(number), error.error_message or "")
            for error in errors
        )
        header = ("Number", "Readable", "AWS message")
        yield Table(f"{code} ({len(errors)})", header, rows, f"failed-{code}.csv")
    if outcome.succeeded_numbers:
        succeeded = tuple((number, readable_number(number)) for number in outcome.succeeded_numbers)
        yield Table(f"Succeeded ({len(succeeded)})", ("Number", "Readable"), succeeded, "succeeded.csv")


def group_errors(errors: list[PhoneNumberError]) -> dict[str, list[PhoneNumberError]]:
    """PhoneNumberErrors by error code, in the order codes first appear."""
    grouped: dict[str, list[PhoneNumberError]] = defaultdict(list)
    for error in errors:
        grouped[error.error_code or "Unknown"].append(error)
    return dict(grouped)


def denied_view(permission: str, explanation: str) -> Doc:
    return Doc(f"Not allowed: {permission}", (Notice("error", explanation),), level="error")
