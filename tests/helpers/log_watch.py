"""Waiting for a log line: for work that happens after the bot answered and signals nothing else.

The bot recognises a repeated request (Slack's retry, a Socket Mode redelivery, a replay) after it has
acknowledged it, and then does nothing visible; the line it logs is the only event to wait for.
"""

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from tests.helpers.polling import GUARD_SECONDS


class LogWatch(logging.Handler):
    """Records messages of one logger (and its children) and wakes waiters on the event loop."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []
        self._changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self._changed.set()

    def count(self, text: str) -> int:
        return sum(text in message for message in self.messages)

    async def wait_for(self, text: str, count: int = 1, timeout: float = GUARD_SECONDS) -> None:  # noqa: ASYNC109
        """Wait until `count` messages containing `text` were logged; the timeout is a deadlock guard."""
        try:
            async with asyncio.timeout(timeout):
                while self.count(text) < count:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"expected {count} log line(s) with {text!r} within {timeout}s; got {self.messages[-5:]}"
            ) from None


@contextmanager
def watching(name: str) -> Iterator[LogWatch]:
    logger = logging.getLogger(name)
    watch = LogWatch()
    saved = logger.level
    logger.addHandler(watch)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield watch
    finally:
        logger.removeHandler(watch)
        logger.setLevel(saved)
