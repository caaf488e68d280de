"""People's Slack display names, read with users.info and cached, so history says who, not U0….

A name is text a person chose: renderers escape it like any other text, so a display name such
as `<!channel>` pings nobody. A lookup failure leaves the ID shown instead, and is logged.
"""

import asyncio
import logging
import re
import time
from collections.abc import Collection, Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")  # console users ("console", --as names) are not asked about


class SlackPeople:
    def __init__(self, client: AsyncWebClient, *, ttl_seconds: float = 3600) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._names: dict[str, tuple[float, str | None]] = {}

    async def names(self, user_ids: Collection[str]) -> Mapping[str, str]:
        asked = sorted({user_id for user_id in user_ids if _SLACK_USER.fullmatch(user_id)})
        found = await asyncio.gather(*(self._name(user_id) for user_id in asked))
        return {user_id: name for user_id, name in zip(asked, found, strict=True) if name}

    async def _name(self, user_id: str) -> str | None:
        cached = self._names.get(user_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            response: Any = await self._client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
            return None  # not cached: the next listing asks again
        name = _display_name(response.get("user") or {})
        self._names[user_id] = (time.monotonic() + self._ttl, name)
        return name


def _display_name(user: dict[str, Any]) -> str | None:
    """What Slack shows for the person: the display name they chose, else their real name."""
    profile = user.get("profile") or {}
    for name in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None
