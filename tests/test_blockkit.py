"""Block Kit limits: each one at its edge and one past it, via raw dicts and slack_sdk's block models."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    MarkdownBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    RichTextBlock,
    RichTextElementParts,
    RichTextListElement,
    RichTextSectionElement,
    SectionBlock,
)

from tests.helpers.blockkit import block_kit_problems, errors_problems, unescaped_mentions, view_problems

pytestmark = pytest.mark.harness  # tests of the Block Kit limits checker (a test tool), not of Switchboard

Message = dict[str, Any]


def message(*blocks: dict[str, Any]) -> Message:
    return {"text": "fallback", "blocks": list(blocks)}


def from_models(blocks: list[Block]) -> Message:
    return {"text": "fallback", "blocks": [block.to_dict() for block in blocks]}


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def button(**fields: Any) -> dict[str, Any]:
    return {"type": "button", "text": plain("Apply"), "action_id": "apply", **fields}


@dataclass(frozen=True)
class Limit:
    """One documented limit: ``raw(n)``/``models(n)`` build a message whose measured quantity is ``n``."""

    name: str
    limit: int
    path: str  # where the problem is reported
    raw: Callable[[int], Message]
    models: Callable[[int], list[Block]] | None  # None: slack_sdk has no model for it
    sdk_checks: bool = True  # slack_sdk's own validator enforces the same number


URL = "https://example.com/"
LIMITS = [
    Limit(
        "blocks per message",
        50,
        "blocks:",
        lambda n: message(*[{"type": "divider"}] * n),
        lambda n: [DividerBlock() for _ in range(n)],
        sdk_checks=False,
    ),
    Limit(
        "section text",
        3000,
        "blocks[0].text.text:",
        lambda n: message({"type": "section", "text": mrkdwn("x" * n)}),
        lambda n: [SectionBlock(text=MarkdownTextObject(text="x" * n))],
    ),
    Limit(
        "section fields",
        10,
        "blocks[0].fields:",
        lambda n: message({"type": "section", "fields": [mrkdwn("f")] * n}),
        lambda n: [SectionBlock(fields=[MarkdownTextObject(text="f") for _ in range(n)])],
    ),
    Limit(
        "section field text",
        2000,
        "blocks[0].fields[0].text:",
        lambda n: message({"type": "section", "fields": [plain("x" * n)]}),
        lambda n: [SectionBlock(fields=[PlainTextObject(text="x" * n)])],
        sdk_checks=False,
    ),
    Limit(
        "header text",
        150,
        "blocks[0].text.text:",
        lambda n: message({"type": "header", "text": plain("x" * n)}),
        lambda n: [HeaderBlock(text="x" * n)],
    ),
    Limit(
        "context elements",
        10,
        "blocks[0].elements:",
        lambda n: message({"type": "context", "elements": [mrkdwn("c")] * n}),
        lambda n: [ContextBlock(elements=[MarkdownTextObject(text="c") for _ in range(n)])],
    ),
    Limit(
        "actions elements",
        25,
        "blocks[0].elements:",
        lambda n: message({"type": "actions", "elements": [button(action_id=f"a{i}") for i in range(n)]}),
        lambda n: [ActionsBlock(elements=[ButtonElement(text="Apply", action_id=f"a{i}") for i in range(n)])],
    ),
    Limit(
        "button text",
        75,
        "blocks[0].elements[0].text.text:",
        lambda n: message({"type": "actions", "elements": [button(text=plain("x" * n))]}),
        lambda n: [ActionsBlock(elements=[ButtonElement(text="x" * n, action_id="apply")])],
    ),
    Limit(
        "button action_id",
        255,
        "blocks[0].elements[0].action_id:",
        lambda n: message({"type": "actions", "elements": [button(action_id="a" * n)]}),
        lambda n: [ActionsBlock(elements=[ButtonElement(text="Apply", action_id="a" * n)])],
    ),
    Limit(
        "button value",
        2000,
        "blocks[0].elements[0].value:",
        lambda n: message({"type": "actions", "elements": [button(value="v" * n)]}),
        lambda n: [ActionsBlock(elements=[ButtonElement(text="Apply", action_id="apply", value="v" * n)])],
    ),
    Limit(
        "button url",
        3000,
        "blocks[0].accessory.url:",
        lambda n: message(
            {"type": "section", "text": mrkdwn("s"), "accessory": button(url=URL + "u" * (n - len(URL)))}
        ),
        lambda n: [
            SectionBlock(
                text="s",
                accessory=ButtonElement(text="Apply", action_id="apply", url=URL + "u" * (n - len(URL))),
            )
        ],
    ),
    Limit(
        "block_id",
        255,
        "blocks[0].block_id:",
        lambda n: message({"type": "divider", "block_id": "b" * n}),
        lambda n: [DividerBlock(block_id="b" * n)],
    ),
    Limit(
        "markdown block",
        12000,
        "blocks:",
        lambda n: message({"type": "markdown", "text": "m" * n}),
        lambda n: [MarkdownBlock(text="m" * n)],
    ),
    Limit(
        "image alt_text",
        2000,
        "blocks[0].alt_text:",
        lambda n: message({"type": "image", "image_url": URL, "alt_text": "a" * n}),
        lambda n: [ImageBlock(image_url=URL, alt_text="a" * n)],
    ),
    Limit(
        "image_url",
        3000,
        "blocks[0].image_url:",
        lambda n: message({"type": "image", "image_url": URL + "i" * (n - len(URL)), "alt_text": "a"}),
        lambda n: [ImageBlock(image_url=URL + "i" * (n - len(URL)), alt_text="a")],
    ),
    Limit("message text", 4000, "text:", lambda n: {"text": "t" * n}, None),
    Limit(
        "attachments",
        100,
        "attachments:",
        lambda n: {"text": "t", "attachments": [{"text": "a"}] * n},
        None,
    ),
]


@pytest.mark.parametrize("case", LIMITS, ids=[case.name for case in LIMITS])
def test_raw_message_at_the_limit_passes_and_one_past_it_fails(case: Limit) -> None:
    assert block_kit_problems(case.raw(case.limit)) == []

    problems = block_kit_problems(case.raw(case.limit + 1))

    assert len(problems) == 1, problems
    assert problems[0].startswith(case.path), problems


MODELLED = [case for case in LIMITS if case.models is not None]


@pytest.mark.parametrize("case", MODELLED, ids=[case.name for case in MODELLED])
def test_slack_sdk_models_at_the_limit_pass(case: Limit) -> None:
    assert case.models is not None
    assert block_kit_problems(from_models(case.models(case.limit))) == []


SDK_CHECKED = [case for case in MODELLED if case.sdk_checks]


@pytest.mark.parametrize("case", SDK_CHECKED, ids=[case.name for case in SDK_CHECKED])
def test_slack_sdk_agrees_one_past_the_limit_is_invalid(case: Limit) -> None:
    """Cross-check: slack_sdk's validators, written from the same docs, refuse the same size."""
    assert case.models is not None
    with pytest.raises(SlackObjectFormationError):
        from_models(case.models(case.limit + 1))


def test_a_full_message_built_with_slack_sdk_models_is_valid() -> None:
    confirm = ConfirmObject(
        title="Apply route?", text="Calls to +44 20 move now.", confirm="Apply", deny="Cancel"
    )
    blocks: list[Block] = [
        HeaderBlock(text="Voice Connector vc-1"),
        SectionBlock(
            text="*Origination* routes",
            fields=[MarkdownTextObject(text="*Host*\nsip.example.com"), PlainTextObject(text="Priority 1")],
            accessory=OverflowMenuElement(
                action_id="more",
                options=[Option(text="Details", value="d"), Option(text="History", value="h")],
            ),
        ),
        DividerBlock(),
        ContextBlock(elements=[MarkdownTextObject(text="Requested by <@U1>")]),
        ImageBlock(image_url=URL, alt_text="call volume", title="Volume"),
        RichTextBlock(
            elements=[
                RichTextSectionElement(elements=[RichTextElementParts.Text(text="Steps:")]),
                RichTextListElement(
                    style="bullet",
                    elements=[RichTextSectionElement(elements=[RichTextElementParts.Text(text="drain")])],
                ),
            ]
        ),
        ActionsBlock(
            elements=[
                ButtonElement(text="Apply", action_id="apply", value="42", style="primary", confirm=confirm),
                ButtonElement(text="Reject", action_id="reject", value="42", style="danger"),
            ]
        ),
        MarkdownBlock(text="**Done** when green."),
    ]

    assert block_kit_problems(from_models(blocks)) == []


def test_text_hard_limit_is_40000_even_when_allowing_more() -> None:
    assert block_kit_problems({"text": "t" * 40_000}, max_text_chars=40_000) == []
    assert block_kit_problems({"text": "t" * 40_001}, max_text_chars=100_000) == [
        "text: 40,001 chars exceeds 40,000"
    ]


@pytest.mark.parametrize("text", [None, "", "   "])
def test_blocks_need_a_fallback_text(text: str | None) -> None:
    blocks_message = {"blocks": [{"type": "divider"}], "text": text}
    in_attachment = {"attachments": [{"blocks": [{"type": "divider"}]}], "text": text}

    assert block_kit_problems(blocks_message)[0].startswith("text: fallback text is required")
    assert block_kit_problems(in_attachment)[0].startswith("text: fallback text is required")


def test_a_message_needs_some_content() -> None:
    assert block_kit_problems({}) == ["message: has no text, blocks or attachments (Slack answers no_text)"]
    assert block_kit_problems({"attachments": [{"fallback": "f", "text": "legacy"}]}) == []


def test_markdown_blocks_share_one_12000_char_budget() -> None:
    problems = block_kit_problems(
        message({"type": "markdown", "text": "m" * 6000}, {"type": "markdown", "text": "m" * 6001})
    )

    assert problems == ["blocks: markdown blocks total 12,001 chars exceeds 12,000"]


def test_block_ids_are_unique_across_the_message_and_its_attachments() -> None:
    duplicated = {
        "text": "t",
        "blocks": [{"type": "divider", "block_id": "a"}, {"type": "divider", "block_id": "b"}],
        "attachments": [{"blocks": [{"type": "divider", "block_id": "a"}]}],
    }

    assert block_kit_problems(duplicated) == [
        "attachments[0].blocks[0].block_id: 'a' is not unique within the message"
    ]


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (
            {"type": "section", "text": {"type": "markdown", "text": "x"}},
            "blocks[0].text.type: 'markdown' is not",
        ),
        (
            {"type": "section", "text": {"type": "mrkdwn", "text": ""}},
            "blocks[0].text.text: must be a non-empty",
        ),
        ({"type": "section", "text": "bare string"}, "blocks[0].text: must be a text object"),
        (
            {"type": "section", "text": {**mrkdwn("x"), "emoji": True}},
            "blocks[0].text.emoji: only allowed on plain",
        ),
        (
            {"type": "section", "text": {**plain("x"), "verbatim": True}},
            "blocks[0].text.verbatim: only allowed on",
        ),
        ({"type": "header", "text": mrkdwn("Title")}, "blocks[0].text.type: must be plain_text"),
        (
            {"type": "actions", "elements": [button(text=mrkdwn("Go"))]},
            "blocks[0].elements[0].text.type: must be",
        ),
    ],
)
def test_text_objects_need_a_valid_type_and_text(block: dict[str, Any], problem: str) -> None:
    problems = block_kit_problems(message(block))

    assert len(problems) == 1 and problems[0].startswith(problem), problems


CONFIRM = {
    "title": plain("Sure?"),
    "text": plain("It moves calls."),
    "confirm": plain("Yes"),
    "deny": plain("No"),
}


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ({"type": "sectoin", "text": mrkdwn("x")}, "blocks[0].type: unknown block type 'sectoin'"),
        ({"type": "section"}, "blocks[0]: section needs text or fields"),
        ({"type": "divider", "text": mrkdwn("x")}, "blocks[0]: divider takes no fields, got ['text']"),
        ({"type": "image", "image_url": URL}, "blocks[0].alt_text: image needs a non-empty alt_text"),
        ({"type": "image", "alt_text": "a"}, "blocks[0]: image needs image_url or slack_file"),
        ({"type": "context", "elements": []}, "blocks[0].elements: must be a non-empty list"),
        ({"type": "markdown", "text": ""}, "blocks[0].text: markdown block needs a non-empty string text"),
        (
            {"type": "actions", "elements": [{"type": "buton"}]},
            "blocks[0].elements[0].type: unknown interactive",
        ),
        (
            {"type": "actions", "elements": [button(), button()]},
            "blocks[0].elements[1].action_id: 'apply' is not unique within the block",
        ),
        (
            {"type": "actions", "elements": [button(style="green")]},
            "blocks[0].elements[0].style: 'green' is not",
        ),
        (
            {"type": "actions", "elements": [button(confirm={**CONFIRM, "text": plain("x" * 301)})]},
            "blocks[0].elements[0].confirm.text.text: 301 chars exceeds 300",
        ),
        (
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "overflow",
                        "action_id": "o",
                        "options": [{"text": plain("o"), "value": "v"}] * 6,
                    }
                ],
            },
            "blocks[0].elements[0].options: 6 options exceeds 5",
        ),
        (
            {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [{"type": "txt"}]}]},
            "blocks[0].elements[0].elements[0].type: unknown rich_text leaf 'txt'",
        ),
        (
            {"type": "rich_text", "elements": [{"type": "paragraph"}]},
            "blocks[0].elements[0].type: unknown rich_text",
        ),
    ],
)
def test_block_structure_problems(block: dict[str, Any], problem: str) -> None:
    problems = block_kit_problems(message(block))

    assert any(found.startswith(problem) for found in problems), problems


def test_confirm_dialog_needs_all_its_parts() -> None:
    problems = block_kit_problems(
        message({"type": "actions", "elements": [button(confirm={"title": plain("t")})]})
    )

    assert [problem.split(":")[0] for problem in problems] == [
        "blocks[0].elements[0].confirm.text",
        "blocks[0].elements[0].confirm.confirm",
        "blocks[0].elements[0].confirm.deny",
    ]


def test_blocks_must_be_a_list_of_objects() -> None:
    assert block_kit_problems({"text": "t", "blocks": '[{"type": "divider"}]'}) == ["blocks: must be a list"]
    assert block_kit_problems({"text": "t", "blocks": ["divider"]}) == ["blocks[0]: block must be an object"]


# -- unescaped mentions ----------------------------------------------------------------------------------

MENTIONS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0123|oncall>",
    "<@U0123>",
    "<#C0123|ops>",
    "<https://evil.example|click>",
]


@pytest.mark.parametrize("markup", MENTIONS)
def test_every_kind_of_markup_is_found_wherever_text_is_shown(markup: str) -> None:
    shown = {
        "text": f"top {markup}",
        "blocks": [
            {"type": "section", "text": mrkdwn(f"section {markup}"), "fields": [plain(markup)]},
            {"type": "context", "elements": [mrkdwn(markup)]},
            {
                "type": "rich_text",
                "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": markup}]}],
            },
        ],
        "attachments": [{"fallback": markup, "pretext": markup, "fields": [{"title": "t", "value": markup}]}],
    }

    assert unescaped_mentions(shown) == [
        f"text: {markup}",
        f"blocks[0].text.text: {markup}",
        f"blocks[0].fields[0].text: {markup}",
        f"blocks[1].elements[0].text: {markup}",
        f"blocks[2].elements[0].elements[0].text: {markup}",
        f"attachments[0].fallback: {markup}",
        f"attachments[0].pretext: {markup}",
        f"attachments[0].fields[0].value: {markup}",
    ]


def test_identifiers_and_button_values_are_not_shown_text() -> None:
    hidden = message(
        {
            "type": "actions",
            "block_id": "<!here>",
            "elements": [button(value="<!channel>", url="https://x/<y>")],
        }
    )

    assert unescaped_mentions(hidden) == []


def test_deliberate_mentions_can_be_allowed() -> None:
    found = unescaped_mentions({"text": "<@U1> asked; <!here> and <!channel>"}, allowed=["<@U1>", "<!here>"])

    assert found == ["text: <!channel>"]


def slack_escape(text: str) -> str:
    """Slack's documented escaping for message text: only &, < and > need it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@given(st.text())
def test_escaped_text_never_carries_markup(text: str) -> None:
    assert unescaped_mentions(message({"type": "section", "text": mrkdwn(slack_escape(text) or "x")})) == []


@given(st.text(alphabet=st.characters(blacklist_characters="<>")), st.sampled_from(MENTIONS))
def test_markup_is_found_inside_any_text(around: str, markup: str) -> None:
    assert unescaped_mentions({"text": f"{around}{markup}{around}"}) == [f"text: {markup}"]


# Views: modals and Home tabs ------------------------------------------------------------------------


def modal(*blocks: dict[str, Any], **fields: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Edit origination"},
        "blocks": list(blocks),
    }
    return view | {"submit": {"type": "plain_text", "text": "Preview"}} | fields


def text_input(block_id: str = "host", **element: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "Host"},
        "element": {"type": "plain_text_input", "action_id": "value"} | element,
    }


def test_a_view_at_its_limits_passes() -> None:
    blocks = [text_input(f"b{index}", initial_value="x" * 3000) for index in range(100)]
    assert view_problems(modal(*blocks, title={"type": "plain_text", "text": "x" * 24})) == []
    assert view_problems({"type": "home", "blocks": [{"type": "divider"}] * 100}) == []


@pytest.mark.parametrize(
    ("view", "problem"),
    [
        (modal(*[{"type": "divider"}] * 101), "101 blocks exceeds 100 per view"),
        (modal(text_input(), title={"type": "plain_text", "text": "x" * 25}), "title.text: 25 chars"),
        (modal(text_input(), submit={"type": "plain_text", "text": "x" * 25}), "submit.text: 25 chars"),
        (
            {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": [text_input()]},
            "needs a submit",
        ),
        (modal(text_input(), private_metadata="x" * 3001), "private_metadata: 3,001 chars"),
        (
            {"type": "home", "blocks": [{"type": "divider"}], "title": {"type": "plain_text", "text": "T"}},
            "only a",
        ),
        (modal(text_input(), text_input()), "'host' is not unique"),
        (modal(text_input(initial_value="x" * 3001)), "initial_value: 3,001 chars"),
        (modal({**text_input(), "element": {"type": "button", "action_id": "b"}}), "not an input element"),
        (modal({**text_input(), "label": {"type": "mrkdwn", "text": "*Host*"}}), "must be plain_text"),
        (
            modal({**text_input(), "element": {"type": "number_input", "action_id": "n"}}),
            "is_decimal_allowed",
        ),
        (
            modal(
                {
                    **text_input(),
                    "element": {
                        "type": "static_select",
                        "action_id": "p",
                        "options": [{"text": {"type": "plain_text", "text": "TCP"}, "value": "TCP"}],
                        "initial_option": {"text": {"type": "plain_text", "text": "UDP"}, "value": "UDP"},
                    },
                }
            ),
            "'UDP' is not one of the options",
        ),
        ({"type": "dialog", "blocks": [{"type": "divider"}]}, "'dialog' is not one of"),
    ],
)
def test_view_limits_past_the_edge_are_reported(view: dict[str, Any], problem: str) -> None:
    assert any(problem in found for found in view_problems(view)), view_problems(view)


def test_submission_errors_must_name_input_blocks_of_the_view() -> None:
    view = modal(
        text_input("host"), {"type": "section", "text": {"type": "mrkdwn", "text": "intro"}, "block_id": "s"}
    )
    assert errors_problems(view, {"host": "not a host"}) == []
    assert errors_problems(view, {"s": "x", "port": "y", "host": ""}) == [
        "errors.s: no input block has this block_id",
        "errors.port: no input block has this block_id",
        "errors.host: must be a non-empty string",
    ]
