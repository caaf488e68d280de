"""Opaque NextToken cursors: a token names the listing and the last key served, so pages stay
consistent while resources are created or deleted between calls."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from itertools import islice
from typing import TypeVar

from bot.sandbox.errors import bad_request

DEFAULT_PAGE_SIZE = 20
T = TypeVar("T")


def encode_token(listing: str, after: str) -> str:
    raw = json.dumps({"listing": listing, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(listing: str, token: str | None) -> str | None:
    """The cursor inside a NextToken; tokens that are garbled or from another listing are a 400."""
    if token is None:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        payload = None
    if (
        not isinstance(payload, dict)
        or payload.get("listing") != listing
        or not isinstance(payload.get("after"), str)
    ):
        raise bad_request("Invalid NextToken: pass the NextToken value from the previous response unchanged.")
    after: str = payload["after"]
    return after


def take_page(
    items: Iterable[T], key: Callable[[T], str], listing: str, limit: int | None
) -> tuple[list[T], str | None]:
    """Up to `limit` items and a NextToken when more remain (peeks one item ahead to know)."""
    size = limit or DEFAULT_PAGE_SIZE
    page = list(islice(items, size + 1))
    if len(page) <= size:
        return page, None
    return page[:size], encode_token(listing, key(page[size - 1]))
