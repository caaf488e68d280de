"""Read commands → Docs, through each command's registered read and view (bot/ops).

A read answers with what the reachable regions hold when one region is down, plus a warning
naming it: during a regional outage the other regions' view is exactly what on-call needs.
"""

from bot.ops.registry import read_ops
from bot.render.doc import Doc, Notice
from bot.voice import VoiceService
from commands import Command


async def read(command: Command, voice: VoiceService) -> Doc:
    """The answer's Doc, led by any region warnings so a partial answer never passes for a whole one."""
    ops = read_ops(type(command))
    result = await ops.read(command, voice)
    doc = ops.view(result)
    if not result.warnings:
        return doc
    notices = tuple(Notice("warning", warning) for warning in result.warnings)
    return Doc(doc.title, (*notices, *doc.parts), "warning")
