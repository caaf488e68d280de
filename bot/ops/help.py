"""`/voice help [TOPIC]`: answered without AWS, viewed by the shared help renderer."""

from bot.ops.registry import READS, ReadOps
from bot.render import views
from bot.render.doc import Doc
from bot.results import HelpView
from bot.voice import VoiceService
from commands.help import Help


async def read_help(command: Help, voice: VoiceService) -> HelpView:
    return HelpView(topic=command.topic)


def view_help(result: HelpView) -> Doc:
    return views.help_view(result.topic)


READS[Help] = ReadOps(read_help, view_help)
