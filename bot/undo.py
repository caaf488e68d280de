"""The inverse of a recorded change, as a command line that goes through the normal plan/confirm
path; each command's inverse and caveats are registered in its bot/ops module."""

from bot.ops.registry import CannotUndo, ChangeOps, NoInverse, change_ops
from bot.results import Outcome
from commands import find


def inverse_command(words: str, outcome: Outcome) -> str:
    """`words` names the recorded command (`origination set`); the outcome has its plan and results."""
    inverse = _ops(words).inverse
    if isinstance(inverse, NoInverse):
        raise CannotUndo(inverse.because)
    return inverse(outcome)


def undo_caveats(words: str, outcome: Outcome) -> list[str]:
    """What the inverse will not restore, said before anyone confirms it."""
    return _ops(words).caveats(outcome)


def _ops(words: str) -> ChangeOps:
    command = find(tuple(words.split()))
    if command is None:
        raise CannotUndo(f"`{words}` is no longer a command, so it cannot be undone automatically")
    return change_ops(command)
