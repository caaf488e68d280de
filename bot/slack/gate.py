"""What a Slack request must pass before the workflow sees it: an allowed team, and only once.

Slack Connect channels and Enterprise Grid bring people from other workspaces; they are refused
unless the policy's `teams` names their workspace (default: the one the bot is installed in, as
`auth.test` says). Slack retries a request it thinks went unanswered, and a captured signed
request can be replayed within the signature window; both carry the identity of a request already
taken (team, user, trigger or action), which the shared store remembers across replicas.
"""

import asyncio
import hashlib
import json
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.policy import Policy
from bot.store import SeenRequests, StoreUnavailable

log = logging.getLogger(__name__)

PRUNE_EVERY = 500  # sightings between sweeps of old request identities
REPEAT_MESSAGE = "already taken, not run again"  # logged for each retry, redelivery or replay recognised


def command_identity(body: dict[str, Any]) -> str:
    """A slash command: Slack gives each invocation its own trigger_id."""
    trigger = body.get("trigger_id") or _digest(body)
    return f"command:{body.get('team_id')}:{body.get('user_id')}:{trigger}"


def action_identity(body: dict[str, Any]) -> str:
    """A button click: one person's click at one action_ts."""
    action = (body.get("actions") or [{}])[0]
    user = body.get("user") or {}
    stamp = action.get("action_ts") or _digest(body)
    return f"action:{team_of_action(body)}:{user.get('id')}:{action.get('action_id')}:{stamp}"


def team_of_action(body: dict[str, Any]) -> str | None:
    """The clicker's own workspace (`user.team_id`, which differs from `team.id` in Slack Connect)."""
    user_team = (body.get("user") or {}).get("team_id")
    return str(user_team or (body.get("team") or {}).get("id") or "") or None


def teams_of_action(body: dict[str, Any]) -> list[str | None]:
    """Every workspace a click names; all must be allowed."""
    teams = [(body.get("user") or {}).get("team_id"), (body.get("team") or {}).get("id")]
    present = [str(team) for team in teams if team]
    return list(present) or [None]


def _digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


class Gate:
    def __init__(self, client: AsyncWebClient, policy: Policy, seen: SeenRequests) -> None:
        self._client = client
        self._policy = policy
        self._seen = seen
        self._home: str | None = None
        self._lock = asyncio.Lock()
        self._sightings = 0

    async def home_team(self) -> str | None:
        """The installing workspace, from auth.test (asked once; again only after a failure)."""
        if self._home is None:
            async with self._lock:
                if self._home is None:
                    try:
                        response: Any = await self._client.auth_test()
                        self._home = str(response.get("team_id") or "") or None
                    except SlackApiError as error:
                        log.error("auth.test failed: %s", error.response.get("error"))
        return self._home

    async def team_refusal(self, teams: list[str | None]) -> str | None:
        """Why a request from these workspaces is refused, or None when every one is allowed."""
        home = None if self._policy.teams else await self.home_team()
        if not self._policy.teams and home is None:
            return (
                "Switchboard could not confirm which Slack workspace it belongs to, so it ran nothing. "
                "Try again shortly."
            )
        refused = [team for team in teams if not self._policy.admits_team(team, home)]
        if not refused:
            return None
        log.warning("refused a request from workspace(s) %s", refused)
        return (
            f"Switchboard does not take requests from workspace {refused[0] or '(unknown)'}, so it ran "
            "nothing. Its policy allows only the workspaces listed under `teams` (by default, only the "
            "workspace it is installed in)."
        )

    async def first_time(self, identity: str) -> bool:
        """False for a Slack retry or a replay of a request some replica already took.

        Without the store, the request goes on: the workflow then refuses to change anything.
        """
        try:
            if self._sightings % PRUNE_EVERY == 0:
                await self._seen.prune()
            self._sightings += 1
            first = await self._seen.first_sighting(identity)
        except StoreUnavailable as error:
            log.error("could not check for a repeated request: %s", error)
            return True
        if not first:
            log.info("%s: %s", REPEAT_MESSAGE, identity)
        return first
