"""Read back whether a change is in effect: settles changes interrupted mid-apply.

Each operation's read-back is registered by its resource's ops module; the registry refuses to
load while a change command sends an operation without one, so a new command cannot silently turn
every crash recovery into UNKNOWN.
"""

from datetime import datetime

from bot.ops.registry import EFFECTS, Creates, Shows
from bot.results import ApiCall, Plan
from bot.voice import VoiceService


class NoCheck(Exception):
    """A stored plan holds an operation nothing can read back: a bug, named for the operators."""


async def in_effect(plan: Plan, voice: VoiceService, since: datetime) -> bool:
    """True when every request of the plan is visibly in effect now.

    A plan that ends in deleting a resource is in effect once the resource is gone: the steps
    that prepared the delete (emptying a group) cannot be seen on a resource that no longer exists.
    """
    if plan.calls:
        last = _check(plan.calls[-1])
        if isinstance(last, Shows) and last.removes:
            return await last.seen(plan.calls[-1], voice)
    created: str | None = None
    for call in plan.calls:
        check = _check(call)
        if isinstance(check, Creates):
            created = await check.find(call, voice, since)
            if created is None:
                return False
            continue
        if not await check.seen(call.with_created_id(created), voice):
            return False
    return True


def _check(call: ApiCall) -> Shows | Creates:
    check = EFFECTS.get(call.operation)
    if check is None:
        raise NoCheck(f"no read-back for {call.operation}: crash recovery cannot tell whether it took effect")
    return check
