"""Slack text → tokens.

Slack rewrites what people type before the bot sees it: `&`, `<`, `>` arrive as entities, phone
numbers and host names arrive wrapped as links (`<tel:+12065550100|+1 206 555 0100>`,
`<http://sip.example.com|sip.example.com>`), and phones and Macs turn quotes into smart quotes.
The lexer undoes all of that, then splits shell-style so names with spaces can be quoted.
"""

import re
import shlex

from commands.errors import UsageError

_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})
_LINK = re.compile(r"<(?P<target>(?:tel|https?|mailto|sip):[^<>|]*)(?:\|(?P<label>[^<>]*))?>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
# Where `unslack` would read typed text as Slack's markup: an entity, or the start of a link.
_ENTITY_START = re.compile(r"&(?=(?:lt|gt|amp);)")
_LINK_START = re.compile(r"<(?=(?:tel|https?|mailto|sip):)")


def _unwrap_link(match: re.Match[str]) -> str:
    target, label = match["target"], match["label"]
    scheme, _, rest = target.partition(":")
    if scheme == "tel":
        return rest
    if label:
        return label
    return rest.removeprefix("//") if scheme in ("http", "https") else rest


def unslack(text: str) -> str:
    """Undo Slack's link wrapping and entity escaping, leaving what the user typed."""
    text = _LINK.sub(_unwrap_link, text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text.translate(_SMART_QUOTES)


def command_line(words: list[str]) -> str:
    """Text that `tokenize` reads back as exactly `words`, for a command built from typed values (an
    Edit form's fields): quoted as the shell does, with what `unslack` would undo made literal.
    Smart quotes become plain ones first, as everywhere else in the language; otherwise `unslack`
    would turn a ’ inside a quoted reason into a quote that ends it, and what follows into options."""
    line = " ".join(shlex.quote(word.translate(_SMART_QUOTES)) for word in words)
    return _LINK_START.sub("&lt;", _ENTITY_START.sub("&amp;", line))


def tokenize(text: str) -> list[str]:
    """Split a command line into tokens, honouring quotes; an unclosed quote is a usage error."""
    lexer = shlex.shlex(unslack(text), posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as error:
        raise UsageError(
            "A quote is not closed: every \" or ' needs its partner.",
            usage="/voice COMMAND [ARGS...]",
            example='/voice connector create "Seattle trunk" --region us-west-2',
        ) from error
