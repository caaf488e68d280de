"""`switchboard serve` as a real separate process (for several replicas, SIGKILL and SIGTERM tests)."""

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from tests.helpers.bot_harness import NOTIFY_CHANNEL, SIGNING_SECRET
from tests.helpers.polling import GUARD_SECONDS, eventually


def free_port() -> int:
    """A port free now (another process may take it before it is used: the suite binds port 0 instead)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class BotProcess:
    def __init__(self, process: asyncio.subprocess.Process, url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    async def wait(self) -> int:
        return await self.process.wait()


def _output(log: Path) -> str:
    return log.read_text()


_BANNER = re.compile(r"Switchboard listening on (http://\S+)")


async def _listening_url(process: asyncio.subprocess.Process, log: Path) -> str:
    """The URL in serve's start-up banner: it binds port 0, so the OS picks a port no other run holds."""
    found: list[str] = []

    async def banner() -> bool:
        if process.returncode is not None:
            raise AssertionError(f"bot exited with {process.returncode}:\n{_output(log)}")
        found[:] = _BANNER.findall(_output(log))
        return bool(found)

    await eventually(banner, "the bot's start-up banner")
    return found[0]


async def _until_healthy(url: str, process: asyncio.subprocess.Process, log: Path) -> None:
    async with aiohttp.ClientSession() as http:

        async def healthy() -> bool:
            if process.returncode is not None:
                raise AssertionError(f"bot exited with {process.returncode}:\n{_output(log)}")
            try:
                async with http.get(url + "/healthz") as response:
                    return response.status == 200
            except aiohttp.ClientConnectionError:
                return False

        await eventually(healthy, f"{url}/healthz answers")


@asynccontextmanager
async def bot_process(
    *,
    workdir: Path,
    database_url: str,
    policy_file: Path,
    slack_api_url: str,
    name: str = "bot",
    socket_mode_app_token: str | None = None,
    log_level: str = "INFO",
) -> AsyncIterator[BotProcess]:
    """Start `switchboard serve` with the test's sandbox (from the environment) and Slack stand-in.

    With `socket_mode_app_token`: `serve --socket-mode` with that SLACK_APP_TOKEN and no signing secret,
    connecting to whatever the stand-in's apps.connections.open hands out (a SocketModePeer).
    """
    log = workdir / f"{name}.log"
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api_url,
        "NOTIFY_CHANNEL": NOTIFY_CHANNEL,
        "DATABASE_URL": database_url,
        "POLICY_FILE": str(policy_file),
        "LOG_LEVEL": log_level,
    }
    mode: list[str] = []
    if socket_mode_app_token is not None:
        del env["SLACK_SIGNING_SECRET"]
        env["SLACK_APP_TOKEN"] = socket_mode_app_token
        mode = ["--socket-mode"]
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            *mode,
            cwd=workdir,
            env=env,
            stdout=output,
            stderr=asyncio.subprocess.STDOUT,
        )
    try:
        url = await _listening_url(process, log)
        await _until_healthy(url, process, log)
        yield BotProcess(process, url, log)
    finally:
        # SIGTERM, as an orchestrator stops it: the bot exits cleanly (and `make cov` keeps its coverage);
        # SIGKILL only if it has not exited within the deadlock guard.
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), GUARD_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
