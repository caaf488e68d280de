"""Connectors and groups as a user names them, and as the bot found them."""

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from voice_domain.shapes import VoiceConnector, VoiceConnectorGroup

ResourceKind = Literal["connector", "group"]


@dataclass(frozen=True)
class Reference:
    """A connector or group named by the user (an ID or a unique name), to be resolved by the bot."""

    kind: ResourceKind
    text: str


class Located(BaseModel):
    """A connector or group and the region it lives in: every later call goes to that region."""

    model_config = ConfigDict(defer_build=True)  # built on first use, not at start-up

    kind: ResourceKind
    id: str
    name: str
    region: str
    resource: VoiceConnector | VoiceConnectorGroup
    # Why this may not be the only resource of that name: regions that did not answer the lookup.
    warnings: list[str] = Field(default_factory=list)
