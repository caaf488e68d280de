"""What the resources' ops share: plan building, refusals, and the answer when undo cannot apply."""

from collections.abc import Awaitable, Callable
from typing import Any

from bot.ops.registry import CannotUndo
from bot.results import ApiCall, FieldChange, Outcome, Plan
from bot.voice import VoiceService
from commands import ChangeCommand
from voice_domain.located import Located
from voice_domain.shapes import VoiceConnector, VoiceConnectorGroup


class NothingToDo(Exception):
    """The change would not change anything, or cannot apply to the current state: say why."""


class Unplannable(Exception):
    """AWS would refuse the change as it stands, it would leave names ambiguous, or it would send
    calls where nothing answers (a failover onto a member without origination): the message says
    exactly why and what has to happen first."""


def new_plan(summary: str, calls: list[ApiCall], **fields: Any) -> Plan:
    """A plan; the dispatcher fills in the command text and permission."""
    return Plan(command_text="", permission="", summary=summary, calls=calls, **fields)


def describe(target: Located) -> str:
    return f"{target.name} ({target.id}, {target.region})"


def ids_of(command: ChangeCommand, located: list[Located]) -> dict[str, str]:
    """Each reference's text → the ID it was located as."""
    return {reference.text: found.id for reference, found in zip(command.references(), located, strict=True)}


def created_id(created: VoiceConnector | VoiceConnectorGroup | None) -> str | None:
    match created:
        case VoiceConnector():
            return created.voice_connector_id
        case VoiceConnectorGroup():
            return created.voice_connector_group_id
    return None


async def refuse_taken_name(
    what: str,
    name: str,
    voice: VoiceService,
    lister: Callable[[str], Awaitable[list[VoiceConnector]]]
    | Callable[[str], Awaitable[list[VoiceConnectorGroup]]],
) -> None:
    """AWS allows two resources with one name, but every lookup by that name would then be refused
    as ambiguous; lookups span all configured regions, so the name must be free in all of them."""
    found = await voice.list_everywhere(lister)
    taken = [(region, r) for region, listed in found.items() for r in listed if r.name == name]
    if taken:
        where = "; ".join(f"{_resource_id(resource)} in {region}" for region, resource in taken)
        raise Unplannable(
            f"A {what} named '{name}' already exists ({where}). Names must stay unique, since commands "
            "find resources by name: choose another name."
        )


def _resource_id(resource: VoiceConnector | VoiceConnectorGroup) -> str:
    if isinstance(resource, VoiceConnector):
        return resource.voice_connector_id
    return resource.voice_connector_group_id


def settings_plan(
    command: ChangeCommand,
    target: Located,
    call: ApiCall,
    changes: list[FieldChange],
    before: dict[str, object] | None,
    what: str,
) -> Plan:
    """A one-request change of a connector's settings, showing only the fields that change."""
    changes = [change for change in changes if change.before != change.after]
    if not changes:
        raise NothingToDo(f"the {what} of {describe(target)} already are exactly that.")
    return new_plan(
        f"{command.command_name().capitalize()}: {describe(target)}",
        [call],
        target=target,
        changes=changes,
        warnings=[command.notice] if command.notice else [],
        before=before,
    )


def no_single_state(words: str, outcome: Outcome) -> CannotUndo:
    """The refusal for a change that did not end in one state undo could return from."""
    return CannotUndo(
        f"`{words}` ended {outcome.status}, so there is no single state to go back to: "
        "check its history entry and put right what it changed with the matching commands."
    )


def delete_created(kind: str) -> Callable[[Outcome], str]:
    """The inverse of `<kind> create`: delete what it created, by the ID AWS gave it."""

    def inverse(outcome: Outcome) -> str:
        if outcome.created is None:
            raise no_single_state(f"{kind} create", outcome)
        return f"{kind} delete {created_id(outcome.created)}"

    return inverse
