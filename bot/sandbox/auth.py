"""Caller identity from SigV4: only the credential scope's region matters (signatures are not checked)."""

from __future__ import annotations

import re

from bot.sandbox.errors import ApiError

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/(?P<region>[a-z0-9-]+)/[^/,\s]+/aws4_request")


def caller_region(authorization: str | None) -> str:
    """The region the client signed for, which is the region of the endpoint it believes it called."""
    if not authorization:
        raise ApiError("ForbiddenException", "Missing Authentication Token")
    if not authorization.startswith("AWS4-HMAC-SHA256 "):
        raise ApiError("ForbiddenException", "Authorization header must use the AWS4-HMAC-SHA256 algorithm.")
    scope = _SCOPE.search(authorization)
    if scope is None:
        raise ApiError(
            "ForbiddenException",
            "Authorization header requires a Credential of the form AKID/DATE/REGION/SERVICE/aws4_request.",
        )
    return scope.group("region")
