"""Prometheus metrics (prometheus_client): what an operator graphs and alerts on.

Per replica; scrape every replica. The pending-changes gauge is read from the shared store at
scrape time, so every replica reports the same, true number.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

COMMANDS = Counter(
    "switchboard_commands_total",
    "Commands handled, by verb (e.g. 'origination set') and outcome.",
    ["verb", "outcome"],
    registry=REGISTRY,
)
AWS_CALLS = Histogram(
    "switchboard_aws_call_seconds",
    "Chime SDK Voice call latency per attempt, by operation.",
    ["operation"],
    registry=REGISTRY,
)
AWS_ERRORS = Counter(
    "switchboard_aws_errors_total",
    "Chime SDK Voice call failures per attempt, by operation and error code.",
    ["operation", "code"],
    registry=REGISTRY,
)
ACKS = Histogram(
    "switchboard_slack_ack_seconds",
    "Time from receiving a Slack request to answering it (Slack allows 3 s).",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    registry=REGISTRY,
)
SLOW_ACKS = Counter(
    "switchboard_slack_slow_acks_total", "Slack requests answered after more than 1 s.", registry=REGISTRY
)
PENDING = Gauge(
    "switchboard_pending_changes",
    "Previewed changes waiting for confirmation (all replicas).",
    registry=REGISTRY,
)


@contextmanager
def timed_ack() -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - started
        ACKS.observe(elapsed)
        if elapsed > 1.0:
            SLOW_ACKS.inc()


def exposition(pending: int) -> bytes:
    PENDING.set(pending)
    return generate_latest(REGISTRY)
