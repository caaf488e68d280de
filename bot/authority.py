"""Whether a person may have a change made, under the policy in force: one verdict for every step.

Preview, Apply, approval and every re-preview ask the same question, so none of them can be
checked more loosely than the others. A change may need more than its command's own permission:
a forced association also disassociates numbers from their groups, and a group delete
disassociates the group's numbers, so those permissions (and their rules) apply as well.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from bot.policy import Decision, Policy, Subject
from commands import ChangeCommand


@dataclass(frozen=True)
class Verdict:
    denial: Decision | None
    """The first permission the subject lacks, with the policy's explanation."""
    missing: tuple[str, ...]
    """Options the policy's rules require that the command does not give (`--reason TEXT`)."""
    needs_approval: bool
    """A second person must approve, because the rules say so for one of the permissions."""

    @property
    def allowed(self) -> bool:
        return self.denial is None and not self.missing


def permissions_of(command: ChangeCommand, also: Sequence[str] = ()) -> list[str]:
    """The command's own permission first, then what its plan also needs, each once."""
    return list(dict.fromkeys([command.permission, *also]))


def first_refusal(policy: Policy, subject: Subject, permissions: Sequence[str]) -> Decision | None:
    """None when the subject holds every permission; else the policy's refusal of the first it lacks."""
    for permission in permissions:
        decision = policy.decide(subject, permission)
        if not decision.allowed:
            return decision
    return None


def judge(policy: Policy, subject: Subject, command: ChangeCommand, also: Sequence[str] = ()) -> Verdict:
    """The verdict on `command` (and the permissions its plan also needs) for `subject`, now."""
    permissions = permissions_of(command, also)
    approval = reason = incident = False
    for permission in permissions:
        needs = policy.needs(permission)
        approval, reason, incident = approval or needs[0], reason or needs[1], incident or needs[2]
    missing = tuple(
        flag
        for flag, needed, given in (
            ("--reason TEXT", reason, command.reason),
            ("--incident ID", incident, command.incident),
        )
        if needed and not given
    )
    return Verdict(first_refusal(policy, subject, permissions), missing, approval)
