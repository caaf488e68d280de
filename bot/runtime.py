"""Assembling the pieces every surface shares: backend, store, policy, engine, workflow."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.backend import Backend, open_backend
from bot.engine import Engine
from bot.policy import READ_ONLY, SANDBOX, Policy, load_policy
from bot.settings import AwsSettings, CoreSettings
from bot.store import Store
from bot.workflow import Announcer, Workflow


@dataclass(frozen=True)
class Runtime:
    backend: Backend
    store: Store
    policy: Policy
    workflow: Workflow

    async def readiness_problems(self) -> list[str]:
        """Empty when the bot can serve: the store answers and AWS credentials resolve."""
        problems = []
        try:
            await self.store.ping()
        except Exception as error:  # any failure means not ready; the message says which
            problems.append(f"store unreachable: {type(error).__name__}")
        if not await self.backend.voice.has_credentials():
            problems.append("no AWS credentials")
        return problems


@asynccontextmanager
async def open_runtime(
    *,
    aws: AwsSettings | None = None,
    core: CoreSettings | None = None,
    force_sandbox: bool = False,
    sandbox_fallback: bool = True,
    announcer: Announcer | None = None,
) -> AsyncIterator[Runtime]:
    core = core or CoreSettings()
    configured = load_policy(core.policy_file) if core.policy_file else None  # a bad file stops start-up now
    store = Store(core.database_url)
    try:
        await store.migrate()
        backend_context = open_backend(
            aws or AwsSettings(), force_sandbox=force_sandbox, sandbox_fallback=sandbox_fallback
        )
        async with backend_context as backend:
            policy = configured or (SANDBOX if backend.sandboxed else READ_ONLY)
            workflow = Workflow(Engine(backend.voice), store, policy, announcer)
            yield Runtime(backend, store, policy, workflow)
    finally:
        await store.close()
