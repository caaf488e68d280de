"""Phone numbers: list, associate with a group or connector, disassociate; one number's story,
its calling name and product type; searching for numbers to buy, ordering them."""

import csv
import io
import re
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from commands.base import ChangeCommand, Param, ReadCommand
from commands.types import CountryCode, UniqueNumbers, unique
from voice_domain.located import Reference, ResourceKind
from voice_domain.numbers import CallingName, OrderId, ProductType
from voice_domain.values import E164Number, Name, check_name, number_progress, parse_number, upper

_SEPARATORS = re.compile(r"[,;\s]+")
_STARTS_NUMBER = ("+", "tel:")


def _digits(chunk: str) -> int:
    return sum(char.isdigit() for char in chunk)


def _number_end(chunks: list[str], start: int, default_country: str) -> int:
    """Where the number beginning at `chunks[start]` ends: after the chunk itself when it is a whole
    number already (`+12065550100 2065550101` is two numbers), else after the longest run of chunks
    that together read as one number (`+1 206 555 0100`). A run that never becomes one ends where
    no more digits could help (`+1 206 555 01` before `2065550101`), so the validator names it."""
    if number_progress(chunks[start], default_country) == "whole":
        return start + 1
    end, whole = start + 1, None
    while end < len(chunks) and not chunks[end].startswith(_STARTS_NUMBER):
        progress = number_progress(" ".join(chunks[start : end + 1]), default_country)
        if progress == "never":
            break
        end += 1
        if progress == "whole":
            whole = end
    return whole or end


def group_number_tokens(tokens: list[str], default_country: str) -> list[str]:
    """Re-join phone numbers that were typed with spaces.

    `+1 (206) 555-0100, 206 555 0101` arrives as six tokens. Commas and semicolons always
    separate numbers; within a run, a chunk starting with `+` begins a new number, and chunks join
    only while together they make one number (`_number_end`). Chunks that never make a number are
    kept as typed, so the validator names them.
    """
    numbers: list[str] = []
    for segment in re.split(r"[,;]+", " ".join(tokens)):
        chunks = segment.split()
        start = 0
        while start < len(chunks):
            end = _number_end(chunks, start, default_country)
            numbers.append(" ".join(chunks[start:end]))
            start = end
    return [number for number in numbers if _SEPARATORS.sub("", number)]


MAX_FILE_ROWS = 50_000
# IAM's description of BatchUpdatePhoneNumber: "… UpdatePhoneNumberRequestItem object for up to 50
# phone numbers".
MAX_NUMBER_UPDATES = 50
_FILE_ID = re.compile(r"(?<![A-Z0-9])F[A-Z0-9]{8,}(?![A-Z0-9])")


def slack_file_id(reference: str) -> str | None:
    """The Slack file ID in a file link (`…/files/U…/F07ABCDEF/numbers.csv`) or given bare."""
    match = _FILE_ID.search(reference)
    return match.group(0) if match else None


def numbers_in_file(text: str, default_country: str) -> tuple[list[str], list[str]]:
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
            numbers.append(parse_number(number, default_country))
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


TARGET_KINDS: tuple[ResourceKind, ...] = ("group", "connector")


def split_target(value: str) -> tuple[ResourceKind | None, str]:
    """`group:NAME` / `connector:NAME` name the kind; a bare ID or name may be either (names
    cannot contain ':', so the prefix is never part of a name)."""
    kind, colon, name = value.rpartition(":")
    if not colon:
        return None, value
    for known in TARGET_KINDS:
        if kind == known:
            return known, name
    raise ValueError("prefix a target with group: or connector:, or give its ID or name alone")


def check_target(value: str) -> str:
    check_name(split_target(value)[1])
    return value


Target = Annotated[str, AfterValidator(check_target)]
TARGET = Param(
    "target",
    "GROUP|VC",
    "the voice connector group or voice connector: an ID or unique name "
    "(write group:NAME or connector:NAME when a group and a connector share it)",
)


class NumbersChange(ChangeCommand):
    """Shared shape of associate/disassociate: a group or connector and de-duplicated numbers,
    typed or in a file."""

    target: Target
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


class NumbersAssociate(NumbersChange):
    words = ("numbers", "associate")
    task = "onboarding"
    summary = (
        "Associate phone numbers with a voice connector group or a voice connector "
        "(--force moves them from elsewhere)."
    )
    params = (
        TARGET,
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
        "/voice numbers associate connector:abcdef1ghij2klmno3pqr4 +12065550100 +12065550101 --force",
    )
    permission = "numbers.associate"

    force: bool = False


class NumbersDisassociate(NumbersChange):
    words = ("numbers", "disassociate")
    task = "onboarding"
    summary = "Disassociate phone numbers from a voice connector group or a voice connector."
    params = (TARGET, NUMBERS, FILE)
    examples = (
        "/voice numbers disassociate pstn-failover +12065550100",
        "/voice numbers disassociate pstn-primary +12065550101",
    )
    permission = "numbers.disassociate"


class NumbersList(ReadCommand):
    words = ("numbers", "list")
    task = "incident"
    summary = (
        "List phone numbers and where each routes: all, those of a group, those reaching a connector "
        "(directly or through its groups), or the unassigned ones."
    )
    params = (
        Param("group", "GROUP", "only numbers associated with this group", "--group", required=False),
        Param(
            "connector",
            "VC",
            "only numbers reaching this connector, directly or through its groups",
            "--connector",
            required=False,
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


def _single(value: object) -> object:
    """A number typed with spaces arrives as the re-joined tokens: exactly one must remain."""
    if isinstance(value, list):
        if len(value) != 1:
            raise ValueError(f"give one phone number, not {len(value)}")
        return value[0]
    return value


def numbers_param(help_text: str, field: str = "numbers") -> Param:
    """Required phone numbers typed with spaces, commas or punctuation."""
    return Param(field, "NUMBER", help_text, repeat=True, group=group_number_tokens)


ONE_NUMBER = numbers_param("one phone number, in E.164 or with common punctuation", "number")


class NumberShow(ReadCommand):
    words = ("number", "show")
    task = "incident"
    summary = (
        "Show one phone number's whole story: where it routes, product type, calling name, status, "
        "order and dates."
    )
    params = (ONE_NUMBER,)
    examples = ("/voice number show +12065550100", "/voice number show +1 (206) 555-0100")
    permission = "number.read"

    number: Annotated[E164Number, BeforeValidator(_single)]


class NumberUpdate(ChangeCommand):
    words = ("number", "update")
    task = "onboarding"
    summary = (
        "Set the outbound calling name or the product type of phone numbers (one attribute at a time, "
        "as AWS updates them; a calling name takes up to 72 hours to apply)."
    )
    params = (
        numbers_param("phone numbers, separated by spaces or commas"),
        Param(
            "calling_name",
            "NAME",
            "outbound calling name: 2–15 letters, digits or spaces; '' clears it",
            "--calling-name",
            required=False,
        ),
        Param(
            "product_type",
            "VoiceConnector|SipMediaApplicationDialIn",
            "what the number is for",
            "--product-type",
            required=False,
        ),
    )
    examples = (
        "/voice number update +12065550100 --calling-name 'Example Corp'",
        "/voice number update +12065550100 +12065550101 --product-type SipMediaApplicationDialIn",
    )
    permission = "number.update"

    numbers: Annotated[UniqueNumbers, Field(min_length=1, max_length=MAX_NUMBER_UPDATES)]
    calling_name: CallingName | None = None
    product_type: ProductType | None = None

    @model_validator(mode="after")
    def _one_attribute(self) -> Self:
        if (self.calling_name is None) == (self.product_type is None):
            raise ValueError(
                "give --calling-name or --product-type: AWS updates one attribute of a number at a time"
            )
        return self


class NumbersSearch(ReadCommand):
    words = ("numbers", "search")
    task = "onboarding"
    summary = "Search the phone numbers AWS has available to order."
    params = (
        Param("area_code", "NPA", "US area code, such as 206", "--area-code", required=False),
        Param("city", "CITY", "US city (needs --state)", "--city", required=False),
        Param("state", "ST", "US state, such as WA", "--state", required=False),
        Param(
            "toll_free_prefix",
            "8XX",
            "US toll-free prefix: 800, 833 … 888",
            "--toll-free-prefix",
            required=False,
        ),
        Param("country", "CC", "ISO country code (default US)", "--country", required=False),
        Param("type", "Local|TollFree", "number type (required outside the US)", "--type", required=False),
        Param("max", "N", "at most this many numbers (1–500)", "--max", required=False),
    )
    examples = (
        "/voice numbers search --area-code 206",
        "/voice numbers search --city Seattle --state WA --max 5",
        "/voice numbers search --toll-free-prefix 844",
    )
    permission = "number.read"

    area_code: Annotated[str, Field(pattern=r"^[2-9][0-9]{2}$")] | None = None
    city: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    state: Annotated[str, BeforeValidator(upper), Field(pattern=r"^[A-Z]{2}$")] | None = None
    toll_free_prefix: Annotated[str, Field(pattern=r"^8(00|33|44|55|66|77|88)$")] | None = None
    country: CountryCode | None = None
    type: Literal["Local", "TollFree"] | None = None
    max: Annotated[int, Field(ge=1, le=500)] | None = None

    @model_validator(mode="after")
    def _documented_combinations(self) -> Self:
        """SearchAvailablePhoneNumbers (API reference): for US numbers at least one of AreaCode,
        City, State or TollFreePrefix; City needs State; outside the US only PhoneNumberType, which
        is then required."""
        us_filters = [self.area_code, self.city, self.state, self.toll_free_prefix]
        if self.country not in (None, "US"):
            if any(value is not None for value in us_filters) or self.type is None:
                raise ValueError("outside the US, search with --type Local or --type TollFree alone")
            return self
        if all(value is None for value in us_filters):
            raise ValueError("give --area-code, --city with --state, --state, or --toll-free-prefix")
        if self.city is not None and self.state is None:
            raise ValueError("--city needs --state")
        return self


class NumbersOrder(ChangeCommand):
    words = ("numbers", "order")
    task = "onboarding"
    summary = "Order (buy) phone numbers found with `numbers search`: AWS charges for every number ordered."
    params = (
        numbers_param("numbers to order, as `numbers search` listed them"),
        Param(
            "product_type",
            "VoiceConnector|SipMediaApplicationDialIn",
            "what the numbers are for",
            "--product-type",
        ),
    )
    examples = ("/voice numbers order +12125550100 +12125550101 --product-type VoiceConnector",)
    permission = "numbers.order"

    numbers: Annotated[UniqueNumbers, Field(min_length=1)]
    product_type: ProductType


class NumbersOrderShow(ReadCommand):
    words = ("numbers", "order", "show")
    task = "onboarding"
    summary = "Show a phone number order: its status and each number's."
    params = (Param("order_id", "ORDER_ID", "the order's ID, as `numbers order` answered it"),)
    examples = ("/voice numbers order show 6f1c2a52-55b4-4f55-9d1e-0b5e3c1a0100",)
    permission = "number.read"

    order_id: OrderId
