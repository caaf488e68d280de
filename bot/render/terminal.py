"""Doc → console text. Nothing is cut: a terminal can scroll, so every row is printed."""

from bot.render.doc import (
    Bold,
    Buttons,
    Changes,
    Code,
    Divider,
    Doc,
    Fields,
    Heading,
    Inline,
    Notice,
    Paragraph,
    Part,
    Table,
)

_MARKS = {"info": "i", "success": "✓", "warning": "!", "error": "✗"}


def to_text(doc: Doc) -> str:
    lines: list[str] = []
    for part in doc.parts or (Paragraph((doc.title,)),):
        lines.extend(_part(part))
    return "\n".join(lines)


def _inline(spans: tuple[Inline, ...]) -> str:
    out = []
    for span in spans:
        if isinstance(span, Code):
            out.append(f"`{span.text}`")
        elif isinstance(span, Bold):
            out.append(span.text)
        else:
            out.append(span)
    return "".join(out)


def _part(part: Part) -> list[str]:
    match part:
        case Heading(text):
            return [text, "=" * min(len(text), 80)]
        case Paragraph(spans):
            return [_inline(spans)]
        case Fields(pairs):
            width = max(len(label) for label, _ in pairs)
            return [f"  {label.ljust(width)}  {value}" for label, value in pairs]
        case Table():
            return _table(part)
        case Changes(changes):
            return [f"  {c.field}: {c.before or '(none)'} → {c.after or '(none)'}" for c in changes]
        case Notice(level, text):
            return [f"[{_MARKS[level]}] {text}"]
        case Buttons():
            return []  # a terminal confirms at a prompt instead
        case Divider():
            return ["-" * 40]


def _table(table: Table) -> list[str]:
    lines = [f"{table.title}:"]
    if not table.rows:
        return [*lines, "  (none)"]
    widths = [max(len(row[i]) for row in (table.header, *table.rows)) for i in range(len(table.header))]
    for row in (table.header, *table.rows):
        lines.append(
            "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return lines
