"""Route table derived from the model's http traits, so paths and status codes are never hand-copied."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from bot.sandbox.model import SERVICE_MODEL

_LABEL = re.compile(r"\{([^}+]+)(\+?)\}")


@dataclass(frozen=True)
class Route:
    """One operation's HTTP binding: method, path template, literal query discriminators, success status."""

    operation: str
    method: str
    path: re.Pattern[str]
    query: tuple[tuple[str, str], ...]
    status: int

    def match(self, method: str, raw_path: str, query: Mapping[str, str]) -> dict[str, str] | None:
        """Percent-decoded URI labels when this route matches, else None."""
        if method != self.method or any(query.get(k) != v for k, v in self.query):
            return None
        found = self.path.fullmatch(raw_path)
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}


def _route_for(operation: Any) -> Route:
    path_template, _, query_template = operation.http["requestUri"].partition("?")
    pattern = ""
    position = 0
    for label in _LABEL.finditer(path_template):
        pattern += re.escape(path_template[position : label.start()])
        pattern += f"(?P<{label.group(1)}>{'.+' if label.group(2) else '[^/]+'})"
        position = label.end()
    pattern += re.escape(path_template[position:])
    return Route(
        operation=operation.name,
        method=operation.http["method"],
        path=re.compile(pattern),
        query=tuple(parse_qsl(query_template, keep_blank_values=True)),
        status=operation.http.get("responseCode", 200),
    )


class RouteTable:
    """Resolves a request to an operation; routes with query discriminators are tried first."""

    def __init__(self, routes: list[Route]) -> None:
        self._routes = sorted(routes, key=lambda route: -len(route.query))

    @classmethod
    def from_model(cls) -> RouteTable:
        return cls(
            [_route_for(SERVICE_MODEL.operation_model(name)) for name in SERVICE_MODEL.operation_names]
        )

    def resolve(
        self, method: str, raw_path: str, query: Mapping[str, str]
    ) -> tuple[Route, dict[str, str]] | None:
        for route in self._routes:
            labels = route.match(method, raw_path, query)
            if labels is not None:
                return route, labels
        return None


ROUTES = RouteTable.from_model()
