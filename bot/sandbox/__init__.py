"""A local Amazon Chime SDK Voice endpoint that speaks the real wire protocol, for tests and demos."""

from bot.sandbox.config import SandboxConfig
from bot.sandbox.faults import FaultInjector, FaultSettings, ScriptedFault
from bot.sandbox.recorder import RecordedRequest, read_records
from bot.sandbox.seed import FAILOVER_GROUP_ID, PRIMARY_CONNECTOR_ID, SECONDARY_CONNECTOR_ID
from bot.sandbox.server import RunningSandbox, start_sandbox
from bot.sandbox.state import SandboxState

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
