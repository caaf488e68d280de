"""`make bench`, drift watch: a scan of 1,000 connectors in 10 regions against a sandbox throttled
at 20 requests/s per region, beside interactive acks sent while it runs and once it is done."""

import asyncio
import os
import sys
from pathlib import Path

from bot.sandbox import SandboxConfig, read_records, start_sandbox
from bot.settings import AwsSettings
from bot.store import DriftLedger, Store
from bot.voice import VoiceService
from tests.benchmarks.__main__ import ack_latencies, percentile, start
from tests.helpers.bot_harness import POLICY, SIGNING_SECRET
from tests.helpers.bot_process import free_port
from tests.helpers.polling import eventually
from tests.helpers.slack_standin import SlackStandIn
from voice_domain.values import REGIONS

PER_REGION = 100
THROTTLE_RPS = 20.0
SCAN_GUARD = 900.0  # a scan at 20 % of 20 req/s reads ~4 settings per connector: minutes, not seconds


async def _populate(url: str) -> None:
    """100 connectors in each region, sent before the sandbox is throttled."""
    os.environ.update(
        AWS_ENDPOINT_URL_CHIME_SDK_VOICE=url, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench"
    )
    async with VoiceService(AwsSettings(VOICE_REGIONS=",".join(REGIONS))) as voice:
        await asyncio.gather(
            *(
                voice.call(
                    region, "CreateVoiceConnector", {"Name": f"vc-{region}-{n}", "RequireEncryption": True}
                )
                for region in REGIONS
                for n in range(PER_REGION)
            )
        )


async def bench_drift(workdir: Path) -> None:
    print(
        f"\n== Drift scan: {PER_REGION * len(REGIONS):,} connectors in {len(REGIONS)} regions, "
        f"sandbox throttled at {THROTTLE_RPS:.0f} req/s per region =="
    )
    config = SandboxConfig.model_validate(
        {"quotas": {"voice_connectors": PER_REGION + 10}, "record_file": workdir / "drift-requests.jsonl"}
    )
    async with await start_sandbox(config) as sandbox, SlackStandIn() as standin:
        await _populate(sandbox.url)
        sandbox.faults.configure({"throttle_rps": THROTTLE_RPS})
        before = len(read_records(workdir / "drift-requests.jsonl"))
        policy = workdir / "drift-policy.yaml"
        policy.write_text(POLICY)
        database = f"sqlite+aiosqlite:///{workdir}/drift.db"
        env = {
            **os.environ,
            "AWS_ENDPOINT_URL_CHIME_SDK_VOICE": sandbox.url,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": database,
            "POLICY_FILE": str(policy),
            "LOG_LEVEL": "WARNING",
            "VOICE_REGIONS": ",".join(REGIONS),
            "VOICE_REQUEST_BUDGET": str(THROTTLE_RPS),
            "DRIFT_INTERVAL": "3600",
        }
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        bot, _ = await start(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env,
            url,
            workdir / "drift-bot.log",
        )
        store = Store(database)
        ledger = DriftLedger(store)
        try:
            # The start-up scan (the baseline) is running. Warm the process up first, as the ack benchmark
            # does: otherwise "while scanning" is a cold process measured against a warm one.
            await ack_latencies(url, standin, "help")
            during = await ack_latencies(url, standin, "help")
            snapshot = None

            async def scanned() -> bool:
                nonlocal snapshot
                snapshot = await ledger.latest_snapshot()
                return snapshot is not None

            await eventually(scanned, "the drift watch's first snapshot", guard=SCAN_GUARD)
            assert snapshot is not None
            idle = await ack_latencies(url, standin, "help")
        finally:
            bot.terminate()
            await bot.wait()
            await store.close()
        seconds = (snapshot.taken_at - snapshot.started_at).total_seconds()
        sent = len(read_records(workdir / "drift-requests.jsonl")) - before
        share = sent / len(REGIONS) / seconds / THROTTLE_RPS
        print(
            f"complete snapshot   {seconds:7.1f} s   ({len(snapshot.content):,} resources, {sent:,} requests)"
        )
        print(f"budget used         {share:7.1%} of {THROTTLE_RPS:.0f} req/s per region   (goal ≤ 20 %)")
        d50, d99 = percentile(during, 0.5), percentile(during, 0.99)
        i50, i99 = percentile(idle, 0.5), percentile(idle, 0.99)
        print(f"ack while scanning  p50 {d50 * 1000:7.1f} ms   p99 {d99 * 1000:7.1f} ms")
        print(f"ack idle            p50 {i50 * 1000:7.1f} ms   p99 {i99 * 1000:7.1f} ms")
        print(f"ratio to idle       p50 {d50 / i50:5.2f}×   p99 {d99 / i99:5.2f}×   (goal ≤ 1.2×)")
