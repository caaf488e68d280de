"""The Bolt app: `/voice` in, Docs out; Apply/Cancel buttons for previews.

Everything after `ack()` runs after Slack has its answer: Bolt (process_before_response=False)
returns the HTTP response as soon as ack is called and finishes the listener in the background.
Only usage errors are answered in the ack itself, since they need no I/O.
"""

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.outcomes import Answer, Applied, Exported, Reconciled, is_public
from bot.policy import Policy
from bot.render.blockkit import escape, to_messages
from bot.render.doc import Doc, Fields, Notice
from bot.render.outcome_views import answer_view, secrets_text
from bot.slack import follow_ups
from bot.slack.actions import APPLY_ACTION, CANCEL_ACTION, PREVIEW_ACTIONS
from bot.slack.delivery import Conversation, Delivery
from bot.slack.drift import BUTTON_COMMANDS, upload
from bot.slack.files import SlackFiles
from bot.slack.gate import Gate, action_identity, command_identity, team_of_action, teams_of_action
from bot.slack.home import register_home
from bot.slack.listening import Listening
from bot.slack.modals import offer_edit, register_edit_forms
from bot.slack.people import SlackPeople
from bot.slack.progress import progress_in
from bot.slack.usergroups import UsergroupCache
from bot.store import ChangeRecord, SeenRequests
from bot.surfaces import Surfaces
from bot.workflow import Request, Workflow

log = logging.getLogger(__name__)


def web_client(token: str, base_url: str | None) -> AsyncWebClient:
    """The bot's Web API client, retrying rate limits (with Retry-After), 5xx and connection errors."""
    client = AsyncWebClient(token=token, base_url=base_url or AsyncWebClient.BASE_URL)
    client.retry_handlers.extend(
        [
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ]
    )
    return client


class SlackAnnouncer:
    """Posts each change's outcome to NOTIFY_CHANNEL with who, where, and a link to the preview."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery

    async def announce(self, settled: Applied | Reconciled) -> None:
        doc, record = answer_view(settled), settled.record
        where = f"#{record.channel_id}" if record.channel_id else record.surface
        fields = [("Who", record.requested_by), ("Where", where), ("Command", record.command_text)]
        link = await self._permalink(record)
        if link:
            fields.append(("Original message", link))
        await self.delivery.announce(doc, Doc(doc.title, (Fields(tuple(fields)),)))

    async def _permalink(self, record: ChangeRecord) -> str | None:
        reference = record.message_ref or {}
        if not reference.get("channel") or not reference.get("ts"):
            return None
        try:
            response: Any = await self.delivery.client.chat_getPermalink(
                channel=reference["channel"], message_ts=reference["ts"]
            )
        except SlackApiError:
            return None
        permalink = response.get("permalink")
        return str(permalink) if permalink else None


def slack_surfaces(delivery: Delivery, policy: Policy) -> Surfaces:
    """Announce in NOTIFY_CHANNEL, read files shared in Slack, re-read the grants' user groups,
    name people by their display names."""
    groups = [group for grant in policy.grants for group in grant.usergroups]
    return Surfaces(
        announcer=SlackAnnouncer(delivery),
        files=SlackFiles(delivery.client),
        membership=UsergroupCache(delivery.client, groups),
        people=SlackPeople(delivery.client),
    )


def build_app(workflow: Workflow, delivery: Delivery, *, signing_secret: str | None) -> AsyncApp:
    """`workflow` must have been built with `slack_surfaces(delivery, …)`."""
    usergroups = workflow.surfaces.membership
    if usergroups is None:
        raise TypeError("the Slack app needs a workflow built with slack_surfaces")
    client = delivery.client
    app = AsyncApp(client=client, signing_secret=signing_secret, process_before_response=False)
    gate = Gate(client, workflow.policy, SeenRequests(workflow.store))

    async def request_of(
        user_id: str,
        channel_id: str,
        text: str,
        team_id: str | None,
        message_ref: dict[str, str] | None = None,
        *,
        acting: bool = False,
    ) -> Request:
        """`acting`: the request takes effect now (a click, or a command that acts `at_once`), so
        the user groups that decide it are read again from Slack, not taken from the cache: someone
        just removed from @oncall cannot silence a drift alert or cancel a change for the cache's
        life. A typed change's preview uses the cache; its Apply reads them afresh."""
        return Request(
            user_id=user_id,
            channel_id=channel_id,
            text=text,
            surface="slack",
            usergroups=await usergroups.groups_of(user_id, fresh=acting),
            message_ref=message_ref,
            team_id=team_id,
        )

    async def deliver(answer: Answer, conversation: Conversation, *, replace_original: bool = False) -> None:
        doc = answer_view(answer, PREVIEW_ACTIONS)
        if isinstance(answer, Exported):
            if not await upload(delivery, conversation, answer):
                where = "invite the bot to this channel" if answer.shared else "check the bot may message you"
                doc = doc.plus(Notice("error", f"Slack refused the file: {where}."))
            elif not answer.shared:
                doc = doc.plus(Notice("info", "Sent to you alone, in your direct messages with the bot."))
        if is_public(answer):
            await delivery.public(conversation, doc, replace_original=replace_original)
        else:
            await delivery.private(conversation, doc)

    @app.command("/voice")
    async def voice(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        team_id = str(body.get("team_id") or "") or None
        refusal = await gate.team_refusal([team_id])
        if refusal is not None:
            message = to_messages(_refusal(refusal), files_allowed=False)[0]
            await ack(response_type="ephemeral", text=message.text, blocks=message.blocks)
            return
        text = str(body.get("text") or "")
        parsed = workflow.engine.parse(text)
        if parsed.problem is not None:
            message = to_messages(parsed.problem, files_allowed=False)[0]
            await ack(response_type="ephemeral", text=message.text, blocks=message.blocks)
        else:
            await ack()
        # After the ack: a store write must never cost Slack's 3-second answer.
        if not await gate.first_time(command_identity(body)):
            return  # Slack's retry or a replay: the original was taken and is being answered
        user_id, channel_id = str(body.get("user_id")), str(body.get("channel_id"))
        acting = parsed.command is not None and parsed.command.at_once
        request = await request_of(user_id, channel_id, text, team_id, acting=acting)
        if parsed.problem is not None:
            await workflow.record_invalid(request, parsed.problem)
            return
        answer = offer_edit(parsed.command, await workflow.handle(request))
        await deliver(answer, Conversation(user_id, channel_id, respond))

    async def clicked(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, text: str
    ) -> Request | None:
        """Ack a click and make its request; None when it is refused or was taken already."""
        user_id = str((body.get("user") or {}).get("id"))
        channel_id = str(
            (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        )
        refusal = await gate.team_refusal(teams_of_action(body))
        if refusal is not None:
            await ack()
            await delivery.private(Conversation(user_id, channel_id, respond), _refusal(refusal))
            return None
        await ack()
        if not await gate.first_time(action_identity(body)):
            return None  # the same click again (Slack's retry or a replay): it was taken once
        message_ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
        reference = {"channel": channel_id, "ts": str(message_ts)} if message_ts else None
        return await request_of(user_id, channel_id, text, team_of_action(body), reference, acting=True)

    async def on_button(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, apply: bool) -> None:
        request = await clicked(ack, body, respond, "")
        if request is None:
            return
        user_id, channel_id = request.user_id, str(request.channel_id)
        change_id = str(((body.get("actions") or [{}])[0]).get("value") or "")
        if apply:
            answer = await workflow.confirm(change_id, request, progress_in(client, channel_id))
        else:
            answer = await workflow.cancel(change_id, request)
        conversation = Conversation(user_id, channel_id, respond)
        await deliver(answer, conversation, replace_original=True)
        if isinstance(answer, Applied) and answer.secrets:
            await reveal(answer, conversation)

    async def reveal(applied: Applied, conversation: Conversation) -> None:
        """Secrets go to the requester alone (not the approver who clicked), once."""
        record = applied.record
        text = secrets_text(applied.secrets, escape)
        if not await delivery.secret(record.channel_id or conversation.channel_id, record.requested_by, text):
            lost = (
                f"Change {record.id} was applied, but its new password could not be shown privately to "
                f"{record.requested_by}: add the user again to make another."
            )
            await delivery.private(conversation, Doc(lost, (Notice("warning", lost),), "warning"))

    @app.action(APPLY_ACTION)
    async def apply_change(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await on_button(ack, body, respond, apply=True)

    @app.action(CANCEL_ACTION)
    async def cancel_change(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await on_button(ack, body, respond, apply=False)

    async def on_drift_button(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """Acknowledge and Revert run `/voice drift ack|revert ID` as the person who clicked, so the
        policy is checked at the click (and a revert's change again at Apply, like any change)."""
        action = (body.get("actions") or [{}])[0]
        verb = BUTTON_COMMANDS[str(action.get("action_id"))]
        request = await clicked(ack, body, respond, f"{verb} {action.get('value') or ''}")
        if request is None:
            return
        answer = await workflow.handle(request)
        acknowledged = verb == "drift ack" and is_public(answer)
        conversation = Conversation(request.user_id, str(request.channel_id), respond)
        await deliver(answer, conversation, replace_original=acknowledged)

    for action_id in BUTTON_COMMANDS:
        app.action(action_id)(on_drift_button)
    follow_ups.register(app, workflow, clicked, deliver)

    listening = Listening(workflow, delivery, gate, request_of, clicked, deliver)
    register_edit_forms(app, listening)
    register_home(app, listening)
    return app


def _refusal(text: str) -> Doc:
    return Doc(text, (Notice("error", text),), level="error")
