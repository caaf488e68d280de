"""Phone numbers: list, associate with a group, disassociate from it."""

import csv
import io
import re
from typing import Annotated, Self

from pydantic import Field, model_validator

from commands.base import ChangeCommand, Param, ReadCommand
from commands.group import GROUP
from commands.types import UniqueNumbers, unique
from voice_domain.located import Reference
from voice_domain.values import Name, normalise_e164

_SEPARATORS = re.compile(r"[,;\s]+")
_NANP_DIGITS = 10


def _digits(chunk: str) -> int:
    return sum(char.isdigit() for char in chunk)


def group_number_tokens(tokens: list[str]) -> list[str]:
    """Re-join phone numbers that were typed with spaces.

    `+1 (206) 555-0100, 206 555 0101` arrives as six tokens. Commas and semicolons always
    separate numbers; within a run, a chunk starting with `+` begins a new number, and a number
    without `+` is complete at ten digits (North American form). Chunks that never complete a
    number are kept as typed, so the validator names them.
    """
    numbers: list[str] = []
    for segment in re.split(r"[,;]+", " ".join(tokens)):
        current: list[str] = []
        for chunk in segment.split():
            starts_new = chunk.startswith(("+", "tel:"))
            complete = (
                bool(current)
                and not current[0].startswith(("+", "tel:"))
                and (_digits("".join(current)) >= _NANP_DIGITS)
            )
            if current and (starts_new or complete):
                numbers.append(" ".join(current))
                current = []
            current.append(chunk)
        if current:
            numbers.append(" ".join(current))
    return [number for number in numbers if _SEPARATORS.sub("", number)]


MAX_FILE_ROWS = 50_000
_FILE_ID = re.compile(r"(?<![A-Z0-9])F[A-Z0-9]{8,}(?![A-Z0-9])")


def slack_file_id(reference: str) -> str | None:
    """The Slack file ID in a file link (`…/files/U…/F07ABCDEF/numbers.csv`) or given bare."""
    match = _FILE_ID.search(reference)
    return match.group(0) if match else None


def numbers_in_file(text: str) -> tuple[list[str], list[str]]:
    """Phone numbers from an uploaded text or CSV file: (numbers in E.164, problems by line).

    Each row's first cell with seven or more digits is its number, so CSV exports with other
    columns work; a first row without one is a header. Every other row must hold a number.
    """
    numbers: list[str] = []
    problems: list[str] = []
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_FILE_ROWS:
        return [], [f"the file has {len(rows):,} rows; at most {MAX_FILE_ROWS:,} numbers at a time"]
    for line, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        number = next((cell for cell in cells if _digits(cell) >= 7), None)
        if number is None:
            if cells and line > 1:
                problems.append(f"line {line}: no phone number in {', '.join(cells)[:60]!r}")
            continue
        try:
            numbers.append(normalise_e164(number))
        except ValueError as error:
            problems.append(f"line {line}: {number!r}: {error}")
    return unique(numbers), problems


NUMBERS = Param(
    "numbers",
    "NUMBER",
    "phone numbers in E.164 or with common punctuation, separated by spaces, commas or new lines",
    repeat=True,
    required=False,
    group=group_number_tokens,
)


FILE = Param(
    "file",
    "FILE",
    "a .txt or .csv of numbers, one per row: in Slack, upload it and paste its link; in the console, a path",
    "--file",
    required=False,
)


class NumbersChange(ChangeCommand):
    """Shared shape of associate/disassociate: a group and de-duplicated numbers, typed or in a file."""

    group: Name
    numbers: UniqueNumbers = Field(default_factory=list)
    file: Annotated[str, Field(min_length=1, max_length=1000)] | None = None

    @model_validator(mode="after")
    def _some_numbers(self) -> Self:
        if not self.numbers and self.file is None:
            raise ValueError("give the numbers, or --file with a list of them")
        return self

    def with_file_numbers(self, numbers: list[str]) -> Self:
        """This command with the file's numbers added, the file itself no longer needed."""
        return self.model_copy(update={"numbers": unique([*self.numbers, *numbers]), "file": None})

    def references(self) -> list[Reference]:
        return [Reference("group", self.group)]


class NumbersAssociate(NumbersChange):
    words = ("numbers", "associate")
    task = "onboarding"
    summary = "Associate phone numbers with a voice connector group (--force moves them from elsewhere)."
    params = (
        GROUP,
        NUMBERS,
        FILE,
        Param(
            "force", "", "move numbers already associated elsewhere", "--force", switch=True, required=False
        ),
    )
    examples = (
        "/voice numbers associate 123a456b-c7d8-90e1-fg23-4h567jkl8901 +12065550100 +12065550101 --force",
        "/voice numbers associate pstn-failover +1 (206) 555-0102, +1 (206) 555-0103",
        "/voice numbers associate pstn-failover --file https://example.slack.com/files/U0ALICE/F07ABCDEF12/numbers.csv",
    )
    permission = "numbers.associate"

    force: bool = False


class NumbersDisassociate(NumbersChange):
    words = ("numbers", "disassociate")
    task = "onboarding"
    summary = "Disassociate phone numbers from a voice connector group."
    params = (GROUP, NUMBERS, FILE)
    examples = ("/voice numbers disassociate pstn-failover +12065550100",)
    permission = "numbers.disassociate"


class NumbersList(ReadCommand):
    words = ("numbers", "list")
    task = "incident"
    summary = "List phone numbers: all, or those of a group or connector, or the unassigned ones."
    params = (
        Param("group", "GROUP", "only numbers associated with this group", "--group", required=False),
        Param(
            "connector", "VC", "only numbers associated with this connector", "--connector", required=False
        ),
        Param("unassigned", "", "only numbers not associated", "--unassigned", switch=True, required=False),
    )
    examples = ("/voice numbers list --group pstn-failover", "/voice numbers list --unassigned")
    permission = "numbers.read"

    group: Name | None = None
    connector: Name | None = None
    unassigned: bool = False

    @model_validator(mode="after")
    def _one_filter(self) -> "NumbersList":
        if sum((self.group is not None, self.connector is not None, self.unassigned)) > 1:
            raise ValueError("give at most one of --group, --connector, --unassigned")
        return self

    def references(self) -> list[Reference]:
        if self.group is not None:
            return [Reference("group", self.group)]
        if self.connector is not None:
            return [Reference("connector", self.connector)]
        return []
