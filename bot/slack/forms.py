"""The Edit forms behind `origination show` and `termination show`: current settings → a Slack modal,
and a submitted modal → the `/voice … set` text a person would have typed, or errors on the fields
at fault.

A form is only a way of typing: its text runs through the workflow like any typed command (policy,
preview, Apply), so nothing here decides anything. Values are checked with the command language's
own types, so the form refuses exactly what the typed command would, but says so on the field.
"""

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from bot.render.blockkit import literal
from commands.lexer import command_line
from commands.types import CountryCode
from voice_domain.shapes import MAX_ROUTES, Origination, Route
from voice_domain.termination import Cidr, Termination
from voice_domain.values import E164Number

View = dict[str, Any]
Values = dict[str, dict[str, Any]]  # a submission's view.state.values: block_id → action_id → state
Kind = Literal["origination", "termination"]

MAX_VIEW_BLOCKS = 100  # modals and Home tabs (Slack's view reference)
TITLE_MAX = 24  # a view's title, submit and close texts
VALUE = "value"  # every input's action_id: its block_id names the field
REASON, INCIDENT, DISABLED, STATE = "reason", "incident", "disabled", "state"
ROUTE_FIELDS = ("host", "port", "protocol", "priority", "weight")
_FIXED_BLOCKS = 4  # the intro, "disabled", reason and incident
FORM_ROUTES = min(MAX_ROUTES, (MAX_VIEW_BLOCKS - _FIXED_BLOCKS) // len(ROUTE_FIELDS))
BLANK_ROWS = 2  # rows left empty for new routes
CALLBACKS: dict[Kind, str] = {"origination": "edit_origination", "termination": "edit_termination"}


@dataclass(frozen=True)
class FormContext:
    """What a submission needs from the click that opened the form (the view's private_metadata):
    which connector, the channel whose policy applies, and where the preview goes."""

    kind: Kind
    connector: str
    channel_id: str
    response_url: str

    def dumps(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> "FormContext":
        return cls(**json.loads(text))


@dataclass(frozen=True)
class Filled:
    """A submission read: the command text, or errors by block_id (Slack's `response_action: errors`)."""

    text: str
    errors: dict[str, str]


# Views -------------------------------------------------------------------------------------------


def notice_modal(title: str, text: str) -> View:
    """A modal that only says something (reading, refused, failed): nothing to submit."""
    return {
        "type": "modal",
        "title": _plain(title[:TITLE_MAX]),
        "close": _plain("Close"),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": literal(text)}}],
    }


def origination_modal(context: FormContext, name: str, origination: Origination | None) -> View:
    """One row per route (host, port, protocol, priority, weight) and blank rows for new ones."""
    routes = sorted(origination.routes if origination else [], key=lambda r: (r.priority or 0, r.host))
    if len(routes) > FORM_ROUTES:
        return notice_modal(
            "Edit origination",
            f"{name} has {len(routes)} routes, more than a form can hold ({FORM_ROUTES}): use "
            "`/voice origination route change` or `origination set` instead.",
        )
    rows = min(FORM_ROUTES, len(routes) + BLANK_ROWS)
    blocks = [
        _intro(
            f"Origination routes of {name}. Clear a route's host to remove it; fill a blank row to add one."
        )
    ]
    for index in range(rows):
        route = routes[index] if index < len(routes) else None
        blocks.extend(_route_row(index, route))
    disabled = bool(origination and origination.disabled)
    blocks.append(_checkbox(DISABLED, "Origination", "Disabled (routes kept, no calls sent)", disabled))
    blocks.extend(_audit_inputs())
    return _modal(context, "Edit origination", blocks)


def termination_modal(context: FormContext, name: str, termination: Termination | None) -> View:
    """One input per termination setting, filled with what AWS holds now."""
    now = termination.settled() if termination else None
    blocks = [
        _intro(f"Termination of {name}. Settings are replaced by what the form says."),
        _input("cps", "Calls per second", _number(now.cps_limit if now else None, 1, None), optional=True),
        _input(
            "calling_regions",
            "Calling regions",
            _text(",".join(now.calling_regions or []) if now else None, "US,CA"),
            hint="ISO country codes, separated by commas (needed the first time).",
            optional=True,
        ),
        _input(
            "cidrs",
            "Allowed networks",
            _text("\n".join(now.cidr_allowed_list or []) if now else None, "203.0.113.0/24", multiline=True),
            hint="One CIDR a line; empty: no network may place calls.",
            optional=True,
        ),
        _input(
            "default_number",
            "Default caller number",
            _text(now.default_phone_number if now else None, "+12065550100"),
            hint="Empty: none.",
            optional=True,
        ),
        _input(
            STATE,
            "Termination",
            _radio(("enabled", "Enabled"), ("disabled", "Disabled"), initial=_state(now)),
        ),
        *_audit_inputs(),
    ]
    return _modal(context, "Edit termination", blocks)


def _modal(context: FormContext, title: str, blocks: list[View]) -> View:
    return {
        "type": "modal",
        "callback_id": CALLBACKS[context.kind],
        "title": _plain(title),
        "submit": _plain("Preview"),
        "close": _plain("Cancel"),
        "private_metadata": context.dumps(),
        "blocks": blocks,
    }


def _route_row(index: int, route: Route | None) -> list[View]:
    number = f"Route {index + 1}"
    protocol = route.protocol if route else None
    return [
        _input(
            f"route{index}_host",
            f"{number}: host",
            _text(route.host if route else None, "sbc1.example.com"),
            optional=True,
        ),
        _input(
            f"route{index}_port",
            f"{number}: port",
            _number(route.port if route else None, 0, 65535),
            optional=True,
            hint="Blank: 5060.",
        ),
        _input(
            f"route{index}_protocol", f"{number}: protocol", _select(("TCP", "UDP"), protocol), optional=True
        ),
        _input(
            f"route{index}_priority",
            f"{number}: priority",
            _number(route.priority if route else None, 1, 100),
            optional=True,
            hint="1 is tried first.",
        ),
        _input(
            f"route{index}_weight",
            f"{number}: weight",
            _number(route.weight if route else None, 1, 100),
            optional=True,
            hint="Splits calls within a priority.",
        ),
    ]


def _audit_inputs() -> list[View]:
    return [
        _input(REASON, "Reason", _text(None, "Why this change"), optional=True),
        _input(INCIDENT, "Incident", _text(None, "INC-4711"), optional=True),
    ]


def _intro(text: str) -> View:
    return {"type": "section", "text": {"type": "mrkdwn", "text": literal(text)}}


def _input(
    block_id: str, label: str, element: View, *, optional: bool = False, hint: str | None = None
) -> View:
    block: View = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = _plain(hint)
    return block


def _text(initial: str | None, placeholder: str, *, multiline: bool = False) -> View:
    element: View = {"type": "plain_text_input", "action_id": VALUE, "placeholder": _plain(placeholder)}
    if multiline:
        element["multiline"] = True
    if initial:
        element["initial_value"] = initial
    return element


def _number(initial: int | None, low: int, high: int | None) -> View:
    element: View = {
        "type": "number_input",
        "action_id": VALUE,
        "is_decimal_allowed": False,
        "min_value": str(low),
    }
    if high is not None:
        element["max_value"] = str(high)
    if initial is not None:
        element["initial_value"] = str(initial)
    return element


def _select(choices: tuple[str, ...], initial: str | None) -> View:
    options = [{"text": _plain(choice), "value": choice} for choice in choices]
    element: View = {
        "type": "static_select",
        "action_id": VALUE,
        "options": options,
        "placeholder": _plain("Choose"),
    }
    if initial in choices:
        element["initial_option"] = options[choices.index(initial)]
    return element


def _radio(*choices: tuple[str, str], initial: str | None = None) -> View:
    options = [{"text": _plain(label), "value": value} for value, label in choices]
    element: View = {"type": "radio_buttons", "action_id": VALUE, "options": options}
    chosen = [option for option in options if option["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _state(termination: Termination | None) -> str:
    return "disabled" if termination and termination.disabled else "enabled"


def _checkbox(block_id: str, label: str, text: str, checked: bool) -> View:
    option = {"text": _plain(text), "value": block_id}
    element: View = {"type": "checkboxes", "action_id": VALUE, "options": [option]}
    if checked:
        element["initial_options"] = [option]
    return _input(block_id, label, element, optional=True)


def _plain(text: str) -> View:
    return {"type": "plain_text", "text": text}


# Submissions -------------------------------------------------------------------------------------


def origination_text(context: FormContext, values: Values) -> Filled:
    """`origination set VC --route … [--disabled]`: one route per row with a host."""
    errors: dict[str, str] = {}
    tokens: list[str] = []
    index = 0
    while f"route{index}_host" in values:
        row = {field: _value(values, f"route{index}_{field}") for field in ROUTE_FIELDS}
        index += 1
        if not row["host"]:
            continue  # a cleared row: that route goes
        token, row_errors = _route(index - 1, row)
        errors.update(row_errors)
        tokens.append(token)
    if not tokens and not errors:
        errors["route0_host"] = "Give at least one route (`/voice origination clear` removes them all)."
    words = ["origination", "set", context.connector]
    for token in tokens:
        words += ["--route", token]
    if _checked(values, DISABLED):
        words.append("--disabled")
    return Filled(command_line(words + _audit(values)), errors)


def _route(index: int, row: dict[str, str | None]) -> tuple[str, dict[str, str]]:
    """A row as `HOST[:PORT]/PROTOCOL,priority=N,weight=N`, checked as a Route is."""
    errors = {
        f"route{index}_{field}": f"Needed for {row['host']}."
        for field in ("protocol", "priority", "weight")
        if not row[field]
    }
    try:
        Route.model_validate({field: value for field, value in row.items() if value})
    except ValidationError as error:
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "host"
            errors.setdefault(f"route{index}_{field}", _message(problem["msg"]))
    port = f":{row['port']}" if row["port"] else ""
    protocol = (row["protocol"] or "").lower()
    token = f"{row['host']}{port}/{protocol},priority={row['priority']},weight={row['weight']}"
    return token, errors


def termination_text(context: FormContext, values: Values) -> Filled:
    """`termination set VC` stating every setting the form shows (what is unchanged previews as such)."""
    errors: dict[str, str] = {}
    words = ["termination", "set", context.connector]
    cps = _value(values, "cps")
    if cps:
        words += ["--cps", cps]
    regions = _items(_value(values, "calling_regions"))
    if regions:
        _check_each(errors, "calling_regions", regions, _COUNTRY.validate_python, "not a country code")
        words += ["--calling-regions", ",".join(region.upper() for region in regions)]
    cidrs = _items(_value(values, "cidrs"))
    _check_each(errors, "cidrs", cidrs, _CIDR.validate_python, "not a network in CIDR form")
    words += [part for cidr in cidrs for part in ("--cidr", cidr)] if cidrs else ["--no-cidr"]
    number = _value(values, "default_number")
    if number:
        _check_each(errors, "default_number", [number], _NUMBER.validate_python, "not a phone number")
        words += ["--default-number", number]
    else:
        words.append("--no-default-number")
    words.append("--disabled" if _value(values, STATE) == "disabled" else "--enabled")
    return Filled(command_line(words + _audit(values)), errors)


FILLERS: dict[Kind, Callable[[FormContext, Values], Filled]] = {
    "origination": origination_text,
    "termination": termination_text,
}
_COUNTRY: TypeAdapter[str] = TypeAdapter(CountryCode)
_CIDR: TypeAdapter[str] = TypeAdapter(Cidr)
_NUMBER: TypeAdapter[str] = TypeAdapter(E164Number)


def _check_each(
    errors: dict[str, str], block_id: str, items: list[str], check: Callable[[str], object], what: str
) -> None:
    bad = []
    for item in items:
        try:
            check(item)
        except ValidationError:
            bad.append(item)
    if bad:
        errors[block_id] = f"{', '.join(bad)}: {what}."


def _audit(values: Values) -> list[str]:
    words = []
    for flag in (REASON, INCIDENT):
        given = _value(values, flag)
        if given:
            words += [f"--{flag}", given]
    return words


def _items(text: str | None) -> list[str]:
    return [item for item in re.split(r"[\s,]+", text or "") if item]


def _message(text: str) -> str:
    return text.removeprefix("Value error, ").rstrip(".") + "."


def _state_of(values: Values, block_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get(VALUE) or {}


def _value(values: Values, block_id: str) -> str | None:
    """A text or number input's value, or a select's chosen value; None when empty."""
    state = _state_of(values, block_id)
    value = state.get("value")
    if value is None and state.get("selected_option"):
        value = state["selected_option"].get("value")
    text = str(value).strip() if value is not None else ""
    return text or None


def _checked(values: Values, block_id: str) -> bool:
    return bool(_state_of(values, block_id).get("selected_options"))
