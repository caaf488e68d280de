"""Voice connector groups: created, deleted, renamed, and their members and member priorities."""

import shlex
from typing import Any

from bot.drift.readers.registry import Reader, Scan, State, by_id, key, register, split_key


def _members(item: dict[str, Any]) -> list[str]:
    members = item.get("VoiceConnectorItems") or []
    return sorted(f"{member['VoiceConnectorId']}:{member.get('Priority', '')}" for member in members)


async def read(scan: Scan, region: str) -> dict[str, State]:
    return {
        key("group", region, str(item["VoiceConnectorGroupId"])): {
            "name": item.get("Name", ""),
            "members": _members(item),
        }
        for item in await scan.groups(region)
    }


def fields(state: State) -> dict[str, str]:
    return {"Name": state["name"], "Members (connector:priority)": ", ".join(state["members"]) or "(none)"}


def revert(resource: str, before: State | None, after: State | None) -> str | None:
    """Delete what appeared; re-create what vanished; members changed in place have no command."""
    _, region, ident = split_key(resource)
    if before is None:
        return f"group delete {ident}"
    if after is None:
        members = "".join(f" --member {member}" for member in before["members"])
        return f"group create {shlex.quote(before['name'])} --region {region}{members}"
    return None


register(Reader(kind="group", read=read, fields=fields, subjects=by_id, revert=revert))
