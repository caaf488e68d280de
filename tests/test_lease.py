"""A claim never expires under a live apply, and the applier's outcome is never left UNKNOWN.

Two workflows share one PostgreSQL store, as two replicas do; the sandbox holds the AWS request
open (a scripted hang) so the apply is provably still running while the other replica looks.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.engine import Engine
from bot.outcomes import Answer, Applied, Reconciled, awaiting
from bot.policy import SANDBOX
from bot.render.outcome_views import answer_view
from bot.sandbox import RunningSandbox
from bot.settings import AwsSettings
from bot.store import Status, Store, now
from bot.surfaces import Surfaces
from bot.voice import VoiceService
from bot.workflow import Request, Workflow
from tests.helpers.polling import GUARD_SECONDS, eventually
from tests.helpers.sandbox_fixtures import recorded_requests

SET_ROUTE = "origination set pstn-primary --route 10.0.0.9/udp,priority=1,weight=1"


@dataclass
class Announcements:
    """The announcer surface: what each replica would post to the notification channel."""

    posted: list[tuple[str, str]]

    async def announce(self, settled: Applied | Reconciled) -> None:
        self.posted.append((settled.record.id, answer_view(settled).title))


@pytest.fixture
async def replicas(
    sandbox: RunningSandbox, postgres_url: str
) -> AsyncIterator[tuple[Workflow, Workflow, Announcements]]:
    store = Store(postgres_url)
    await store.migrate()
    announcements = Announcements([])
    async with VoiceService(AwsSettings()) as voice:
        engine = Engine(voice)
        surfaces = Surfaces(announcer=announcements)
        applier = Workflow(engine, store, SANDBOX, surfaces, lease=timedelta(seconds=1))
        other = Workflow(engine, store, SANDBOX, surfaces)
        yield applier, other, announcements
    await store.close()


def _request(text: str) -> Request:
    return Request(user_id="U0ALICE", channel_id="C0OPS", text=text, surface="slack")


async def _start_hanging_apply(
    sandbox: RunningSandbox, applier: Workflow
) -> tuple[str, asyncio.Task[Answer]]:
    sandbox.faults.configure(
        {"script": [{"operation": "PutVoiceConnectorOrigination", "fault": "hang", "seconds": 600}]}
    )
    change_id = awaiting(await applier.handle(_request(SET_ROUTE)))
    assert change_id is not None
    applying = asyncio.create_task(applier.confirm(change_id, _request("")))

    async def sent() -> bool:
        return any(r["operation"] == "PutVoiceConnectorOrigination" for r in recorded_requests(sandbox))

    await eventually(sent, "the apply's request reaches the sandbox")
    return change_id, applying


async def test_the_applier_renews_its_claim_while_aws_work_runs(
    sandbox: RunningSandbox, replicas: tuple[Workflow, Workflow, Announcements]
) -> None:
    applier, _, _ = replicas
    change_id, applying = await _start_hanging_apply(sandbox, applier)
    claimed = await applier.store.get(change_id)
    assert claimed is not None and claimed.status == Status.APPLYING

    async def renewed() -> bool:
        record = await applier.store.get(change_id)
        return record is not None and record.updated_at > claimed.updated_at

    await eventually(renewed, "the claim is renewed during the apply")
    sandbox.faults.release()
    reply = answer_view(await asyncio.wait_for(applying, GUARD_SECONDS))
    assert "Applied" in reply.title


async def test_an_outcome_the_applier_knows_replaces_another_replica_s_unknown(
    sandbox: RunningSandbox, replicas: tuple[Workflow, Workflow, Announcements]
) -> None:
    applier, other, announcements = replicas
    applier.lease = timedelta(days=1)  # no renewal during this test: the lapse below is the only one
    change_id, applying = await _start_hanging_apply(sandbox, applier)
    async with applier.store.engine.begin() as connection:  # the claim lapses (a long GC pause, say)
        await connection.execute(
            text("UPDATE switchboard_changes SET updated_at = :when WHERE id = :id"),
            {"when": now() - timedelta(hours=1), "id": change_id},
        )
    [settled] = [answer_view(s) for s in await other.settle_abandoned()]
    assert "UNKNOWN" in settled.title

    sandbox.faults.release()
    reply = answer_view(await asyncio.wait_for(applying, GUARD_SECONDS))
    assert "Applied" in reply.title
    record = await applier.store.get(change_id)
    assert record is not None and record.status == Status.APPLIED
    assert record.error is not None and "marked it UNKNOWN" in record.error
    assert [title for changed, title in announcements.posted if changed == change_id] == [
        settled.title,
        reply.title,
    ]
