"""Slack user-group membership for policy grants, read with usergroups.users.list and cached.

Only the groups a policy names are looked up; a lookup failure counts as "not a member" (deny by
default) and is logged, so a Slack outage never widens anyone's permissions.
"""

import asyncio
import logging
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class UsergroupCache:
    def __init__(self, client: AsyncWebClient, groups: list[str], *, ttl_seconds: float = 300) -> None:
        self._client = client
        self._groups = sorted(set(groups))
        self._ttl = ttl_seconds
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = asyncio.Lock()

    async def groups_of(self, user_id: str, *, fresh: bool = False) -> frozenset[str]:
        """The policy's groups the user is in; `fresh` re-reads them (a change is about to be
        applied or approved: a removal from a group must count at once, not after the TTL)."""
        members = await asyncio.gather(*(self._members_of(group, fresh) for group in self._groups))
        return frozenset(
            group for group, users in zip(self._groups, members, strict=True) if user_id in users
        )

    async def _members_of(self, group: str, fresh: bool) -> frozenset[str]:
        cached = self._members.get(group)
        if cached and cached[0] > time.monotonic() and not fresh:
            return cached[1]
        async with self._lock:
            cached = self._members.get(group)
            if cached and cached[0] > time.monotonic() and not fresh:
                return cached[1]
            try:
                response: Any = await self._client.usergroups_users_list(usergroup=group)
                users = frozenset(response.get("users") or [])
            except SlackApiError as error:
                log.warning("usergroups.users.list for %s failed: %s", group, error.response.get("error"))
                return frozenset()
            self._members[group] = (time.monotonic() + self._ttl, users)
            return users
