"""`switchboard console` as a person runs it: a subprocess with its own working directory."""

import asyncio
import os
import sys
from pathlib import Path

ALLOW_ALL = "roles: {admin: ['*']}\ngrants: [{role: admin, users: [console]}]\n"


async def run_console(
    *lines: str, cwd: Path, env: dict[str, str] | None = None, yes: bool = True, policy: bool = True
) -> tuple[int, str]:
    """`switchboard console -c LINE… [--yes]` as the user `console`; returns (exit code, output).

    With `policy`, a policy file allowing `console` everything; `env` replaces the environment.
    """
    environment = dict(os.environ if env is None else env)
    if policy:
        (cwd / "policy.yaml").write_text(ALLOW_ALL)
        environment["POLICY_FILE"] = str(cwd / "policy.yaml")
    arguments = [arg for line in lines for arg in ("-c", line)] + (["--yes"] if yes else [])
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "console",
        *arguments,
        cwd=cwd,
        env=environment,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()
