"""Shared text cannot forge structure: what a person typed or AWS returned is shown as one line of
literal characters, whatever surface renders it.

A newline in a reason could start a fake "Approved by" line; Unicode bidi controls can make text
read differently from what it is (a "Trojan Source" reversal); mrkdwn markers (`*`, `_`, `~`, a
backtick, `>` at a line start) could restyle or quote. Renderers call these before adding markup.
"""

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
REPLACEMENT = "\ufffd"  # shown where an invisible control was, so the reader sees something was there
NEWLINE_MARK = " ⏎ "
BACKTICK_LOOKALIKE = "ˋ"  # U+02CB: looks like a backtick, cannot open or close code

_NEWLINES = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_INVISIBLE = re.compile(f"[{BIDI_CONTROLS}\x00-\x08\x0b-\x1f\x7f]")
_MRKDWN = re.compile(r"[*_~`]|^\s*>")


def visible(text: str) -> str:
    """Bidi and other control characters (not newlines or tabs) replaced by U+FFFD."""
    return _INVISIBLE.sub(REPLACEMENT, text)


def one_line(text: str) -> str:
    """A single-line value: line breaks become a visible ⏎ and controls are made visible."""
    return visible(_NEWLINES.sub(NEWLINE_MARK, text))


def has_mrkdwn(text: str) -> bool:
    """Whether Slack could read part of this as formatting or a quote."""
    return bool(_MRKDWN.search(text))


def no_backticks(text: str) -> str:
    return text.replace("`", BACKTICK_LOOKALIKE)
