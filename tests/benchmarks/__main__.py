"""`make bench`: start-up against the AWS CLI, ack latency against a bare Bolt app, bulk association
under throttling, memory, and a drift scan beside interactive acks (tests/benchmarks/drift.py).

Each figure is printed beside its goal; ratios are measured side by side in the same run, on the
same machine, so the machine's speed cancels out.
"""

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bot.engine import Engine
from bot.sandbox import SandboxConfig, start_sandbox
from bot.sandbox.faults import FaultSettings
from bot.sandbox.inventory import inventory_numbers
from bot.settings import AwsSettings
from bot.voice import VoiceService
from commands import parse
from commands.numbers import NumbersAssociate
from tests.benchmarks.startup import bench_startup
from tests.helpers.bot_harness import POLICY, SIGNING_SECRET, send_signed
from tests.helpers.bot_process import free_port
from tests.helpers.polling import eventually
from tests.helpers.slack_signing import slash_command_body
from tests.helpers.slack_standin import SlackStandIn

REQUESTS = 1000
CONCURRENCY = 50
BULK_NUMBERS = 10_000
THROTTLE_RPS = 20.0
BATCH_SIZE = 20  # small batches: 500 requests, so the steady state dominates the sandbox's 1 s burst


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def start(
    command: list[str], env: dict[str, str], url: str, log: Path
) -> tuple[asyncio.subprocess.Process, float]:
    """Start a server process; returns it and the seconds until /readyz answered 200."""
    started = time.perf_counter()
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(*command, env=env, stdout=output, stderr=output)
    async with aiohttp.ClientSession() as http:

        async def ready() -> bool:
            try:
                async with http.get(url + "/readyz") as response:
                    return response.status == 200
            except aiohttp.ClientConnectionError:
                return False

        await eventually(ready, f"{url}/readyz")
    return process, time.perf_counter() - started


async def ack_latencies(url: str, standin: SlackStandIn, text: str) -> list[float]:
    """Send REQUESTS signed slash commands, CONCURRENCY at a time; the time to each HTTP answer."""
    latencies: list[float] = []
    limit = asyncio.Semaphore(CONCURRENCY)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(index: int) -> None:
            body = slash_command_body(
                text, user_id="U0ALICE", channel_id="C0OPS", response_url=standin.response_url(f"b{index}")
            )
            async with limit:
                started = time.perf_counter()
                status, _ = await send_signed(http, url, body)
                latencies.append(time.perf_counter() - started)
                assert status == 200, status

        await asyncio.gather(*(one(index) for index in range(REQUESTS)))
    return latencies


async def bench_acks(workdir: Path) -> None:
    print(f"\n== Slash-command ack latency: {REQUESTS} requests, {CONCURRENCY} concurrent ==")
    async with await start_sandbox(SandboxConfig()) as sandbox, SlackStandIn() as standin:
        policy = workdir / "policy.yaml"
        policy.write_text(POLICY)
        env = {
            **os.environ,
            "AWS_ENDPOINT_URL_CHIME_SDK_VOICE": sandbox.url,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/bench.db",
            "POLICY_FILE": str(policy),
            "LOG_LEVEL": "WARNING",
        }
        bare_port, bot_port = free_port(), free_port()
        bare_url, bot_url = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{bot_port}"
        bare, _ = await start(
            [
                sys.executable,
                "-m",
                "tests.benchmarks.bare_bolt",
                "--port",
                str(bare_port),
                "--secret",
                SIGNING_SECRET,
                "--api-url",
                standin.api_url,
            ],
            env,
            bare_url,
            workdir / "bare.log",
        )
        bot, startup = await start(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(bot_port)],
            env,
            bot_url,
            workdir / "bot.log",
        )
        idle = rss_kib(bot.pid, "VmRSS")
        try:
            await ack_latencies(bare_url, standin, "connectors")  # warm both up the same way
            await ack_latencies(bot_url, standin, "help")
            baseline = await ack_latencies(bare_url, standin, "connectors")
            ours = await ack_latencies(bot_url, standin, "connectors")
            peak = rss_kib(bot.pid, "VmHWM")
        finally:
            for process in (bare, bot):
                process.terminate()
                await process.wait()
    p50, p99 = percentile(ours, 0.5), percentile(ours, 0.99)
    b50, b99 = percentile(baseline, 0.5), percentile(baseline, 0.99)
    print(f"bare Bolt ack       p50 {b50 * 1000:7.1f} ms   p99 {b99 * 1000:7.1f} ms")
    print(
        f"switchboard ack     p50 {p50 * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms   "
        f"(slowest {max(ours) * 1000:.0f} ms; Slack's limit 3000 ms)"
    )
    print(f"ratio               p50 {p50 / b50:7.2f}x     p99 {p99 / b99:7.2f}x     goal <= 1.50x")
    print(f"start-up to ready   {startup:.2f} s")
    print(
        f"bot RSS             idle {idle / 1024:.0f} MiB   peak {peak / 1024:.0f} MiB"
        f" (after {2 * REQUESTS} commands)"
    )


async def bench_bulk() -> None:
    print(
        f"\n== Bulk association: {BULK_NUMBERS:,} numbers, sandbox throttled at"
        f" {THROTTLE_RPS:.0f} requests/s =="
    )
    config = SandboxConfig(inventory_size=BULK_NUMBERS, faults=FaultSettings(throttle_rps=THROTTLE_RPS))
    async with await start_sandbox(config) as sandbox:
        os.environ |= {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_ENDPOINT_URL_CHIME_SDK_VOICE": sandbox.url,
            "VOICE_BATCH_SIZE": str(BATCH_SIZE),
        }
        settings = AwsSettings()
        numbers = list(inventory_numbers(BULK_NUMBERS))
        command = parse("numbers associate pstn-failover " + " ".join(numbers))
        assert isinstance(command, NumbersAssociate)
        async with VoiceService(settings) as voice:
            engine = Engine(voice)
            planned = await engine.plan(command, "bench")
            assert planned.plan is not None
            started = time.perf_counter()
            outcome = await engine.apply(planned.plan)
            elapsed = time.perf_counter() - started
        sandbox.faults.configure({"throttle_rps": None})
    requests = len(planned.plan.calls)
    rate = requests / elapsed
    # The sandbox's bucket allows a 1 s burst on top of the rate: what was allowed in `elapsed`.
    allowed = THROTTLE_RPS * elapsed + THROTTLE_RPS
    reported = outcome.succeeded_numbers + [error.phone_number_id or "" for error in outcome.number_errors]
    lost = set(numbers) - set(reported)
    twice = len(reported) - len(set(reported))
    print(
        f"batches             {requests} requests of {settings.batch_size} numbers, "
        f"{settings.max_concurrency} in flight"
    )
    print(f"apply time          {elapsed:.1f} s (ideal {requests / THROTTLE_RPS:.1f} s)")
    share = requests / allowed
    print(
        f"achieved rate       {rate:.1f} accepted requests/s; {share:.0%} of what the throttle"
        f" allowed   goal >= 90%"
    )
    associated, failed = len(outcome.succeeded_numbers), len(outcome.number_errors)
    print(
        f"numbers             {associated:,} associated, {failed} failed, {len(lost)} lost,"
        f" {twice} reported twice"
    )
    print("                    goal: 0 lost, 0 reported twice")


async def main() -> None:
    await bench_startup()
    with tempfile.TemporaryDirectory() as directory:
        await bench_acks(Path(directory))
    await bench_bulk()
    from tests.benchmarks.drift import bench_drift  # imports this module: loaded once main runs

    with tempfile.TemporaryDirectory() as directory:
        await bench_drift(Path(directory))


if __name__ == "__main__":
    asyncio.run(main())
