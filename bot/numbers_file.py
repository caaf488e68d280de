"""`--file`: the phone numbers in a file a person shared, read through the surface's file source."""

from bot.render.doc import Doc, Notice
from bot.surfaces import FileSource, FileUnavailable
from commands.numbers import numbers_in_file


async def numbers_from_file(
    files: FileSource | None, reference: str, channel_id: str | None, default_country: str
) -> list[str] | Doc:
    """The numbers in a shared file, or a Doc saying why they cannot be used (nothing is planned)."""
    if files is None:
        return _error("Files cannot be read here.")
    try:
        name, content = await files.read(reference, channel_id)
    except FileUnavailable as error:
        return _error(f"Cannot read the file: {error}")
    numbers, problems = numbers_in_file(content.decode("utf-8-sig", errors="replace"), default_country)
    if problems:
        shown = "; ".join(problems[:20]) + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "")
        return _error(f"{name} has {len(problems)} problem(s), so nothing was planned: {shown}.")
    if not numbers:
        return _error(f"{name} holds no phone numbers.")
    return numbers


def _error(text: str) -> Doc:
    return Doc(text, (Notice("error", text),), level="error")
