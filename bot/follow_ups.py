"""What to run next after a bulk association some of whose numbers failed: one click (or one
pasted line) from failure to retry.

Each follow-up is a command as a person would type it, derived from the change's stored outcome,
so a Slack button carries only the change's ID and what it offers, and the console prints the
very command the button runs. It is then proposed like any typed command: policy, preview, Apply.
"""

import shlex
from dataclasses import dataclass
from typing import Literal

from bot.aws_errors import SERVER_FAULTS, THROTTLED
from bot.ops.numbers import OPERATIONS
from bot.results import Outcome
from bot.store import ChangeRecord

FollowUpKind = Literal["force", "retry"]

ASSOCIATIONS_EXIST = "PhoneNumberAssociationsExist"
# A number's error codes (AWS's ErrorCode enum) and a whole request's, after which sending the
# same request again may well succeed.
TRANSIENT = THROTTLED | SERVER_FAULTS | {"Throttled", "ServiceFailure", "ServiceUnavailable"}
_ASSOCIATE = {associate for associate, _ in OPERATIONS.values()}
_DISASSOCIATE = {disassociate for _, disassociate in OPERATIONS.values()}


@dataclass(frozen=True)
class FollowUp:
    kind: FollowUpKind
    label: str
    command: str
    """As typed after `/voice`."""


def follow_ups(outcome: Outcome, record: ChangeRecord) -> list[FollowUp]:
    """Moving the numbers AWS found associated elsewhere (a `--force` preview says where each is
    now), and retrying those that failed for throttling or a service error; the change's reason
    and incident are carried over, since a policy that asked for them asks again."""
    plan = outcome.plan
    if not plan.calls or plan.target is None or not outcome.number_errors:
        return []
    operation = plan.calls[0].operation
    if operation not in _ASSOCIATE | _DISASSOCIATE:
        return []
    forced = bool(plan.calls[0].params.get("ForceAssociate"))
    verb = "associate" if operation in _ASSOCIATE else "disassociate"
    start = f"numbers {verb} {plan.target.kind}:{plan.target.id}"
    options = _carried(record)
    found: list[FollowUp] = []
    elsewhere = _failed(outcome, {ASSOCIATIONS_EXIST})
    if verb == "associate" and not forced and elsewhere:
        label = f"Move {len(elsewhere)} here with --force"
        found.append(FollowUp("force", label, f"{start} {' '.join(elsewhere)} --force{options}"))
    transient = _failed(outcome, TRANSIENT)
    if transient:
        again = f"{start} {' '.join(transient)}{' --force' if forced else ''}{options}"
        found.append(FollowUp("retry", f"Retry the {len(transient)} that failed", again))
    return found


def _failed(outcome: Outcome, codes: set[str] | frozenset[str]) -> list[str]:
    return [
        error.phone_number_id
        for error in outcome.number_errors
        if error.phone_number_id and (error.error_code or "") in codes
    ]


def _carried(record: ChangeRecord) -> str:
    text = f" --reason {shlex.quote(record.reason)}" if record.reason else ""
    return text + (f" --incident {shlex.quote(record.incident)}" if record.incident else "")
