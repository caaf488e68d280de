"""The state file: loaded at start if present, rewritten atomically after every mutation."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.sandbox.quotas import Quotas
from bot.sandbox.records import StateSnapshot
from bot.sandbox.state import SandboxState


def load_state(path: Path | None, inventory_size: int, quotas: Quotas | None = None) -> SandboxState:
    """The saved account when the file exists (its inventory size wins), else the built-in fixtures.
    Quotas are settings of this run, not state, so they always come from the caller."""
    if path is not None and path.exists():
        return SandboxState(StateSnapshot.model_validate_json(path.read_text(encoding="utf-8")), quotas)
    return SandboxState.seeded(inventory_size, quotas)


def save_state(path: Path, state: SandboxState) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(state.snapshot().model_dump_json(indent=2))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
