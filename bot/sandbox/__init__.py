"""A local Amazon Chime SDK Voice endpoint that speaks the real wire protocol, for tests and demos.

The names below load on first use (PEP 562): `switchboard sandbox --help` and the production
commands import `bot.sandbox.cli` without paying for the emulator (~0.5 s of imports).
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.sandbox.config import SandboxConfig
    from bot.sandbox.faults import FaultInjector, FaultSettings, ScriptedFault
    from bot.sandbox.recorder import RecordedRequest, read_records
    from bot.sandbox.seed import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID
    from bot.sandbox.server import RunningSandbox, start_sandbox
    from bot.sandbox.state import SandboxState

_HOMES = {
    "SandboxConfig": "config",
    "FaultInjector": "faults",
    "FaultSettings": "faults",
    "ScriptedFault": "faults",
    "RecordedRequest": "recorder",
    "read_records": "recorder",
    "FAILOVER_GROUP_ID": "seed",
    "PRIMARY_CONNECTOR_ID": "seed",
    "SECONDARY_CONNECTOR_ID": "seed",
    "RunningSandbox": "server",
    "start_sandbox": "server",
    "SandboxState": "state",
}

__all__ = [
    "FAILOVER_GROUP_ID",
    "PRIMARY_CONNECTOR_ID",
    "SECONDARY_CONNECTOR_ID",
    "FaultInjector",
    "FaultSettings",
    "RecordedRequest",
    "RunningSandbox",
    "SandboxConfig",
    "SandboxState",
    "ScriptedFault",
    "read_records",
    "start_sandbox",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'bot.sandbox' has no attribute {name!r}")
    return getattr(import_module(f"bot.sandbox.{_HOMES[name]}"), name)
