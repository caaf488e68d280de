"""The command pipeline every surface shares: parse → (read | plan → apply) → Doc.

Surfaces (console, Slack) own only input, confirmation and output; what a command means and
does lives here once.
"""

from dataclasses import dataclass

from bot.applying import Progress, apply_plan
from bot.aws_errors import VoiceError
from bot.ops.common import NothingToDo, Unplannable
from bot.outcomes import Revealed
from bot.planning import make_plan
from bot.reading import read
from bot.render import views
from bot.render.doc import Doc, Notice
from bot.results import ErrorInfo, Outcome, Plan
from bot.voice import VoiceService
from commands import ChangeCommand, Command, UsageError, parse


@dataclass(frozen=True)
class Parsed:
    """A command ready to run, or the Doc explaining why the text is not one."""

    command: Command | None
    problem: Doc | None


@dataclass(frozen=True)
class Planned:
    """A plan to confirm, or the Doc explaining why there is nothing to confirm."""

    plan: Plan | None
    problem: Doc | None


class Engine:
    def __init__(self, voice: VoiceService) -> None:
        self.voice = voice
        self.default_country = voice.settings.default_country

    def parse(self, text: str) -> Parsed:
        """The command in `text`, numbers without `+` read as VOICE_DEFAULT_COUNTRY would dial them."""
        try:
            return Parsed(parse(text, self.default_country), None)
        except UsageError as error:
            return Parsed(None, views.usage_error_view(error))

    async def read(self, command: Command) -> Doc:
        try:
            return await read(command, self.voice)
        except VoiceError as error:
            return views.error_view(ErrorInfo.of(error), f"Could not run /voice {command.command_name()}")

    async def plan(self, command: ChangeCommand, text: str) -> Planned:
        try:
            return Planned(await make_plan(command, self.voice, text), None)
        except NothingToDo as reason:
            return Planned(None, Doc(f"Nothing to do: {reason}", (Notice("info", str(reason)),)))
        except Unplannable as reason:
            return Planned(
                None,
                Doc(f"Not planned: {reason}", (Notice("warning", str(reason)),), "warning"),
            )
        except VoiceError as error:
            return Planned(
                None, views.error_view(ErrorInfo.of(error), f"Could not plan /voice {command.command_name()}")
            )

    async def apply(
        self, plan: Plan, progress: Progress | None = None, revealed: list[Revealed] | None = None
    ) -> Outcome:
        return await apply_plan(plan, self.voice, progress, revealed)
