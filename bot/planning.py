"""Change commands → Plans, through each command's registered planner (bot/ops).

A plan is computed again just before applying and its `before` compared with the previewed one,
so a change never lands on a state nobody saw.
"""

import asyncio

from bot.ops.registry import change_ops
from bot.results import Plan
from bot.voice import VoiceService
from commands import ChangeCommand


async def make_plan(command: ChangeCommand, voice: VoiceService, command_text: str) -> Plan:
    ops = change_ops(type(command))
    located = list(await asyncio.gather(*(voice.locate(reference) for reference in command.references())))
    plan = await ops.plan(command, voice, located)
    undeclared = {call.operation for call in plan.calls} - ops.sends
    if undeclared:
        # The IAM policy and crash reconciliation are derived from `sends`: a plan may not exceed it.
        raise TypeError(f"{type(command).__name__} planned {sorted(undeclared)}, not in its `sends`")
    return plan.model_copy(update={"command_text": command_text, "permission": command.permission})
