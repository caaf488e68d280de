"""Resource IDs in AWS's form, so callers that store, parse or validate them meet real-looking values.

Voice Connector IDs are 22 lowercase alphanumerics (the model's VoiceConnectorId pattern is
`[a-z0-9]{21,22}` or a UUID; the API reference's sample is "abcdef1ghij2klmno3pqr4"). Voice
Connector group IDs are 21 lowercase alphanumerics, as AWS issues them. The seeds' sample IDs,
taken from the API reference pages, keep their printed form.
"""

from __future__ import annotations

import secrets
from collections.abc import Container

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
VOICE_CONNECTOR_ID_LENGTH = 22
VOICE_CONNECTOR_GROUP_ID_LENGTH = 21


def new_id(length: int, taken: Container[str]) -> str:
    """A random ID of `length` lowercase alphanumerics that is not already in use."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if candidate not in taken:
            return candidate
