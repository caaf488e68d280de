"""What the HTTP endpoints share: the live state, the fault injector, and where to persist and record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.sandbox.faults import FaultInjector
from bot.sandbox.persistence import save_state
from bot.sandbox.recorder import Recorder
from bot.sandbox.state import SandboxState


@dataclass
class SandboxContext:
    state: SandboxState
    faults: FaultInjector
    state_file: Path | None = None
    recorder: Recorder | None = None
    credentials: dict[str, str] | None = None  # access key -> secret; None accepts any key

    def persist(self) -> None:
        """Save after a mutation, before answering, so a caller that got a response finds it on disk."""
        if self.state_file is not None:
            save_state(self.state_file, self.state)
