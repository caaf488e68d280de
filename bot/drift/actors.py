"""Who made a drift and from where: CloudTrail's event history (LookupEvents), where it is readable.

Optional by design: reading it needs `cloudtrail:LookupEvents` (the IAM policy's second statement).
Without it, or when CloudTrail does not answer, a drift is announced without "Changed by": the
lookup never delays or breaks the watch beyond one refused request. CloudTrail allows LookupEvents
2 requests per second per account and Region, so lookups are paced to one a second per Region.
CloudTrail shows an event a few minutes after the call ("typically within 5 minutes", not
guaranteed: CloudTrail User Guide, "Working with CloudTrail event history"), so a change found
within minutes may have no event yet: the announcement then says nothing rather than guess, and the
watch asks again on its next scans (see `DriftWatcher`), updating the announcement when it answers.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from bot.drift.budget import RegionPacer
from bot.drift.diff import Difference
from bot.voice import VoiceService

log = logging.getLogger(__name__)

EVENT_SOURCE = "chime.amazonaws.com"  # Chime SDK's CloudTrail event source (Administrator Guide)
MAX_ACTORS = 3  # the announcement's fields hold the three latest


class CloudTrailActors:
    """The drift watch's ActorLookup: the changing calls CloudTrail recorded on the resource's ID
    (LookupAttributes ResourceName) between the previous snapshot's start and the drift's finding,
    newest first: a later change (a revert, say) is not taken for the one found."""

    def __init__(self, voice: VoiceService, rate: float = 1.0) -> None:
        self.voice = voice
        self.pacer = RegionPacer(rate)
        self._refused = False

    async def actors(
        self, difference: Difference, since: datetime, until: datetime
    ) -> list[dict[str, str]] | None:
        region = difference.region or self.voice.home_region
        await self.pacer.take(region)
        try:
            client = await self.voice.clients.client(region, "cloudtrail")
            answer = await client.lookup_events(
                LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": difference.ident}],
                StartTime=since,
                EndTime=until,
                MaxResults=50,
            )
        except (ClientError, BotoCoreError) as error:
            self._unreadable(error)
            return None
        found = [_actor(event) for event in answer.get("Events", []) if _changed(event)]
        return found[:MAX_ACTORS] or None

    def _unreadable(self, error: Exception) -> None:
        """Said once at WARNING (the operator may want to add the IAM statement), then at DEBUG."""
        code = error.response.get("Error", {}).get("Code") if isinstance(error, ClientError) else None
        level = logging.DEBUG if self._refused else logging.WARNING
        self._refused = True
        log.log(
            level, "drift: CloudTrail not readable (%s); announcing drift without who made it", code or error
        )


def _changed(event: dict[str, Any]) -> bool:
    return event.get("EventSource") == EVENT_SOURCE and str(event.get("ReadOnly")).lower() != "true"


def _actor(event: dict[str, Any]) -> dict[str, str]:
    """userIdentity's ARN (else its principal, else the user name) and sourceIPAddress."""
    record = json.loads(event.get("CloudTrailEvent") or "{}")
    identity = record.get("userIdentity") or {}
    who = identity.get("arn") or identity.get("principalId") or event.get("Username") or "unknown"
    time = event.get("EventTime")
    return {
        "who": str(who),
        "source": str(record.get("sourceIPAddress") or ""),
        "event": str(event.get("EventName") or ""),
        "time": f"{time.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if isinstance(time, datetime) else str(time),
    }
