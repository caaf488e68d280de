"""The inverse of a recorded change, as a command line that goes through the normal plan/confirm path."""

import shlex

from bot.changes import created_id
from bot.results import Outcome, Plan
from voice_domain.shapes import Origination, Proxy, VoiceConnector, VoiceConnectorGroup


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
        return f"{words.split()[0]} delete {created_id(outcome.created)}"
    if words == "group delete" and outcome.status == "applied":
        return _recreate_group(plan)
    if words == "connector delete" and outcome.status == "applied":
        return _recreate_connector(plan)
    raise CannotUndo(
        f"`{words}` ended {outcome.status}, so there is no single state to go back to: "
        "check its history entry and put right what it changed with the matching commands."
    )


def undo_caveats(words: str, outcome: Outcome) -> list[str]:
    """What the inverse will not restore, said before anyone confirms it."""
    if words in ("group delete", "connector delete"):
        return _recreate_caveats(words.split()[0], outcome.plan)
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


def _recreate_group(plan: Plan) -> str:
    """`group create` with the deleted group's name, region, members and numbers."""
    before = plan.before or {}
    group = VoiceConnectorGroup.model_validate(before["VoiceConnectorGroup"])
    words = ["group", "create", shlex.quote(group.name), "--region", str(before["Region"])]
    for item in group.voice_connector_items:
        words += ["--member", f"{item.voice_connector_id}:{item.priority or 1}"]
    for number in before.get("E164PhoneNumbers") or []:
        words += ["--number", number]
    return " ".join(words)


def _recreate_connector(plan: Plan) -> str:
    """`connector create` with the deleted connector's name, region and encryption."""
    before = plan.before or {}
    connector = VoiceConnector.model_validate(before["VoiceConnector"])
    text = f"connector create {shlex.quote(connector.name)} --region {before['Region']}"
    return text + ("" if connector.require_encryption is not False else " --no-encryption")


def _recreate_caveats(kind: str, plan: Plan) -> list[str]:
    """A deleted resource never comes back as it was; say what differs before anyone confirms."""
    if kind == "group":
        return ["A deleted group cannot come back as it was: undoing creates a new one with a new ID."]
    before = plan.before or {}
    caveats = [
        "A deleted connector cannot come back as it was: undoing creates a new one with a new ID and a "
        "new outbound host name, which the SBCs must be given."
    ]
    lost = []
    if before.get("Origination"):
        routes = Origination.model_validate(before["Origination"]).routes
        lost.append(f"origination routes ({'; '.join(route.describe() for route in routes) or 'none'})")
    if before.get("Proxy"):
        lost.append("proxy settings")
    lost += [
        f"membership of group {g['Name']} ({g['VoiceConnectorGroupId']})" for g in before.get("Groups") or []
    ]
    if lost:
        caveats.append(f"It does not restore the old connector's {', '.join(lost)}: set them on the new one.")
    return caveats


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
