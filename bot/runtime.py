"""Assembling the pieces every surface shares: backend, store, policy, engine, workflow."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.aws_clients import Transport
from bot.backend import Backend, open_backend
from bot.engine import Engine
from bot.policy import READ_ONLY, SANDBOX, Policy, load_policy
from bot.settings import AwsSettings, CoreSettings
from bot.store import Store
from bot.surfaces import NO_SURFACES, Surfaces
from bot.workflow import Workflow


@dataclass(frozen=True)
class Readiness:
    """What /readyz reports: the problems that make the bot not ready, and each check's finding."""

    problems: list[str]
    checks: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Runtime:
    backend: Backend
    store: Store
    policy: Policy
    workflow: Workflow

    async def readiness_problems(self) -> list[str]:
        """Empty when the bot can serve: the store answers and AWS accepts the credentials."""
        return (await self.readiness()).problems

    async def readiness(self) -> Readiness:
        """Ready when the store answers and AWS accepts the credentials (not merely that some
        resolve: a revoked key would pass that and fail every command). AWS not answering the
        credential check is reported but is not a problem: see `CredentialCheck`."""
        problems = []
        store = "ok"
        try:
            await self.store.ping()
        except Exception as error:  # any failure means not ready; the message says which
            store = f"store unreachable: {type(error).__name__}"
            problems.append(store)
        credentials = await self.backend.voice.check_credentials()
        if credentials.problem:
            problems.append(credentials.problem)
        checks = {
            "store": store,
            "aws_credentials": {"state": credentials.state, "detail": credentials.detail},
        }
        return Readiness(problems, checks)


@asynccontextmanager
async def open_runtime(
    *,
    aws: AwsSettings | None = None,
    core: CoreSettings | None = None,
    force_sandbox: bool = False,
    sandbox_fallback: bool = True,
    surfaces: Callable[[Policy], Surfaces] = lambda _policy: NO_SURFACES,
    lazy_store: bool = False,
    transport: Transport = "async",
) -> AsyncIterator[Runtime]:
    """`surfaces` lends the workflow a surface's announcer, files and user groups, given the policy
    in force (Slack resolves the user groups its grants name). `lazy_store` (the console) opens and
    migrates the store on its first use, not here: a read that records nothing never touches it.
    Without it (`serve`), the store is migrated before anything else starts. `transport`: how AWS
    is reached (bot/aws_clients.py); the console, serving one person, uses "threads"."""
    core = core or CoreSettings()
    configured = load_policy(core.policy_file) if core.policy_file else None  # a bad file stops start-up now
    store = Store(core.database_url, lazy=lazy_store)
    try:
        if not lazy_store:
            await store.migrate()
        backend_context = open_backend(
            aws or AwsSettings(),
            force_sandbox=force_sandbox,
            sandbox_fallback=sandbox_fallback,
            transport=transport,
        )
        async with backend_context as backend:
            policy = configured or (SANDBOX if backend.sandboxed else READ_ONLY)
            workflow = Workflow(Engine(backend.voice), store, policy, surfaces(policy))
            yield Runtime(backend, store, policy, workflow)
    finally:
        await store.close()
