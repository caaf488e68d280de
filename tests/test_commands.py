"""The command language: every command parses, every mistake names its token, nothing else escapes."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands import COMMANDS, ChangeCommand, Resolved, UsageError, parse
from commands.connector import ConnectorCreate
from commands.group import GroupCreate
from commands.lexer import tokenize
from commands.numbers import NumbersAssociate, NumbersList
from commands.origination import OriginationDisable, OriginationSet
from commands.proxy import ProxySet

IDS = Resolved(
    ids={"pstn-primary": "abcdef1ghij2klmno3pqr4", "pstn-failover": "123a456b-c7d8-90e1-fg23-4h567jkl8901"},
    region="us-east-1",
)


def test_every_example_in_help_parses() -> None:
    for command in COMMANDS:
        for example in command.examples:
            assert isinstance(parse(example), command), example


def test_seed_requests_come_out_field_for_field() -> None:
    create = parse("connector create newVoiceConnector --region us-west-2")
    assert isinstance(create, ConnectorCreate)
    assert create.api_params(Resolved({}, "us-west-2")) == {
        "Name": "newVoiceConnector",
        "AwsRegion": "us-west-2",
        "RequireEncryption": True,
    }
    group = parse("group create myGroup --member pstn-primary:2")
    assert isinstance(group, GroupCreate)
    assert group.api_params(IDS) == {
        "Name": "myGroup",
        "VoiceConnectorItems": [{"VoiceConnectorId": "abcdef1ghij2klmno3pqr4", "Priority": 2}],
    }
    origination = parse("origination set pstn-primary --route 10.24.34.0:1234/tcp,priority=1,weight=5")
    assert isinstance(origination, OriginationSet)
    assert origination.api_params(IDS)["Origination"] == {
        "Routes": [{"Host": "10.24.34.0", "Port": 1234, "Protocol": "TCP", "Priority": 1, "Weight": 5}],
        "Disabled": False,
    }
    proxy = parse("proxy set pstn-primary --expiry 60 --countries US")
    assert isinstance(proxy, ProxySet)
    assert proxy.api_params(IDS) == {
        "VoiceConnectorId": "abcdef1ghij2klmno3pqr4",
        "DefaultSessionExpiryMinutes": 60,
        "PhoneNumberPoolCountries": ["US"],
    }


def test_numbers_typed_with_punctuation_spaces_and_commas_are_normalised_once() -> None:
    command = parse(
        "numbers associate pstn-failover +1 (206) 555-0100, 206 555 0101\n12065550102 "
        "<tel:+12065550103|+1 206 555 0103> +1 206 555 0100 --force"
    )
    assert isinstance(command, NumbersAssociate)
    assert command.numbers == ["+12065550100", "+12065550101", "+12065550102", "+12065550103"]
    assert command.api_params(IDS)["ForceAssociate"] is True
    unforced = parse("numbers associate pstn-failover +12065550100")
    assert isinstance(unforced, ChangeCommand)
    assert "ForceAssociate" not in unforced.api_params(IDS)


def test_slack_link_markup_and_smart_quotes_are_undone() -> None:
    assert tokenize("origination set “my trunk” --route <http://sip.example.com|sip.example.com>:5060") == [
        "origination",
        "set",
        "my trunk",
        "--route",
        "sip.example.com:5060",
    ]
    assert tokenize("a &lt;b&gt; &amp;") == ["a", "<b>", "&"]


def test_toggle_keeps_the_current_routes() -> None:
    command = parse("origination disable pstn-primary")
    assert isinstance(command, OriginationDisable)
    current = OriginationSet.model_validate(
        {"connector": "x", "routes": [{"host": "10.0.0.1", "port": 5060}]}
    ).desired()
    params = command.api_params(Resolved(IDS.ids, "us-east-1", current=current))
    assert params["Origination"] == {"Routes": [{"Host": "10.0.0.1", "Port": 5060}], "Disabled": True}


@pytest.mark.parametrize(
    ("text", "token", "says"),
    [
        ("connectr", "connectr", "Did you mean"),
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
        ("numbers associate g 12345", "12345", "country code"),
        ("proxy set vc --expiry 60 --countries US,USA", "USA", "[A-Z]{2}"),
        ("connector create bad/name", "bad/name", "letters, digits"),
        ("connector create ok --region mars-1", "mars-1", "us-east-1"),
        ("group create g --member vc:100", "vc:100", "priority"),
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
