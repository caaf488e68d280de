"""Termination: a connector's outbound-call settings and the user names of its SIP credentials.

Passwords never reach a snapshot: AWS never returns them, and only ListVoiceConnectorTermination-
Credentials' Usernames are read. The user names are read only where termination is set (a
credential is of no use without it), which spares a request per connector everywhere else.
"""

import shlex
from typing import Any

from bot.drift.readers.registry import Reader, Scan, State, by_id, key, register, split_key
from voice_domain.termination import Termination

USERS = "SipUsers"


async def read(scan: Scan, region: str) -> dict[str, State]:
    async def one(connector: dict[str, Any]) -> State | None:
        ident = str(connector["VoiceConnectorId"])
        setting = await scan.setting(region, "GetVoiceConnectorTermination", ident, "Termination")
        if setting is None:
            return None
        listed = await scan.call(
            region, "ListVoiceConnectorTerminationCredentials", {"VoiceConnectorId": ident}
        )
        users = sorted(str(name) for name in listed.get("Usernames") or [])
        return {"name": connector.get("Name", ""), **setting, USERS: users}

    found = await scan.each_connector(region, one)
    return {key("termination", region, ident): state for ident, state in found.items()}


def fields(state: State) -> dict[str, str]:
    from bot.ops.termination import described  # on use: bot.ops loads bot.ops.drift, which loads this

    return described(Termination.model_validate(state)) | {"SIP users": ", ".join(state[USERS]) or "(none)"}


def revert(resource: str, before: State | None, after: State | None) -> str | None:
    """`termination set|clear` puts the settings back, or `credentials remove` the SIP users that
    appeared. Users that vanished had passwords nobody can give back: by hand. (Users are read only
    where termination is set, so when it appeared or vanished the settings alone are reverted.)"""
    from bot.ops.termination import restore_command  # on use, as in `fields`

    ident = split_key(resource)[2]
    settings_changed = _settings(before) != _settings(after)
    if before is None or after is None or before[USERS] == after[USERS]:
        return restore_command(ident, _settings(before)) if settings_changed else None
    added, removed = set(after[USERS]) - set(before[USERS]), set(before[USERS]) - set(after[USERS])
    if settings_changed or removed:
        return None
    return f"termination credentials remove {ident} " + " ".join(shlex.quote(user) for user in sorted(added))


def _settings(state: State | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {name: value for name, value in state.items() if name not in ("name", USERS)}


register(Reader(kind="termination", read=read, fields=fields, subjects=by_id, revert=revert))
