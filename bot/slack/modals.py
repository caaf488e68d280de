"""Edit forms on Slack: the Edit button on `origination show` / `termination show` answers opens a
modal of the current settings; submitting it runs the equivalent `… set` text as the person who
submitted it, through the workflow (policy, preview, Apply), like a typed command.

The policy is checked for the person acting at each step: at the click (before anything is read),
at the submission (options the rules require come back on their fields; a denial is answered and
audited by the workflow), and again at Apply like any change.
"""

import hashlib
import json
import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.respond.async_respond import AsyncRespond as RespondTo
from slack_sdk.errors import SlackApiError

from bot.authority import judge
from bot.aws_errors import VoiceError
from bot.engine import Engine
from bot.ops.termination import get_termination
from bot.outcomes import Answer, Denied, ReadAnswered
from bot.policy import Policy
from bot.render.doc import Button, Buttons
from bot.slack.delivery import Conversation
from bot.slack.forms import (
    CALLBACKS,
    FILLERS,
    INCIDENT,
    REASON,
    FormContext,
    Kind,
    View,
    notice_modal,
    origination_modal,
    termination_modal,
)
from bot.slack.gate import team_of_action, teams_of_action
from bot.slack.listening import Listening
from bot.voice import VoiceService
from bot.workflow import Request
from commands import ChangeCommand, Command
from commands.origination import OriginationSet, OriginationShow
from commands.termination import TerminationSet, TerminationShow
from voice_domain.located import Reference

log = logging.getLogger(__name__)

EDIT_ACTIONS: dict[str, Kind] = {
    "open_origination_form": "origination",
    "open_termination_form": "termination",
}
_ACTION_OF = {kind: action for action, kind in EDIT_ACTIONS.items()}
_SHOWS: dict[type[Command], Kind] = {OriginationShow: "origination", TerminationShow: "termination"}
_SETS: dict[Kind, type[ChangeCommand]] = {"origination": OriginationSet, "termination": TerminationSet}
_TITLES: dict[Kind, str] = {"origination": "Edit origination", "termination": "Edit termination"}


def offer_edit(command: Command | None, answer: Answer) -> Answer:
    """A show's answer with an Edit button (whoever clicks it is checked then), if it has a form."""
    kind = _SHOWS.get(type(command)) if command is not None else None
    if kind is None or not isinstance(answer, ReadAnswered) or answer.doc.level == "error":
        return answer
    connector = str(getattr(command, "connector", ""))
    button = Button("Edit", _ACTION_OF[kind], connector)
    return replace(answer, doc=answer.doc.plus(Buttons((button,))))


def register_edit_forms(app: AsyncApp, listening: Listening) -> None:
    workflow, client = listening.workflow, listening.delivery.client

    async def open_form(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        action = (body.get("actions") or [{}])[0]
        kind = EDIT_ACTIONS[str(action.get("action_id"))]
        request = await listening.clicked(ack, body, respond, "")
        if request is None:
            return
        channel_id = str(request.channel_id)
        conversation = Conversation(request.user_id, channel_id, respond)
        permission = _SETS[kind].permission
        decision = workflow.policy.decide(request.subject(), permission)
        if not decision.allowed:
            await listening.deliver(Denied(permission, decision.explain()), conversation)
            return
        context = FormContext(kind, str(action.get("value") or ""), channel_id, str(body.get("response_url")))
        # A trigger_id lasts 3 seconds: open at once, then fill the form in once AWS has answered.
        reading = notice_modal(_TITLES[kind], f"Reading the {kind} of {context.connector}…")
        try:
            opened: Any = await client.views_open(trigger_id=str(body.get("trigger_id")), view=reading)
            view_id = str(opened["view"]["id"])
            await client.views_update(view_id=view_id, view=await _form(workflow.engine.voice, context))
        except SlackApiError as error:
            log.error("could not show the %s form: %s", kind, error.response.get("error"))

    async def submitted(ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        context = FormContext.loads(str(view.get("private_metadata") or "{}"))
        refusal = await listening.gate.team_refusal(teams_of_action(body))
        if refusal is not None:
            await ack(response_action="update", view=notice_modal(_TITLES[context.kind], refusal))
            return
        filled = FILLERS[context.kind](context, (view.get("state") or {}).get("values") or {})
        user_id = str((body.get("user") or {}).get("id"))
        request = await listening.request_of(user_id, context.channel_id, filled.text, team_of_action(body))
        errors = filled.errors or _required(workflow.engine, workflow.policy, request, filled.text, view)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        if not await listening.gate.first_time(_identity(body)):
            return  # the same submission again (a replay): it was taken once
        answer = await workflow.handle(request)
        respond = RespondTo(response_url=context.response_url)
        await listening.deliver(answer, Conversation(user_id, context.channel_id, respond))

    for action_id in EDIT_ACTIONS:
        app.action(action_id)(open_form)
    for callback_id in CALLBACKS.values():
        app.view(callback_id)(submitted)


async def _form(voice: VoiceService, context: FormContext) -> View:
    """The form filled with what AWS holds now, or a modal saying why it cannot be."""
    try:
        target = await voice.locate(Reference("connector", context.connector))
        context = replace(context, connector=target.id)  # the form edits this connector, renamed or not
        if context.kind == "origination":
            origination = await voice.get_origination(target.region, target.id)
            return origination_modal(context, target.name, origination)
        termination = await get_termination(voice, target.region, target.id)
        return termination_modal(context, target.name, termination)
    except VoiceError as error:
        return notice_modal(_TITLES[context.kind], f"Could not read {context.connector}: {error.message}")


def _required(
    engine: Engine, policy: Policy, request: Request, text: str, view: dict[str, Any]
) -> dict[str, str]:
    """Errors for what the text cannot be run as: a usage problem, or options the policy's rules want."""
    parsed = engine.parse(text)
    if parsed.command is None:
        assert parsed.problem is not None
        first = next((b["block_id"] for b in view.get("blocks") or [] if b.get("type") == "input"), REASON)
        return {first: parsed.problem.title}
    if not isinstance(parsed.command, ChangeCommand):
        return {}
    verdict = judge(policy, request.subject(), parsed.command)
    rule = f"The policy requires it for `{parsed.command.permission}`."
    return {
        block: rule
        for block, flag in ((REASON, "--reason TEXT"), (INCIDENT, "--incident ID"))
        if flag in verdict.missing
    }


def _identity(body: dict[str, Any]) -> str:
    """One submission: the view and what was in it (a corrected resubmission is a new one)."""
    view = body.get("view") or {}
    state = json.dumps(view.get("state") or {}, sort_keys=True)
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    user = (body.get("user") or {}).get("id")
    return f"view:{team_of_action(body)}:{user}:{view.get('id')}:{digest}"
