"""What the audit log keeps of input that did not parse: enough to say what was tried and why it was
refused, nothing that was typed beyond the command's own words.

Text that does not parse may hold a pasted secret (a SIP password in the wrong place, a token typed
into the wrong box), and a parse error quotes the word it stumbled on. The record is read by anyone
who may read the channel's history, so both are kept only as far as they are the language's own
words: the command's words, and options and command words quoted in the error.
"""

import functools
import re

from commands import COMMANDS
from commands.errors import UsageError
from commands.lexer import tokenize

_QUOTED = re.compile(r"`([^`]*)`")
UNPARSED = "(not a /voice command)"


def command_words(text: str) -> str:
    """`termination credentials add …`: the longest run of the language's words it starts with."""
    try:
        tokens = tokenize(text)
    except UsageError:
        tokens = text.split()
    if tokens and tokens[0] == "/voice":
        tokens = tokens[1:]
    kept = next(
        (length for length in range(len(tokens), 0, -1) if " ".join(tokens[:length]).lower() in _words()), 0
    )
    if not tokens:
        return ""
    if not kept:
        return f"{UNPARSED} …"
    return " ".join(tokens[:kept]).lower() + (" …" if len(tokens) > kept else "")


def redacted(problem: str) -> str:
    """The parse error with each quoted word that is not the language's own replaced by `…`."""
    return _QUOTED.sub(lambda quoted: quoted[0] if quoted[1] in _vocabulary() else "`…`", problem)


@functools.cache
def _words() -> frozenset[str]:
    """Every run of a command's words (`numbers`, `order show`, `numbers order show`)."""
    return frozenset(
        " ".join(command.words[start:end])
        for command in COMMANDS
        for start in range(len(command.words))
        for end in range(start + 1, len(command.words) + 1)
    )


@functools.cache
def _vocabulary() -> frozenset[str]:
    flags = {param.flag for command in COMMANDS for param in command.all_params() if param.flag}
    return frozenset(_words() | flags | {f"/voice {words}" for words in _words()} | {"/voice help"})
