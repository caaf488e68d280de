"""Safe changes: policy check, preview, confirmation, exactly-once apply, audit, announcement.

Every surface hands requests here and shows the answers it gets back (`bot.outcomes`, worded by
`bot.render.outcome_views`): this module decides, it does not word. The store is the single
source of truth for a change's state, so several replicas (or a restarted one) agree on it.
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from bot import claims, history, metrics, reconciliation, undo, unparsed
from bot.applying import Progress
from bot.authority import Verdict, first_refusal, judge, permissions_of
from bot.engine import Engine
from bot.follow_ups import follow_ups
from bot.numbers_file import numbers_from_file
from bot.ops.registry import STORE_COMMANDS, Answered, CannotUndo, Exports, StoreContext
from bot.outcomes import (
    AlreadySettled,
    Answer,
    Applied,
    Cancelled,
    CannotApproveOwn,
    Denied,
    DryRun,
    Expired,
    Exported,
    InternalError,
    NeedsOptions,
    NotAllowedToApprove,
    NotAllowedToCancel,
    NotApplied,
    NotFound,
    NotRun,
    OnlyRequester,
    Proposed,
    ReadAnswered,
    Reconciled,
    Revealed,
    StoreDown,
    UndoImpossible,
    Undoing,
    WrongPlace,
)
from bot.policy import Policy, Subject
from bot.render.doc import Doc
from bot.results import Outcome, Plan
from bot.store import ChangeRecord, ClaimRefused, Status, Store, StoreUnavailable, expiry, now
from bot.surfaces import NO_SURFACES, Surfaces
from commands import ChangeCommand, Command, ReadCommand, UsageError, find
from commands.audit import HISTORY_EVERYWHERE, History, Undo
from commands.numbers import NumbersChange

log = logging.getLogger(__name__)

ABANDONED_AFTER = timedelta(minutes=15)
"""A claim not renewed for this long is taken for abandoned; a live applier renews it every fifth."""

_FINAL_STATUS = {"applied": Status.APPLIED, "partial": Status.PARTIAL, "failed": Status.FAILED}


@dataclass(frozen=True)
class Request:
    """One person's input from one surface."""

    user_id: str
    channel_id: str | None
    text: str
    surface: str
    usergroups: frozenset[str] = frozenset()
    message_ref: dict[str, str] | None = None  # the preview message a button was clicked on
    team_id: str | None = None  # the asker's Slack workspace (None outside Slack)

    def subject(self) -> Subject:
        return Subject(self.user_id, self.channel_id, self.usergroups)


ProgressFactory = Callable[[ChangeRecord, Plan], Progress]
"""Makes the progress reporter for one change being applied in several requests."""


class Workflow:
    def __init__(
        self,
        engine: Engine,
        store: Store,
        policy: Policy,
        surfaces: Surfaces = NO_SURFACES,
        lease: timedelta = ABANDONED_AFTER,
    ) -> None:
        self.instance = claims.this_process()
        self.lease = lease
        self.engine = engine
        self.store = store
        self.policy = policy
        self.surfaces = surfaces
        self._applying: set[str] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    # Requests ------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Answer:
        """Answer one request; without the audit store nothing is changed, and the person is told so."""
        return await _guarded(self._handle(request))

    async def _handle(self, request: Request, *, undo_of: str | None = None) -> Answer:
        parsed = self.engine.parse(request.text)
        if parsed.command is None:
            assert parsed.problem is not None
            await self.record_invalid(request, parsed.problem)
            return NotRun(parsed.problem)
        command = parsed.command
        if isinstance(command, ChangeCommand):
            return await self._propose(request, command, undo_of)
        permission = command.permission
        if isinstance(command, History) and command.all_channels:
            permission = HISTORY_EVERYWHERE
        decision = self.policy.decide(request.subject(), permission)
        if not decision.allowed:
            await self._record(request, Status.DENIED, command=command, error=decision.explain())
            return Denied(permission, decision.explain())
        if isinstance(command, History):
            answer = await history.answer(
                command, request.subject(), self.store, self.policy, self.surfaces.people, self.engine.voice
            )
            if isinstance(answer, Denied):  # one change, requested in a channel this person may not read
                await self._record(request, Status.DENIED, command=command, error=answer.explanation)
            else:
                metrics.count_command(command.command_name(), "ok")
            return answer
        if isinstance(command, Undo):
            return await self._undo(request, command)
        if type(command) in STORE_COMMANDS:
            return await self._from_store(request, command)
        doc = await self.engine.read(command)
        metrics.count_command(command.command_name(), "error" if doc.level == "error" else "ok")
        return ReadAnswered(doc, public=isinstance(command, ReadCommand) and command.share)

    async def record_invalid(self, request: Request, problem: Doc) -> None:
        """Input that is not a command ran nothing; the audit log still says who tried what."""
        try:
            await self._record(request, Status.INVALID, error=unparsed.redacted(problem.title))
        except StoreUnavailable as error:
            log.error("could not record invalid input from %s: %s", request.user_id, error)

    async def _undo(self, request: Request, command: Undo) -> Answer:
        record = await self.store.get(command.change_id)
        if record is None:
            return NotFound(command.change_id)
        elsewhere = _undone_elsewhere(record, request, self.policy)
        if elsewhere is not None:
            return elsewhere
        if record.result is None or record.status not in (Status.APPLIED, Status.PARTIAL):
            return UndoImpossible(record.id, _not_undoable(record))
        name = str((record.command or {}).get("words", ""))
        outcome = record.result
        later = await undo.changes_after(self.store, record)
        try:
            inverse = undo.inverse_command(name, outcome)
        except CannotUndo as reason:
            gone = undo.target_gone(record, later, None)
            return UndoImpossible(command.change_id, gone or str(reason))
        gone = undo.target_gone(record, later, inverse)
        if gone is not None:
            return UndoImpossible(command.change_id, gone)
        answer = await self._handle(replace(request, text=inverse + command.passed_on()), undo_of=record.id)
        caveats = tuple(undo.undo_caveats(name, outcome))
        plan = answer.plan if isinstance(answer, Proposed | DryRun) else None
        reverts = tuple(undo.reverted(later, plan)) if plan is not None else ()
        if not caveats and not reverts:
            return answer
        return Undoing(answer, caveats, record.id, reverts, *await self._visibility(request, reverts))

    async def _visibility(
        self, request: Request, records: tuple[ChangeRecord, ...]
    ) -> tuple[frozenset[str], Mapping[str, str]]:
        """Of `records`, those whose command the asker may not read (requested in another channel,
        without `history.read.all`), and the people involved by name."""
        everywhere = self.policy.decide(request.subject(), HISTORY_EVERYWHERE).allowed
        hidden = frozenset(r.id for r in records if not everywhere and r.channel_id != request.channel_id)
        people = self.surfaces.people
        names = await people.names({r.requested_by for r in records}) if people and records else {}
        return hidden, names

    async def _from_store(self, request: Request, command: Command) -> Answer:
        """A command answered from the shared store; one that proposes a change is planned as typed."""
        context = StoreContext(self.store, self.engine.voice, request.user_id)
        answer = await STORE_COMMANDS[type(command)].run(command, context)
        metrics.count_command(command.command_name(), "ok")
        if isinstance(answer, Answered):
            return ReadAnswered(answer.doc, public=answer.public)
        if isinstance(answer, Exports):
            return Exported(answer.doc, answer.file_name, answer.content, answer.shared)
        return await self._handle(replace(request, text=answer.text))

    async def _propose(self, request: Request, command: ChangeCommand, undo_of: str | None) -> Answer:
        """Judge, plan, judge again with what the plan also needs, then record and show the preview."""
        refused = await self._refusal(request, command, judge(self.policy, request.subject(), command))
        if refused is not None:
            return refused
        if isinstance(command, NumbersChange) and command.file is not None:
            loaded = await numbers_from_file(
                self.surfaces.files, command.file, request.channel_id, self.engine.default_country
            )
            if isinstance(loaded, Doc):
                await self._record(request, Status.INVALID, command=command, error=loaded.title)
                return NotRun(loaded)
            command = command.with_file_numbers(loaded)
        planned = await self.engine.plan(command, request.text)
        if planned.plan is None:
            assert planned.problem is not None
            status = Status.FAILED if planned.problem.level == "error" else Status.NOT_PLANNED
            await self._record(request, status, command=command, error=planned.problem.title)
            return NotRun(planned.problem)
        plan = planned.plan
        verdict = judge(self.policy, request.subject(), command, plan.also_requires)
        refused = await self._refusal(request, command, verdict)
        if refused is not None:
            return refused
        if command.dry_run:
            await self._record(request, Status.DRY_RUN, command=command, plan=plan)
            return DryRun(plan)
        record = await self._record(
            request,
            Status.PLANNED,
            command=command,
            plan=plan,
            needs_approval=verdict.needs_approval,
            expires_at=expiry(self.policy.rules.preview_minutes),
            undo_of=undo_of,
        )
        return Proposed(record, plan, int(self.policy.rules.preview_minutes))

    async def _refusal(self, request: Request, command: ChangeCommand, verdict: Verdict) -> Answer | None:
        """The recorded refusal a verdict calls for, or None when it allows the change."""
        if verdict.denial is not None:
            explained = verdict.denial.explain()
            await self._record(request, Status.DENIED, command=command, error=explained)
            return Denied(verdict.denial.permission, explained)
        if verdict.missing:
            problem = f"`{command.permission}` needs {' and '.join(verdict.missing)} by policy."
            await self._record(request, Status.INVALID, command=command, error=problem)
            error = UsageError(
                problem, usage=command.usage(), example=command.examples[0] if command.examples else None
            )
            return NeedsOptions(error)
        return None

    async def follow_up(self, change_id: str, kind: str, actor: Request) -> Answer:
        """Propose a follow-up a bulk result offered (`bot.follow_ups`) as if `actor` typed it, in
        the channel the result was shown in: through the policy to a normal preview."""
        return await _guarded(self._follow_up(change_id, kind, actor))

    async def _follow_up(self, change_id: str, kind: str, actor: Request) -> Answer:
        record = await self.store.get(change_id)
        if record is None or record.result is None:
            return NotFound(change_id, applied=True)
        elsewhere = _elsewhere(record, actor)
        if elsewhere is not None:
            return elsewhere
        offered = [f.command for f in follow_ups(record.result, record) if f.kind == kind]
        if not offered:
            return NotFound(change_id, applied=True)
        return await self._handle(replace(actor, text=offered[0]))

    # Confirmation --------------------------------------------------------------------------

    async def confirm(
        self, change_id: str, actor: Request, progress: ProgressFactory | None = None
    ) -> Answer:
        """Apply a previewed change for `actor`; `progress` makes a progress reporter for bulk changes."""
        return await _guarded(self._confirm(change_id, actor, progress))

    async def _confirm(self, change_id: str, actor: Request, progress: ProgressFactory | None) -> Answer:
        record = await self.store.get(change_id)
        if record is None:
            return NotFound(change_id)
        if record.status != Status.PLANNED:
            return AlreadySettled(record)
        if record.expires_at is not None and record.expires_at <= now():
            await self.store.transition(change_id, Status.PLANNED, Status.EXPIRED)
            return Expired(change_id)
        elsewhere = _elsewhere(record, actor)
        if elsewhere is not None:
            return elsewhere
        command = _stored_command(record)
        assert record.plan is not None
        also = record.plan.also_requires
        requester = await self._requester(record)
        verdict = judge(self.policy, requester.subject(), command, also)
        if not verdict.allowed or (verdict.needs_approval and not record.needs_approval):
            return await self._withdraw(record, requester, command, verdict)
        approver = None
        if record.needs_approval:
            if actor.user_id == record.requested_by:
                return CannotApproveOwn()
            judged = await self._as_of_now(actor, record)
            refusal = first_refusal(self.policy, judged.subject(), permissions_of(command, also))
            if refusal is not None:
                return NotAllowedToApprove(refusal.explain())
            approver = actor.user_id
        elif actor.user_id != record.requested_by:
            return OnlyRequester(change_id, record.requested_by)
        try:
            record = await self.store.claim(
                change_id, applied_by=actor.user_id, claimed_by=self.instance, approver=approver
            )
        except ClaimRefused as refused:
            return AlreadySettled(refused.record)
        if actor.message_ref:
            await self.store.update(change_id, message_ref=actor.message_ref)
            record.message_ref = actor.message_ref
        self._applying.add(change_id)
        self._idle.clear()
        try:
            return await self._apply(record, actor, progress)
        finally:
            self._applying.discard(change_id)
            if not self._applying:
                self._idle.set()

    async def _withdraw(
        self, record: ChangeRecord, requester: Request, command: ChangeCommand, verdict: Verdict
    ) -> Answer:
        """The policy in force no longer allows the change as previewed: cancel it, and say why.

        When only approval became necessary, a new preview that asks for it is posted instead.
        """
        if verdict.denial is not None:
            why = f"the policy in force no longer allows it for {record.requested_by}: "
            why += verdict.denial.explain()
        elif verdict.missing:
            why = f"the policy in force now needs {' and '.join(verdict.missing)} for it"
        else:
            why = "the policy in force now needs a second person's approval for it"
        if not await self.store.transition(
            record.id, Status.PLANNED, Status.CANCELLED, error=f"Not applied: {why}."
        ):
            return AlreadySettled(record)
        renewed = await self._propose(requester, command, record.undo_of) if verdict.allowed else None
        return NotApplied(record.id, why, renewed)

    async def _requester(self, record: ChangeRecord) -> Request:
        """The person who asked for a change, where they asked, with their user groups as of now."""
        asked = Request(
            user_id=record.requested_by,
            channel_id=record.channel_id,
            text=record.command_text,
            surface=record.surface,
            team_id=record.team_id,
        )
        return await self._as_of_now(asked, record)

    async def _as_of_now(self, person: Request, record: ChangeRecord) -> Request:
        """`person` judged in the change's own channel, with group membership re-read, not cached."""
        groups = (
            await self.surfaces.membership.groups_of(person.user_id, fresh=True)
            if self.surfaces.membership is not None
            else person.usergroups
        )
        return replace(person, channel_id=record.channel_id, usergroups=groups)

    async def drain(self, grace_seconds: float) -> set[str]:
        """Wait for changes being applied to finish (graceful shutdown); returns those still running.

        Any left are still APPLYING in the store, and the next start-up reconciles them.
        """
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace_seconds)
        return set(self._applying)

    async def _apply(self, record: ChangeRecord, actor: Request, progress: ProgressFactory | None) -> Answer:
        assert record.plan is not None
        previewed = record.plan
        command = _stored_command(record)
        current = await self.engine.plan(command, record.command_text)
        if current.plan is None or _differs(previewed, current.plan):
            reason = "the state changed since the preview"
            await self.store.transition(
                record.id, Status.APPLYING, Status.CANCELLED, error=f"Not applied: {reason}."
            )
            if current.plan is None:
                assert current.problem is not None
                return NotApplied(record.id, reason, NotRun(current.problem))
            renewed = await self._propose(await self._requester(record), command, record.undo_of)
            return NotApplied(record.id, reason, renewed)
        reporter = progress(record, previewed) if progress and len(previewed.calls) > 1 else None
        renewing = asyncio.create_task(self._renew_claim(record.id))
        revealed: list[Revealed] = []  # secrets for the requester alone: never stored or announced
        try:
            outcome = await self.engine.apply(previewed, reporter, revealed)
        finally:
            renewing.cancel()
        status = _FINAL_STATUS[outcome.status]
        metrics.count_command(command.command_name(), status.value.lower())
        try:
            await self._settle(record.id, status, outcome, previewed)
            final = await self.store.get(record.id) or record
        except StoreUnavailable:
            log.exception("change %s ended %s but could not be recorded", record.id, status)
            return Applied(record, outcome, recorded=False, secrets=tuple(revealed))
        await self._announce(Applied(final, outcome))
        return Applied(final, outcome, secrets=tuple(revealed))

    async def _renew_claim(self, change_id: str) -> None:
        """Keep the claim fresh while AWS work runs (a throttled bulk change takes minutes), so no
        replica takes a live apply for abandoned."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 5)
            try:
                if not await self.store.renew(change_id, self.instance):
                    return
            except StoreUnavailable as error:  # the final transition reports a lasting outage
                log.warning("could not renew the claim on %s: %s", change_id, error)

    async def _settle(self, change_id: str, status: Status, outcome: Outcome, plan: Plan) -> None:
        """Record the applier's outcome. If a replica took the claim for abandoned and marked it
        UNKNOWN meanwhile, the applier knows better: its outcome replaces UNKNOWN, with a note."""
        fields: dict[str, object] = {
            "result": outcome,
            "after": [change.after for change in plan.changes] or None,
            "error": outcome.error.message if outcome.error else None,
            **history.created_target(outcome),
        }
        if await self.store.transition(change_id, Status.APPLYING, status, **fields):
            return
        note = "Settled by its applier after another replica had marked it UNKNOWN."
        fields["error"] = " ".join(filter(None, [note, outcome.error.message if outcome.error else None]))
        if not await self.store.transition(change_id, Status.UNKNOWN, status, **fields):
            current = await self.store.get(change_id)
            log.error(
                "change %s ended %s here but the store says %s: left as it is",
                change_id,
                status,
                current.status if current else "missing",
            )

    async def cancel(self, change_id: str, actor: Request) -> Answer:
        return await _guarded(self._cancel(change_id, actor))

    async def _cancel(self, change_id: str, actor: Request) -> Answer:
        record = await self.store.get(change_id)
        if record is None:
            return NotFound(change_id)
        elsewhere = _elsewhere(record, actor)
        if elsewhere is not None:
            return elsewhere
        allowed = actor.user_id == record.requested_by or (
            record.needs_approval and self.policy.decide(actor.subject(), record.permission or "*").allowed
        )
        if not allowed:
            return NotAllowedToCancel(change_id, record.requested_by)
        if not await self.store.transition(
            change_id, Status.PLANNED, Status.CANCELLED, applied_by=actor.user_id
        ):
            return AlreadySettled(record)
        return Cancelled(change_id, actor.user_id)

    # Start-up ------------------------------------------------------------------------------

    async def settle_abandoned(self) -> list[Reconciled]:
        """Settle changes whose applier died mid-apply: read the state back, mark APPLIED or UNKNOWN,
        and announce each."""
        settled = []
        for record in await self.store.with_status(Status.APPLYING):
            if not claims.abandoned(record.claimed_by, record.updated_at, self.lease):
                continue
            assert record.plan is not None
            plan = record.plan
            try:
                applied = await reconciliation.in_effect(plan, self.engine.voice, record.created_at)
            except Exception as error:  # an unreachable AWS leaves it for the next start
                log.warning("could not reconcile change %s: %s", record.id, error)
                continue
            status = Status.APPLIED if applied else Status.UNKNOWN
            note = "The bot stopped while applying this change; reading the state back shows it " + (
                "is in effect." if applied else "is not (fully) in effect: check it and re-run if needed."
            )
            if not await self.store.transition(record.id, Status.APPLYING, status, error=note):
                continue
            final = await self.store.get(record.id)
            assert final is not None
            reconciled = Reconciled(final, plan, applied, note)
            await self._announce(reconciled)
            settled.append(reconciled)
        return settled

    # Helpers -------------------------------------------------------------------------------

    async def _record(
        self,
        request: Request,
        status: Status,
        *,
        command: Command | None = None,
        plan: Plan | None = None,
        **fields: object,
    ) -> ChangeRecord:
        target = plan.target if plan else None
        metrics.count_command(command.command_name() if command else "(unparsed)", status.value.lower())
        return await self.store.add(
            status=status,
            requested_by=request.user_id,
            surface=request.surface,
            channel_id=request.channel_id,
            team_id=request.team_id,
            command_text=request.text if command else unparsed.command_words(request.text),
            command={"words": command.command_name(), "fields": command.model_dump(mode="json")}
            if command
            else None,
            permission=command.permission if command else None,
            target_kind=target.kind if target else None,
            target_id=target.id if target else None,
            target_name=target.name if target else None,
            plan=plan,
            before=plan.before if plan else None,
            reason=command.reason if isinstance(command, ChangeCommand) else None,
            incident=command.incident if isinstance(command, ChangeCommand) else None,
            **fields,
        )

    async def _announce(self, settled: Applied | Reconciled) -> None:
        if self.surfaces.announcer is None:
            return
        try:
            await self.surfaces.announcer.announce(settled)
        except Exception:  # a failed notification must not undo or hide the change
            log.exception("could not announce change %s", settled.record.id)


async def _guarded(work: Awaitable[Answer]) -> Answer:
    """Answer every request, whatever breaks: a store outage changed nothing; a bug is named in the
    log under an error ID the person can quote, and they are told to check history before retrying
    (the bug may have struck after AWS acted)."""
    try:
        return await work
    except StoreUnavailable as error:
        log.error("audit store unavailable: %s", error)
        return StoreDown()
    except Exception as error:
        reference = uuid.uuid4().hex[:8]
        log.exception("internal error %s: %s: %s", reference, type(error).__name__, error)
        return InternalError(reference)


def _stored_command(record: ChangeRecord) -> ChangeCommand:
    """The command as validated when it was previewed (file contents included), not re-parsed text."""
    stored = record.command or {}
    command_class = find(tuple(str(stored.get("words", "")).split()))
    command = command_class.model_validate(stored.get("fields") or {}) if command_class else None
    if not isinstance(command, ChangeCommand):
        raise TypeError(f"change {record.id} has no stored change command")
    return command


def _differs(previewed: Plan, current: Plan) -> bool:
    return previewed.before != current.before or previewed.calls != current.calls


def _not_undoable(record: ChangeRecord) -> str:
    """Why a change that was not applied has no undo, in terms of what it is."""
    if record.status in (Status.FAILED, Status.UNKNOWN):
        return (
            f"it is {record.status}: what it did is not known for certain, so it has no safe automatic "
            f"inverse; `/voice history {record.id}` shows each request and AWS's answer."
        )
    return f"it is {record.status}: nothing was applied, so there is nothing to undo."


def _undone_elsewhere(record: ChangeRecord, request: Request, policy: Policy) -> Answer | None:
    """An undo's preview shows what the change did: from another channel (a private one, a DM) it
    takes what reading that channel's history takes, and from another workspace it is refused."""
    if record.team_id and request.team_id != record.team_id:
        return WrongPlace(record.id, workspace=True)
    if record.channel_id != request.channel_id:
        decision = policy.decide(request.subject(), HISTORY_EVERYWHERE)
        if not decision.allowed:
            why = f"Change {record.id} was requested in another channel. {decision.explain()}"
            return Denied(HISTORY_EVERYWHERE, why)
    return None


def _elsewhere(record: ChangeRecord, actor: Request) -> WrongPlace | None:
    """Why a click cannot act on this change from where it came, or None: a change is applied,
    approved or cancelled only in the workspace and channel where it was requested."""
    if record.team_id and actor.team_id != record.team_id:
        return WrongPlace(record.id, workspace=True)
    if record.channel_id and actor.channel_id and actor.channel_id != record.channel_id:
        return WrongPlace(record.id, workspace=False)
    return None
