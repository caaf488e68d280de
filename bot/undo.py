"""The inverse of a recorded change, as a command line that goes through the normal plan/confirm path."""

import shlex

from bot.models import Origination, Proxy
from bot.results import Outcome, Plan


class CannotUndo(Exception):
    """This change has no safe automatic inverse; the message says what to do instead."""


def inverse_command(words: str, outcome: Outcome) -> str:
    """`words` names the recorded command (`origination set`); the outcome has its plan and results."""
    plan = outcome.plan
    target = plan.target.id if plan.target else None
    if words in ("origination set", "origination enable", "origination disable", "origination clear"):
        return _restore_origination(target, plan)
    if words in ("proxy set", "proxy clear"):
        return _restore_proxy(target, plan)
    if words == "numbers associate":
        moved = [n for n in outcome.succeeded_numbers if not _was_on_target(plan, n)]
        if not moved:
            raise CannotUndo("no number was newly associated by that change, so there is nothing to undo")
        return f"numbers disassociate {target} {' '.join(moved)}"
    if words == "numbers disassociate":
        if not outcome.succeeded_numbers:
            raise CannotUndo("no number was disassociated by that change")
        return f"numbers associate {target} {' '.join(outcome.succeeded_numbers)}"
    if words in ("connector create", "group create") and outcome.created is not None:
        created_id = outcome.created.to_api().get("VoiceConnectorId") or outcome.created.to_api().get(
            "VoiceConnectorGroupId"
        )
        kind = words.split()[0]
        return f"{kind} delete {created_id}"
    raise CannotUndo(
        f"`{words}` cannot be undone automatically: a deleted resource comes back with a new ID. "
        "Recreate it with the values shown in its history entry."
    )


def undo_caveats(words: str, outcome: Outcome) -> list[str]:
    """What the inverse will not restore, said before anyone confirms it."""
    if words != "numbers associate":
        return []
    before = outcome.plan.before or {}
    moved = [
        f"{number} (was {before[number]})"
        for number in outcome.succeeded_numbers
        if before.get(number) and not _was_on_target(outcome.plan, number)
    ]
    if not moved:
        return []
    shown = ", ".join(moved[:20]) + (f" and {len(moved) - 20} more" if len(moved) > 20 else "")
    return [
        f"{len(moved)} number(s) were moved here with --force from elsewhere: {shown}. Undoing disassociates "
        "them; it does not move them back."
    ]


def _was_on_target(plan: Plan, number: str) -> bool:
    before = (plan.before or {}).get(number)
    return bool(before and plan.target and plan.target.id in str(before))


def _restore_origination(target: str | None, plan: Plan) -> str:
    if plan.before is None:
        return f"origination clear {target}"
    before = Origination.model_validate(plan.before)
    if not before.routes:
        raise CannotUndo("the previous origination had no routes; clear it with `/voice origination clear`")
    routes = " ".join(f"--route {shlex.quote(route.describe())}" for route in before.routes)
    return f"origination set {target} {routes}" + (" --disabled" if before.disabled else "")


def _restore_proxy(target: str | None, plan: Plan) -> str:
    if plan.before is None:
        return f"proxy clear {target}"
    before = Proxy.model_validate(plan.before)
    text = (
        f"proxy set {target} --expiry {before.default_session_expiry_minutes} "
        f"--countries {','.join(before.phone_number_countries)}"
    )
    if before.fall_back_phone_number:
        text += f" --fallback {before.fall_back_phone_number}"
    return text + (" --disabled" if before.disabled else "")
