"""Phone-number associations: which numbers route to which group or connector (account-wide)."""

from collections import defaultdict

from bot.drift.readers.registry import Reader, Scan, State, key, register, split_key

_TARGETS = {"VoiceConnectorGroupId": "group", "VoiceConnectorId": "connector"}


async def read(scan: Scan, region: str) -> dict[str, State]:
    """One listing of the account's numbers (in the home region), grouped by where each routes."""
    by_target: dict[tuple[str, str], list[str]] = defaultdict(list)
    for number in await scan.pages(region, "ListPhoneNumbers", "PhoneNumbers"):
        for association in number.get("Associations") or []:
            target = _TARGETS.get(str(association.get("Name")))
            if target is not None and association.get("Value"):
                e164 = str(number.get("E164PhoneNumber") or number["PhoneNumberId"])
                by_target[(target, str(association["Value"]))].append(e164)
    return {
        key("numbers", "", ident): {"target": target, "numbers": sorted(numbers)}
        for (target, ident), numbers in by_target.items()
    }


def _numbers(state: State | None) -> set[str]:
    return set(state["numbers"]) if state else set()


def fields(state: State) -> dict[str, str]:
    return {number: "associated" for number in state["numbers"]}


def subjects(_resource: str, before: State | None, after: State | None) -> set[str]:
    """The numbers that moved: a Switchboard association or disassociation names each of them."""
    return _numbers(before) ^ _numbers(after)


def revert(resource: str, before: State | None, after: State | None) -> str | None:
    """Disassociate what was added or re-associate what was removed, for a group; one direction only,
    since one button proposes one change."""
    state = after or before
    if state is None or state["target"] != "group":
        return None
    group = split_key(resource)[2]
    added, removed = _numbers(after) - _numbers(before), _numbers(before) - _numbers(after)
    if added and not removed:
        return f"numbers disassociate {group} {' '.join(sorted(added))}"
    if removed and not added:
        return f"numbers associate {group} {' '.join(sorted(removed))} --force"
    return None


register(Reader(kind="numbers", read=read, fields=fields, subjects=subjects, revert=revert, regional=False))
