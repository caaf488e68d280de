"""Structured JSON logs with request IDs, and secrets redacted before anything is written.

Every line is one JSON object (time, level, logger, message, request_id, exception). Slack
tokens, the signing secret, AWS secret keys, `Password` values (a botocore debug line shows a SIP
credential's request), Authorization headers and response_urls (which let
anyone post into the conversation for 30 minutes) are masked whatever logger or library wrote them,
so a debug line cannot leak them. URLs are matched plain, percent-encoded (Bolt logs raw form
bodies) and JSON-escaped (a backslash before each slash).
"""

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import urlsplit

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_PATTERNS = (
    re.compile(r"xox[abposr]-[A-Za-z0-9-]+"),  # Slack bot/user tokens
    re.compile(r"xapp-[A-Za-z0-9-]+"),  # Slack app-level tokens
    re.compile(r"(?P<keep>(?i:authorization)['\"]?\s*[:=]\s*['\"]?)[^'\"\n]+"),
    re.compile(
        r"(?P<keep>(?i:aws_secret_access_key|secret_access_key|signing_secret|password)\\?['\"]?\s*[:=]\s*\\?['\"]?)"
        r"[^'\"\s,}\\]+"
    ),
    re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),  # AWS access key IDs
)
REDACTED = "[redacted]"
_SLASH = r"(?:/|%2F|\\/)"  # a slash as written plain, percent-encoded or JSON-escaped
_SCHEME = rf"(?:https?(?::|%3A){_SLASH}{{2}})?"
_URL_REST = r"[^\s\"'&,)]*"
_SLACK_HOOKS = re.compile(rf"(?i:{_SCHEME}hooks\.slack(?:-gov)?\.com{_SLASH}){_URL_REST}")


def _host_urls(netloc: str) -> re.Pattern[str]:
    """URLs on a configured Slack API host (a stand-in or proxy) outside /api/: response_urls and
    file links, which carry access on their own."""
    host = re.escape(netloc).replace(":", "(?::|%3A)")
    return re.compile(rf"(?i:{_SCHEME}{host}{_SLASH})(?!api{_SLASH}){_URL_REST}")


class Redactor:
    """Masks known secret shapes plus the exact values of the secrets this process was given."""

    def __init__(self, secrets: list[str] | None = None, api_url: str | None = None) -> None:
        self._secrets = sorted(
            {secret for secret in secrets or [] if len(secret) >= 6}, key=len, reverse=True
        )
        netloc = urlsplit(api_url).netloc if api_url else ""
        self._urls = [_SLACK_HOOKS] + ([_host_urls(netloc)] if netloc else [])

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        for pattern in self._urls:
            text = pattern.sub(REDACTED, text)
        for pattern in _PATTERNS:
            text = pattern.sub(_mask, text)
        return text


def _mask(match: re.Match[str]) -> str:
    """Keep the label (`Authorization: `), mask the value."""
    return (match.groupdict().get("keep") or "") + REDACTED


class JsonFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(
    level: str = "INFO",
    secrets: list[str] | None = None,
    stream: TextIO | None = None,
    api_url: str | None = None,
) -> None:
    """JSON lines on stderr (or `stream`) for the whole process: our loggers and every library's.

    `api_url`: SLACK_API_URL when set, whose host's response_urls are masked like Slack's own.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(Redactor(secrets, api_url)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def new_request_id() -> str:
    request_id = uuid.uuid4().hex[:16]
    REQUEST_ID.set(request_id)
    return request_id
