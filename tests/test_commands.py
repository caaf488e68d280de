"""The command language: every command parses, every mistake names its token, nothing else escapes."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands import COMMANDS, ChangeCommand, UsageError, parse
from commands.lexer import command_line, tokenize
from commands.numbers import NumbersAssociate, NumbersList


def test_every_example_in_help_parses() -> None:
    for command in COMMANDS:
        for example in command.examples:
            assert isinstance(parse(example), command), example


def test_numbers_typed_with_punctuation_spaces_and_commas_are_normalised_once() -> None:
    command = parse(
        "numbers associate pstn-failover +1 (206) 555-0100, 206 555 0101\n12065550102 "
        "<tel:+12065550103|+1 206 555 0103> +1 206 555 0100 --force"
    )
    assert isinstance(command, NumbersAssociate)
    assert command.numbers == ["+12065550100", "+12065550101", "+12065550102", "+12065550103"]


@pytest.mark.parametrize(
    ("typed", "numbers"),
    [
        ("+12065550100 2065550101", ["+12065550100", "+12065550101"]),
        ("2065550101 +12065550100", ["+12065550101", "+12065550100"]),
        (
            "<tel:+12065550100|+1 206-555-0100> <tel:2065550101|206-555-0101>",
            ["+12065550100", "+12065550101"],
        ),
        ("+1 2065550100 1 206 555 0101 (206) 555-0102", ["+12065550100", "+12065550101", "+12065550102"]),
        ("+44 20 7946 0958 020 7946 0959", ["+442079460958", "+442079460959"]),
    ],
)
def test_a_whole_number_is_never_glued_to_the_next(typed: str, numbers: list[str]) -> None:
    command = parse(
        f"numbers associate pstn-failover {typed}", default_country="GB" if "+44" in typed else "US"
    )
    assert isinstance(command, NumbersAssociate)
    assert command.numbers == numbers


def test_slack_link_markup_and_smart_quotes_are_undone() -> None:
    assert tokenize("origination set “my trunk” --route <http://sip.example.com|sip.example.com>:5060") == [
        "origination",
        "set",
        "my trunk",
        "--route",
        "sip.example.com:5060",
    ]
    assert tokenize("a &lt;b&gt; &amp;") == ["a", "<b>", "&"]


@pytest.mark.parametrize(
    ("text", "token", "says"),
    [
        ("connectr", "connectr", "Did you mean"),
        ("numbers on pstn-primary", "on", "After `numbers` comes one of: `list`, `associate`"),
        ("group faiover pstn-failover", "faiover", "Did you mean `group failover`?"),
        ("origination rout add vc", "rout", "Did you mean `origination route add`?"),
        ("origination", "origination", "`origination` needs one of: `show`"),
        (
            "origination set vc --route 10.0.0.1:99999/udp,priority=1,weight=1",
            "10.0.0.1:99999/udp,priority=1,weight=1",
            "65535",
        ),
        (
            "origination set vc --route 10.0.0.1/sctp,priority=1,weight=1",
            "10.0.0.1/sctp,priority=1,weight=1",
            "TCP",
        ),
        (
            "origination set vc --route 10.0.0.1/tcp,priority=0,weight=1",
            "10.0.0.1/tcp,priority=0,weight=1",
            "priority",
        ),
        (
            "origination set vc --route 300.1.1.1/udp,priority=1,weight=1",
            "300.1.1.1/udp,priority=1,weight=1",
            "IPv4",
        ),
        ("origination set vc --route 10.0.0.1:5060", "10.0.0.1:5060", "/tcp or /udp, priority=N, weight=N"),
        ("origination set vc --rout 10.0.0.1", "--rout", "--route"),
        ("numbers associate g 12345", "12345", "too few digits (read as a US number"),
        ("number show 911", "911", "too few digits (read as a US number"),
        ("numbers associate g +1 206 555 01 2065550101", "+1 206 555 01", "too few digits"),
        ("numbers associate g +12065550100 2065550101 0100", "0100", "too few digits"),
        ("proxy set vc --expiry 60 --countries US,USA", "USA", "[A-Z]{2}"),
        ("termination set vc --calling-regions US,XX", "XX", "not a two-letter country code"),
        ("connector create bad/name", "bad/name", "letters, digits"),
        ("connector create ok --region mars-1", "mars-1", "us-east-1"),
        ("group create g --member vc:100", "vc:100", "priority"),
        ("group create g --member vc:1 --member vc:2", None, "vc is given more than once"),
        ("connector show a b", "b", "not expected"),
        ("connector create 'unclosed", None, "quote"),
    ],
)
def test_usage_errors_name_the_bad_token_and_show_the_form(text: str, token: str | None, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    error = caught.value
    assert error.token == token or token is None
    if token:
        assert token in str(error)
    assert says in str(error)
    assert "Usage: /voice" in str(error)


def test_missing_arguments_are_named() -> None:
    with pytest.raises(UsageError, match="VC is missing"):
        parse("origination show")
    with pytest.raises(UsageError, match="Give the numbers, or --file"):
        parse("numbers associate pstn-failover")
    with pytest.raises(UsageError, match="--route"):
        parse("origination set pstn-primary")


def test_limits_from_the_model() -> None:
    routes = " ".join(f"--route 10.0.0.{i}/udp,priority=1,weight=1" for i in range(1, 22))
    with pytest.raises(UsageError, match="at most 20"):
        parse(f"origination set vc {routes}")
    members = " ".join(f"--member vc{i}" for i in range(4))
    with pytest.raises(UsageError, match="at most 3"):
        parse(f"group create g {members}")
    with pytest.raises(UsageError, match="at most one"):
        parse("numbers list --group g --unassigned")
    assert isinstance(parse("numbers list --unassigned"), NumbersList)


def test_change_options_are_common_to_all_changes() -> None:
    command = parse("origination disable pstn-primary --reason 'carrier outage' --incident INC-42 --dry-run")
    assert isinstance(command, ChangeCommand)
    assert (command.reason, command.incident, command.dry_run) == ("carrier outage", "INC-42", True)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_parsing_is_total_on_any_text(text: str) -> None:
    with contextlib.suppress(UsageError):
        parse(text)


_WORDS = [word for command in COMMANDS for word in command.words] + [
    flag for command in COMMANDS for param in command.all_params() if param.flag for flag in [param.flag]
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)), max_size=8))
def test_parsing_is_total_on_near_commands(tokens: list[str]) -> None:
    try:
        parse(" ".join(tokens))
    except UsageError as error:
        assert str(error)


SMART_TO_PLAIN = str.maketrans({"“": '"', "”": '"', "’": "'"})


@pytest.mark.parametrize(
    "typed",
    [
        "INC-1’ --route evil.example.com/udp,priority=1,weight=99 --reason ’x",
        "R&amp;D &lt;b&gt; <http://example.com|example.com> <tel:+12065550100> <!channel>",
        "it's “quoted” and 'single' and \"double\"",
    ],
)
def test_a_command_line_built_from_typed_values_reads_back_as_those_values(typed: str) -> None:
    """What an Edit form builds from its fields: smart quotes made plain (as typing them does), and
    nothing else changed, added or split off into options."""
    words = ["origination", "set", "vc", "--reason", typed]
    assert tokenize(command_line(words)) == [*words[:-1], typed.translate(SMART_TO_PLAIN)]
