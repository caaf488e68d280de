"""Tokens → a validated Command, or a UsageError that names the bad token.

Parsing is total: any string yields a Command or a UsageError, never another exception.
"""

import difflib
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from commands.base import Command, Param
from commands.errors import UsageError
from commands.lexer import tokenize
from commands.registry import COMMANDS, find_prefix
from voice_domain.values import DEFAULT_COUNTRY

_SLASH_COMMAND = "/voice"


def parse(text: str, default_country: str = DEFAULT_COUNTRY) -> Command:
    """Parse the text of a `/voice` command (with or without the `/voice` prefix).

    `default_country` is where a phone number typed without `+` is read as being: the setting is
    read in `bot/` and handed in here, so the language stays free of I/O.
    """
    tokens = tokenize(text)
    if tokens and tokens[0] == _SLASH_COMMAND:
        tokens = tokens[1:]
    if not tokens:
        tokens = ["help"]
    command_class, rest = _match(tokens)
    example = command_class.examples[0] if command_class.examples else None
    try:
        values, raw = _bind(command_class, rest, default_country)
        return command_class.model_validate(values, context={"default_country": default_country})
    except UsageError as error:
        raise error.with_context(command_class.usage(), example) from None
    except ValidationError as error:
        raise _explain(error, command_class, raw).with_context(command_class.usage(), example) from None


def _match(tokens: list[str]) -> tuple[type[Command], list[str]]:
    """The command whose words are the longest prefix of the tokens."""
    found = find_prefix(tokens)
    if found is not None:
        command_class, length = found
        return command_class, tokens[length:]
    family = [
        command for command in COMMANDS if len(command.words) > 1 and command.words[0] == tokens[0].lower()
    ]
    if family:
        raise _not_in_family(tokens, family)
    known = sorted({command.command_name() for command in COMMANDS})
    typed = " ".join(tokens[:2])
    close = difflib.get_close_matches(typed.lower(), known, n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(f'`{c}`' for c in close)}?" if close else ""
    raise UsageError(
        f"`{tokens[0]}` is not a /voice command.{hint} Try `/voice help` for the list.",
        token=tokens[0],
        usage="/voice COMMAND [ARGS...]",
        example="/voice help",
    )


def _not_in_family(tokens: list[str], family: list[type[Command]]) -> UsageError:
    """`numbers on …`: the first word is right, so name what follows it and list what may."""
    head = family[0].words[0]
    rests = [" ".join(command.words[1:]) for command in family]
    listed = ", ".join(f"`{rest}`" for rest in rests)
    if len(tokens) < 2:
        message = f"`{head}` needs one of: {listed}."
    else:
        typed = " ".join(tokens[1 : 1 + max(len(rest.split()) for rest in rests)]).lower()
        close = difflib.get_close_matches(typed, rests, n=1, cutoff=0.5) or difflib.get_close_matches(
            tokens[1].lower(), rests, n=1, cutoff=0.5
        )
        hint = f" Did you mean `{head} {close[0]}`?" if close else ""
        message = f"There is no `/voice {head} {tokens[1]}`.{hint} After `{head}` comes one of: {listed}."
    return UsageError(
        message,
        token=tokens[1] if len(tokens) > 1 else head,
        usage=f"/voice {head} {{{'|'.join(rests)}}} [ARGS...]",
        example=family[0].examples[0] if family[0].examples else f"/voice help {head}",
    )


def _bind(
    command_class: type[Command], tokens: Sequence[str], default_country: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Assign tokens to the command's parameters; returns (values to validate, tokens as typed)."""
    params = command_class.all_params()
    options = {param.flag: param for param in params if param.flag is not None}
    positionals = [param for param in params if param.flag is None]
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    loose: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token.startswith("--") or token == "--":
            loose.append(token)
            continue
        flag, has_value, inline = token.partition("=")
        param = options.get(flag.lower())
        if param is None:
            raise UsageError(_unknown_option(flag, command_class, options), token=flag)
        if param.switch:
            if has_value:
                raise UsageError(f"`{flag}` is a switch and takes no value.", token=token)
            values[param.field] = True
            continue
        if has_value:
            value = inline
        elif index < len(tokens):
            value = tokens[index]
            index += 1
        else:
            raise UsageError(f"`{flag}` needs a value: {param.form()}.", token=flag)
        _assign(param, value, values, raw)
    _bind_positionals(positionals, loose, values, raw, default_country)
    return values, raw


def _assign(param: Param, value: str, values: dict[str, Any], raw: dict[str, Any]) -> None:
    items = [part for part in value.split(",") if part] if param.split_commas else [value]
    converted = [_convert(param, item) for item in items]
    if param.repeat or param.split_commas:
        values.setdefault(param.field, []).extend(converted)
        raw.setdefault(param.field, []).extend(items)
    else:
        if param.field in values:
            raise UsageError(f"`{param.flag}` is given twice; give it once.", token=param.flag)
        values[param.field], raw[param.field] = converted[0], value


def _convert(param: Param, token: str) -> object:
    if param.convert is None:
        return token
    try:
        return param.convert(token)
    except ValueError as error:
        raise UsageError(f"`{token}` is not a valid {param.metavar}: {error}.", token=token) from None


def _bind_positionals(
    positionals: list[Param],
    loose: list[str],
    values: dict[str, Any],
    raw: dict[str, Any],
    default_country: str,
) -> None:
    remaining = list(loose)
    for param in positionals:
        if param.repeat:
            taken = param.group(remaining, default_country) if param.group else remaining
            values[param.field] = [_convert(param, token) for token in taken]
            raw[param.field] = taken
            remaining = []
        elif remaining:
            token = remaining.pop(0)
            values[param.field], raw[param.field] = _convert(param, token), token
        elif param.required:
            raise UsageError(f"{param.metavar} is missing: {param.help}.", token=None)
        if param.repeat and param.required and not values[param.field]:
            raise UsageError(f"{param.metavar} is missing: give at least one ({param.help}).", token=None)
    if remaining:
        raise UsageError(f"`{remaining[0]}` is not expected here.", token=remaining[0])


def _unknown_option(flag: str, command_class: type[Command], options: dict[str, Param]) -> str:
    known = sorted(options)
    close = difflib.get_close_matches(flag.lower(), known, n=1)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    listed = ", ".join(f"`{option}`" for option in known) or "none"
    return f"`{flag}` is not an option of `{command_class.command_name()}`.{hint} Its options: {listed}."


def _explain(error: ValidationError, command_class: type[Command], raw: dict[str, Any]) -> UsageError:
    """Turn pydantic's findings into one message that names each bad token as the user typed it."""
    params = {param.field: param for param in command_class.all_params()}
    problems: list[str] = []
    first_token: str | None = None
    for detail in error.errors():
        location = detail["loc"]
        field = str(location[0]) if location else ""
        message = str(detail["msg"]).removeprefix("Value error, ")
        detail_fields = [str(part) for part in location[1:] if isinstance(part, str)]
        if detail_fields:
            message = f"{' '.join(detail_fields)}: {message}"
        param = params.get(field)
        typed = raw.get(field)
        if isinstance(typed, list) and len(location) > 1 and isinstance(location[1], int):
            typed = typed[location[1]] if location[1] < len(typed) else None
        elif isinstance(typed, list) and len(typed) == 1:
            typed = typed[0]  # one value typed as a repeat's tokens (`number show 911`)
        if param is None:
            problems.append(message[0].upper() + message[1:] + ".")
        elif isinstance(typed, str):
            first_token = first_token or typed
            problems.append(f"`{typed}` is not a valid {param.metavar}: {message}.")
        else:
            problems.append(f"{param.form()}: {message}.")
    return UsageError(_summarised(problems), token=first_token)


SHOWN_PROBLEMS = 10


def _summarised(problems: list[str]) -> str:
    """At most SHOWN_PROBLEMS problems, then how many were left out: one message must hold it all."""
    if len(problems) <= SHOWN_PROBLEMS:
        return " ".join(problems)
    left_out = len(problems) - SHOWN_PROBLEMS
    return (
        f"{len(problems)} problems; the first {SHOWN_PROBLEMS}: "
        + " ".join(problems[:SHOWN_PROBLEMS])
        + f" … and {left_out} more not shown: fix these and run it again to see the rest."
    )
