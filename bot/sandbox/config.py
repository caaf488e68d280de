"""How to start a sandbox: address, optional state and record files, inventory size, quotas, fault knobs."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.sandbox.faults import FaultSettings
from bot.sandbox.inventory import DEFAULT_INVENTORY_SIZE, MAX_INVENTORY_SIZE
from bot.sandbox.quotas import Quotas


class SandboxConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    state_file: Path | None = None
    record_file: Path | None = None
    inventory_size: int = Field(default=DEFAULT_INVENTORY_SIZE, ge=0, le=MAX_INVENTORY_SIZE)
    quotas: Quotas = Field(default_factory=Quotas)
    # Access key -> secret key whose SigV4 signatures are verified; None accepts any key (scope
    # and date are still checked).
    credentials: dict[str, str] | None = None
    # Access keys allowed cloudtrail:LookupEvents (the IAM policy's optional statement); None: every key.
    cloudtrail_readers: list[str] | None = None
    faults: FaultSettings = Field(default_factory=FaultSettings)
