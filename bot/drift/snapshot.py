"""Taking a snapshot: every registered reader in every region it covers, concurrently.

A region that does not answer must not read as "everything there was deleted": its part of the
snapshot is carried over from the previous one, so it is neither announced nor forgotten.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.aws_errors import VoiceError
from bot.drift.budget import RegionPacer
from bot.drift.readers import READERS, Reader, Scan, State
from bot.store import now
from bot.voice import VoiceService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Taken:
    started_at: datetime
    content: dict[str, State]
    unanswered: dict[str, str]
    """`kind:region` → why that part was not read (carried over from the previous snapshot)."""


async def take(
    voice: VoiceService, pacer: RegionPacer | None = None, previous: dict[str, State] | None = None
) -> Taken:
    started_at = now()
    scan = Scan(voice, pacer)
    jobs = [
        (reader, region)
        for reader in READERS.values()
        for region in (voice.regions if reader.regional else [voice.home_region])
    ]
    answers = await asyncio.gather(*(_read(reader, scan, region) for reader, region in jobs))
    content: dict[str, State] = {}
    unanswered: dict[str, str] = {}
    for (reader, region), answer in zip(jobs, answers, strict=True):
        if isinstance(answer, dict):
            content.update(answer)
            continue
        prefix = f"{reader.kind}:{region if reader.regional else ''}:"
        unanswered[prefix.rstrip(":")] = f"{answer.code}: {answer.message}"
        log.warning("drift: %s not read (%s); keeping its previous state", prefix, answer.code)
        content.update({key: state for key, state in (previous or {}).items() if key.startswith(prefix)})
    return Taken(started_at, dict(sorted(content.items())), unanswered)


async def _read(reader: Reader, scan: Scan, region: str) -> dict[str, Any] | VoiceError:
    try:
        return await reader.read(scan, region)
    except VoiceError as error:
        return error
