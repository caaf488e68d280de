"""Pytest plugin: a fresh PostgreSQL database per test on the machine's server (127.0.0.1:5432).

The server is part of the test environment (CI starts it); a test that needs it fails, rather than
skips, when it is down, so a missing database can never pass for a green run.
"""

import os
import secrets
from collections.abc import AsyncIterator

import asyncpg
import pytest

ADMIN_DSN = os.environ.get("POSTGRES_TEST_DSN", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A SQLAlchemy URL to a new, empty database, dropped after the test."""
    name = f"switchboard_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
