"""Phone numbers: list, associate with a group, disassociate from it."""

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, model_validator

from commands.base import ChangeCommand, Param, ReadCommand, Reference, Resolved
from commands.group import GROUP
from commands.types import E164Number, Name

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


def _unique(numbers: list[str]) -> list[str]:
    """A number typed twice is one number: it is sent and reported once."""
    return list(dict.fromkeys(numbers))


UniqueNumbers = Annotated[list[E164Number], Field(min_length=1), AfterValidator(_unique)]

NUMBERS = Param(
    "numbers",
    "NUMBER",
    "phone numbers in E.164 or with common punctuation, separated by spaces, commas or new lines",
    repeat=True,
    group=group_number_tokens,
)


class _NumbersChange(ChangeCommand):
    """Shared shape of associate/disassociate: a group and a de-duplicated list of numbers."""

    group: Name
    numbers: UniqueNumbers

    def references(self) -> list[Reference]:
        return [Reference("group", self.group)]


class NumbersAssociate(_NumbersChange):
    words = ("numbers", "associate")
    summary = "Associate phone numbers with a voice connector group (--force moves them from elsewhere)."
    params = (
        GROUP,
        NUMBERS,
        Param(
            "force", "", "move numbers already associated elsewhere", "--force", switch=True, required=False
        ),
    )
    examples = (
        "/voice numbers associate 123a456b-c7d8-90e1-fg23-4h567jkl8901 +12065550100 +12065550101 --force",
        "/voice numbers associate pstn-failover +1 (206) 555-0102, +1 (206) 555-0103",
    )
    permission = "numbers.associate"
    operation: ClassVar[str] = "AssociatePhoneNumbersWithVoiceConnectorGroup"

    force: bool = False

    def api_params(self, resolved: Resolved) -> dict[str, Any]:
        params: dict[str, Any] = {
            "VoiceConnectorGroupId": resolved.id_of(self.group),
            "E164PhoneNumbers": list(self.numbers),
        }
        if self.force:
            params["ForceAssociate"] = True
        return params


class NumbersDisassociate(_NumbersChange):
    words = ("numbers", "disassociate")
    summary = "Disassociate phone numbers from a voice connector group."
    params = (GROUP, NUMBERS)
    examples = ("/voice numbers disassociate pstn-failover +12065550100",)
    permission = "numbers.disassociate"
    operation: ClassVar[str] = "DisassociatePhoneNumbersFromVoiceConnectorGroup"

    def api_params(self, resolved: Resolved) -> dict[str, Any]:
        return {"VoiceConnectorGroupId": resolved.id_of(self.group), "E164PhoneNumbers": list(self.numbers)}


class NumbersList(ReadCommand):
    words = ("numbers", "list")
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
