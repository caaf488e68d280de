"""Block Kit limits checker: every message the bot sends must pass it, so limits fail in CI, not in Slack.

Real Slack rejects an over-long section with ``invalid_blocks`` (or silently truncates long ``text``), and the
bot only finds out in production. This module encodes the documented limits so the stand-in Slack server (and
any test) can reject the same payloads on loopback.

Sources the limits were cross-checked against (the ``search`` tool's stored copies of Slack's docs):

- api.slack.com/reference/block-kit/blocks: "You can include up to 50 blocks in each message"; actions block
  "maximum of 25 elements"; ``block_id`` "Maximum length for this field is 255 characters ... should be unique
  for each message".
- docs.slack.dev/reference/block-kit/composition-objects/text-object: ``type`` "Can be one of plain_text or
  mrkdwn"; ``text`` "minimum length is 1 and maximum length is 3000 characters"; ``emoji`` only for
  plain_text, ``verbatim`` only for mrkdwn.
- docs.slack.dev/reference/block-kit/blocks/header-block: plain_text, "Maximum length ... is 150 characters".
- Section block (Slack's field table, as mirrored in several SDK docs): ``text`` max 3000; ``fields``
  "Maximum number of items is 10. Maximum length for the text in each item is 2000 characters"; context block
  elements "Maximum number of items is 10".
- Button element (docs.slack.dev/reference/block-kit/block-elements/button-element, as quoted by SDKs): text
  75, ``action_id`` 255, ``value`` 2000, ``url`` 3000, ``accessibility_label`` 75, style primary/danger.
- Markdown block: 12,000 characters cumulative per payload (Slack's markdown block reference, as cited in
  slackapi/bolt-js#2509).
- api.slack.com/changelog/2018-04-truncating-really-long-messages: ``text`` over 40,000 characters is
  truncated; Slack earlier asked apps to stay under 4,000, and long messages "may be automatically broken into
  multiple messages".
- Views (docs.slack.dev/reference/views, modal and Home tab objects): "Maximum of 100 blocks"; a modal's
  ``title``, ``submit`` and ``close`` are plain_text of at most 24 characters, and ``submit`` is required
  when the view has input blocks; ``private_metadata`` at most 3,000 characters; ``callback_id`` and
  ``external_id`` at most 255.
- Input block (docs.slack.dev/reference/block-kit/blocks/input-block): ``label`` and ``hint`` plain_text of at
  most 2,000 characters; one ``element`` of the input kinds. Radio buttons and checkboxes take at most 10
  options; a plain-text input's ``initial_value`` and ``max_length`` at most 3,000; a number input's
  ``is_decimal_allowed`` is required. ``response_action: errors`` names input blocks by ``block_id``.
- slack_sdk.models.blocks validators carry the same numbers (section 3000/10, header 150, actions 25,
  context 10, button 75/255/2000/3000, image 3000/2000, markdown 12000, options 100, overflow 5).

Choice on message ``text``: the default ceiling is 4,000 characters, not 40,000. A message Slack splits or
truncates is no longer the message the bot will later ``chat.update`` by ``ts``, and long output belongs in an
uploaded file. ``max_text_chars`` raises the ceiling (never past the hard 40,000).

The checker is deliberately a little stricter than Slack (fallback ``text`` required whenever blocks are sent,
unknown block and element types flagged) because every such case is a bot bug, even where Slack shrugs.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

MAX_BLOCKS = 50
TEXT_HARD_MAX = 40_000
TEXT_RECOMMENDED_MAX = 4_000
TEXT_OBJECT_MAX = 3_000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2_000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
ACTION_ID_MAX = 255
BUTTON_VALUE_MAX = 2_000
URL_MAX = 3_000
BLOCK_ID_MAX = 255
MARKDOWN_TOTAL_MAX = 12_000
IMAGE_ALT_TEXT_MAX = 2_000
IMAGE_TITLE_MAX = 2_000
PLACEHOLDER_MAX = 150
OPTIONS_MAX = 100
OVERFLOW_OPTIONS_MAX = 5
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
ATTACHMENTS_MAX = 100
VIEW_BLOCKS_MAX = 100
VIEW_TITLE_MAX = 24
PRIVATE_METADATA_MAX = 3_000
CALLBACK_ID_MAX = 255
INPUT_LABEL_MAX = 2_000
CHOICE_OPTIONS_MAX = 10  # radio buttons, checkboxes
PLAIN_INPUT_MAX = 3_000
VIEW_TYPES = frozenset({"modal", "home"})
INPUT_ELEMENT_TYPES = frozenset(
    {
        "checkboxes",
        "channels_select",
        "conversations_select",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "external_select",
        "file_input",
        "multi_channels_select",
        "multi_conversations_select",
        "multi_external_select",
        "multi_static_select",
        "multi_users_select",
        "number_input",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "static_select",
        "timepicker",
        "url_text_input",
        "users_select",
    }
)
CONFIRM_LIMITS = {"title": 100, "text": 300, "confirm": 30, "deny": 30}

TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
BUTTON_STYLES = frozenset({"primary", "danger"})

# Blocks whose fields only get the common block_id checks: real types, rarely used by the bot.
_LIGHTLY_CHECKED_BLOCKS = frozenset(
    {
        "alert",
        "call",
        "card",
        "carousel",
        "container",
        "context_actions",
        "file",
        "plan",
        "table",
        "task_card",
        "video",
    }
)

INTERACTIVE_ELEMENT_TYPES = frozenset(
    {
        "button",
        "channels_select",
        "checkboxes",
        "conversations_select",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "external_select",
        "feedback_buttons",
        "file_input",
        "icon_button",
        "multi_channels_select",
        "multi_conversations_select",
        "multi_external_select",
        "multi_static_select",
        "multi_users_select",
        "number_input",
        "overflow",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "static_select",
        "timepicker",
        "url_text_input",
        "users_select",
        "workflow_button",
    }
)
RICH_TEXT_CONTAINERS = frozenset(
    {"rich_text_section", "rich_text_list", "rich_text_preformatted", "rich_text_quote"}
)
RICH_TEXT_LEAVES = frozenset(
    {"text", "link", "emoji", "user", "usergroup", "channel", "broadcast", "date", "color", "team"}
)

# Where Slack renders text (and so parses <...> markup); identifiers, URLs and button values are not shown.
_DISPLAYED_KEYS = frozenset({"text", "fallback", "pretext", "title", "footer", "author_name", "alt_text"})
_MARKUP = re.compile(r"<[^<>]*>")


def block_kit_problems(
    message: Mapping[str, Any], *, max_text_chars: int = TEXT_RECOMMENDED_MAX
) -> list[str]:
    """Human-readable problems with a message payload (text, blocks, attachments); [] means valid."""
    checker = _Checker()
    checker.message(message, min(max_text_chars, TEXT_HARD_MAX))
    return checker.problems


def view_problems(view: Mapping[str, Any]) -> list[str]:
    """Problems with a view payload (a modal or a Home tab, as views.open/update/publish take it)."""
    checker = _Checker()
    checker.view(view)
    return checker.problems


def errors_problems(view: Mapping[str, Any], errors: Mapping[str, Any]) -> list[str]:
    """Problems with a ``response_action: errors`` answer to a submission of ``view``: each key must be an
    input block of the view, each message a non-empty string (Slack shows it under that field)."""
    inputs = {
        block.get("block_id") for block in _mappings(view.get("blocks")) if block.get("type") == "input"
    }
    problems = [f"errors.{key}: no input block has this block_id" for key in errors if key not in inputs]
    problems += [f"errors.{key}: must be a non-empty string" for key, text in errors.items() if not text]
    return problems


def unescaped_mentions(message: Mapping[str, Any], *, allowed: Iterable[str] = ()) -> list[str]:
    """Every ``<...>`` markup sequence in the message's displayed text, as ``"path: <...>"``.

    The bot escapes user and AWS text (``&lt;``), so ``<!channel>``, ``<@U…>``, ``<#C…>``, ``<!subteam^…>``
    or links can only appear where the bot put them on purpose; list those exact sequences in ``allowed``.
    """
    permitted = set(allowed)
    return [
        f"{path}: {found}"
        for path, text in _displayed_strings(message)
        for found in _MARKUP.findall(text)
        if found not in permitted
    ]


def _displayed_strings(message: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    yield from _walk(message, "")
    for index, attachment in enumerate(_mappings(message.get("attachments"))):
        for field_index, field in enumerate(_mappings(attachment.get("fields"))):
            if isinstance(field.get("value"), str):  # legacy attachment fields display their value
                yield f"attachments[{index}].fields[{field_index}].value", field["value"]


def _walk(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            if not isinstance(value, str):
                yield from _walk(value, child)
            elif key in _DISPLAYED_KEYS:
                yield child, value
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}[{index}]")


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    """The objects in a list-valued field, ignoring malformed entries (the checker reports those)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


class _Checker:
    """Walks one message, collecting problems; holds the message-wide state (block_ids, markdown total)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.block_ids: set[str] = set()
        self.markdown_chars = 0

    def add(self, path: str, problem: str) -> None:
        self.problems.append(f"{path}: {problem}")

    def max_len(self, path: str, value: Any, limit: int) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.add(path, f"must be a string, not {type(value).__name__}")
        elif len(value) > limit:
            self.add(path, f"{len(value):,} chars exceeds {limit:,}")

    def message(self, message: Mapping[str, Any], max_text: int) -> None:
        blocks = message.get("blocks")
        attachments = message.get("attachments")
        text = message.get("text")
        has_blocks = bool(blocks) or any(a.get("blocks") for a in _mappings(attachments))
        if text is not None and not isinstance(text, str):
            self.add("text", f"must be a string, not {type(text).__name__}")
        elif not (text or "").strip():
            if has_blocks:
                self.add(
                    "text", "fallback text is required when blocks are sent (notifications, screen readers)"
                )
            elif not attachments:
                self.add("message", "has no text, blocks or attachments (Slack answers no_text)")
        else:
            self.max_len("text", text, max_text)
        if blocks is not None:
            self.blocks(blocks, "blocks")
        if attachments is not None:
            self.attachments(attachments)

    def view(self, view: Mapping[str, Any]) -> None:
        kind = view.get("type")
        if kind not in VIEW_TYPES:
            self.add("type", f"{kind!r} is not one of {sorted(VIEW_TYPES)}")
        blocks = view.get("blocks")
        if not isinstance(blocks, list) or not blocks:
            self.add("blocks", "a view needs a non-empty list of blocks")
            return
        if len(blocks) > VIEW_BLOCKS_MAX:
            self.add("blocks", f"{len(blocks)} blocks exceeds {VIEW_BLOCKS_MAX} per view")
        for index, block in enumerate(blocks):
            self.block(block, f"blocks[{index}]")
        self.max_len("private_metadata", view.get("private_metadata"), PRIVATE_METADATA_MAX)
        self.max_len("callback_id", view.get("callback_id"), CALLBACK_ID_MAX)
        self.max_len("external_id", view.get("external_id"), CALLBACK_ID_MAX)
        if kind != "modal":
            for key in ("title", "submit", "close"):
                if key in view:
                    self.add(key, f"only a modal has a {key}")
            return
        self.text_object(view.get("title"), "title", VIEW_TITLE_MAX, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                self.text_object(view[key], key, VIEW_TITLE_MAX, plain_only=True)
        has_inputs = any(isinstance(b, Mapping) and b.get("type") == "input" for b in blocks)
        if has_inputs and view.get("submit") is None:
            self.add("submit", "a modal with input blocks needs a submit button")

    def attachments(self, attachments: Any) -> None:
        if not isinstance(attachments, list):
            self.add("attachments", "must be a list")
            return
        if len(attachments) > ATTACHMENTS_MAX:
            self.add("attachments", f"{len(attachments)} attachments exceeds {ATTACHMENTS_MAX}")
        for index, attachment in enumerate(attachments):
            path = f"attachments[{index}]"
            if not isinstance(attachment, Mapping):
                self.add(path, "must be an object")
            elif attachment.get("blocks") is not None:
                self.blocks(attachment["blocks"], f"{path}.blocks")

    def blocks(self, blocks: Any, path: str) -> None:
        if not isinstance(blocks, list):
            self.add(path, "must be a list")
            return
        if len(blocks) > MAX_BLOCKS:
            self.add(path, f"{len(blocks)} blocks exceeds {MAX_BLOCKS} per message")
        for index, block in enumerate(blocks):
            self.block(block, f"{path}[{index}]")
        if self.markdown_chars > MARKDOWN_TOTAL_MAX:
            self.add(
                path, f"markdown blocks total {self.markdown_chars:,} chars exceeds {MARKDOWN_TOTAL_MAX:,}"
            )

    def block(self, block: Any, path: str) -> None:
        if not isinstance(block, Mapping):
            self.add(path, "block must be an object")
            return
        kind = block.get("type")
        block_id = block.get("block_id")
        if block_id is not None:
            self.max_len(f"{path}.block_id", block_id, BLOCK_ID_MAX)
            if isinstance(block_id, str):
                if not block_id:
                    self.add(f"{path}.block_id", "must not be empty")
                elif block_id in self.block_ids:
                    self.add(f"{path}.block_id", f"{block_id!r} is not unique within the message")
                self.block_ids.add(block_id)
        if kind not in KNOWN_BLOCK_TYPES:
            self.add(f"{path}.type", f"unknown block type {kind!r}")
        elif kind in _BLOCK_CHECKS:
            _BLOCK_CHECKS[kind](self, block, path)

    def block_section(self, block: Mapping[str, Any], path: str) -> None:
        text, fields = block.get("text"), block.get("fields")
        if text is None and not fields:
            self.add(path, "section needs text or fields")
        if text is not None:
            self.text_object(text, f"{path}.text", TEXT_OBJECT_MAX)
        if fields is not None:
            if not isinstance(fields, list):
                self.add(f"{path}.fields", "must be a list")
            else:
                if len(fields) > SECTION_FIELDS_MAX:
                    self.add(f"{path}.fields", f"{len(fields)} items exceeds {SECTION_FIELDS_MAX}")
                for index, field in enumerate(fields):
                    self.text_object(field, f"{path}.fields[{index}]", SECTION_FIELD_TEXT_MAX)
        if block.get("accessory") is not None:
            self.element(block["accessory"], f"{path}.accessory", accessory=True)

    def block_header(self, block: Mapping[str, Any], path: str) -> None:
        self.text_object(block.get("text"), f"{path}.text", HEADER_TEXT_MAX, plain_only=True)

    def block_context(self, block: Mapping[str, Any], path: str) -> None:
        elements = self.element_list(block, path, CONTEXT_ELEMENTS_MAX)
        for index, element in enumerate(elements):
            where = f"{path}.elements[{index}]"
            if isinstance(element, Mapping) and element.get("type") == "image":
                self.image(element, where)
            else:
                self.text_object(element, where, TEXT_OBJECT_MAX)

    def block_actions(self, block: Mapping[str, Any], path: str) -> None:
        action_ids: set[str] = set()
        for index, element in enumerate(self.element_list(block, path, ACTIONS_ELEMENTS_MAX)):
            where = f"{path}.elements[{index}]"
            self.element(element, where, accessory=False)
            action_id = element.get("action_id") if isinstance(element, Mapping) else None
            if isinstance(action_id, str):
                if action_id in action_ids:
                    self.add(f"{where}.action_id", f"{action_id!r} is not unique within the block")
                action_ids.add(action_id)

    def block_input(self, block: Mapping[str, Any], path: str) -> None:
        self.text_object(block.get("label"), f"{path}.label", INPUT_LABEL_MAX, plain_only=True)
        if block.get("hint") is not None:
            self.text_object(block["hint"], f"{path}.hint", INPUT_LABEL_MAX, plain_only=True)
        for flag in ("optional", "dispatch_action"):
            if flag in block and not isinstance(block[flag], bool):
                self.add(f"{path}.{flag}", "must be a boolean")
        element = block.get("element")
        kind = element.get("type") if isinstance(element, Mapping) else None
        if kind not in INPUT_ELEMENT_TYPES:
            self.add(f"{path}.element", f"{kind!r} is not an input element")
            return
        assert isinstance(element, Mapping)
        self.element(element, f"{path}.element", accessory=False)
        where = f"{path}.element"
        if kind in ("radio_buttons", "checkboxes"):
            options = element.get("options")
            if isinstance(options, list) and len(options) > CHOICE_OPTIONS_MAX:
                self.add(f"{where}.options", f"{len(options)} options exceeds {CHOICE_OPTIONS_MAX}")
        if kind == "plain_text_input":
            self.max_len(f"{where}.initial_value", element.get("initial_value"), PLAIN_INPUT_MAX)
            for bound in ("min_length", "max_length"):
                value = element.get(bound)
                if value is not None and not (isinstance(value, int) and 0 <= value <= PLAIN_INPUT_MAX):
                    self.add(f"{where}.{bound}", f"must be a whole number 0–{PLAIN_INPUT_MAX}")
        if kind == "number_input":
            if not isinstance(element.get("is_decimal_allowed"), bool):
                self.add(f"{where}.is_decimal_allowed", "is required (a boolean)")
            for key in ("initial_value", "min_value", "max_value"):
                self.max_len(f"{where}.{key}", element.get(key), 10)
        self.initial_options(element, where)

    def initial_options(self, element: Mapping[str, Any], path: str) -> None:
        """An initial option must be one of the element's options, as Slack requires."""
        options = [option for option in _mappings(element.get("options"))]
        chosen = _mappings(element.get("initial_options"))
        if isinstance(element.get("initial_option"), Mapping):
            chosen.append(element["initial_option"])
        for option in chosen:
            if option not in options:
                self.add(f"{path}.initial_option", f"{option.get('value')!r} is not one of the options")

    def block_divider(self, block: Mapping[str, Any], path: str) -> None:
        extra = sorted(set(block) - {"type", "block_id"})
        if extra:
            self.add(path, f"divider takes no fields, got {extra}")

    def block_image(self, block: Mapping[str, Any], path: str) -> None:
        self.image(block, path)
        if block.get("title") is not None:
            self.text_object(block["title"], f"{path}.title", IMAGE_TITLE_MAX, plain_only=True)

    def block_markdown(self, block: Mapping[str, Any], path: str) -> None:
        text = block.get("text")
        if not isinstance(text, str) or not text:
            self.add(f"{path}.text", "markdown block needs a non-empty string text")
        else:
            self.markdown_chars += len(text)

    def block_rich_text(self, block: Mapping[str, Any], path: str) -> None:
        for index, container in enumerate(self.element_list(block, path, None)):
            self.rich_text_container(container, f"{path}.elements[{index}]")

    def rich_text_container(self, container: Any, path: str) -> None:
        kind = container.get("type") if isinstance(container, Mapping) else None
        if kind not in RICH_TEXT_CONTAINERS:
            self.add(f"{path}.type", f"unknown rich_text element {kind!r}")
            return
        for index, child in enumerate(self.element_list(container, path, None)):
            where = f"{path}.elements[{index}]"
            if kind == "rich_text_list":
                self.rich_text_container(child, where)
                continue
            leaf = child.get("type") if isinstance(child, Mapping) else None
            if leaf not in RICH_TEXT_LEAVES:
                self.add(f"{where}.type", f"unknown rich_text leaf {leaf!r}")
            elif leaf == "text" and not isinstance(child.get("text"), str):
                self.add(f"{where}.text", "rich_text text element needs a string text")

    def element_list(self, holder: Mapping[str, Any], path: str, limit: int | None) -> list[Any]:
        elements = holder.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{path}.elements", "must be a non-empty list")
            return []
        if limit is not None and len(elements) > limit:
            self.add(f"{path}.elements", f"{len(elements)} elements exceeds {limit}")
        return elements

    def image(self, image: Mapping[str, Any], path: str) -> None:
        if image.get("image_url") is None and image.get("slack_file") is None:
            self.add(path, "image needs image_url or slack_file")
        self.max_len(f"{path}.image_url", image.get("image_url"), URL_MAX)
        alt_text = image.get("alt_text")
        if not isinstance(alt_text, str) or not alt_text:
            self.add(f"{path}.alt_text", "image needs a non-empty alt_text")
        else:
            self.max_len(f"{path}.alt_text", alt_text, IMAGE_ALT_TEXT_MAX)

    def element(self, element: Any, path: str, *, accessory: bool) -> None:
        if not isinstance(element, Mapping):
            self.add(path, "element must be an object")
            return
        kind = element.get("type")
        if accessory and kind == "image":
            self.image(element, path)
            return
        if kind not in INTERACTIVE_ELEMENT_TYPES:
            self.add(f"{path}.type", f"unknown interactive element type {kind!r}")
            return
        self.max_len(f"{path}.action_id", element.get("action_id"), ACTION_ID_MAX)
        if element.get("confirm") is not None:
            self.confirm(element["confirm"], f"{path}.confirm")
        if element.get("placeholder") is not None:
            self.text_object(element["placeholder"], f"{path}.placeholder", PLACEHOLDER_MAX, plain_only=True)
        if element.get("options") is not None:
            self.options(
                element["options"],
                f"{path}.options",
                OVERFLOW_OPTIONS_MAX if kind == "overflow" else OPTIONS_MAX,
            )
        if kind == "button":
            self.button(element, path)

    def button(self, button: Mapping[str, Any], path: str) -> None:
        self.text_object(button.get("text"), f"{path}.text", BUTTON_TEXT_MAX, plain_only=True)
        self.max_len(f"{path}.value", button.get("value"), BUTTON_VALUE_MAX)
        self.max_len(f"{path}.url", button.get("url"), URL_MAX)
        self.max_len(f"{path}.accessibility_label", button.get("accessibility_label"), BUTTON_TEXT_MAX)
        style = button.get("style")
        if style is not None and style not in BUTTON_STYLES:
            self.add(f"{path}.style", f"{style!r} is not one of {sorted(BUTTON_STYLES)}")

    def confirm(self, confirm: Any, path: str) -> None:
        if not isinstance(confirm, Mapping):
            self.add(path, "must be an object")
            return
        for key, limit in CONFIRM_LIMITS.items():
            self.text_object(confirm.get(key), f"{path}.{key}", limit, plain_only=key != "text")

    def options(self, options: Any, path: str, limit: int) -> None:
        if not isinstance(options, list):
            self.add(path, "must be a list")
            return
        if len(options) > limit:
            self.add(path, f"{len(options)} options exceeds {limit}")
        for index, option in enumerate(options):
            where = f"{path}[{index}]"
            if not isinstance(option, Mapping):
                self.add(where, "option must be an object")
                continue
            self.text_object(option.get("text"), f"{where}.text", OPTION_TEXT_MAX)
            self.max_len(f"{where}.value", option.get("value"), OPTION_VALUE_MAX)

    def text_object(self, obj: Any, path: str, limit: int, *, plain_only: bool = False) -> None:
        if not isinstance(obj, Mapping):
            self.add(path, "must be a text object {type, text}")
            return
        kind = obj.get("type")
        if kind not in TEXT_TYPES:
            self.add(f"{path}.type", f"{kind!r} is not plain_text or mrkdwn")
        elif plain_only and kind != "plain_text":
            self.add(f"{path}.type", f"must be plain_text, not {kind}")
        if "emoji" in obj and kind != "plain_text":
            self.add(f"{path}.emoji", "only allowed on plain_text")
        if "verbatim" in obj and kind != "mrkdwn":
            self.add(f"{path}.verbatim", "only allowed on mrkdwn")
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.add(f"{path}.text", "must be a non-empty string")
        else:
            self.max_len(f"{path}.text", text, limit)


_BLOCK_CHECKS: dict[str, Callable[[_Checker, Mapping[str, Any], str], None]] = {
    "actions": _Checker.block_actions,
    "context": _Checker.block_context,
    "divider": _Checker.block_divider,
    "header": _Checker.block_header,
    "image": _Checker.block_image,
    "input": _Checker.block_input,
    "markdown": _Checker.block_markdown,
    "rich_text": _Checker.block_rich_text,
    "section": _Checker.block_section,
}
KNOWN_BLOCK_TYPES = frozenset(_BLOCK_CHECKS) | _LIGHTLY_CHECKED_BLOCKS
