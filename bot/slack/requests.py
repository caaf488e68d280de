"""Slack's HTTP request → Bolt's request, with the body parsed correctly.

slack_bolt's `parse_body` treats any form body containing the substring "payload" as an
interactive payload: `/voice` typed in `#payload-ops`, or naming `payload-gw`, came out as `{}`
and was answered 404. Here a form is an interactive payload only when it has a top-level
`payload` field; Bolt still verifies the signature over the untouched raw body.
"""

import json
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

FORM = "application/x-www-form-urlencoded"


def parse_body(raw: str, content_type: str | None) -> dict[str, Any]:
    """JSON bodies as JSON; forms field by field, `payload=<json>` only as a top-level field."""
    if not raw:
        return {}
    if content_type == "application/json" or raw.startswith("{"):
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {}
    fields = parse_qs(raw, keep_blank_values=True)
    if "payload" in fields:
        payload = json.loads(fields["payload"][0])
        return payload if isinstance(payload, dict) else {}
    return {name: values[0] for name, values in fields.items()}


class FormBoltRequest(AsyncBoltRequest):
    """An AsyncBoltRequest whose `body` (and the context Bolt derives from it) uses `parse_body`."""

    def __init__(self, *, body: str, query: Any = None, headers: Any = None, context: Any = None) -> None:
        super().__init__(body=body, query=query, headers=headers, context=context)
        self.body = parse_body(self.raw_body, self.content_type)
        self.context = build_async_context(AsyncBoltContext(context or {}), self.body)

    def to_copyable(self) -> "FormBoltRequest":
        copied = FormBoltRequest(body=self.raw_body, query=self.query, headers=self.headers)
        copied.context = self.context.to_copyable()
        return copied


async def to_bolt_request(request: web.Request) -> FormBoltRequest:
    """What slack_bolt.adapter.aiohttp.to_bolt_request does, with the corrected body parser."""
    return FormBoltRequest(body=await request.text(), query=request.query_string, headers=request.headers)
