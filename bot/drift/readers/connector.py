"""Voice connectors: created, deleted, renamed, encryption switched."""

import shlex

from bot.drift.readers.registry import Reader, Scan, State, by_id, key, register, split_key


async def read(scan: Scan, region: str) -> dict[str, State]:
    return {
        key("connector", region, str(item["VoiceConnectorId"])): {
            "name": item.get("Name", ""),
            "require_encryption": bool(item.get("RequireEncryption", True)),
        }
        for item in await scan.connectors(region)
    }


def fields(state: State) -> dict[str, str]:
    return {"Name": state["name"], "Encryption": "required" if state["require_encryption"] else "off"}


def revert(resource: str, before: State | None, after: State | None) -> str | None:
    """Delete what appeared; re-create what vanished (with a new ID); a rename has no command."""
    _, region, ident = split_key(resource)
    if before is None:
        return f"connector delete {ident}"
    if after is None:
        plain = "" if before["require_encryption"] else " --no-encryption"
        return f"connector create {shlex.quote(before['name'])} --region {region}{plain}"
    return None


register(Reader(kind="connector", read=read, fields=fields, subjects=by_id, revert=revert))
