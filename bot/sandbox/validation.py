"""Server-side request decoding and validation against the model, as AWS does before any business rule."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from bot.sandbox.errors import bad_request


@cache
def _pattern(expression: str) -> re.Pattern[str]:
    return re.compile(expression, re.ASCII)


def _field(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _violation(path: str, constraint: str) -> str:
    return f"Value at '{path}' failed to satisfy constraint: Member must {constraint}"


def _check_range(shape: Any, size: int, path: str, what: str, errors: list[str]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        errors.append(_violation(path, f"have {what} greater than or equal to {low}"))
    if high is not None and size > high:
        errors.append(_violation(path, f"have {what} less than or equal to {high}"))


def _check_string(shape: Any, value: object, path: str, errors: list[str]) -> None:
    if not isinstance(value, str):
        errors.append(_violation(path, "be a string"))
        return
    _check_range(shape, len(value), path, "length", errors)
    if shape.enum and value not in shape.enum:
        errors.append(_violation(path, f"satisfy enum value set: [{', '.join(shape.enum)}]"))
    expression = shape.metadata.get("pattern")
    if expression is not None and _pattern(expression).fullmatch(value) is None:
        errors.append(_violation(path, f"satisfy regular expression pattern: {expression}"))


def _check_structure(shape: Any, value: object, path: str, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append(_violation(path or "body", "be an object"))
        return
    for name in shape.required_members:
        if value.get(name) is None:
            errors.append(_violation(_field(path, name), "not be null"))
    for name, member in shape.members.items():
        if value.get(name) is not None:
            _check(member, value[name], _field(path, name), errors)


def _check(shape: Any, value: object, path: str, errors: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        _check_structure(shape, value, path, errors)
    elif kind == "list":
        if not isinstance(value, list):
            errors.append(_violation(path, "be a list"))
            return
        _check_range(shape, len(value), path, "length", errors)
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]", errors)
    elif kind == "string":
        _check_string(shape, value, path, errors)
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(_violation(path, "be an integer"))
            return
        _check_range(shape, value, path, "value", errors)
    elif kind == "boolean":
        if not isinstance(value, bool):
            errors.append(_violation(path, "be a boolean"))
    else:
        raise TypeError(f"the sandbox does not decode {kind} members ({path})")


def _from_query(member: Any, name: str, raw: str, errors: list[str]) -> object:
    if member.type_name == "integer":
        try:
            return int(raw)
        except ValueError:
            errors.append(_violation(name, "be an integer"))
            return None
    return raw


def _without_nulls(value: Any) -> Any:
    """JSON nulls mean "not given", as in AWS's deserialisers, so handlers only see real values."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def decode_request(
    operation: Any, labels: Mapping[str, str], query: Mapping[str, str], body: object
) -> dict[str, Any]:
    """Collect the operation's input members from URI, query string and JSON body, then validate them."""
    shape = operation.input_shape
    if body is not None and not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    document: Mapping[str, Any] = _without_nulls(body or {})
    errors: list[str] = []
    params: dict[str, Any] = {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire_name = member.serialization.get("name", name)
        if location == "uri":
            value: object = labels.get(wire_name)
        elif location == "querystring":
            raw = query.get(wire_name)
            value = None if raw is None else _from_query(member, name, raw, errors)
        else:
            value = document.get(name)
        if value is not None:
            params[name] = value
    _check_structure(shape, params, "", errors)
    if errors:
        count = len(errors)
        plural = "error" if count == 1 else "errors"
        raise bad_request(f"{count} validation {plural} detected: {'; '.join(errors)}")
    return params
