"""The request log: one JSON line per API request, flushed at once so tests can read it mid-run."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypedDict


class RecordedRequest(TypedDict):
    operation: str | None
    method: str
    path: str
    query: dict[str, str]
    body: Any


class Recorder:
    """Appends to the record file (kept across restarts, like a log)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")

    def record(
        self, operation: str | None, method: str, path: str, query: Mapping[str, str], body: Any
    ) -> None:
        entry = RecordedRequest(
            operation=operation, method=method, path=path, query=dict(query), body=masked(body)
        )
        self._file.write(json.dumps(entry) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def masked(body: Any) -> Any:
    """The body with every `Password` member masked: a SIP credential's password is a secret even
    in a test log (Credential.Password is `sensitive` in the model)."""
    if isinstance(body, dict):
        return {key: "[redacted]" if key == "Password" else masked(value) for key, value in body.items()}
    if isinstance(body, list):
        return [masked(item) for item in body]
    return body


def read_records(path: Path) -> list[RecordedRequest]:
    """Every request recorded so far, oldest first."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]
