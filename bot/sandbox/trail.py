"""The sandbox's CloudTrail event history: every chime-sdk-voice request that changed something,
recorded as CloudTrail records it (Event and its CloudTrailEvent JSON), so the drift watch can ask
who made a change and from where, as it asks AWS.

Only requests that were applied are recorded (AWS also records refused ones, with an errorCode);
passwords are masked as the request log masks them; events are kept in memory, newest first.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.sandbox.recorder import masked
from bot.sandbox.records import ACCOUNT_ID

EVENT_SOURCE = "chime.amazonaws.com"  # Chime SDK's CloudTrail event source (Administrator Guide)
_RESOURCES = {
    "VoiceConnectorId": "AWS::ChimeSDKVoice::VoiceConnector",
    "VoiceConnectorGroupId": "AWS::ChimeSDKVoice::VoiceConnectorGroup",
}


@dataclass(frozen=True)
class TrailEvent:
    event_id: str
    name: str
    time: datetime
    region: str
    access_key: str
    source_ip: str
    resources: tuple[tuple[str, str], ...]  # (ResourceType, ResourceName)
    parameters: Any

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{ACCOUNT_ID}:user/{self.access_key}"

    def attribute(self, key: str) -> Iterator[str]:
        """The values LookupEvents' `key` (a LookupAttribute AttributeKey) matches this event by."""
        values = {
            "EventId": [self.event_id],
            "EventName": [self.name],
            "ReadOnly": ["false"],
            "Username": [self.access_key],
            "AccessKeyId": [self.access_key],
            "EventSource": [EVENT_SOURCE],
            "ResourceType": [kind for kind, _ in self.resources],
            "ResourceName": [name for _, name in self.resources],
        }
        yield from values[key]

    def wire(self) -> dict[str, Any]:
        """The model's Event shape (EventTime in epoch seconds, as the JSON 1.1 protocol sends it)."""
        return {
            "EventId": self.event_id,
            "EventName": self.name,
            "ReadOnly": "false",
            "AccessKeyId": self.access_key,
            "EventTime": self.time.timestamp(),
            "EventSource": EVENT_SOURCE,
            "Username": self.access_key,
            "Resources": [{"ResourceType": kind, "ResourceName": name} for kind, name in self.resources],
            "CloudTrailEvent": json.dumps(self._record(), default=str),
        }

    def _record(self) -> dict[str, Any]:
        return {
            "eventVersion": "1.08",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": f"AIDA{self.access_key.upper()}",
                "arn": self.arn,
                "accountId": ACCOUNT_ID,
                "accessKeyId": self.access_key,
                "userName": self.access_key,
            },
            "eventTime": self.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": EVENT_SOURCE,
            "eventName": self.name,
            "awsRegion": self.region,
            "sourceIPAddress": self.source_ip,
            "requestParameters": self.parameters,
            "eventID": self.event_id,
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ACCOUNT_ID,
            "eventCategory": "Management",
        }


class Trail:
    """Event history, newest first.

    CloudTrail shows an event in its history some minutes after the call ("typically within 5
    minutes", not guaranteed: CloudTrail User Guide, "Working with CloudTrail event history").
    `withhold` makes new events wait as they would, until `deliver` shows them with the time of
    their call; otherwise they show at once.
    """

    def __init__(self) -> None:
        self.events: list[TrailEvent] = []
        self._withheld: list[TrailEvent] | None = None

    def withhold(self) -> None:
        self._withheld = self._withheld or []

    def deliver(self) -> None:
        withheld, self._withheld = self._withheld or [], None
        self.events = sorted([*self.events, *withheld], key=lambda event: event.time, reverse=True)

    def record(
        self,
        operation: str,
        region: str,
        access_key: str,
        source_ip: str,
        params: dict[str, Any],
        result: dict[str, Any] | None,
        at: datetime,
    ) -> TrailEvent:
        event = TrailEvent(
            event_id=str(uuid.uuid4()),
            name=operation,
            time=at,
            region=region,
            access_key=access_key,
            source_ip=source_ip,
            resources=tuple(_resources(params) + _resources(result or {})),
            parameters=masked(params),
        )
        (self.events if self._withheld is None else self._withheld).insert(0, event)
        return event


def _resources(value: Any) -> list[tuple[str, str]]:
    """Every connector and group ID a request or its answer names (a create's new ID included)."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _RESOURCES and isinstance(item, str):
                found.append((_RESOURCES[key], item))
            else:
                found += _resources(item)
    elif isinstance(value, list):
        for item in value:
            found += _resources(item)
    return list(dict.fromkeys(found))
