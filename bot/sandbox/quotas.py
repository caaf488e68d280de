"""Account quotas, refused with ResourceLimitExceededException as AWS refuses them.

Defaults are AWS's documented defaults (AWS General Reference, "Amazon Chime SDK endpoints and
quotas": 3 Voice Connectors and 3 Voice Connector groups per account per Region); both are
adjustable quotas at AWS, so the sandbox takes other values from its config or `--quota`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_VOICE_CONNECTORS = 3
DEFAULT_VOICE_CONNECTOR_GROUPS = 3


class Quotas(BaseModel):
    """Per account per Region, as AWS counts them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    voice_connectors: int = Field(default=DEFAULT_VOICE_CONNECTORS, ge=0)
    voice_connector_groups: int = Field(default=DEFAULT_VOICE_CONNECTOR_GROUPS, ge=0)


def parse_quota(text: str) -> tuple[str, int]:
    """`NAME=N` from the command line (NAME a Quotas field); ValueError when it is not that form."""
    name, separator, value = text.partition("=")
    name = name.strip().replace("-", "_")
    if not separator or name not in Quotas.model_fields:
        raise ValueError(f"expected NAME=N with NAME one of {', '.join(Quotas.model_fields)}, not {text!r}")
    try:
        return name, int(value)
    except ValueError:
        raise ValueError(f"quota {name} needs a whole number, not {value!r}") from None
