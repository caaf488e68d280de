"""What the HTTP endpoints share: the live state, the fault injector, where to persist and record,
and the CloudTrail event history."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.sandbox.faults import FaultInjector
from bot.sandbox.persistence import save_state
from bot.sandbox.recorder import Recorder
from bot.sandbox.state import SandboxState
from bot.sandbox.trail import Trail


@dataclass
class SandboxContext:
    state: SandboxState
    faults: FaultInjector
    state_file: Path | None = None
    recorder: Recorder | None = None
    credentials: dict[str, str] | None = None  # access key -> secret; None accepts any key
    trail: Trail = field(default_factory=Trail)  # CloudTrail's event history of the changes made
    trail_readers: list[str] | None = None  # access keys allowed cloudtrail:LookupEvents; None: all

    def persist(self) -> None:
        """Save after a mutation, before answering, so a caller that got a response finds it on disk."""
        if self.state_file is not None:
            save_state(self.state_file, self.state)
