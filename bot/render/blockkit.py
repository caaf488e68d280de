"""Doc → Slack messages built with slack_sdk's Block Kit models, within Block Kit's limits.

Every string from a user or from AWS is escaped (`&`, `<`, `>`), so a connector named
`<!channel>` pings nobody; values are kept to one line with bidi controls made visible, and a
value holding mrkdwn markers is shown as inline code (its backticks swapped for a lookalike), so
shared text cannot fake a line such as "Approved by" or break out of a code block (`render.safe`).

Nothing is cut silently: text longer than a block allows is split
over several blocks, more than 50 blocks over several messages, and a long list is either
split the same way or, where files may be posted, shown in part with the whole list attached.
"""

import csv
import io
from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

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
from bot.render.safe import has_mrkdwn, no_backticks, one_line, visible

MAX_BLOCKS = 50
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
FALLBACK_TEXT = 3000  # Slack truncates `text` past 40,000; a fallback is a summary, kept short
TABLE_PREVIEW_ROWS = 15  # rows shown in the message when the whole list goes into a file
INLINE_TABLE_ROWS = 60  # a list longer than this goes into a file where files are allowed
ENTRY_PIECE = 500  # an entry's body goes in pieces of inline code this long: escaped, each fits a section
_EMOJI = {
    "info": ":information_source:",
    "success": ":white_check_mark:",
    "warning": ":warning:",
    "error": ":x:",
}


@dataclass(frozen=True)
class SlackFile:
    """A list too long for a message; `table` lets a surface fall back to messages if upload fails."""

    name: str
    title: str
    content: str
    table: Table


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[dict[str, object]]
    files: list[SlackFile] = field(default_factory=list)


def escape(text: str) -> str:
    """Slack's three control characters: after this, no mention, link or command can be formed.

    Bidi and other control characters are made visible too (`safe.visible`).
    """
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def literal(value: str) -> str:
    """A user's or AWS's value as one line Slack shows exactly: as inline code when it holds markers."""
    line = one_line(value)
    return code(line) if has_mrkdwn(line) else escape(line)


def code(text: str) -> str:
    """Inline code on one line; a backtick inside cannot close it."""
    return f"`{escape(no_backticks(one_line(text)))}`"


def to_messages(doc: Doc, *, files_allowed: bool = True) -> list[SlackMessage]:
    """Render a Doc as one or more messages; each validates against Block Kit's limits."""
    blocks: list[Block] = []
    files: list[SlackFile] = []
    for part in doc.parts:
        part_blocks, part_files = _part(part, files_allowed)
        blocks.extend(part_blocks)
        files.extend(part_files)
    if not blocks:
        blocks = [_section(escape(one_line(doc.title)))]
    chunks = [blocks[start : start + MAX_BLOCKS] for start in range(0, len(blocks), MAX_BLOCKS)]
    title = escape(one_line(doc.title))
    messages = []
    for index, chunk in enumerate(chunks):
        text = title if len(chunks) == 1 else f"{title} (part {index + 1} of {len(chunks)})"
        messages.append(
            SlackMessage(
                text=_truncate(text, FALLBACK_TEXT),
                blocks=[block.to_dict() for block in chunk],
                files=files if index == len(chunks) - 1 else [],
            )
        )
    return messages


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _inline(spans: tuple[Inline, ...]) -> str:
    out = []
    for span in spans:
        if isinstance(span, Code):
            out.append(code(span.text))
        elif isinstance(span, Bold):
            out.append(f"*{literal(span.text)}*")
        else:
            out.append(escape(span))
    return "".join(out)


def _section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=mrkdwn))


def _sections(lines: list[str], *, wrap: str = "") -> list[Block]:
    """Lines of mrkdwn packed into as few sections as the 3,000-character limit allows."""
    budget = SECTION_TEXT - 2 * len(wrap) - 2
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    for line in lines:
        for piece in [line[i : i + budget] for i in range(0, len(line), budget)] or [""]:
            if current and size + len(piece) + 1 > budget:
                blocks.append(_section(wrap + "\n".join(current) + wrap))
                current, size = [], 0
            current.append(piece)
            size += len(piece) + 1
    if current:
        blocks.append(_section(wrap + "\n".join(current) + wrap))
    return blocks


def _part(part: Part, files_allowed: bool) -> tuple[list[Block], list[SlackFile]]:
    match part:
        case Heading(text):
            return [HeaderBlock(text=PlainTextObject(text=_truncate(one_line(text), HEADER_TEXT)))], []
        case Paragraph(spans):
            return _sections([_inline(spans)]), []
        case Fields(pairs):
            texts = [_truncate(f"*{literal(label)}*\n{literal(value)}", FIELD_TEXT) for label, value in pairs]
            return [
                SectionBlock(fields=[MarkdownTextObject(text=t) for t in texts[i : i + FIELDS_PER_SECTION]])
                for i in range(0, len(texts), FIELDS_PER_SECTION)
            ], []
        case Table():
            return _table(part, files_allowed)
        case Entries(title, entries):
            return _sections([f"*{literal(title)}*", *_entry_lines(entries)]), []
        case Changes(changes):
            lines = [
                f"*{literal(c.field)}*: {_value(c.before, strike=True)} → {_value(c.after)}" for c in changes
            ]
            return _sections(lines), []
        case Notice(level, text):
            return _sections([f"{_EMOJI[level]} {escape(one_line(text))}"]), []
        case Buttons(buttons):
            return [
                ActionsBlock(
                    elements=[
                        ButtonElement(
                            text=PlainTextObject(text=_truncate(button.label, BUTTON_TEXT)),
                            action_id=button.action_id,
                            value=button.value,
                            style=button.style,
                        )
                        for button in buttons
                    ]
                )
            ], []
        case Divider():
            return [DividerBlock()], []


def _entry_lines(entries: tuple[Entry, ...]) -> list[str]:
    """Each entry's head, then its body as inline code in pieces: a piece is one line of a section,
    so packing sections never splits a code span (Slack wraps each piece to the reader's width)."""
    if not entries:
        return ["_(none)_"]
    lines = []
    for entry in entries:
        if entry.head:
            lines.append(_inline(entry.head))
        body = one_line(entry.body)
        lines.extend(code(body[start : start + ENTRY_PIECE]) for start in range(0, len(body), ENTRY_PIECE))
    return lines


def _value(value: str | None, *, strike: bool = False) -> str:
    if value is None:
        return "_(none)_"
    return f"~{literal(value)}~" if strike else f"*{literal(value)}*"


def _table(table: Table, files_allowed: bool) -> tuple[list[Block], list[SlackFile]]:
    heading = _section(f"*{literal(table.title)}*")
    if not table.rows:
        return [heading, _section("_(none)_")], []
    attach = files_allowed and len(table.rows) > INLINE_TABLE_ROWS
    shown = table.rows[:TABLE_PREVIEW_ROWS] if attach else table.rows
    # Cells sit in a ``` block: one line each, and no backtick to close the block early.
    shown = tuple(tuple(no_backticks(one_line(cell)) for cell in row) for row in shown)
    widths = [max(len(row[i]) for row in (table.header, *shown)) for i in range(len(table.header))]
    lines = [
        escape("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        for row in (table.header, *shown)
    ]
    blocks: list[Block] = [heading, *_sections(lines, wrap="```")]
    if not attach:
        return blocks, []
    more = len(table.rows) - len(shown)
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"…and {more} more: all {len(table.rows)} rows are in the attached file "
                    f"{code(table.file_name)}."
                )
            ]
        )
    )
    return blocks, [SlackFile(table.file_name, table.title, _csv(table), table)]


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return buffer.getvalue()
