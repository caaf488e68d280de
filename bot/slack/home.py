"""The Home tab: the routing map at a glance, published to each person when they open it.

Only what the viewer may read (the commands' read permissions, outside any channel, since a Home
tab is in none) is read and shown. Rendered through the Doc renderer, so AWS's and people's text
is escaped as in every message; kept within the 100 blocks Slack allows a Home view.
"""

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.outcomes import HistoryListed
from bot.policy import Subject
from bot.render.blockkit import to_messages
from bot.render.doc import Bold, Code, Doc, Heading, Inline, Notice, Paragraph, Part
from bot.render.history_views import history_list_view
from bot.routing_map import ConnectorState, GroupState, Hidden, MapCache, RoutingMap, Unread, readable
from bot.slack.forms import MAX_VIEW_BLOCKS, View
from bot.slack.listening import Listening
from bot.store import DriftRecord
from voice_domain.shapes import Origination
from voice_domain.termination import Termination, TerminationHealth

log = logging.getLogger(__name__)


def register_home(app: AsyncApp, listening: Listening) -> None:
    workflow = listening.workflow
    membership = workflow.surfaces.membership
    maps = MapCache()

    async def home_opened(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab") != "home":
            return
        user_id = str(event.get("user"))
        refusal = await listening.gate.team_refusal([str(body.get("team_id") or "") or None])
        if refusal is not None:
            doc = Doc(refusal, (Notice("error", refusal),), "error")
        else:
            groups = await membership.groups_of(user_id) if membership is not None else frozenset()
            parts = readable(workflow.policy, Subject(user_id, None, groups))
            doc = map_view(await maps.read(workflow.engine.voice, workflow.store, parts))
        try:
            await listening.delivery.client.views_publish(user_id=user_id, view=home_view(doc))
        except SlackApiError as error:
            log.error("could not publish the Home tab: %s", error.response.get("error"))

    app.event("app_home_opened")(home_opened)  # a literal: tests/test_deploy.py reads it


def home_view(doc: Doc) -> View:
    """A Doc as a Home view: its messages' blocks in one, summarised past Slack's limit."""
    blocks = [block for message in to_messages(doc, files_allowed=False) for block in message.blocks]
    if len(blocks) > MAX_VIEW_BLOCKS:
        more = to_messages(Doc("", (Paragraph(("More than fits here: use the /voice commands.",)),)))
        blocks = blocks[: MAX_VIEW_BLOCKS - 1] + more[0].blocks
    return {"type": "home", "blocks": blocks}


def map_view(found: RoutingMap) -> Doc:
    parts: list[Part] = [
        Heading("Routing map"),
        Paragraph((f"As of {found.read_at:%Y-%m-%d %H:%M} UTC: what your permissions let you read.",)),
    ]
    parts += [Notice("warning", warning) for warning in found.warnings]
    if found.groups is not None:
        parts.append(Paragraph((Bold("Groups"),)))
        parts += [_group(group) for group in found.groups] or [Paragraph(("No groups.",))]
        if found.groups_not_shown:
            parts.append(Paragraph((f"…and {found.groups_not_shown} more: ", Code("/voice groups"))))
    if found.connectors is not None:
        parts.append(Paragraph((Bold("Connectors"),)))
        parts += [_connector(state) for state in found.connectors] or [Paragraph(("No connectors.",))]
        if found.connectors_not_detailed:
            parts.append(
                Paragraph((f"…and {found.connectors_not_detailed} more: ", Code("/voice connectors")))
            )
    if found.drift is not None:
        parts.append(Paragraph((Bold(f"Unacknowledged drift ({found.drift_total})"),)))
        parts += [_drift(record) for record in found.drift] or [Paragraph(("None.",))]
        if found.drift_total > len(found.drift):
            parts.append(
                Paragraph((f"…and {found.drift_total - len(found.drift)} more: ", Code("/voice drift")))
            )
    if found.changes is not None:
        listed = HistoryListed(tuple(found.changes), filters=(), all_channels=True, public=False)
        parts += history_list_view(listed).parts
    if len(parts) == 2 + len(found.warnings):
        parts.append(Notice("info", "The policy lets you read nothing here; ask an admin for read access."))
    return Doc("Routing map", tuple(parts))


def _group(state: GroupState) -> Paragraph:
    spans: list[Inline] = [Bold(state.group.name), f" ({state.region}): "]
    for index, (member, priority) in enumerate(state.members):
        spans += [" → " if index else "", Code(member), f" (priority {priority})"]
    if not state.members:
        spans.append("no members")
    if state.numbers is not None:
        spans.append(f" · {state.numbers} number(s)")
    return Paragraph(tuple(spans))


def _connector(state: ConnectorState) -> Paragraph:
    spans: list[Inline] = [Bold(state.connector.name), f" ({state.region})"]
    if state.numbers is not None:
        spans.append(f" · {state.numbers} number(s)")
    spans += _origination(state.origination)
    spans += _termination(state.termination, state.health)
    return Paragraph(tuple(spans))


def _origination(origination: Origination | Unread | Hidden | None) -> list[Inline]:
    if isinstance(origination, Hidden):
        return []
    if isinstance(origination, Unread):
        return [f"\nOrigination: not read ({origination.why})"]
    if origination is None:
        return ["\nOrigination: not configured"]
    state = "disabled" if origination.disabled else "enabled"
    spans: list[Inline] = [f"\nOrigination {state}: "]
    routes = sorted(origination.routes, key=lambda route: (route.priority or 0, route.host))
    for index, route in enumerate(routes):
        spans += [", " if index else "", Code(route.describe())]
    return spans if routes else [*spans, "no routes"]


def _termination(
    termination: Termination | Unread | Hidden | None, health: TerminationHealth | Unread | Hidden | None
) -> list[Inline]:
    if isinstance(termination, Hidden):
        return []
    if isinstance(termination, Unread):
        return [f"\nTermination: not read ({termination.why})"]
    if termination is None:
        return ["\nTermination: not configured"]
    state = "disabled" if termination.disabled else "enabled"
    spans: list[Inline] = [f"\nTermination {state}, {termination.settled().cps_limit} call(s)/s"]
    if isinstance(health, TerminationHealth) and health.timestamp is not None:
        spans += [
            f", last SIP OPTIONS {health.timestamp:%Y-%m-%d %H:%M} UTC from ",
            Code(health.source or "?"),
        ]
    elif not isinstance(health, Hidden):
        spans.append(", no SIP OPTIONS received")
    return spans


def _drift(record: DriftRecord) -> Paragraph:
    return Paragraph(
        (
            Code(record.id),
            f" {record.kind} of ",
            Code(record.resource),
            f", seen {record.first_seen:%Y-%m-%d %H:%M} UTC",
        )
    )
