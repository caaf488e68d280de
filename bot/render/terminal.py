"""Doc → console text. Nothing is cut: a terminal can scroll, so every row is printed.

Values are one line each with control characters (bidi, escape sequences) made visible, so shared
text cannot fake a line or reorder what the terminal shows (`render.safe`).
"""

import textwrap

from bot.render.doc import (
    Bold,
    Buttons,
    Changes,
    Code,
    Divider,
    Doc,
    Entries,
    Entry,
    Fields,
    Heading,
    Inline,
    Notice,
    Paragraph,
    Part,
    Table,
)
from bot.render.safe import one_line, visible

WIDTH = 80  # a terminal's columns: field values wrap within it
_MARKS = {"info": "i", "success": "✓", "warning": "!", "error": "✗"}


def to_text(doc: Doc) -> str:
    lines: list[str] = []
    for part in doc.parts or (Paragraph((one_line(doc.title),)),):
        lines.extend(_part(part))
    return visible("\n".join(lines))


def _inline(spans: tuple[Inline, ...]) -> str:
    out = []
    for span in spans:
        if isinstance(span, Code):
            out.append(f"`{one_line(span.text)}`")
        elif isinstance(span, Bold):
            out.append(one_line(span.text))
        else:
            out.append(span)
    return "".join(out)


def _part(part: Part) -> list[str]:
    match part:
        case Heading(text):
            return [one_line(text), "=" * min(len(text), 80)]
        case Paragraph(spans):
            return [_inline(spans)]
        case Fields(pairs):
            return _fields(pairs)
        case Table():
            return _table(part)
        case Entries(title, entries):
            return [f"{one_line(title)}:", *_entries(entries)]
        case Changes(changes):
            return [
                f"  {one_line(c.field)}: {one_line(c.before or '(none)')} → {one_line(c.after or '(none)')}"
                for c in changes
            ]
        case Notice(level, text):
            return [f"[{_MARKS[level]}] {one_line(text)}"]
        case Buttons():
            return []  # a terminal confirms at a prompt instead
        case Divider():
            return ["-" * 40]


def _fields(pairs: tuple[tuple[str, str], ...]) -> list[str]:
    """Labels in a column; a value too long for the line wraps under itself, not under the label."""
    width = max(len(label) for label, _ in pairs)
    indent = " " * (width + 4)
    lines = []
    for label, value in pairs:
        wrapped = textwrap.wrap(one_line(value), WIDTH - len(indent), break_on_hyphens=False) or [""]
        lines.append(f"  {label.ljust(width)}  {wrapped[0]}")
        lines.extend(indent + rest for rest in wrapped[1:])
    return lines


def _entries(entries: tuple[Entry, ...]) -> list[str]:
    """Each entry's head at two spaces, its body wrapped under it at four: within WIDTH columns."""
    if not entries:
        return ["  (none)"]
    lines = []
    for entry in entries:
        if entry.head:
            lines += textwrap.wrap(_inline(entry.head), WIDTH, initial_indent="  ", subsequent_indent="    ")
        body = one_line(entry.body)
        lines += textwrap.wrap(
            body, WIDTH, initial_indent=" " * 4, subsequent_indent=" " * 4, break_on_hyphens=False
        )
    return lines


def _table(table: Table) -> list[str]:
    lines = [f"{one_line(table.title)}:"]
    if not table.rows:
        return [*lines, "  (none)"]
    rows = tuple(tuple(one_line(cell) for cell in row) for row in table.rows)
    widths = [max(len(row[i]) for row in (table.header, *rows)) for i in range(len(table.header))]
    for row in (table.header, *rows):
        lines.append(
            "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return lines
